"""Importing a list of people: upload → columns → preview of every row → confirmation.

Coordinators, département agents and administrators import into a structure of their
scope. Thin views: reading, matching, checking and writing are ``registry.services``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import AuditEntry, Membership, Organisation, Role, User
from tremplin.forms import BootstrapFormMixin
from tremplin.web import jobs
from tremplin.web.exports import XLSX_TYPE
from tremplin.web.form_pages import form_error
from tremplin.web.request_limits import megabytes

from .. import jobs as registry_jobs
from .. import services
from ..imports import columns
from ..imports.engine import REJECTED, STATUS_LABELS, plural
from ..imports.reading import FileError, cell_text, open_table
from ..imports.report import rejected_rows_xlsx
from ..models import Beneficiary, BeneficiaryImport

ROWS_PER_PAGE = 50
SAMPLE_ROWS = 3


def importable_operators(user):
    """The structures whose lists the user may import (none: the user may not import)."""
    scope = scope_of(user)
    operators = Organisation.objects.filter(kind=Organisation.Kind.OPERATOR)
    if scope.is_admin:
        return operators
    condition = operators.filter(pk__in=scope.coordinated_operator_ids)
    if scope.agent_territory_ids:
        condition = condition | operators.filter(territory_id__in=scope.agent_territory_ids)
    return condition


def require_importer(user):
    scope = scope_of(user)
    if not (scope.is_admin or scope.coordinated_operator_ids or scope.agent_territory_ids):
        raise PermissionDenied(
            "L'import de listes est réservé aux coordinateurs, aux agents du département et aux "
            "administrateurs."
        )


def too_large_message(upload) -> str:
    """The French refusal of a list cut at the upload limit (``request_limits``)."""
    limit = settings.TREMPLIN_IMPORT_UPLOAD_MAX_BYTES
    return (
        f"Le fichier « {upload.name} » pèse plus de {megabytes(limit)} Mo, la taille maximale "
        "d'une liste : découpez-la en plusieurs fichiers (chacun avec la ligne des en-têtes), "
        "enregistrez-la en XLSX, plus compact qu'un CSV, ou importez-la avec la commande "
        "tremplin import-beneficiaries."
    )


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label="Liste (CSV ou XLSX)",
        help_text="CSV en UTF-8 (séparateur « ; » ou « , »), ou classeur Excel .xlsx ; la "
        "première ligne porte les en-têtes.",
    )
    operator = forms.ModelChoiceField(
        label="Structure qui reçoit les nouveaux dossiers", queryset=Organisation.objects.none()
    )
    referent = forms.ModelChoiceField(
        label="Référent·e des nouveaux dossiers",
        queryset=User.objects.none(),
        required=False,
        help_text="Sauf si une colonne « référent » en désigne un autre (adresse électronique).",
    )
    rsa_payer = forms.ChoiceField(
        label="Organisme payeur des numéros d'allocataire",
        choices=Beneficiary.RsaPayer.choices,
        initial=Beneficiary.RsaPayer.CAF,
        help_text="Quand aucune colonne « organisme payeur » ne le dit.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit = megabytes(settings.TREMPLIN_IMPORT_UPLOAD_MAX_BYTES)
        self.fields["file"].help_text += f" {limit} Mo au plus."
        operators = importable_operators(user)
        self.fields["operator"].queryset = operators
        if operators.count() == 1:
            self.fields["operator"].initial = operators.first()
        referents = Membership.objects.active().filter(
            role=Role.REFERENT, organisation__in=operators
        )
        self.fields["referent"].queryset = User.objects.filter(
            pk__in=referents.values("user_id")
        ).order_by("last_name", "first_name")
        self.fields["referent"].label_from_instance = lambda u: u.get_full_name()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if getattr(upload, "too_large", False):
            raise forms.ValidationError(too_large_message(upload))
        return upload

    def clean(self):
        data = super().clean()
        operator, referent = data.get("operator"), data.get("referent")
        if operator and referent:
            member = (
                Membership.objects.active()
                .filter(user=referent, organisation=operator, role=Role.REFERENT)
                .exists()
            )
            if not member:
                self.add_error(
                    "referent",
                    f"{referent.get_full_name()} n'est pas référent·e de {operator} : choisissez "
                    "un référent de cette structure, ou personne.",
                )
        return data


def import_start(request):
    require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                beneficiary_import = services.start_import(
                    user=request.user,
                    upload=form.cleaned_data["file"],
                    operator=form.cleaned_data["operator"],
                    referent=form.cleaned_data["referent"],
                    rsa_payer=form.cleaned_data["rsa_payer"],
                )
            except services.ImportRefused as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                return redirect("registry:import_mapping", beneficiary_import.pk)
        form_error(request)
    recent = BeneficiaryImport.objects.visible_to(request.user).select_related("operator")[:10]
    return render(
        request,
        "registry/import_start.html",
        {"form": form, "recent": recent, "targets": columns.TARGETS},
    )


def my_import(request, pk) -> BeneficiaryImport:
    require_importer(request.user)
    return get_object_or_404(
        BeneficiaryImport.objects.visible_to(request.user).select_related("operator"), pk=pk
    )


def samples(beneficiary_import: BeneficiaryImport) -> dict[str, list[str]]:
    """The first values of each column, to recognise it on the mapping page."""
    values: dict[str, list[str]] = {h: [] for h in beneficiary_import.headers}
    if not beneficiary_import.file:
        return values  # deleted at the end of its retention period
    try:
        with beneficiary_import.file.open("rb") as stream:
            for row in open_table(stream):
                if row.is_empty:
                    continue
                for header in values:
                    values[header].append(cell_text(row.cells.get(header)))
                if row.number >= SAMPLE_ROWS:
                    break
    except (FileError, OSError):
        pass
    return values


class MappingForm(BootstrapFormMixin, forms.Form):
    remember = forms.BooleanField(
        label="Retenir ces colonnes pour les prochaines listes de cette structure",
        required=False,
    )

    def __init__(self, *args, beneficiary_import, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— ignorer cette colonne —")] + [
            (target.key, target.label) for target in columns.TARGETS
        ]
        self.header_fields = []
        for index, header in enumerate(beneficiary_import.headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=beneficiary_import.mapping.get(header) or "",
            )
            self.header_fields.append((name, header))
        self.fields["remember"].widget.attrs["class"] = "form-check-input"

    def mapping(self) -> dict[str, str | None]:
        return {
            header: (self.cleaned_data.get(name) or None) for name, header in self.header_fields
        }


def is_long(beneficiary_import: BeneficiaryImport) -> bool:
    """A list whose preview and confirmation are jobs: more rows than
    ``TREMPLIN_IMPORT_JOB_ROWS`` (the lines counted at the upload, then the rows previewed),
    or a count unknown (a workbook that does not declare its size)."""
    rows = beneficiary_import.rows
    return rows == 0 or rows > settings.TREMPLIN_IMPORT_JOB_ROWS


def import_mapping(request, pk):
    beneficiary_import = my_import(request, pk)
    if beneficiary_import.state == BeneficiaryImport.State.DONE:
        return redirect(beneficiary_import)
    form = MappingForm(request.POST or None, beneficiary_import=beneficiary_import)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mapping(
                beneficiary_import,
                form.mapping(),
                remember=form.cleaned_data["remember"],
                user=request.user,
            )
            services.check_file_kept(beneficiary_import)
            if is_long(beneficiary_import):
                # A long list: previewed by the job queue's worker, with a progress bar.
                return jobs.start(
                    request,
                    kind=registry_jobs.KIND,
                    title=f"Aperçu de « {beneficiary_import.original_name} »",
                    params=registry_jobs.params(beneficiary_import, registry_jobs.PREVIEW),
                )
            services.preview_import(beneficiary_import)
        except services.ImportRefused as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect(beneficiary_import)
    if request.method == "POST":
        form_error(request)
    values = samples(beneficiary_import)
    rows = [(form[name], header, values.get(header, [])) for name, header in form.header_fields]
    return render(
        request,
        "registry/import_mapping.html",
        {"import": beneficiary_import, "form": form, "rows": rows},
    )


STATUS_FILTERS = ("created", "updated", "unchanged", "rejected")


def import_preview(request, pk):
    beneficiary_import = my_import(request, pk)
    if beneficiary_import.state == BeneficiaryImport.State.UPLOADED:
        return redirect("registry:import_mapping", beneficiary_import.pk)
    status = request.GET.get("resultat", "")
    rows = beneficiary_import.row_outcomes.order_by("number")
    if status in STATUS_FILTERS:
        rows = rows.filter(status=status)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    for row in page:
        row.status_label = STATUS_LABELS.get(row.status, row.status)
    counts = [(key, STATUS_LABELS[key], getattr(beneficiary_import, key)) for key in STATUS_FILTERS]
    return render(
        request,
        "registry/import_preview.html",
        {
            "import": beneficiary_import,
            "page_obj": page,
            "counts": counts,
            "status": status,
            "status_label": STATUS_LABELS.get(status, ""),
            "done": beneficiary_import.state == BeneficiaryImport.State.DONE,
        },
    )


@require_POST
def import_confirm(request, pk):
    beneficiary_import = my_import(request, pk)
    if beneficiary_import.state != BeneficiaryImport.State.DONE and not beneficiary_import.file:
        messages.error(request, services.FILE_DELETED)  # at once, not by a job queued for nothing
        return redirect(beneficiary_import)
    if beneficiary_import.state == BeneficiaryImport.State.UPLOADED:
        messages.error(
            request,
            "L'aperçu de cette liste n'est pas prêt : rien n'a été importé. Choisissez ses "
            "colonnes, puis confirmez depuis l'aperçu de chaque ligne.",
        )
        return redirect("registry:import_mapping", beneficiary_import.pk)
    if beneficiary_import.state == BeneficiaryImport.State.PREVIEWED and is_long(
        beneficiary_import
    ):
        # A long list: imported by the job queue's worker, with a progress bar.
        return jobs.start(
            request,
            kind=registry_jobs.KIND,
            title=f"Import de « {beneficiary_import.original_name} »",
            params=registry_jobs.params(beneficiary_import, registry_jobs.CONFIRM),
        )
    try:
        result = services.confirm_import(beneficiary_import)
    except services.ImportRefused as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(beneficiary_import)
    rejected = len(result.rejected)
    messages.success(
        request,
        f"Import terminé : {result.created} "
        + plural(result.created, "dossier créé", "dossiers créés")
        + f", {result.updated} mis à jour, {result.unchanged} "
        + plural(result.unchanged, "inchangé", "inchangés")
        + f", {rejected} "
        + plural(rejected, "ligne rejetée", "lignes rejetées")
        + ".",
    )
    return redirect(beneficiary_import)


def import_rejected_report(request, pk):
    beneficiary_import = my_import(request, pk)
    rows = (
        (row.number, row.label, row.errors)
        for row in beneficiary_import.row_outcomes.filter(status=REJECTED).order_by("number")
    )
    spool = rejected_rows_xlsx(rows)
    audit.record(
        AuditEntry.Action.EXPORT,
        beneficiary_import,
        object_repr=f"Lignes rejetées de l'import n° {beneficiary_import.pk}",
    )
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"lignes-rejetees-import-{beneficiary_import.pk}.xlsx",
        content_type=XLSX_TYPE,
    )
