"""The registry's nightly task (huey, found by ``huey.contrib.djhuey``)."""

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tremplin.rules import retention

from . import lifecycle


def purge_import_files_now() -> int:
    """Delete the uploaded lists kept beyond their period in force today (issue 12); gives
    how many. The anonymisation of whole files stays a decision: ``tremplin apply-retention
    --apply``."""
    today = timezone.localdate()
    period = retention.import_file_period_at(today, settings.TREMPLIN_RETENTION_FILE or None)
    due = lifecycle.due_import_files(today, period)
    for item in due:
        lifecycle.delete_import_file(item.beneficiary_import)
    return len(due)


@db_periodic_task(crontab(hour="3", minute="20"))
def purge_import_files() -> None:
    """Every night, the uploaded lists of people past their retention period go."""
    purge_import_files_now()
