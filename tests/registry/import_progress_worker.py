"""A long list previewed then imported by a real huey worker, on huey's SQLite storage,
against a SQLite file, while the importer's browser reads the job's page::

    DATABASE_URL=sqlite:////tmp/app.sqlite3 TREMPLIN_HUEY_FILE=/tmp/huey.sqlite3 \\
    TREMPLIN_HUEY_IMMEDIATE=0 python -m tests.registry.import_progress_worker

A coordinator uploads a list of ``ROWS`` people and chooses its columns: the page queues the
preview as a job (nothing done in the request). huey's consumer, started here with one
worker thread as ``tremplin run_huey`` starts it, does it; once the worker has reported a
first chunk (the bar between 0 and 100 %), it waits until this thread — another database
connection, as another process would be — has loaded the job's page and counted what the
worker's open transaction has written (nothing can be seen of it yet). Then the same for
the confirmation. Prints what it saw as JSON (see ``tests/registry/test_import_job.py``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
from pathlib import Path

ROWS = 300
CHUNK = 100  # the engine's chunks made smaller (1,000 rows): the bar stops at 33 % then 66 %


class Pause:
    """Holds the worker after its first report short of the end, until ``release``."""

    def __init__(self):
        self.reached, self.released = threading.Event(), threading.Event()

    def reset(self):
        self.reached.clear()
        self.released.clear()

    def release(self):
        self.released.set()

    def wrap(self, report):
        def report_and_wait(done, total):
            report(done, total)
            if total and 0 < done < total and not self.reached.is_set():
                self.reached.set()
                self.released.wait(60)

        return report_and_wait


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django
    from django.apps import apps
    from django.conf import settings

    django.setup()
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.TREMPLIN_IMPORT_JOB_ROWS = 100
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)

    from django.test import Client
    from django.urls import reverse
    from huey.contrib.djhuey import HUEY

    from tests import factories
    from tremplin.demo.lists import write_csv
    from tremplin.registry.imports import engine
    from tremplin.registry.models import Beneficiary, BeneficiaryImport, ImportRow
    from tremplin.web import jobs
    from tremplin.web.models import Job

    assert not HUEY.immediate
    pause = Pause()
    jobs.report_progress = pause.wrap(jobs.report_progress)
    engine.import_rows.__kwdefaults__["chunk_size"] = CHUNK

    operator = factories.OrganisationFactory(territory=factories.TerritoryFactory())
    coordinator = factories.coordinator(operator)
    client = Client()
    client.force_login(coordinator)
    path = write_csv(Path(tempfile.mkdtemp()) / "liste-caf.csv", ROWS, seed=7)
    with path.open("rb") as upload:
        response = client.post(
            reverse("registry:import_start"),
            {"file": upload, "operator": operator.pk, "referent": "", "rsa_payer": "CAF"},
        )
    assert response.status_code == 302, response.content.decode()[-2000:]
    beneficiary_import = BeneficiaryImport.objects.get()
    columns = {
        f"col_{index}": beneficiary_import.mapping.get(header) or ""
        for index, header in enumerate(beneficiary_import.headers)
    }
    outcome: dict = {"lines_counted_at_upload": beneficiary_import.rows}

    def progress_on_the_page(job) -> int | None:
        page = client.get(reverse("web:job", args=[job.pk])).content.decode()
        found = re.search(r'<progress id="job-progress"[^>]* value="(\d+)"', page)
        return int(found.group(1)) if found else None

    def follow(job, count_written) -> dict:
        seen = {}
        assert pause.reached.wait(60), "the worker never reported its progress"
        job.refresh_from_db()
        seen["while_running"] = {
            "status": job.status,
            "progress_on_the_page": progress_on_the_page(job),
            "progress_in_the_row": job.progress,
            "written_seen_by_another_connection": count_written(),
        }
        pause.release()
        for _ in range(600):
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.1)
        seen["after"] = {
            "status": job.status,
            "error": job.error,
            "progress_on_the_page": progress_on_the_page(job) if not job.finished else None,
            "progress": job.progress,
            "written": count_written(),
        }
        return seen

    consumer = HUEY.create_consumer(workers=1, worker_type="thread", periodic=False)
    try:
        response = client.post(
            reverse("registry:import_mapping", args=[beneficiary_import.pk]), columns
        )
        job = Job.objects.get()
        outcome["preview_redirect_to_job"] = response["Location"] == reverse(
            "web:job", args=[job.pk]
        )
        outcome["preview_queued"] = {"status": job.status, "pending": HUEY.pending_count()}
        consumer.start()
        outcome["preview"] = follow(
            job, lambda: ImportRow.objects.filter(beneficiary_import=beneficiary_import).count()
        )
        beneficiary_import.refresh_from_db()
        outcome["state_after_preview"] = beneficiary_import.state

        pause.reset()
        response = client.post(reverse("registry:import_confirm", args=[beneficiary_import.pk]))
        job = Job.objects.exclude(pk=job.pk).get()
        outcome["confirm_redirect_to_job"] = response["Location"] == reverse(
            "web:job", args=[job.pk]
        )
        outcome["confirm"] = follow(job, lambda: Beneficiary.objects.count())
    finally:
        pause.release()
        consumer.stop(graceful=True)
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
