"""The lifecycle of a person's data: everything held on them (right of access), and the
anonymisation at the end of the retention period, keeping the statistics.

What Tremplin holds on a person is found, whatever app recorded it, by following the
relations that lead to their file: the file itself, then every record pointing to it
(conventions, supports, situations, invitations…), then every record pointing to those
(meetings, deadlines, CER, evaluations, messages…), three levels deep. A new app's records
are found without changing this module; the registry imports no app above it (the models
are reached through Django's relations, never imported).

The anonymisation keeps what the statistics count (dates, categories, codes, the links
between records) and removes what identifies or describes the person: identity, contact,
NIR, allocation number, France Travail identifier, street address, free-text notes and
messages, uploaded documents. The audit log keeps its rows (append-only, its own retention)
but pseudonymises the person's: their name replaced by the file's number, the identity,
contact and free-text values of their changes erased (the log's one privileged rewrite,
``accounts.audit.pseudonymise``); it records the anonymisation and the pseudonymisation,
without any value.

The uploaded lists of people (an import's file: whole lists, NIR in clear) are deleted after
their own period (``rules.retention.import_file_period_at``), by the worker's nightly task
and ``tremplin apply-retention --apply``; the import's record stays.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.accounts.access import Scope
from tremplin.accounts.models import AuditEntry
from tremplin.web import timeline
from tremplin.web.exports import Column, csv_text
from tremplin.web.french import plural
from tremplin.web.pdf import render_pdf

from .models import Beneficiary, BeneficiaryImport

DEPTH = 3
ANONYMISED = "(anonymisé)"
ANONYMISED_NAME = "ANONYMISÉ"

# Free-text fields kept as CharField (short notes, labels, recipients): blanked as notes are.
FREE_TEXT_CHARFIELDS = frozenset(
    {
        "participants",
        "note",
        "label",
        "description",
        "details",
        "recipient",
        "subject",
        "sent_to",
        "original_name",
        "title",
        "provider_id",
        "search_text",
    }
)
# Records of what was typed or sent (an import row's values, a message's delivery report).
FREE_JSON_FIELDS = frozenset({"changes", "errors", "delivery_report"})


# --- What is held on a person -----------------------------------------------------------


def related_records(beneficiary: Beneficiary) -> list[models.Model]:
    """Every record of Tremplin leading to the person's file, up to ``DEPTH`` relations."""
    seen: set[tuple[str, object]] = set()
    found: list[models.Model] = []
    frontier: list[models.Model] = [beneficiary]
    for _level in range(DEPTH):
        following = []
        for record in frontier:
            for relation in record._meta.related_objects:
                if not (relation.one_to_many or relation.one_to_one):
                    continue
                model = relation.related_model
                if not model.__module__.startswith("tremplin.") or model is Beneficiary:
                    continue
                for item in model._base_manager.filter(**{relation.field.name: record}):
                    key = (model._meta.label_lower, item.pk)
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append(item)
                    following.append(item)
        frontier = following
    return found


def _record_as_dict(record: models.Model) -> dict:
    serialised = serializers.serialize("python", [record])[0]
    return {"id": serialised["pk"], **serialised["fields"]}


def identity(beneficiary: Beneficiary) -> dict:
    """The file, the identifiers in clear (the person's own data, for the person)."""
    data = _record_as_dict(beneficiary)
    for secret in (
        "nir_ciphertext",
        "nir_digest",
        "nir_birth_digest",
        "rsa_number_ciphertext",
        "rsa_number_digest",
        "rsa_number_bare_digest",
        "search_text",
        "name_key",
    ):
        data.pop(secret, None)
    data["nir"] = beneficiary.nir
    data["rsa_number"] = beneficiary.rsa_number
    return data


class _WholeFileReader:
    """Who reads the person's timeline for their data export: every event, whatever the
    scope of who exports it (the right of access gives the person everything held on them;
    the export itself is the admins' and the DPO's, ``views.files.beneficiary_export``)."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    _tremplin_scope = Scope(is_admin=True)  # what ``accounts.access.scope_of`` gives


def pathway(beneficiary: Beneficiary) -> list[dict]:
    """The person's whole timeline (``web.timeline``), merged files included, oldest first."""
    labels = dict(timeline.kinds())
    return [
        {
            "date": event.day,
            "type": labels.get(event.kind, event.kind),
            "evenement": event.title,
            "detail": event.detail,
        }
        for event in timeline.events_for(_WholeFileReader(), beneficiary.person_ids())
    ]


PATHWAY_COLUMNS = [
    Column("Date", lambda row: row["date"]),
    Column("Type", lambda row: row["type"]),
    Column("Événement", lambda row: row["evenement"]),
    Column("Détail", lambda row: row["detail"]),
]


def everything_held(beneficiary: Beneficiary) -> dict:
    """The JSON of the right of access: the file and every record about the person."""
    sections: dict[str, list[dict]] = {}
    for record in related_records(beneficiary):
        name = str(record._meta.verbose_name_plural)
        sections.setdefault(name, []).append(
            {"type": record._meta.label_lower, **_record_as_dict(record)}
        )
    # The files merged into this one keep their own audit entries (their number).
    views = AuditEntry.objects.filter(
        object_type=beneficiary._meta.label_lower,
        object_id__in=[str(pk) for pk in beneficiary.person_ids()],
    )
    return {
        "produit_le": timezone.now(),
        "dossier": identity(beneficiary),
        "donnees": sections,
        "parcours": pathway(beneficiary),
        "journal": [
            {
                "date": entry.at,
                "action": entry.get_action_display(),
                "auteur": entry.actor_email,
                "dossier": int(entry.object_id),
            }
            for entry in views.order_by("at")
        ],
    }


def _plain(value):
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def export_zip(beneficiary: Beneficiary) -> bytes:
    """« Exporter toutes les données »: a ZIP of the JSON, a readable PDF of the same, the
    timeline as CSV (parcours.csv, the columns of the pathway page's export) and the
    uploaded documents."""
    data = everything_held(beneficiary)
    readable = {
        "dossier": [(key, _plain(value)) for key, value in data["dossier"].items()],
        "sections": [
            (name, [[(key, _plain(value)) for key, value in item.items()] for item in items])
            for name, items in data["donnees"].items()
        ],
        "parcours": data["parcours"],
        "journal": data["journal"],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        archive.writestr("parcours.csv", csv_text(PATHWAY_COLUMNS, data["parcours"]))
        archive.writestr(
            "donnees.pdf",
            render_pdf(
                "registry/personal_data_pdf.html",
                {"beneficiary": beneficiary, "data": readable, "produced": data["produit_le"]},
            ),
        )
        for record in related_records(beneficiary):
            for field in record._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    stored = getattr(record, field.name)
                    if stored and stored.storage.exists(stored.name):
                        with stored.open("rb") as content:
                            name = stored.name.rsplit("/", 1)[-1]
                            archive.writestr(f"documents/{record.pk}-{name}", content.read())
    return buffer.getvalue()


def record_export(beneficiary: Beneficiary) -> None:
    audit.record(
        AuditEntry.Action.EXPORT,
        beneficiary,
        changes={"export": "toutes les données de la personne (droit d'accès)"},
    )


# --- The anonymisation ------------------------------------------------------------------


def _is_free_text(field) -> bool:
    """A field the anonymisation blanks: free text, a file, a record of what was typed."""
    return (
        isinstance(field, models.FileField | models.TextField)
        or (
            isinstance(field, models.CharField)
            and not field.choices
            and field.name in FREE_TEXT_CHARFIELDS
        )
        or (isinstance(field, models.JSONField) and field.name in FREE_JSON_FIELDS)
    )


def _anonymise_record(record: models.Model) -> int:
    """Blank the free text of one record, delete its files; the record itself stays (the
    statistics count it), except a document, which is only its file. Gives 1 when changed."""
    values = {}
    for field in record._meta.concrete_fields:
        if isinstance(field, models.FileField):
            stored = getattr(record, field.name)
            if stored:
                stored.storage.delete(stored.name)
            if not field.blank:
                record.delete()
                return 1
            values[field.attname] = ""
        elif isinstance(field, models.TextField) or (
            isinstance(field, models.CharField)
            and not field.choices
            and field.name in FREE_TEXT_CHARFIELDS
        ):
            current = getattr(record, field.attname)
            if current:
                values[field.attname] = "" if field.blank else ANONYMISED
        elif (
            isinstance(field, models.JSONField)
            and field.name in FREE_JSON_FIELDS
            and getattr(record, field.attname)
        ):
            values[field.attname] = {} if field.blank else {"anonymise": True}
    if not values:
        return 0
    rows = type(record)._base_manager.filter(pk=record.pk)
    try:
        with transaction.atomic():
            rows.update(**values)
    except IntegrityError:
        # A constraint wants some text there (a cancelled meeting keeps a reason, F8): the
        # mark of an anonymised text instead of an empty one.
        rows.update(
            **{name: ANONYMISED if value == "" else value for name, value in values.items()}
        )
    return 1


def _anonymised_birth_date(birth_date: dt.date | None) -> dt.date | None:
    # The year stays (ages by band, within a year); the day and month identify.
    return birth_date.replace(month=1, day=1) if birth_date else None


@transaction.atomic
def anonymise(beneficiary: Beneficiary) -> int:
    """Remove what identifies the person, keep what the statistics count. Written with
    ``update()`` (no model signal: the old values are never copied into the audit log);
    the person's earlier audit rows pseudonymised (``pseudonymise_journal``); one audit
    entry says each happened. Gives the number of records changed."""
    records = related_records(beneficiary)
    journal_targets = [(type(record), record.pk) for record in records]
    changed = sum(_anonymise_record(record) for record in records)
    # The files merged into this one are pointers that still hold the identity.
    Beneficiary.with_merged.filter(pk__in=beneficiary.person_ids()).update(
        last_name=ANONYMISED_NAME,
        first_names="",
        birth_name="",
        birth_date=_anonymised_birth_date(beneficiary.birth_date),
        birth_place="",
        nir_ciphertext="",
        nir_digest=None,
        nir_birth_digest=None,
        rsa_number_ciphertext="",
        rsa_number_digest=None,
        rsa_number_bare_digest=None,
        france_travail_id="",
        street_number="",
        street="",
        address_complement="",
        email="",
        phone="",
        search_text="",
        name_key="",
        anonymised_at=timezone.now(),
    )
    # Before the entry below, which is written already pseudonymised.
    rewritten = pseudonymise_journal(beneficiary, journal_targets)
    audit.record(
        AuditEntry.Action.UPDATE,
        object_type=beneficiary._meta.label_lower,
        object_id=str(beneficiary.pk),
        object_repr=anonymised_label(beneficiary.pk),
        changes={
            "anonymisation": plural(
                changed,
                "%(count)s enregistrement lié modifié",
                "%(count)s enregistrements liés modifiés",
            ),
            "journal": plural(
                rewritten,
                "%(count)s entrée du journal pseudonymisée",
                "%(count)s entrées du journal pseudonymisées",
            )
            + " (nom remplacé ; identité, coordonnées et notes effacées)",
        },
    )
    return changed + 1


# The file's fields that identify or describe the person (their values in the audit log are
# erased at the anonymisation); the NIR and allocation number are already masked there.
IDENTITY_FIELDS = (
    "last_name", "first_names", "birth_name", "birth_date", "birth_place", "nir_ciphertext",
    "rsa_number_ciphertext", "france_travail_id", "street_number", "street",
    "address_complement", "email", "phone",
)  # fmt: skip


def _audit_labels(fields) -> frozenset[str]:
    """The keys the audit log writes for these fields (``audit.py``: ``audit_name`` or name)."""
    return frozenset(getattr(field, "audit_name", field.name) for field in fields) | frozenset(
        field.attname for field in fields
    )


def anonymised_label(object_id) -> str:
    return f"Dossier n° {object_id} (anonymisé)"


def pseudonymise_journal(beneficiary: Beneficiary, records: list[tuple[type, object]]) -> int:
    """The audit rows about the person (their file and the files merged into it) and about
    the records of their file (``records``: model and key, gathered before the anonymisation
    deleted any): the object's name becomes « Dossier n° N (anonymisé) » (« <type> n° N
    (anonymisé) » for a record), and the values of identity, contact and free-text fields in
    ``changes`` « [effacé] ». Through the log's one privileged path (``audit.pseudonymise``);
    ``anonymise`` records it in its audit entry. Gives the number of rows rewritten."""
    meta = Beneficiary._meta
    identity_fields = [meta.get_field(name) for name in IDENTITY_FIELDS] + [
        field for field in meta.concrete_fields if isinstance(field, models.TextField)
    ]
    rewritten = audit.pseudonymise(
        meta.label_lower,
        beneficiary.person_ids(),
        label=anonymised_label,
        personal=_audit_labels(identity_fields),
    )
    by_model: dict[type, list] = {}
    for model, pk in records:
        by_model.setdefault(model, []).append(pk)
    for model, pks in by_model.items():
        name = str(model._meta.verbose_name).capitalize()
        rewritten += audit.pseudonymise(
            model._meta.label_lower,
            pks,
            label=lambda object_id, name=name: f"{name} n° {object_id} (anonymisé)",
            personal=_audit_labels([f for f in model._meta.concrete_fields if _is_free_text(f)]),
        )
    return rewritten


# --- The retention period ---------------------------------------------------------------


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return None


def last_contact(beneficiary: Beneficiary) -> dt.date | None:
    """The latest day recorded anywhere in the person's file (a meeting, a contact, the end
    of a support or of a contract, a change), or None while a support is still open (the
    file is in use: never due)."""
    days = [_day(beneficiary.created_at), _day(beneficiary.updated_at)]
    for record in related_records(beneficiary):
        names = {field.name for field in record._meta.concrete_fields}
        if {"started_on", "ended_on"} <= names and record.ended_on is None:
            return None  # a support still open
        for field in record._meta.concrete_fields:
            if isinstance(field, models.DateField):  # DateTimeField included
                days.append(_day(getattr(record, field.attname)))
    known = [day for day in days if day is not None]
    return max(known) if known else None


@dataclass(frozen=True)
class DueFile:
    beneficiary: Beneficiary
    last_contact: dt.date
    due_on: dt.date


def due_files(today: dt.date, period) -> list[DueFile]:
    """The files whose last contact is older than ``period`` (a ``RetentionPeriod``) on
    ``today``, not yet anonymised, merged files aside (their records moved to the kept one)."""
    cutoff = period.due_on(dt.date(1900, 1, 1))  # the period's length, from a fixed origin
    length = cutoff - dt.date(1900, 1, 1)
    latest_possible = today - length
    candidates = Beneficiary.objects.filter(
        anonymised_at__isnull=True, updated_at__date__lte=latest_possible
    ).order_by("pk")
    due = []
    for beneficiary in candidates:
        last = last_contact(beneficiary)
        if last is None:
            continue
        if period.due_on(last) <= today:
            due.append(DueFile(beneficiary, last, period.due_on(last)))
    return due


# --- The uploaded lists of people -------------------------------------------------------


@dataclass(frozen=True)
class DueImportFile:
    beneficiary_import: BeneficiaryImport
    last_step: dt.date
    due_on: dt.date


def due_import_files(today: dt.date, period) -> list[DueImportFile]:
    """The imports whose uploaded list is kept beyond ``period`` (an ``ImportFilePeriod``)
    after their last step (confirmation, else preview, else upload) on ``today``."""
    latest_possible = today - dt.timedelta(days=period.days_after_last_step)
    candidates = (
        BeneficiaryImport.objects.filter(
            file_deleted_at__isnull=True, created_at__date__lte=latest_possible
        )
        .exclude(file="")
        .order_by("pk")
    )
    due = []
    for beneficiary_import in candidates:
        last = _day(beneficiary_import.last_step_at)
        if period.due_on(last) <= today:
            due.append(DueImportFile(beneficiary_import, last, period.due_on(last)))
    return due


@transaction.atomic
def delete_import_file(beneficiary_import: BeneficiaryImport) -> None:
    """Delete the uploaded list; the import's record (counts, who, when, each row's outcome)
    stays, dated ``file_deleted_at``. One audit entry, without the file's name."""
    now = timezone.now()
    BeneficiaryImport.objects.filter(pk=beneficiary_import.pk).update(file="", file_deleted_at=now)
    audit.record(
        AuditEntry.Action.DELETE,
        object_type=beneficiary_import._meta.label_lower,
        object_id=str(beneficiary_import.pk),
        object_repr=f"Fichier de l'import n° {beneficiary_import.pk}",
        changes={"fichier": "liste déposée supprimée au terme de sa durée de conservation"},
    )
    stored = beneficiary_import.file
    if stored:
        stored.storage.delete(stored.name)  # last: a failure rolls the record back
    beneficiary_import.file = ""
    beneficiary_import.file_deleted_at = now
