"""When a person's file is anonymised, their earlier audit rows lose what identifies them
(issue 12): the object's name becomes the file's number, the identity, contact and
free-text values of their changes « [effacé] ». The log stays append-only: this is its
one privileged rewrite (``accounts.db.audit_rewrite``), limited by the database trigger to
``object_repr`` and ``changes``, and recorded itself."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tests import factories
from tests.support.factories import InEmploymentEpisodeFactory, MeetingFactory, paris
from tremplin.accounts import audit
from tremplin.accounts.db import audit_rewrite
from tremplin.accounts.models import AuditEntry
from tremplin.registry import lifecycle
from tremplin.registry.models import Beneficiary

pytestmark = pytest.mark.django_db

NAME, FIRST_NAME = "Zimmermann", "Odile"
OLD_EMAIL, OLD_PHONE = "odile.zimmermann@exemple.fr", "06 11 22 33 44"
NOTE = "A parlé de sa fille Julie."
# What of the meeting's note identifies her: not « Julie » alone, a name the factories may
# give a tutor or an employer's contact (whose own audit rows keep it, rightly).
NOTE_WORDS = "sa fille Julie"


@pytest.fixture
def person(territory, operator, referent_user):
    person = factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=referent_user,
        last_name=NAME,
        first_names=FIRST_NAME,
        email=OLD_EMAIL,
        phone=OLD_PHONE,
        street="rue des Orfèvres",
    )
    person = Beneficiary.objects.get(pk=person.pk)
    person.email, person.phone = "o.z@exemple.fr", "07 00 00 00 00"
    person.street = "quai des Bateliers"
    person.save()
    audit.record_view(person)
    episode = InEmploymentEpisodeFactory(beneficiary=person, ended_on=dt.date(2025, 9, 2))
    meeting = MeetingFactory(episode=episode, starts_at=paris(2025, 4, 1, 10), report="Bilan")
    meeting.report = NOTE
    meeting.save()
    return person


def journal_text(entries) -> str:
    """The names and changes of the entries, lower-cased (a name is written in capitals)."""
    entries = [[entry.object_repr, entry.changes] for entry in entries]
    return json.dumps(entries, ensure_ascii=False).lower()


def rows_about(person):
    return AuditEntry.objects.filter(object_type="registry.beneficiary", object_id=str(person.pk))


def test_the_anonymisation_pseudonymises_the_persons_audit_rows(person):
    before = journal_text(AuditEntry.objects.all())
    for personal in (NAME, FIRST_NAME, OLD_EMAIL, OLD_PHONE, "Orfèvres", NOTE_WORDS):
        assert personal.lower() in before, personal
    count_before = AuditEntry.objects.count()

    lifecycle.anonymise(person)

    after = journal_text(AuditEntry.objects.all())
    for personal in (
        NAME,
        FIRST_NAME,
        OLD_EMAIL,
        OLD_PHONE,
        "o.z@exemple.fr",
        "Orfèvres",
        NOTE_WORDS,
    ):
        assert personal.lower() not in after, personal
    reprs = set(rows_about(person).values_list("object_repr", flat=True))
    assert reprs == {f"Dossier n° {person.pk} (anonymisé)"}
    update = rows_about(person).filter(action="update", changes__has_key="email").get()
    assert update.changes["email"] == ["[effacé]", "[effacé]"]
    assert update.changes["phone"] == ["[effacé]", "[effacé]"]
    meeting_update = AuditEntry.objects.get(
        object_type="support.meeting", action="update", changes__has_key="report"
    )
    assert meeting_update.changes["report"] == ["[effacé]", "[effacé]"]
    assert meeting_update.object_repr.endswith("(anonymisé)")
    # Nothing deleted; one more entry says what was done, the rewrite included.
    assert AuditEntry.objects.count() == count_before + 1
    last = rows_about(person).latest("at")
    assert last.changes["journal"].endswith(
        "entrées du journal pseudonymisées (nom remplacé ; identité, coordonnées et notes effacées)"
    )
    assert int(last.changes["journal"].split()[0]) >= 5


def test_other_peoples_rows_are_untouched(person, territory, operator):
    other = factories.BeneficiaryFactory(territory=territory, operator=operator, last_name="Weber")
    lifecycle.anonymise(person)
    assert "weber" in journal_text(rows_about(other))


def test_apply_retention_pseudonymises_the_journal(person):
    Beneficiary.objects.filter(pk=person.pk).update(
        updated_at=dt.datetime(2025, 9, 2, 12, tzinfo=dt.UTC),
        created_at=dt.datetime(2025, 9, 2, 12, tzinfo=dt.UTC),
    )
    for record in lifecycle.related_records(person):
        stamps = {
            field.attname: dt.datetime(2025, 9, 2, 12, tzinfo=dt.UTC)
            for field in record._meta.concrete_fields
            if field.name in ("created_at", "updated_at", "recorded_at", "classified_at")
        }
        type(record)._base_manager.filter(pk=record.pk).update(**stamps)
    call_command("apply_retention", "--date", "2028-06-01", "--apply", stdout=io.StringIO())
    assert Beneficiary.with_merged.get(pk=person.pk).anonymised_at is not None
    assert NAME.lower() not in journal_text(AuditEntry.objects.all())


def raw_update(sql: str, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_outside_the_privileged_path_the_database_still_refuses_any_update(person):
    entry = rows_about(person).first()
    with pytest.raises(DatabaseError):
        raw_update("UPDATE accounts_auditentry SET object_repr = %s WHERE id = %s", ["x", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr


def test_the_privileged_path_rewrites_only_the_name_and_changes_and_never_deletes(person):
    entry = rows_about(person).first()
    with transaction.atomic(), audit_rewrite():
        for column, value in (("actor_email", "x@y.fr"), ("at", "2020-01-01 00:00:00"),
                              ("object_id", "999"), ("action", "delete")):  # fmt: skip
            with pytest.raises(DatabaseError):
                raw_update(
                    f"UPDATE accounts_auditentry SET {column} = %s WHERE id = %s",  # noqa: S608
                    [value, entry.pk],
                )
        raw_update(
            "UPDATE accounts_auditentry SET object_repr = %s WHERE id = %s", ["ok", entry.pk]
        )
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "ok"
    # The path ends with its block.
    with pytest.raises(DatabaseError):
        raw_update("UPDATE accounts_auditentry SET object_repr = %s WHERE id = %s", ["x", entry.pk])


@pytest.mark.django_db(transaction=True)
def test_the_privileged_path_needs_a_transaction():
    with pytest.raises(RuntimeError), audit_rewrite():
        pass
