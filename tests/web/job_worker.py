"""A job done by a real huey worker, on huey's SQLite storage, against a SQLite file::

    DATABASE_URL=sqlite:////tmp/app.sqlite3 TREMPLIN_HUEY_FILE=/tmp/huey.sqlite3 \\
    TREMPLIN_HUEY_IMMEDIATE=0 python -m tests.web.job_worker

A referent asks for an export above the threshold: the page queues a job (nothing done in
the request); huey's consumer, started here with one worker thread as ``tremplin run_huey``
starts it, takes the task from the storage and does it; the referent downloads the file.
Prints what it saw as JSON (see ``tests/web/test_jobs.py``).
"""

from __future__ import annotations

import io
import json
import os
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django
    from django.apps import apps
    from django.conf import settings

    django.setup()
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.TREMPLIN_JOB_ROWS = 2
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)

    from django.test import Client
    from django.urls import reverse
    from huey.contrib.djhuey import HUEY
    from openpyxl import load_workbook

    from tests import factories
    from tremplin.web.models import Job

    assert not HUEY.immediate
    operator = factories.OrganisationFactory(territory=factories.TerritoryFactory())
    referent = factories.referent(operator)
    for _ in range(3):
        factories.BeneficiaryFactory(
            territory=operator.territory, operator=operator, referent=referent
        )
    client = Client()
    client.force_login(referent)
    client.get(reverse("registry:beneficiary_list"), {"format": "xlsx"})
    job = Job.objects.get()
    outcome = {"after_request": {"status": job.status, "pending": HUEY.pending_count()}}

    consumer = HUEY.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        for _ in range(600):
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.1)
    finally:
        consumer.stop(graceful=True)
    outcome["after_worker"] = {"status": job.status, "error": job.error}
    download = client.get(reverse("web:job_download", args=[job.pk]))
    rows = None
    if download.status_code == 200:
        content = b"".join(download.streaming_content)
        rows = load_workbook(io.BytesIO(content)).active.max_row
    outcome["download"] = {"status": download.status_code, "rows": rows}
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
