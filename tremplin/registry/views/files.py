"""Pages of the registry. Thin: access through ``visible_to``, rules in forms and rules/."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, RestrictedError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views import generic

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import full_name
from tremplin.rules.identifiers import ascii_digits
from tremplin.web.dates import french_date
from tremplin.web.exports import Column, ExportMixin, choice_label
from tremplin.web.form_pages import FormPageMixin
from tremplin.web.listing import PEOPLE, Choices, ListFilter, SearchSortPaginateMixin
from tremplin.web.shortcuts import visible_object_or_404

from .. import lifecycle
from ..counts import visible_count
from ..forms import BeneficiaryForm, EmployerForm, TutorForm
from ..models import Beneficiary, Employer, Tutor


class VisibleObjectsMixin(LoginRequiredMixin):
    """Every page reads through the model's ``visible_to``: a file out of scope is a 404."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


CONCURRENT_DUPLICATE = (
    "Un autre dossier portant le même identifiant (NIR, numéro d'allocataire ou SIRET) vient "
    "d'être enregistré pendant votre saisie. Rien n'a été enregistré : recherchez ce dossier "
    "dans le répertoire avant de réessayer ; ce que vous avez saisi est conservé ci-dessous."
)


class UserFormMixin(FormPageMixin):
    """The registry's forms know the user (scope, territory). A savepoint around the save:
    another agent may save the same NIR, RSA number or SIRET between this form's duplicate
    checks and the insert; the unique index then decides (``FormPageMixin``)."""

    constraint_error = CONCURRENT_DUPLICATE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class BlockedDeleteMixin:
    """A record others depend on (a person with a support, an employer with conventions) is
    not deleted: the confirmation page says so (409), with what is attached, counted by
    kind — never named, some may be outside the user's scope."""

    def form_valid(self, form):
        name = str(self.object)
        try:
            with transaction.atomic():
                response = super().form_valid(form)
        except (ProtectedError, RestrictedError) as error:
            attached = getattr(error, "protected_objects", None) or error.restricted_objects
            counts = Counter(item._meta for item in attached)
            blocking = sorted(
                f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
                for meta, count in counts.items()
            )
            context = self.get_context_data(blocking=blocking)
            return self.render_to_response(context, status=409)
        messages.success(self.request, f"« {name} » a été supprimé.")
        return response


class AdminOnlyDeleteMixin(BlockedDeleteMixin):
    """Deleting a file is an administrator's act, after a confirmation page."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_of(request.user).is_admin:
            raise PermissionDenied("Seul un administrateur peut supprimer un dossier.")
        return super().dispatch(request, *args, **kwargs)


# --- Beneficiaries --------------------------------------------------------------------------

WITHOUT_REFERENT = "aucun"


REFERENT_CHOICES_SECONDS = 300


def referent_choices(request) -> list[tuple[str, str]]:
    """The referents of the people the user sees, by name; and "without a referent".

    Kept five minutes in the cache per user: a département's agent sees some 1,700
    referents, 60–100 ms of lookups on every page of the list, for a filter's options that
    change when a person changes referent (a new name shows within five minutes)."""
    key = f"tremplin:referent-choices:{request.user.pk}"
    choices = cache.get(key)
    if choices is None:
        choices = _referent_choices(request.user)
        cache.set(key, choices, REFERENT_CHOICES_SECONDS)
    return choices


def _referent_choices(user) -> Choices:
    # A correlated EXISTS per user (a few hundred, each one index lookup on the referent)
    # rather than the referents of every visible person (100,000 rows read per page).
    visible = Beneficiary.objects.visible_to(user)
    referents = (
        get_user_model()
        .objects.filter(Exists(visible.filter(referent=OuterRef("pk"))))
        .order_by("last_name", "first_name")
    )
    return Choices(
        [(str(user.pk), user.get_full_name() or user.username) for user in referents]
        + [(WITHOUT_REFERENT, "Sans référent·e")]
    )


def by_referent(queryset, value, request):
    if value == WITHOUT_REFERENT:
        return queryset.filter(referent__isnull=True)
    return queryset.filter(referent_id=int(value))


class BeneficiaryList(VisibleObjectsMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    model = Beneficiary
    template_name = "registry/beneficiary_list.html"
    export_basename = "beneficiaires"
    # The NIR and the allocation number are never exported (DESIGN.md, personal data).
    export_columns = [
        Column.of_field("Dossier", "pk"),
        Column("Civilité", choice_label(Beneficiary._meta.get_field("civility")), ("civility",)),
        Column.of_field("Nom", "last_name"),
        Column.of_field("Prénoms", "first_names"),
        Column.of_field("Date de naissance", "birth_date"),
        Column.of_field("Code postal", "postal_code"),
        Column.of_field("Commune", "city"),
        Column("Structure", lambda name: name or "", ("operator__name",)),
        Column("Référent·e", full_name, ("referent__first_name", "referent__last_name")),
        Column.of_field("Niveau de formation", "education_level"),
        Column(
            "Sans emploi depuis",
            choice_label(Beneficiary._meta.get_field("unemployed_for")),
            ("unemployed_for",),
        ),
        Column.of_field("RSA", "receives_rsa"),
        Column(
            "Travailleur handicapé",
            choice_label(Beneficiary._meta.get_field("disabled_worker")),
            ("disabled_worker",),
        ),
        Column.of_field("Modifié le", "updated_at"),
    ]
    sort_options = {
        "nom": ("Nom", ("last_name", "first_names")),
        "naissance": ("Date de naissance", ("birth_date",)),
        "commune": ("Commune", ("city", "last_name")),
        "referent": ("Référent·e", ("referent__last_name", "last_name")),
        "modification": ("Dernière modification", ("updated_at",)),
    }
    default_sort = "nom"
    # What a row of beneficiary_list.html shows.
    page_columns = (
        "last_name",
        "first_names",
        "birth_date",
        "postal_code",
        "city",
        "updated_at",
        "referent__first_name",
        "referent__last_name",
        "operator__name",
    )
    list_name = PEOPLE
    list_filters = (ListFilter("referent", "Référent·e", referent_choices, by_referent, order=10),)

    def get_queryset(self):
        queryset = super().get_queryset().select_related("referent", "operator")
        return self.apply_search_and_sort(queryset)

    def known_count(self) -> int | None:
        # Neither searched nor filtered: everyone the user may see, counted once and kept.
        if self.search_text() or any(item["value"] for item in self.filter_state()):
            return None
        return visible_count(self.request.user)


class BeneficiaryDetail(VisibleObjectsMixin, generic.DetailView):
    model = Beneficiary
    template_name = "registry/beneficiary_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("referent", "operator", "territory")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A merged file is a pointer: its address leads to the kept file (if visible).
            kept = merged_file_target(request.user, kwargs["pk"])
            if kept is None:
                raise
            messages.info(
                request,
                f"Le dossier n° {kwargs['pk']} a été fusionné dans celui-ci le "
                f"{french_date(kept.merged_from_date)}.",
            )
            return redirect(kept)

    def get_object(self, queryset=None):
        beneficiary = super().get_object(queryset)
        audit.record_view(beneficiary)
        return beneficiary


def merged_file_target(user, pk):
    """The file a merged file points to (following later merges), if the user may see it."""
    absorbed = Beneficiary.with_merged.filter(pk=pk, merged_into__isnull=False).first()
    if absorbed is None:
        return None
    merged_on = absorbed.merged_at.date()
    kept = absorbed.merged_into
    for _hop in range(10):
        if kept.merged_into_id is None:
            break
        kept = kept.merged_into
    if not Beneficiary.objects.visible_to(user).filter(pk=kept.pk).exists():
        return None
    kept.merged_from_date = merged_on
    return kept


class BeneficiaryCreate(LoginRequiredMixin, UserFormMixin, generic.CreateView):
    model = Beneficiary
    form_class = BeneficiaryForm
    template_name = "registry/beneficiary_form.html"
    success_message = "Le dossier de {object} est créé."


class BeneficiaryUpdate(VisibleObjectsMixin, UserFormMixin, generic.UpdateView):
    model = Beneficiary
    form_class = BeneficiaryForm
    template_name = "registry/beneficiary_form.html"
    success_message = "Le dossier de {object} est enregistré."


class BeneficiaryDelete(VisibleObjectsMixin, AdminOnlyDeleteMixin, generic.DeleteView):
    model = Beneficiary
    template_name = "registry/confirm_delete.html"
    success_url = reverse_lazy("registry:beneficiary_list")


# --- Employers and tutors -------------------------------------------------------------------


class EmployerList(VisibleObjectsMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    model = Employer
    template_name = "registry/employer_list.html"
    export_basename = "employeurs"
    export_columns = [
        Column("Dénomination", lambda e: e.name),
        Column("SIRET", lambda e: e.siret),
        Column("Code NAF", lambda e: e.naf_code),
        Column("Statut", lambda e: e.get_status_display()),
        Column("Secteur", lambda e: e.get_sector_display()),
        Column("Effectif au 31/12", lambda e: e.headcount_dec31),
        Column("Code postal", lambda e: e.postal_code),
        Column("Commune", lambda e: e.city),
        Column("ACI", lambda e: e.is_aci),
    ]
    sort_options = {
        "nom": ("Dénomination", ("name",)),
        "commune": ("Commune", ("city", "name")),
        "secteur": ("Secteur", ("sector", "name")),
        "effectif": ("Effectif", ("headcount_dec31",)),
    }
    default_sort = "nom"

    def get_queryset(self):
        return self.apply_search_and_sort(super().get_queryset())


class EmployerDetail(VisibleObjectsMixin, generic.DetailView):
    model = Employer
    template_name = "registry/employer_detail.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "tutors": self.object.tutors.all()}


class EmployerCreate(LoginRequiredMixin, UserFormMixin, generic.CreateView):
    model = Employer
    form_class = EmployerForm
    template_name = "registry/employer_form.html"
    success_message = "L'employeur {object} est créé."


class EmployerUpdate(VisibleObjectsMixin, UserFormMixin, generic.UpdateView):
    model = Employer
    form_class = EmployerForm
    template_name = "registry/employer_form.html"
    success_message = "L'employeur {object} est enregistré."


class EmployerDelete(VisibleObjectsMixin, AdminOnlyDeleteMixin, generic.DeleteView):
    model = Employer
    template_name = "registry/confirm_delete.html"
    success_url = reverse_lazy("registry:employer_list")


class TutorCreate(LoginRequiredMixin, UserFormMixin, generic.CreateView):
    model = Tutor
    form_class = TutorForm
    template_name = "registry/tutor_form.html"
    success_message = "Le tuteur {object} est enregistré."

    def get_initial(self):
        employer_id = self.request.GET.get("employeur")
        if employer_id and ascii_digits(employer_id):
            return {"employer": visible_object_or_404(Employer, self.request, employer_id)}
        return {}

    def after_save(self):
        warn_if_tutor_lacks_experience(self.request, self.object)


class TutorUpdate(VisibleObjectsMixin, UserFormMixin, generic.UpdateView):
    model = Tutor
    form_class = TutorForm
    template_name = "registry/tutor_form.html"
    success_message = "Le tuteur {object} est enregistré."

    def after_save(self):
        warn_if_tutor_lacks_experience(self.request, self.object)


class TutorDelete(VisibleObjectsMixin, BlockedDeleteMixin, generic.DeleteView):
    model = Tutor
    template_name = "registry/confirm_delete.html"

    def get_success_url(self):
        return reverse("registry:employer_detail", args=[self.object.employer_id])


def warn_if_tutor_lacks_experience(request, tutor):
    # Rule C12: a tutor needs 2 years of experience. The registry records the tutor anyway
    # (the file may be incomplete today); the convention's checks will block it.
    if tutor.experience_years < 2:
        messages.warning(
            request,
            f"{tutor} a moins de 2 ans d'expérience : il ne pourra pas être désigné tuteur "
            "d'une convention (règle C12).",
        )


# --- Personal data: the right of access -----------------------------------------------------


def may_export_personal_data(user) -> bool:
    """The administrators, and whoever holds the DPO's permission."""
    return scope_of(user).is_admin or user.has_perm("registry.export_personal_data")


@login_required
def beneficiary_export(request, pk):
    """« Exporter toutes les données »: a ZIP (JSON, readable PDF, documents), audited."""
    if not may_export_personal_data(request.user):
        raise PermissionDenied(
            "Seuls un administrateur ou le délégué à la protection des données exportent "
            "toutes les données d'une personne."
        )
    beneficiary = visible_object_or_404(Beneficiary, request, pk)
    content = lifecycle.export_zip(beneficiary)
    lifecycle.record_export(beneficiary)
    name = f"donnees-dossier-{beneficiary.pk}.zip"
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
