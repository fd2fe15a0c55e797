"""Classify the exit of each ended support with the rules, and store it (``SupportExit``).

The rules (``tremplin.rules.outcomes.classify_exit``) decide; this module only builds their
input from the stored support and the person's situations, and writes what comes back, so
that the indicators are aggregates over stored rows (computed by the database).

When is an exit measured (the evaluation date)?
- in-employment support (A3): from the support's last day up to 3 months after; Tremplin
  evaluates on the last day of those 3 months, or today while they run (provisional);
- professional support (P10): on the support's last day.

The stored exits follow their facts through ``outcomes.services`` (situations, and the
support's and the rupture's changes announced by ``web.hooks``), never through signals.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tremplin.rules import outcomes as rules
from tremplin.rules.programmes import Programme
from tremplin.support.models import SupportEpisode

from .facts import rebuild_facts, refresh_months
from .models import Situation, SupportExit

MEASURE_WINDOW_PARAMETER = "in_employment_measure_window_months"


def window_end_of(programme: str, support_end: datetime.date) -> datetime.date:
    if programme == Programme.IN_EMPLOYMENT:
        months = int(rules.outcome_parameter(MEASURE_WINDOW_PARAMETER, support_end))
        return rules.add_months(support_end, months)
    return support_end


def _rules_situations(episode: SupportEpisode, situations) -> tuple[rules.Situation, ...]:
    converted = []
    for situation in situations:
        value = situation.as_rules_situation()
        # Rule A1: one supported CUI-CIE per support. A person may have had others in
        # earlier supports: only the one signed at this support's hiring date counts here.
        if value.supported_contract and (
            episode.programme != Programme.IN_EMPLOYMENT or situation.start != episode.support_start
        ):
            value = dataclasses.replace(value, supported_contract=False)
        converted.append(value)
    return tuple(converted)


def exit_case(episode: SupportEpisode, situations, today: datetime.date) -> rules.ExitCase | None:
    """The rules' input for an ended support, or None when its exit is not measured yet."""
    if episode.ended_on is None or episode.ended_on > today:
        return None
    window_end = window_end_of(episode.programme, episode.ended_on)
    return rules.ExitCase(
        programme=Programme(episode.programme),
        support_start=episode.support_start,
        support_end=episode.ended_on,
        evaluation_date=min(today, window_end),
        situations=_rules_situations(episode, situations),
    )


def _empty_values(episode: SupportEpisode) -> dict:
    end = episode.ended_on
    return {
        "programme": episode.programme,
        "support_end": end,
        "evaluation_date": end,
        "window_end": end,
        "category": "",
        "positive": None,
        "rule": "",
        "explanation": "",
        "errors": "",
        "durable_placement": None,
        "return_to_activity": None,
        "exit_linked_to_employment": None,
    }


def exit_values(episode: SupportEpisode, situations, today: datetime.date) -> dict | None:
    """The fields of the episode's ``SupportExit``, as the rules classify it."""
    try:
        case = exit_case(episode, situations, today)
    except rules.OutcomeParameterError as error:
        # A support ended before the dated parameters begin (rules/data/outcomes.toml).
        if episode.ended_on is None:
            return None
        return {
            **_empty_values(episode),
            "errors": f"La sortie ne se classe pas : {error}",
        }
    if case is None:
        return None
    values = {
        "programme": episode.programme,
        "support_end": case.support_end,
        "evaluation_date": case.evaluation_date,
        "window_end": window_end_of(episode.programme, case.support_end),
        "category": "",
        "positive": None,
        "rule": "",
        "explanation": "",
        "errors": "",
        "durable_placement": None,
        "return_to_activity": None,
        "exit_linked_to_employment": None,
    }
    try:
        result = rules.classify_exit(case)
    except rules.ExitInputError as error:
        values["errors"] = "\n".join(error.messages)
        return values
    values.update(
        category=str(result.category),
        positive=result.positive,
        rule=result.rule,
        explanation=result.explanation,
        durable_placement=result.durable_placement,
        return_to_activity=result.return_to_activity,
        exit_linked_to_employment=result.exit_linked_to_employment,
    )
    return values


@transaction.atomic
def classify_episode(
    episode: SupportEpisode, today: datetime.date | None = None, *, refresh_facts: bool = True
):
    """Write (or remove) the episode's classified exit; returns the ``SupportExit`` or None.

    The monthly facts of the month the support ended, and of the month it ended before this
    change, are recomputed (``facts.refresh_months``), unless ``refresh_facts`` is False:
    the caller rebuilds them all once (``classify_all``)."""
    today = today or timezone.localdate()
    situations = Situation.objects.filter(beneficiary_id=episode.beneficiary_id).chronological()
    values = exit_values(episode, situations, today)
    months = set(SupportExit.objects.filter(episode=episode).values_list("support_end", flat=True))
    if values is None:
        SupportExit.objects.filter(episode=episode).delete()
        support_exit = None
    else:
        support_exit, _ = SupportExit.objects.update_or_create(episode=episode, defaults=values)
        months.add(support_exit.support_end)
    if refresh_facts and months:
        refresh_months(months)
    return support_exit


def classify_person(beneficiary_id: int, today: datetime.date | None = None) -> None:
    for episode in SupportEpisode.objects.filter(beneficiary_id=beneficiary_id):
        classify_episode(episode, today)


def classify_all(today: datetime.date | None = None, *, only_provisional: bool = False) -> int:
    """(Re)classify every ended support; ``only_provisional``: those still being measured
    (or never classified), what the nightly run needs."""
    today = today or timezone.localdate()
    episodes = SupportEpisode.objects.filter(ended_on__isnull=False, ended_on__lte=today)
    if only_provisional:
        episodes = episodes.filter(
            Q(exit__isnull=True) | Q(exit__evaluation_date__lt=F("exit__window_end"))
        )
    count = 0
    for episode in episodes.order_by("pk").iterator(chunk_size=500):
        classify_episode(episode, today, refresh_facts=False)
        count += 1
    rebuild_facts()  # once, and it also follows the people who changed operator or territory
    return count
