"""Changes of the registry that touch several facts, each in one transaction: importing a
list of people, merging two files of one person. Pages, API, commands and jobs call these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry

from .imports import columns
from .imports.engine import ImportOptions, ImportResult, RowOutcome, import_rows
from .imports.reading import FileError, open_table
from .models import BeneficiaryImport, ImportMapping, ImportRow

ROW_BATCH = 1000
FILE_DELETED = (
    "Le fichier de cet import a été supprimé au terme de sa durée de conservation : "
    "déposez la liste à nouveau pour l'importer."
)


class ImportRefused(ValueError):
    """The file or its mapping cannot be imported; ``messages`` are French sentences."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


# --- Import: command and API (one call) ------------------------------------------------------


def read_mapping(headers: list[str], mapping_toml: str | None) -> dict[str, str]:
    """The usable mapping of a file: its recognised headers, corrected by a mapping file."""
    try:
        if mapping_toml is None:
            mapping = columns.guess_mapping(headers)
        else:
            mapping = columns.mapping_from_toml(mapping_toml, headers)
        return columns.check_mapping(headers, mapping)
    except columns.MappingError as error:
        raise ImportRefused(error.messages) from None


def import_file(
    stream: BinaryIO,
    options: ImportOptions,
    *,
    mapping_toml: str | None = None,
    mapping: dict[str, str | None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import a CSV or XLSX file at once, in one transaction (nothing written with
    ``options.dry_run``). Raises ImportRefused when the file or the mapping is unusable."""
    try:
        table = open_table(stream)
        if mapping is not None:
            try:
                used = columns.check_mapping(table.headers, mapping)
            except columns.MappingError as error:
                raise ImportRefused(error.messages) from None
        else:
            used = read_mapping(table.headers, mapping_toml)
        if options.dry_run:
            return import_rows(table, used, options, progress=progress)
        with transaction.atomic():
            result = import_rows(table, used, options, progress=progress)
            _record_summary(result, options)
            return result
    except FileError as error:
        raise ImportRefused([str(error)]) from None


def _record_summary(result: ImportResult, options: ImportOptions, name: str = "") -> None:
    audit.record(
        AuditEntry.Action.CREATE,
        object_type="registry.beneficiaryimport",
        object_repr=(
            f"Import {name or 'de liste'} pour {options.operator} : {result.rows} lignes, "
            f"{result.created} créés, {result.updated} mis à jour, {result.unchanged} "
            f"inchangés, {len(result.rejected)} rejetés"
        ),
    )


# --- Import through the pages: upload, mapping, preview, confirmation ------------------------


@transaction.atomic
def start_import(*, user, upload, operator, referent, rsa_payer) -> BeneficiaryImport:
    """The uploaded list kept with its headers, a proposed mapping (the operator's saved
    one, else the recognised headers) and its count of lines (read without parsing them:
    whether its preview is a job, and the job's progress)."""
    try:
        table = open_table(upload)
        headers, estimated_rows = table.headers, table.estimated_rows
    except FileError as error:
        raise ImportRefused([str(error)]) from None
    finally:
        upload.seek(0)
    saved = ImportMapping.objects.filter(operator=operator).first()
    beneficiary_import = BeneficiaryImport(
        created_by=user,
        operator=operator,
        referent=referent,
        rsa_payer=rsa_payer,
        original_name=(getattr(upload, "name", "") or "liste")[:200],
        headers=headers,
        mapping=columns.guess_mapping(headers, saved.columns if saved else None),
        rows=estimated_rows or 0,
    )
    beneficiary_import.file.save("liste", upload, save=False)
    beneficiary_import.save()
    return beneficiary_import


@transaction.atomic
def set_mapping(beneficiary_import: BeneficiaryImport, mapping: dict, *, remember: bool, user):
    """The mapping chosen on the page (checked); remembered for the operator if asked."""
    try:
        used = columns.check_mapping(beneficiary_import.headers, mapping)
    except columns.MappingError as error:
        raise ImportRefused(error.messages) from None
    beneficiary_import.mapping = {h: used.get(h) for h in beneficiary_import.headers}
    beneficiary_import.state = BeneficiaryImport.State.UPLOADED
    beneficiary_import.save(update_fields=["mapping", "state"])
    if remember:
        # The ignored columns too (None): the next list of the operator ignores them again.
        ImportMapping.objects.update_or_create(
            operator=beneficiary_import.operator,
            defaults={"columns": beneficiary_import.mapping, "updated_by": user},
        )
    return used


def _options(beneficiary_import: BeneficiaryImport, *, dry_run: bool) -> ImportOptions:
    return ImportOptions(
        operator=beneficiary_import.operator,
        referent=beneficiary_import.referent,
        user=beneficiary_import.created_by,
        rsa_payer=beneficiary_import.rsa_payer,
        dry_run=dry_run,
    )


def _run_and_keep_rows(beneficiary_import, *, dry_run: bool, progress) -> ImportResult:
    used = {h: k for h, k in beneficiary_import.mapping.items() if k}
    beneficiary_import.row_outcomes.all().delete()
    batch: list[ImportRow] = []

    def keep(outcome: RowOutcome) -> None:
        batch.append(
            ImportRow(
                beneficiary_import=beneficiary_import,
                number=outcome.number,
                status=outcome.status,
                label=outcome.label[:250],
                errors=[error.as_dict() for error in outcome.errors],
                changes=outcome.changes,
                beneficiary_id=outcome.beneficiary_id,
            )
        )
        if len(batch) >= ROW_BATCH:
            ImportRow.objects.bulk_create(batch)
            batch.clear()

    check_file_kept(beneficiary_import)
    with beneficiary_import.file.open("rb") as stream:
        try:
            table = open_table(stream)
        except FileError as error:
            raise ImportRefused([str(error)]) from None
        result = import_rows(
            table,
            used,
            _options(beneficiary_import, dry_run=dry_run),
            progress=progress,
            on_row=keep,
        )
    ImportRow.objects.bulk_create(batch)
    for name in ("rows", "created", "updated", "unchanged"):
        setattr(beneficiary_import, name, getattr(result, name))
    beneficiary_import.rejected = len(result.rejected)
    return result


def check_file_kept(beneficiary_import: BeneficiaryImport) -> None:
    """Refuses a list whose file was deleted at the end of its retention period."""
    if not beneficiary_import.file:
        raise ImportRefused([FILE_DELETED])


def _locked(beneficiary_import: BeneficiaryImport) -> BeneficiaryImport:
    """The import's row locked until the transaction ends (PostgreSQL; SQLite has one writer
    anyway): a preview and a confirmation of one list, or two previews, never interleave."""
    return BeneficiaryImport.objects.select_for_update().only("state").get(pk=beneficiary_import.pk)


@transaction.atomic
def preview_import(beneficiary_import: BeneficiaryImport, *, progress=None) -> ImportResult:
    """Every row's outcome as the import would give it, nothing written to the files; the
    preview is audited (it compares the list with the files it matches)."""
    if _locked(beneficiary_import).state == BeneficiaryImport.State.DONE:
        raise ImportRefused(["Cette liste a déjà été importée."])
    result = _run_and_keep_rows(beneficiary_import, dry_run=True, progress=progress)
    beneficiary_import.state = BeneficiaryImport.State.PREVIEWED
    beneficiary_import.previewed_at = timezone.now()
    beneficiary_import.save()
    audit.record(
        AuditEntry.Action.VIEW,
        beneficiary_import,
        object_repr=(
            f"Aperçu de l'import « {beneficiary_import.original_name} » pour "
            f"{beneficiary_import.operator} : {result.rows} lignes, {result.created} à créer, "
            f"{result.updated} à mettre à jour, {result.unchanged} inchangés, "
            f"{len(result.rejected)} rejetés"
        ),
    )
    return result


@transaction.atomic
def confirm_import(
    beneficiary_import: BeneficiaryImport, *, progress=None, previewed_only: bool = False
) -> ImportResult:
    """The import, in one transaction; the rows' outcomes replaced by what was done. With
    ``previewed_only`` (a confirmation queued earlier), only a list whose preview is still the
    last word: not one whose columns were changed since."""
    state = _locked(beneficiary_import).state
    if state == BeneficiaryImport.State.DONE:
        raise ImportRefused(["Cette liste a déjà été importée."])
    if previewed_only and state != BeneficiaryImport.State.PREVIEWED:
        raise ImportRefused(
            [
                "Les colonnes de cette liste ont changé depuis l'aperçu, ou l'aperçu n'est pas "
                "prêt : rien n'a été importé. Revoyez l'aperçu de chaque ligne, puis confirmez."
            ]
        )
    result = _run_and_keep_rows(beneficiary_import, dry_run=False, progress=progress)
    beneficiary_import.state = BeneficiaryImport.State.DONE
    beneficiary_import.done_at = timezone.now()
    beneficiary_import.save()
    _record_summary(
        result,
        _options(beneficiary_import, dry_run=False),
        name=f"« {beneficiary_import.original_name} »",
    )
    return result


# --- Merging two files of one person -------------------------------------------------------

# The fields an administrator chooses, side by side, when two files are merged.
MERGED_FIELDS = (
    "civility", "last_name", "first_names", "birth_name", "birth_date", "birth_place",
    "birth_department", "nationality", "street_number", "street", "address_complement",
    "postal_code", "city", "email", "phone", "france_travail_id", "education_level",
    "unemployed_for", "france_travail_registered", "france_travail_for", "receives_ass",
    "receives_rsa", "rsa_increased", "receives_aah", "receives_ata", "minimum_income_for",
    "rsa_start_date", "earlier_rmi_api_months", "disabled_worker", "operator", "referent",
)  # fmt: skip
# Identifiers, chosen as a whole (encrypted; unique across files).
MERGED_IDENTIFIERS = ("nir", "rsa_number")


class MergeRefused(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def default_merge_choices(kept, absorbed) -> dict[str, str]:
    """The kept file's value, unless it is empty and the absorbed file has one."""
    choices = {}
    for name in (*MERGED_FIELDS, *MERGED_IDENTIFIERS):
        mine = getattr(kept, name)
        theirs = getattr(absorbed, name)
        choices[name] = "absorbed" if mine in ("", None) and theirs not in ("", None) else "kept"
    return choices


@transaction.atomic
def merge_beneficiaries(kept, absorbed, *, choices: dict[str, str] | None = None):
    """Merge ``absorbed`` into ``kept``: the chosen values ("kept" or "absorbed" per field),
    every record referring to the absorbed file moved (``merging.relations_to_person``; a
    record the kept file already has is dropped), the absorbed file kept as a pointer
    (``merged_into``), leaving every list; each step in the audit log. One transaction."""
    from .merging import colliding_rows, merge_refusals, relations_to_person
    from .models import Beneficiary

    kept = Beneficiary.with_merged.select_for_update().get(pk=kept.pk)
    absorbed = Beneficiary.with_merged.select_for_update().get(pk=absorbed.pk)
    refusals = merge_refusals(kept, absorbed)
    if refusals:
        raise MergeRefused(refusals)
    choices = {**default_merge_choices(kept, absorbed), **(choices or {})}
    # Identifiers are unique across files: taken from the absorbed file, freed there first.
    nir = (absorbed if choices["nir"] == "absorbed" else kept).nir
    payer, number = (
        (absorbed.rsa_payer, absorbed.rsa_number)
        if choices["rsa_number"] == "absorbed"
        else (kept.rsa_payer, kept.rsa_number)
    )
    absorbed_label = f"dossier n° {absorbed.pk} ({absorbed})"
    absorbed.nir = ""
    absorbed.set_rsa_number("", "")
    absorbed.merged_into = kept
    absorbed.merged_at = timezone.now()
    absorbed.save()
    for name in MERGED_FIELDS:
        if choices.get(name) == "absorbed":
            setattr(kept, name, getattr(absorbed, name))
    kept.nir = nir
    kept.set_rsa_number(payer, number)
    kept.save()  # audited with the changed fields

    moved_total = 0
    for relation in relations_to_person():
        rows = relation.rows_of(absorbed)
        dropped = colliding_rows(relation, kept, absorbed)
        for row in dropped:
            audit.record(
                AuditEntry.Action.DELETE,
                row if relation.through is None else None,
                object_type=relation.table_model._meta.label_lower,
                object_id=str(row.pk),
                object_repr=f"{row} (en double lors de la fusion du {absorbed_label})"[:200],
            )
        if dropped:
            try:
                relation.table_model._base_manager.filter(pk__in=[r.pk for r in dropped]).delete()
            except ProtectedError:
                raise MergeRefused(
                    [
                        f"Les deux dossiers ont chacun des {relation.label} en double, auxquels "
                        "d'autres enregistrements sont rattachés : supprimez l'un des doublons "
                        "depuis sa page, puis fusionnez."
                    ]
                ) from None
        moved = list(rows.values_list("pk", flat=True))
        if moved:
            rows.update(**{relation.field.name: kept})
            moved_total += len(moved)
            audit.bulk_record(
                AuditEntry.Action.UPDATE,
                (
                    (row, {"bénéficiaire (fusion)": [absorbed_label, f"dossier n° {kept.pk}"]})
                    for row in relation.table_model._base_manager.filter(pk__in=moved)
                ),
            )
    audit.record(
        AuditEntry.Action.UPDATE,
        kept,
        changes={"fusion": [absorbed_label, f"dossier n° {kept.pk} ({kept})"]},
    )
    return kept, moved_total
