"""Copies kept until their facts change (``web.kept``): reused for the same parts and
generation, read again once a write of their facts commits, never after a rolled-back one."""

import threading
import time

import pytest
from django.core.cache import cache
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


class Blocking:
    """A computation that holds until released, counting its calls; ``fail`` makes the
    first one raise instead."""

    def __init__(self, fail: bool = False):
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail = fail

    def __call__(self):
        self.calls += 1
        if self.calls == 1:
            self.started.set()
            assert self.release.wait(10)
            if self.fail:
                raise RuntimeError("the first computation failed")
        return ("figures", self.calls)


def _in_thread(function, results: list):
    def run():
        try:
            results.append(function())
        except RuntimeError as error:
            results.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_until_marked(key: str) -> None:
    """The second caller must come while the first holds the mark."""
    deadline = time.monotonic() + 10
    while cache.get(f"{key}:computing") is None and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_missing_copy_is_computed_once_while_the_others_wait_for_it():
    compute = Blocking()
    first, second = [], []
    computing = _in_thread(lambda: kept.computed_once("figures", compute, 60), first)
    assert compute.started.wait(10)
    _wait_until_marked("figures")
    waiting = _in_thread(lambda: kept.computed_once("figures", compute, 60), second)
    time.sleep(3 * kept.POLL_SECONDS)  # the second is waiting, not computing
    assert compute.calls == 1
    compute.release.set()
    computing.join(10)
    waiting.join(10)
    assert first == second == [("figures", 1)]
    assert compute.calls == 1
    assert cache.get("figures:computing") is None


def test_when_the_one_computing_fails_a_waiting_one_computes():
    compute = Blocking(fail=True)
    first, second = [], []
    computing = _in_thread(lambda: kept.computed_once("figures", compute, 60), first)
    assert compute.started.wait(10)
    _wait_until_marked("figures")
    waiting = _in_thread(lambda: kept.computed_once("figures", compute, 60), second)
    time.sleep(3 * kept.POLL_SECONDS)
    compute.release.set()
    computing.join(10)
    waiting.join(10)
    assert isinstance(first[0], RuntimeError)
    assert second == [("figures", 2)]
