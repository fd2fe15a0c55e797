"""Copies of a slow reading, kept in the shared cache until the facts they read change.

A copy is never a fact: it is read from the facts, kept under a key that names its
**generation**, and every write of those facts moves the generation on (``changed``, run
when the write's transaction commits), so that the next reading counts again. The copy also
expires after ``seconds``: a write that no signal sees (a bulk update, a command) shows at
the latest then.

The cache is shared by the processes and the servers (settings: Redis, or files under
var/cache/), so a write handled by one worker is seen by every other.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def _generation_key(facts: str) -> str:
    return f"generation:{facts}"


def generation(facts: str) -> str:
    """The current generation of ``facts`` (a name: "conventions"). A missing one (first use,
    or dropped by the cache) starts a new one, so that no older copy is read again."""
    key = _generation_key(facts)
    current = cache.get(key)
    if current is None:
        cache.add(key, uuid.uuid4().hex, None)
        current = cache.get(key) or "lost"
    return current


def changed(facts: str) -> None:
    """``facts`` were written: once the transaction commits, every copy read from them is
    read again (a rolled-back write changes nothing). Once per transaction, however many
    rows it writes (an import saves thousands)."""
    connection = transaction.get_connection()
    if any(getattr(func, "kept_facts", None) == facts for _, func, _ in connection.run_on_commit):
        return

    def new_generation():
        cache.set(_generation_key(facts), uuid.uuid4().hex, None)

    new_generation.kept_facts = facts
    transaction.on_commit(new_generation)


def kept(facts: str | tuple[str, ...], parts: tuple, compute: Callable[[], T], seconds: int) -> T:
    """``compute()`` read from ``facts``, kept ``seconds`` (0: read every time) for the same
    ``parts`` (who asks, which day…) and the same generation of ``facts``.

    ``facts`` may name several sets of facts (a coordinator's team: one per operator): the
    copy is read again when any of them changes."""
    if not seconds:
        return compute()
    names = (facts,) if isinstance(facts, str) else tuple(facts)
    generations = ":".join(generation(name) for name in names)
    digest = hashlib.sha256(repr((names, parts)).encode()).hexdigest()[:32]
    return computed_once(f"kept:{names[0]}:{generations}:{digest}", compute, seconds)


# How long the others wait for the one computing a copy, and how long its mark lasts if its
# process dies while computing.
WAIT_SECONDS = 30
POLL_SECONDS = 0.05


def computed_once(key: str, compute: Callable[[], T], seconds: int) -> T:
    """The copy under ``key``, computed by one request at a time. When it is missing, the
    first request marks it as being computed (``cache.add``) and computes it; the others,
    instead of counting the same figures at the same moment (the dashboard's first morning
    load by ten agents: ten times a second of work on two cores), wait for it and read it.
    If the one computing fails, or the wait passes ``WAIT_SECONDS``, a waiting request
    computes it itself: a copy never blocks a page. On Redis the mark is atomic; on the
    file cache two requests may rarely both compute, as before."""
    value = cache.get(key)
    if value is not None:
        return value
    mark = f"{key}:computing"
    if cache.add(mark, 1, WAIT_SECONDS):
        try:
            value = compute()
            cache.set(key, value, seconds)
        finally:
            cache.delete(mark)
        return value
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value
        if cache.get(mark) is None:  # the one computing stopped without a copy
            break
    value = compute()
    cache.set(key, value, seconds)
    return value
