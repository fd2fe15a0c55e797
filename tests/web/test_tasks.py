"""The worker's nightly tasks (tremplin/web/tasks.py)."""

import pytest
from django.db import connection

from tests.factories import BeneficiaryFactory
from tremplin.registry.models import Beneficiary
from tremplin.web import tasks

TABLE = Beneficiary._meta.db_table


def rows_the_planner_expects() -> int | None:
    """The row count of the people's table as the query planner last measured it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return None
            # "stat" starts with the table's row count: "<rows> <rows per key>…".
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [TABLE])
            row = cursor.fetchone()
            return int(row[0].split()[0]) if row else None
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [TABLE])
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_the_nightly_task_gives_the_planner_the_size_of_the_people_table():
    BeneficiaryFactory.create_batch(3)
    assert rows_the_planner_expects() != Beneficiary.objects.count()

    tasks.refresh_planner_statistics.call_local()

    assert rows_the_planner_expects() == Beneficiary.objects.count() == 3
