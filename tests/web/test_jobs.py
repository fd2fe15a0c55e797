"""Long work leaves the request (docs/decisions.md, 26): a large export, the livret and the
report PDFs run as jobs; the job's page shows the progress, then the file; the job and its
download are the owner's only and audited. Here jobs run at once (``HUEY["immediate"]``);
``test_a_real_worker_does_the_job`` runs huey's consumer on its SQLite storage."""

import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.support.factories import episode_for
from tests.web.job_helpers import job_file
from tremplin.accounts.models import AuditEntry
from tremplin.web import jobs
from tremplin.web.models import Job

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PEOPLE = "registry:beneficiary_list"


@pytest.fixture
def three_people(referent_user, operator):
    return [
        factories.BeneficiaryFactory(
            territory=operator.territory, operator=operator, referent=referent_user
        )
        for _ in range(3)
    ]


def test_an_export_above_the_threshold_runs_as_a_job(client, referent_user, three_people, settings):
    settings.TREMPLIN_JOB_ROWS = 2
    client.force_login(referent_user)
    response = client.get(reverse(PEOPLE), {"format": "xlsx"})
    job = Job.objects.get()
    assert response["Location"] == reverse("web:job", args=[job.pk])
    assert (job.owner, job.kind, job.status, job.progress) == (
        referent_user,
        Job.Kind.EXPORT,
        Job.Status.DONE,
        100,
    )
    assert job.path == reverse(PEOPLE) + "?format=xlsx"
    download = job_file(client, response)
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet.max_row == 1 + 3  # header and the three people
    assert download["Content-Disposition"].startswith('attachment; filename="beneficiaires-')
    # Audited twice, as the owner: the export made by the worker, then the download.
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("pk")
    assert [(e.actor, e.source) for e in entries] == [
        (referent_user, "tâche"),
        (referent_user, "web"),
    ]
    assert "(3 lignes)" in entries[0].object_repr
    assert entries[1].object_repr.startswith("Téléchargement : Export XLSX : beneficiaires")


def test_an_export_under_the_threshold_answers_at_once(client, referent_user, three_people):
    client.force_login(referent_user)
    response = client.get(reverse(PEOPLE), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert not Job.objects.exists()


def test_the_job_page_shows_a_progress_bar_that_refreshes_until_it_is_over(client, referent_user):
    job = Job.objects.create(owner=referent_user, kind="export", title="Export", path="/x/")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=40)
    client.force_login(referent_user)
    page = client.get(reverse("web:job", args=[job.pk])).content.decode()
    assert '<progress id="job-progress" class="w-100" max="100" value="40">' in page
    assert '<meta http-equiv="refresh" content="2">' in page
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="Raison en français.")
    page = client.get(reverse("web:job", args=[job.pk])).content.decode()
    assert "Raison en français." in page
    assert "http-equiv" not in page and "<progress" not in page


def test_a_job_and_its_file_are_its_owners_only(client, referent_user, operator, settings):
    settings.TREMPLIN_JOB_ROWS = 0
    factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    client.force_login(referent_user)
    job_file(client, client.get(reverse(PEOPLE), {"format": "csv"}))
    job = Job.objects.get()
    colleague = factories.referent(operator)  # same operator, not the owner
    other = Client()
    other.force_login(colleague)
    assert other.get(reverse("web:job", args=[job.pk])).status_code == 404
    assert other.get(reverse("web:job_download", args=[job.pk])).status_code == 404
    assert not AuditEntry.objects.filter(actor=colleague, action=AuditEntry.Action.EXPORT)


def test_the_worker_checks_the_owners_rights_again(referent_user, operator, territory):
    """The livret of a person the owner no longer follows: the job fails, saying why."""
    episode = episode_for(referent_user)
    path = reverse("support:livret_pdf", args=[episode.pk])
    job = Job.objects.create(owner=referent_user, kind=Job.Kind.PDF, title="Livret", path=path)
    stranger = factories.referent(factories.OrganisationFactory(territory=territory))
    job.owner = stranger
    job.save(update_fields=["owner"])
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "404" in job.error and "plus accès" in job.error
    assert not job.file


def test_a_job_is_done_once(client, referent_user, three_people, settings):
    settings.TREMPLIN_JOB_ROWS = 0
    client.force_login(referent_user)
    client.get(reverse(PEOPLE), {"format": "csv"})
    job = Job.objects.get()
    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
    jobs.run(job.pk)  # a second delivery of the same task
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == exports


def test_the_livret_pdf_is_a_job(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    response = client.get(reverse("support:livret_pdf", args=[episode.pk]))
    job = Job.objects.get()
    assert (job.kind, job.title) == (Job.Kind.PDF, f"Livret de {episode.beneficiary}")
    assert job_file(client, response).content.startswith(b"%PDF")
    # the person's file was read by the worker, as the owner
    view = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert (view.actor, view.source) == (referent_user, "tâche")


def test_a_person_out_of_scope_starts_no_job(client, referent_user, territory):
    stranger = factories.referent(factories.OrganisationFactory(territory=territory))
    episode = episode_for(stranger)
    client.force_login(referent_user)
    assert client.get(reverse("support:livret_pdf", args=[episode.pk])).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="huey's SQLite storage, a file")
def test_a_real_worker_does_the_job(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "tests.web.job_worker"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
            "TREMPLIN_HUEY_FILE": str(tmp_path / "huey.sqlite3"),
            "TREMPLIN_HUEY_IMMEDIATE": "0",
            "TREMPLIN_MEDIA_ROOT": str(tmp_path / "media"),
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    # Queued by the page, not done in it; then done by the consumer's worker thread.
    assert outcome["after_request"] == {"status": "queued", "pending": 1}
    assert outcome["after_worker"]["status"] == "done"
    assert outcome["download"] == {"status": 200, "rows": 1 + 3}


def test_old_jobs_and_their_files_are_deleted(client, referent_user, three_people, settings):
    settings.TREMPLIN_JOB_ROWS = 0
    client.force_login(referent_user)
    client.get(reverse(PEOPLE), {"format": "csv"})
    job = Job.objects.get()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert jobs.purge(now=job.created_at + timedelta(days=6)) == 0
    assert jobs.purge(now=job.created_at + timedelta(days=8)) == 1
    assert not Job.objects.exists() and not storage.exists(name)
