"""A long list is previewed and imported by the job queue's worker (docs/decisions.md, 26):
the columns' and the confirm buttons send to the job's page, whose progress bar moves while
the work's transaction is open and ends on a link to the import's preview or result."""

import datetime
import html
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.files import File
from django.db import connection
from django.urls import reverse

from tests.registry.import_helpers import nir_of, person_row, write_list
from tremplin.accounts.models import AuditEntry
from tremplin.registry import jobs as registry_jobs
from tremplin.registry import services
from tremplin.registry.models import Beneficiary, BeneficiaryImport, ImportRow
from tremplin.web import jobs
from tremplin.web.models import Job

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def three_people(tmp_path) -> Path:
    rows = [
        person_row(
            Nom=name,
            NIR=nir_of("femme", datetime.date(1986, 4, 17), seed=number),
            **{"Numéro allocataire": f"765432{number}"},
        )
        for number, name in enumerate(["Schmitt", "Muller", "Weber"], start=1)
    ]
    return write_list(tmp_path / "liste.csv", rows)


@pytest.fixture
def uploaded(tmp_path, coordinator_user, referent_user, operator):
    with three_people(tmp_path).open("rb") as handle:
        return services.start_import(
            user=coordinator_user,
            upload=File(handle, name="liste.csv"),
            operator=operator,
            referent=referent_user,
            rsa_payer="CAF",
        )


@pytest.fixture
def previewed(tmp_path, coordinator_user, referent_user, operator):
    with three_people(tmp_path).open("rb") as handle:
        beneficiary_import = services.start_import(
            user=coordinator_user,
            upload=File(handle, name="liste.csv"),
            operator=operator,
            referent=referent_user,
            rsa_payer="CAF",
        )
    services.preview_import(beneficiary_import)
    assert beneficiary_import.rows == 3
    return beneficiary_import


def confirm(client, beneficiary_import):
    return client.post(reverse("registry:import_confirm", args=[beneficiary_import.pk]))


def test_a_long_list_is_imported_by_a_job(client, coordinator_user, previewed, settings):
    settings.TREMPLIN_IMPORT_JOB_ROWS = 2
    client.force_login(coordinator_user)
    response = confirm(client, previewed)
    job = Job.objects.get()
    assert response["Location"] == reverse("web:job", args=[job.pk])
    assert (job.kind, job.status, job.params) == (
        Job.Kind.IMPORT,
        Job.Status.DONE,
        {"import": previewed.pk, "step": "confirm"},
    )
    assert job.title == "Import de « liste.csv »"
    page = client.get(response["Location"]).content.decode()
    assert "Voir le résultat" in page and previewed.get_absolute_url() in page
    previewed.refresh_from_db()
    assert previewed.state == BeneficiaryImport.State.DONE
    assert Beneficiary.objects.filter(last_name__in=["Schmitt", "Muller", "Weber"]).count() == 3
    created = AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, object_type="registry.beneficiary"
    )
    assert {(e.actor, e.source) for e in created} == {(coordinator_user, "tâche")}


def test_a_short_list_is_imported_in_the_request(client, coordinator_user, previewed):
    client.force_login(coordinator_user)
    response = confirm(client, previewed)
    assert response["Location"] == previewed.get_absolute_url()
    assert not Job.objects.exists()
    previewed.refresh_from_db()
    assert previewed.state == BeneficiaryImport.State.DONE


def test_an_import_no_longer_visible_is_refused_in_french(
    coordinator_user, previewed, other_operator
):
    from tests import factories

    stranger = factories.coordinator(other_operator)
    job = Job.objects.create(
        owner=stranger,
        kind=Job.Kind.IMPORT,
        title="Import",
        path="/x/",
        params={"import": previewed.pk},
    )
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "n'est plus accessible" in job.error and "rien n'a été importé" in job.error
    previewed.refresh_from_db()
    assert previewed.state == BeneficiaryImport.State.PREVIEWED


# --- The preview of a long list ---------------------------------------------------------------


def columns_posted(beneficiary_import) -> dict:
    """The columns' page as sent with its proposed mapping."""
    return {
        f"col_{index}": beneficiary_import.mapping.get(header) or ""
        for index, header in enumerate(beneficiary_import.headers)
    }


def choose_columns(client, beneficiary_import):
    return client.post(
        reverse("registry:import_mapping", args=[beneficiary_import.pk]),
        columns_posted(beneficiary_import),
    )


def test_the_lines_are_counted_at_the_upload(uploaded):
    assert (uploaded.state, uploaded.rows) == (BeneficiaryImport.State.UPLOADED, 3)


def test_a_long_list_is_previewed_by_a_job(client, coordinator_user, uploaded, settings):
    settings.TREMPLIN_IMPORT_JOB_ROWS = 2
    client.force_login(coordinator_user)
    response = choose_columns(client, uploaded)
    job = Job.objects.get()
    assert response["Location"] == reverse("web:job", args=[job.pk])
    assert (job.owner, job.kind, job.status, job.params) == (
        coordinator_user,
        Job.Kind.IMPORT,
        Job.Status.DONE,
        {"import": uploaded.pk, "step": "preview"},
    )
    assert job.title == "Aperçu de « liste.csv »"
    page = client.get(response["Location"]).content.decode()
    assert "Voir le résultat" in page and uploaded.get_absolute_url() in page
    uploaded.refresh_from_db()
    assert (uploaded.state, uploaded.rows, uploaded.created) == (
        BeneficiaryImport.State.PREVIEWED,
        3,
        3,
    )
    assert not Beneficiary.objects.exists()  # a preview writes no file
    preview = html.unescape(client.get(uploaded.get_absolute_url()).content.decode())
    assert "Aperçu de l'import" in preview and "SCHMITT Léa" in preview
    # Audited as the importer, by the worker.
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.VIEW, object_type="registry.beneficiaryimport"
    )
    assert (entry.actor, entry.source, entry.object_id) == (
        coordinator_user,
        "tâche",
        str(uploaded.pk),
    )
    assert "Aperçu de l'import « liste.csv »" in entry.object_repr
    assert "3 lignes, 3 à créer" in entry.object_repr


def test_a_short_list_is_previewed_in_the_request(client, coordinator_user, uploaded):
    client.force_login(coordinator_user)
    response = choose_columns(client, uploaded)
    assert response["Location"] == uploaded.get_absolute_url()
    assert not Job.objects.exists()
    uploaded.refresh_from_db()
    assert uploaded.state == BeneficiaryImport.State.PREVIEWED
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.VIEW, object_type="registry.beneficiaryimport"
    )
    assert (entry.actor, entry.source) == (coordinator_user, "web")


def test_a_list_whose_size_is_unknown_is_previewed_by_a_job(client, coordinator_user, uploaded):
    # A workbook that does not declare its size: no count at the upload.
    BeneficiaryImport.objects.filter(pk=uploaded.pk).update(rows=0)
    client.force_login(coordinator_user)
    response = choose_columns(client, uploaded)
    job = Job.objects.get()
    assert response["Location"] == reverse("web:job", args=[job.pk])
    assert job.status == Job.Status.DONE, job.error


def test_a_preview_no_longer_visible_is_refused_in_french(uploaded, other_operator):
    from tests import factories

    stranger = factories.coordinator(other_operator)
    job = Job.objects.create(
        owner=stranger,
        kind=Job.Kind.IMPORT,
        title="Aperçu",
        path="/x/",
        params=registry_jobs.params(uploaded, registry_jobs.PREVIEW),
    )
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "n'est plus accessible" in job.error and "aucun aperçu n'a été préparé" in job.error
    assert not ImportRow.objects.exists()
    assert not AuditEntry.objects.filter(object_type="registry.beneficiaryimport").exists()


def test_the_preview_of_a_list_already_imported_is_refused(coordinator_user, previewed):
    services.confirm_import(previewed)
    job = Job.objects.create(
        owner=coordinator_user,
        kind=Job.Kind.IMPORT,
        title="Aperçu",
        path="/x/",
        params=registry_jobs.params(previewed, registry_jobs.PREVIEW),
    )
    jobs.run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, "Cette liste a déjà été importée.")


def test_a_confirmation_before_the_preview_imports_nothing(client, coordinator_user, uploaded):
    client.force_login(coordinator_user)
    response = confirm(client, uploaded)
    assert response["Location"] == reverse("registry:import_mapping", args=[uploaded.pk])
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "L'aperçu de cette liste n'est pas prêt : rien n'a été importé." in page
    assert not Beneficiary.objects.exists() and not Job.objects.exists()


def test_a_queued_confirmation_imports_nothing_once_the_columns_changed(
    coordinator_user, previewed
):
    job = Job.objects.create(
        owner=coordinator_user,
        kind=Job.Kind.IMPORT,
        title="Import",
        path="/x/",
        params=registry_jobs.params(previewed, registry_jobs.CONFIRM),
    )
    # The columns chosen again after the confirmation was queued.
    services.set_mapping(previewed, previewed.mapping, remember=False, user=coordinator_user)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "ont changé depuis l'aperçu" in job.error and "rien n'a été importé" in job.error
    assert not Beneficiary.objects.exists()


# --- The bar moves while the work's transaction is open ---------------------------------------


def test_the_job_page_reads_the_bar_the_worker_reported(client, coordinator_user):
    job = Job.objects.create(
        owner=coordinator_user, kind=Job.Kind.IMPORT, title="Import", path="/x/"
    )
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    token = jobs._current.set(job)
    try:
        jobs.report_progress(450, 1000)
        jobs.report_progress(300, 1000)  # never backwards
    finally:
        jobs._current.reset(token)
    assert Job.objects.get(pk=job.pk).progress == 0  # the row is not written meanwhile
    client.force_login(coordinator_user)
    page = client.get(reverse("web:job", args=[job.pk])).content.decode()
    assert 'max="100" value="45"' in page and "En cours : 45 %." in page
    # Once over (here, failed), the worker's report is forgotten: the row says the rest.
    job.refresh_from_db()
    jobs._fail(job, "Échec.")
    assert jobs.progress_of(job) == 0
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    job.refresh_from_db()
    assert jobs.progress_of(job) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database answers « table locked » to a second "
    "connection: the SQLite file is tested by test_a_real_worker_moves_the_bar_inside_...",
)
def test_another_connection_sees_the_bar_move_inside_the_imports_transaction(
    client, coordinator_user, previewed, settings
):
    """The worker in a thread (its own database connection) is held after its first
    report; the job's page, loaded by this thread's connection meanwhile, shows the bar
    between 0 and 100 %, while nothing of the import can be seen yet."""
    from tremplin.registry.imports import engine

    job = Job.objects.create(
        owner=coordinator_user,
        kind=Job.Kind.IMPORT,
        title="Import",
        path="/x/",
        params=registry_jobs.params(previewed, registry_jobs.CONFIRM),
    )
    reached, released = threading.Event(), threading.Event()
    report = jobs.report_progress

    def report_and_wait(done, total):
        report(done, total)
        if 0 < done < (total or 0) and not reached.is_set():
            reached.set()
            released.wait(30)

    def worker():
        from django.db import connection as thread_connection

        try:
            jobs.run(job.pk)
        finally:
            thread_connection.close()

    defaults = engine.import_rows.__kwdefaults__
    chunk_size = defaults["chunk_size"]
    defaults["chunk_size"] = 1  # three rows, three chunks: 33 %, 66 %, then the end
    jobs.report_progress = report_and_wait
    thread = threading.Thread(target=worker)
    try:
        thread.start()
        assert reached.wait(30), "the worker never reported its progress"
        client.force_login(coordinator_user)
        page = client.get(reverse("web:job", args=[job.pk])).content.decode()
        seen_people = Beneficiary.objects.count()
    finally:
        released.set()
        thread.join(60)
        jobs.report_progress = report
        defaults["chunk_size"] = chunk_size
    assert 'max="100" value="33"' in page
    assert seen_people == 0  # the import's transaction was open
    job.refresh_from_db()
    assert (job.status, job.progress) == (Job.Status.DONE, 100)
    assert Beneficiary.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "sqlite", reason="huey's SQLite storage, a file")
def test_a_real_worker_moves_the_bar_inside_the_transactions_of_the_preview_and_the_import(
    tmp_path,
):
    done = subprocess.run(
        [sys.executable, "-m", "tests.registry.import_progress_worker"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
            "TREMPLIN_HUEY_FILE": str(tmp_path / "huey.sqlite3"),
            "TREMPLIN_HUEY_IMMEDIATE": "0",
            "TREMPLIN_MEDIA_ROOT": str(tmp_path / "media"),
            # A page that waited for the worker's write lock would fail after 5 s.
            "TREMPLIN_SQLITE_BUSY_SECONDS": "5",
        },
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["lines_counted_at_upload"] == 300
    # The columns' page queues the preview: nothing done in the request.
    assert outcome["preview_redirect_to_job"] is True
    assert outcome["preview_queued"] == {"status": "queued", "pending": 1}
    for step in ("preview", "confirm"):
        # Held after its first chunk of 100 rows: the page shows 33 % while the row still
        # says 0 and nothing the worker wrote can be seen by another connection.
        assert outcome[step]["while_running"] == {
            "status": "running",
            "progress_on_the_page": 33,
            "progress_in_the_row": 0,
            "written_seen_by_another_connection": 0,
        }, step
        assert outcome[step]["after"] == {
            "status": "done",
            "error": "",
            "progress_on_the_page": None,
            "progress": 100,
            "written": 300,
        }, step
    assert outcome["state_after_preview"] == "previewed"
    assert outcome["confirm_redirect_to_job"] is True
