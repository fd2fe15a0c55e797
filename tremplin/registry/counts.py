"""How many people a user may see, kept (``web.kept``): the count of a département's
100,000 files reads them all, 9–20 ms on the bench for the agent's home and again for the
first page of their list, where the rows themselves take a millisecond.

The count is a copy of the ``people`` facts: a person created, saved or deleted, through a
page, the API or an import (written in bulk, which no signal sees: the import says so
itself), moves their generation on once the transaction commits, and every user's count is
read again. The copy is per user and per scope (memberships that change give another key),
and expires after ``TREMPLIN_QUEUE_CACHE_SECONDS`` in any case.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from tremplin.accounts.access import scope_of
from tremplin.web import kept

from .models import Beneficiary

PEOPLE_FACTS = "people"


def people_changed(sender=None, **kwargs) -> None:
    """People were written (a signal's receiver, or called after a bulk write)."""
    kept.changed(PEOPLE_FACTS)


def visible_count(user) -> int:
    """``Beneficiary.objects.visible_to(user).count()``, kept."""
    return kept.kept(
        PEOPLE_FACTS,
        ("visible", user.pk, repr(scope_of(user))),
        lambda: Beneficiary.objects.visible_to(user).count(),
        settings.TREMPLIN_QUEUE_CACHE_SECONDS,
    )


def register() -> None:
    post_save.connect(people_changed, sender=Beneficiary, dispatch_uid="kept-people")
    post_delete.connect(people_changed, sender=Beneficiary, dispatch_uid="kept-people-d")
