"""The uploaded lists of people (an import's file: whole lists, NIR in clear) are deleted
after their dated retention period, counted from the import's last step (confirmation, else
preview, else upload): listed by ``tremplin apply-retention``, deleted with ``--apply`` and by
the worker's nightly task; the import's record stays (issue 12)."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tremplin.accounts.models import AuditEntry
from tremplin.registry import services, tasks
from tremplin.registry.models import Beneficiary, BeneficiaryImport
from tremplin.rules import retention

from .import_helpers import person_row, write_list

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


def moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


def uploaded(tmp_path, user, operator, referent, name="liste.csv") -> BeneficiaryImport:
    path = write_list(tmp_path / name, [person_row()])
    upload = SimpleUploadedFile(name, path.read_bytes())
    return services.start_import(
        user=user, upload=upload, operator=operator, referent=referent, rsa_payer="CAF"
    )


def dated(beneficiary_import, **days) -> BeneficiaryImport:
    BeneficiaryImport.objects.filter(pk=beneficiary_import.pk).update(
        **{name: moment(day) for name, day in days.items()}
    )
    beneficiary_import.refresh_from_db()
    return beneficiary_import


def stored_path(beneficiary_import) -> Path:
    return Path(beneficiary_import.file.path)


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", "--date", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imports(tmp_path, coordinator_user, operator, referent_user):
    """A list imported on 20/05 (confirmed for real), one abandoned after its preview on
    25/05 (uploaded 01/05), one abandoned at its upload on 10/06 (too recent)."""
    done = uploaded(tmp_path, coordinator_user, operator, referent_user, "a.csv")
    services.preview_import(done)
    services.confirm_import(done)
    done = dated(done, created_at=dt.date(2026, 5, 19), done_at=dt.date(2026, 5, 20))
    previewed = uploaded(tmp_path, coordinator_user, operator, referent_user, "b.csv")
    previewed = dated(previewed, created_at=dt.date(2026, 5, 1), previewed_at=dt.date(2026, 5, 25))
    recent = uploaded(tmp_path, coordinator_user, operator, referent_user, "c.csv")
    recent = dated(recent, created_at=dt.date(2026, 6, 10))
    return done, previewed, recent


def test_the_shipped_period_is_dated_with_its_source_and_kept_by_a_department_file(tmp_path):
    period = retention.import_file_period_at(TODAY)
    assert period.days_after_last_step == 30 and "RGPD" in period.source
    assert period.due_on(dt.date(2026, 5, 20)) == dt.date(2026, 6, 19)
    own = tmp_path / "retention.toml"
    own.write_text(
        "[[active_file]]\nvalid_from = 2024-01-01\nyears_after_last_contact = 3\n"
        'source = "Délibération"\n',
        encoding="utf-8",
    )
    assert retention.import_file_period_at(TODAY, own).days_after_last_step == 30
    own.write_text(
        own.read_text(encoding="utf-8")
        + '[[import_file]]\nvalid_from = 2026-06-01\ndays_after_last_step = 7\nsource = "DPO"\n',
        encoding="utf-8",
    )
    assert retention.import_file_period_at(TODAY, own).days_after_last_step == 7
    with pytest.raises(retention.RetentionError, match="en vigueur le 01/01/2026"):
        retention.import_file_period_at(dt.date(2026, 1, 1), own)
    own.write_text("[[import_file]]\nvalid_from = 2026-06-01\ndays_after_last_step = 0\n")
    with pytest.raises(retention.RetentionError, match="au moins 1"):
        retention.import_file_period_at(TODAY, own)


def test_the_dry_run_lists_the_lists_due_and_deletes_nothing(imports):
    done, previewed, recent = imports
    text = run()
    assert f"import n° {done.pk} : dernière étape le 20/05/2026, échu le 19/06/2026" in text
    assert f"import n° {previewed.pk} : dernière étape le 25/05/2026, échu le 24/06/2026" in text
    assert f"import n° {recent.pk} " not in text
    assert "2 listes importées à supprimer. Rien n'a été modifié" in text
    assert "b.csv" not in text and "Schmitt" not in text  # never a name in the output
    assert all(stored_path(item).exists() for item in imports)
    report = json.loads(run("--format", "json"))
    assert report["import_files"]["period"]["days_after_last_step"] == 30
    assert report["import_files"]["imports"] == [
        {"id": done.pk, "last_step": "2026-05-20", "due_on": "2026-06-19"},
        {"id": previewed.pk, "last_step": "2026-05-25", "due_on": "2026-06-24"},
    ]


def test_apply_deletes_the_files_and_keeps_the_imports_record(imports):
    done, previewed, recent = imports
    paths = [stored_path(item) for item in imports]
    text = run("--apply")
    assert "2 listes importées supprimées." in text
    assert not paths[0].exists() and not paths[1].exists() and paths[2].exists()
    done.refresh_from_db()
    assert not done.file and done.file_deleted_at is not None
    assert done.state == BeneficiaryImport.State.DONE and done.created == 1 and done.rows == 1
    assert done.row_outcomes.count() == 1 and done.created_by is not None
    assert Beneficiary.objects.count() == 1  # what was imported stays
    entry = AuditEntry.objects.get(
        object_type="registry.beneficiaryimport", object_id=str(done.pk), action="delete"
    )
    assert "durée de conservation" in entry.changes["fichier"]
    assert "Aucune liste importée à supprimer." in run()


def test_the_nightly_task_deletes_the_lists_due(imports, monkeypatch):
    done, previewed, recent = imports
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    assert tasks.purge_import_files_now() == 2
    recent.refresh_from_db()
    assert recent.file and recent.file_deleted_at is None
    assert tasks.purge_import_files_now() == 0


def test_an_import_whose_list_was_deleted_still_shows_and_says_so(
    client, coordinator_user, imports
):
    done, previewed, _ = imports
    call_command("apply_retention", "--date", TODAY.isoformat(), "--apply", stdout=io.StringIO())
    client.force_login(coordinator_user)
    page = client.get(reverse("registry:import_preview", args=[done.pk]))
    assert page.status_code == 200
    assert "Le fichier déposé a été supprimé le" in page.content.decode()
    assert client.get(reverse("registry:import_mapping", args=[previewed.pk])).status_code == 200
    response = client.post(reverse("registry:import_confirm", args=[previewed.pk]), follow=True)
    page = response.content.decode()
    assert "a été supprimé au terme de sa durée de conservation" in page, [
        line for line in page.splitlines() if "alert" in line
    ]
