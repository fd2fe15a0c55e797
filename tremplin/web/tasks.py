"""The worker's tasks (huey, found by ``huey.contrib.djhuey`` in each app's ``tasks``)."""

from django.db import connection
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


@db_periodic_task(crontab(hour="3", minute="40"))
def refresh_planner_statistics() -> None:
    """Every night, ``ANALYZE``: the query planner's picture of each table's size. SQLite
    never refreshes it by itself; with a picture from before a table grew, it read every held
    meeting of the département for a referent's home (580 ms instead of 10). PostgreSQL's
    autovacuum does the same on its own schedule; one more pass costs seconds."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
