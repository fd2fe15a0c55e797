"""The lifecycle of a person's data: everything held on them (right of access, audited),
the retention period as a dated parameter, ``tremplin apply-retention`` (dry run by default,
``--apply`` to act) and an anonymisation that keeps the statistics."""

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.outcomes.factories import SituationFactory
from tests.support.factories import InEmploymentEpisodeFactory, MeetingFactory, paris
from tremplin.accounts.models import AuditEntry
from tremplin.outcomes.indicators import Period, count_started_situations
from tremplin.registry import lifecycle, services
from tremplin.registry.models import Beneficiary
from tremplin.rules import retention
from tremplin.support.models import Meeting

pytestmark = pytest.mark.django_db

TODAY = dt.date(2028, 6, 1)
PERIOD_2025 = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture
def person(territory, operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=referent_user,
        email="lea.muller@exemple.fr",
        phone="06 12 34 56 78",
        street="rue des Orfèvres",
    )


def closed_support(person, *, meeting_note="A parlé de sa fille Julie."):
    """A support ended in 2025, one meeting with a note, one situation (a CDI)."""
    episode = InEmploymentEpisodeFactory(beneficiary=person, ended_on=dt.date(2025, 9, 2))
    MeetingFactory(episode=episode, starts_at=paris(2025, 4, 1, 10), report=meeting_note)
    SituationFactory(
        beneficiary=person, cdi=True, start=dt.date(2025, 5, 5), weekly_hours=Decimal(20)
    )
    return episode


def backdate(person):
    """The file and its records untouched since 2025 (written then, by ``update()``: a save
    would stamp today)."""
    moment = dt.datetime(2025, 9, 2, 12, tzinfo=dt.UTC)
    for record in [person, *lifecycle.related_records(person)]:
        stamps = {
            field.attname: moment
            for field in record._meta.concrete_fields
            if field.name in ("created_at", "updated_at", "recorded_at", "classified_at")
        }
        type(record)._base_manager.filter(pk=record.pk).update(**stamps)
    person.refresh_from_db()


# --- The right of access ----------------------------------------------------------------


def export(client, person):
    return client.get(reverse("registry:beneficiary_export", args=[person.pk]))


def test_an_admin_exports_everything_held_on_a_person(client, admin_user, person):
    closed_support(person)
    client.force_login(admin_user)
    response = export(client, person)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) >= {"donnees.json", "donnees.pdf"}
    data = json.loads(archive.read("donnees.json"))
    assert data["dossier"]["nir"] == person.nir  # the person's own NIR, in clear
    assert data["dossier"]["email"] == "lea.muller@exemple.fr"
    types = {item["type"] for items in data["donnees"].values() for item in items}
    # Records of three apps, found through the relations: the support, its meeting, the
    # situation of the outcomes.
    assert {"support.supportepisode", "support.meeting", "outcomes.situation"} <= types
    assert archive.read("donnees.pdf").startswith(b"%PDF")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, object_id=str(person.pk))
    assert entry.actor == admin_user


def test_a_referent_may_not_export_everything(client, referent_user, person):
    client.force_login(referent_user)
    assert export(client, person).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_dpo_permission_allows_the_export(client, coordinator_user, person):
    coordinator_user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    client.force_login(coordinator_user)
    assert export(client, person).status_code == 200


def test_the_export_reads_the_journal_of_the_files_merged_into_this_one(
    client, admin_user, person, territory, operator
):
    absorbed = factories.BeneficiaryFactory(
        territory=territory, operator=operator, identifiers=False
    )
    absorbed.phone = "03 88 00 00 01"
    absorbed.save()  # a change audited on the absorbed file's number
    services.merge_beneficiaries(person, absorbed)
    client.force_login(admin_user)
    archive = zipfile.ZipFile(io.BytesIO(export(client, person).content))
    journal = json.loads(archive.read("donnees.json"))["journal"]
    on_absorbed = [entry for entry in journal if entry["dossier"] == absorbed.pk]
    assert {entry["action"] for entry in on_absorbed} >= {"Création", "Modification"}
    assert any(entry["dossier"] == person.pk for entry in journal)
    assert [entry["date"] for entry in journal] == sorted(entry["date"] for entry in journal)


def test_the_export_holds_the_pathway_as_csv(client, admin_user, person, territory, operator):
    closed_support(person)
    absorbed = factories.BeneficiaryFactory(
        territory=territory, operator=operator, identifiers=False
    )
    services.merge_beneficiaries(person, absorbed)
    client.force_login(admin_user)
    archive = zipfile.ZipFile(io.BytesIO(export(client, person).content))
    data = json.loads(archive.read("donnees.json"))
    titles = [event["evenement"] for event in data["parcours"]]
    assert titles.count("Dossier créé") == 2  # the kept file and the absorbed one
    assert "Fusion de dossiers" in titles
    assert any(title.startswith("Fin : ") for title in titles)  # the support closed
    assert any(title.startswith("Situation : ") for title in titles)
    lines = archive.read("parcours.csv").decode("utf-8-sig").splitlines()
    assert lines[0] == "Date;Type;Événement;Détail"
    assert len(lines) == len(titles) + 1
    assert "02/09/2025;Accompagnements;Fin : " in "\n".join(lines)


# --- The retention period ---------------------------------------------------------------


def test_the_shipped_period_is_two_years_after_the_last_contact_with_its_source():
    period = retention.period_at(TODAY)
    assert period.years_after_last_contact == 2
    assert "CNIL" in period.source and "2023-095" in period.source
    assert period.due_on(dt.date(2025, 9, 2)) == dt.date(2027, 9, 2)
    with pytest.raises(retention.RetentionError):
        retention.period_at(dt.date(2020, 1, 1))


def test_a_department_file_replaces_the_period(tmp_path):
    own = tmp_path / "retention.toml"
    own.write_text(
        "[[active_file]]\nvalid_from = 2024-01-01\nyears_after_last_contact = 3\n"
        'source = "Délibération du conseil départemental"\n',
        encoding="utf-8",
    )
    assert retention.period_at(TODAY, own).years_after_last_contact == 3
    own.write_text("[[active_file]]\nvalid_from = 2024-01-01\n", encoding="utf-8")
    with pytest.raises(retention.RetentionError, match="il manque"):
        retention.period_at(TODAY, own)


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_the_files_due_and_changes_nothing(person, territory, operator):
    closed_support(person)
    backdate(person)
    recent = factories.BeneficiaryFactory(territory=territory, operator=operator)
    still_followed = factories.BeneficiaryFactory(territory=territory, operator=operator)
    InEmploymentEpisodeFactory(beneficiary=still_followed, contract_end=None, cdi=True)
    backdate(still_followed)

    text = run("--date", TODAY.isoformat())
    assert f"dossier n° {person.pk} : dernier contact le 02/12/2025, échu le 02/12/2027" in text
    assert "1 dossier à anonymiser. Rien n'a été modifié" in text
    assert f"n° {recent.pk} " not in text and f"n° {still_followed.pk} " not in text
    assert person.last_name not in text  # never a name in the output
    person.refresh_from_db()
    assert person.anonymised_at is None and person.email

    report = json.loads(run("--date", TODAY.isoformat(), "--format", "json"))
    assert report["applied"] is False
    assert report["files"] == [
        {"id": person.pk, "last_contact": "2025-12-02", "due_on": "2027-12-02"}
    ]
    assert report["period"]["years_after_last_contact"] == 2


def test_nothing_is_due_before_the_end_of_the_period(person):
    closed_support(person)
    backdate(person)
    assert "Aucun dossier à anonymiser." in run("--date", "2027-12-01")
    assert "1 dossier à anonymiser." in run("--date", "2027-12-02")


def test_apply_anonymises_and_keeps_the_indicators(person, territory, operator):
    closed_support(person)
    other = factories.BeneficiaryFactory(territory=territory, operator=operator)
    SituationFactory(
        beneficiary=other, cdd=True, start=dt.date(2025, 2, 1), end=dt.date(2025, 3, 1)
    )
    backdate(person)
    nir, birth_year = person.nir, person.birth_date.year
    people = Beneficiary.objects.filter(territory=territory)
    before = count_started_situations(people, PERIOD_2025)

    text = run("--date", TODAY.isoformat(), "--apply")
    assert "1 dossier anonymisé." in text

    person = Beneficiary.with_merged.get(pk=person.pk)
    assert person.anonymised_at is not None
    assert person.last_name == "ANONYMISÉ" and person.first_names == ""
    assert person.email == "" and person.phone == "" and person.street == ""
    assert person.nir == "" and person.rsa_number == ""
    assert not Beneficiary.objects.with_nir(nir).exists()
    assert person.birth_date == dt.date(birth_year, 1, 1)
    meeting = Meeting.objects.get(episode__beneficiary=person)
    assert meeting.report == ""  # the note is gone, the meeting stays (it is counted)
    after = count_started_situations(Beneficiary.objects.filter(territory=territory), PERIOD_2025)
    assert [(row.code, row.people) for row in after.rows] == [
        (row.code, row.people) for row in before.rows
    ]
    assert after.population == before.population
    entry = AuditEntry.objects.filter(object_id=str(person.pk)).latest("at")
    assert "anonymisation" in entry.changes and "Julie" not in str(entry.changes)
    # Done once: the next run finds nothing.
    assert "Aucun dossier à anonymiser." in run("--date", TODAY.isoformat())


def test_an_unknown_date_is_a_french_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        run("--date", "demain")


def test_last_contact_is_the_latest_day_of_the_file(person):
    """The support ended on 02/09/2025; its exit is evaluated three months later, on
    02/12/2025 (the outcomes' record): the latest day recorded in the file counts."""
    episode = closed_support(person)
    backdate(person)
    assert episode.exit.evaluation_date == dt.date(2025, 12, 2)
    assert lifecycle.last_contact(person) == dt.date(2025, 12, 2)


def test_a_support_still_open_keeps_the_file(person):
    InEmploymentEpisodeFactory(beneficiary=person, contract_end=None, cdi=True)
    backdate(person)
    assert lifecycle.last_contact(person) is None


def test_the_files_merged_into_the_anonymised_one_lose_their_identity(person, territory, operator):
    absorbed = factories.BeneficiaryFactory(territory=territory, operator=operator)
    # As a merge leaves it: a pointer, without the identifiers' digests, names kept.
    Beneficiary.with_merged.filter(pk=absorbed.pk).update(
        merged_into=person,
        merged_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        nir_digest=None,
        rsa_number_digest=None,
    )
    lifecycle.anonymise(person)
    absorbed = Beneficiary.with_merged.get(pk=absorbed.pk)
    assert absorbed.last_name == "ANONYMISÉ" and absorbed.nir == "" and absorbed.email == ""


def test_a_cancelled_meeting_keeps_a_reason_once_anonymised(person):
    """A cancellation keeps its reason (F8, a database constraint): anonymised, its free
    text becomes the mark of an anonymised text, never empty, and the anonymisation goes
    through instead of failing on the constraint."""
    episode = closed_support(person)
    cancelled = MeetingFactory(
        episode=episode,
        starts_at=paris(2025, 6, 3, 14),
        status=Meeting.Status.CANCELLED,
        status_reason="Hospitalisée, voir avec sa sœur Julie",
    )
    lifecycle.anonymise(person)
    cancelled.refresh_from_db()
    assert cancelled.status_reason == lifecycle.ANONYMISED
    assert "Julie" not in cancelled.report
