"""Changes of the outcomes that touch several facts, and what the outcomes do when the apps
below them change (docs/decisions.md, "One path for side effects").

The classified exit of a support (``SupportExit``, A3, A4, P1, P10) is stored and must follow
every fact it is computed from: the person's situations (changed here, through
``save_situation`` and ``delete_situation``), the support's dates and its rupture (changed by
the support's and the conventions' services, which tell this app through ``web.hooks``:
``on_episode_changed``, ``on_rupture_changed``). The nightly ``tremplin classify-exits``
reclassifies the exits still being measured.
"""

from __future__ import annotations

from django.db import transaction

from tremplin.support.services import episodes_of
from tremplin.web import hooks

from .exits import classify_episode, classify_person
from .facts import refresh_deliverable_months, refresh_months
from .models import Situation


def _stored_start(situation: Situation):
    if situation.pk is None:
        return None
    return Situation.objects.filter(pk=situation.pk).values_list("start", flat=True).first()


@transaction.atomic
def save_situation(situation: Situation) -> Situation:
    """A situation recorded or corrected (validated by its form): the person's exits are
    classified again, and the monthly facts of the months it started in (before and after
    the change) recomputed."""
    months = {_stored_start(situation)}
    situation.save()
    classify_person(situation.beneficiary_id)
    refresh_months(months | {situation.start})
    return situation


@transaction.atomic
def delete_situation(situation: Situation) -> None:
    beneficiary_id = situation.beneficiary_id
    months = {_stored_start(situation)}
    situation.delete()
    classify_person(beneficiary_id)
    refresh_months(months)


def on_episode_changed(episode) -> None:
    """``hooks.EPISODE_CHANGED``: a support started, changed or ended. Its exit is
    classified again (its deadlines announce themselves: ``on_deadlines_changed``)."""
    classify_episode(episode)


def on_deadlines_changed(months) -> None:
    """``hooks.DEADLINES_CHANGED``: the deliverables' facts of those months."""
    refresh_deliverable_months(months)


def on_rupture_changed(rupture, withdrawn: bool) -> None:
    """``hooks.RUPTURE_CHANGED``: the exits of the supports of that contract."""
    for episode in episodes_of(rupture):
        classify_episode(episode)


def register_hooks() -> None:
    hooks.after(hooks.EPISODE_CHANGED, "outcomes.exits", on_episode_changed)
    hooks.after(hooks.RUPTURE_CHANGED, "outcomes.exits", on_rupture_changed)
    hooks.after(hooks.DEADLINES_CHANGED, "outcomes.facts", on_deadlines_changed)
