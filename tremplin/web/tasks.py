"""The worker's tasks (huey, found by ``huey.contrib.djhuey`` in each app's ``tasks``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import jobs


@db_task()
def run_job(job_id: int) -> None:
    jobs.run(job_id)


@db_periodic_task(crontab(hour="3", minute="10"))
def purge_jobs() -> None:
    """Every night, the jobs older than TREMPLIN_JOB_KEEP_DAYS days and their files go."""
    jobs.purge()
