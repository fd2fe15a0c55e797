"""Convention numbers (rule F2): per département and year, never reused, unique."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from tests.conventions.factories import ConventionFactory
from tremplin.conventions.models import ConventionNumberSequence, format_convention_number
from tremplin.conventions.services import Parties, sign

ALL_PRESENT = Parties(True, True, True, True)


def test_format_of_the_issue():
    assert format_convention_number("67", 2025, 42, 0, 0) == "067-25-00042-00-0"
    assert format_convention_number("2A", 2026, 7, 1, 2) == "02A-26-00007-01-2"


@pytest.mark.django_db
def test_numbers_run_per_department_and_year():
    assert ConventionNumberSequence.allocate("67", 2025) == 1
    assert ConventionNumberSequence.allocate("67", 2025) == 2
    assert ConventionNumberSequence.allocate("68", 2025) == 1
    assert ConventionNumberSequence.allocate("67", 2026) == 1


@pytest.mark.django_db
def test_a_number_is_never_reused_even_after_deletion(admin_user):
    first = ConventionFactory(signed_on=None)
    sign(first, user=admin_user, day=datetime.date(2025, 3, 10), parties=ALL_PRESENT)
    assert first.number == "067-25-00001-00-0"
    first.delete()
    second = ConventionFactory()
    sign(second, user=admin_user, day=datetime.date(2025, 3, 10), parties=ALL_PRESENT)
    assert second.number == "067-25-00002-00-0"


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_number():
    first = ConventionFactory(signed=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionFactory(
            signed=True,
            territory=first.territory,
            number_order=first.number_order,
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_collide():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock is exercised on PostgreSQL")
    results, errors = [], []

    def worker():
        from django.db import connection as thread_connection

        try:
            for _ in range(5):
                results.append(ConventionNumberSequence.allocate("67", 2030))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == list(range(1, 31))
