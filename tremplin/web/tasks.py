"""The worker's tasks (huey, found by ``huey.contrib.djhuey`` in each app's ``tasks``)."""

from huey.contrib.djhuey import db_task

from . import jobs


@db_task()
def run_job(job_id: int) -> None:
    jobs.run(job_id)
