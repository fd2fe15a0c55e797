"""Copies kept until their facts change (``web.kept``): reused for the same parts and
generation, read again once a write of their facts commits, never after a rolled-back one."""

import pytest
from django.db import transaction

from tremplin.web import kept

pytestmark = pytest.mark.django_db(transaction=True)


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return ("read", self.calls)


def test_a_copy_is_reused_until_its_facts_change():
    count = Counter()
    assert kept.kept("facts", ("a",), count, 60) == ("read", 1)
    assert kept.kept("facts", ("a",), count, 60) == ("read", 1)
    assert kept.kept("facts", ("b",), count, 60) == ("read", 2)  # other parts, other copy
    with transaction.atomic():
        kept.changed("facts")
        kept.changed("facts")  # once per transaction
        assert kept.kept("facts", ("a",), count, 60) == ("read", 1)  # not committed yet
    assert kept.kept("facts", ("a",), count, 60) == ("read", 3)


def test_a_rolled_back_write_changes_nothing():
    count = Counter()
    kept.kept("facts", ("a",), count, 60)
    with pytest.raises(RuntimeError), transaction.atomic():
        kept.changed("facts")
        raise RuntimeError
    assert kept.kept("facts", ("a",), count, 60) == ("read", 1)
    with transaction.atomic():  # the rolled-back one left nothing that would stop this one
        kept.changed("facts")
    assert kept.kept("facts", ("a",), count, 60) == ("read", 2)


def test_other_facts_keep_their_copies():
    count = Counter()
    kept.kept("facts", ("a",), count, 60)
    kept.changed("other-facts")  # outside a transaction: at once
    assert kept.kept("facts", ("a",), count, 60) == ("read", 1)


def test_zero_seconds_reads_every_time():
    count = Counter()
    kept.kept("facts", ("a",), count, 0)
    assert kept.kept("facts", ("a",), count, 0) == ("read", 2)
