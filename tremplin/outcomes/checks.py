"""Which of a person's recorded situations contradict a new one: the rules' own checks.

Pure Python over ``tremplin.rules.outcomes`` (no Django): the situation form, an import or
the API ask the same question and get the same French sentences as the classification.
"""

import dataclasses
import datetime
from collections.abc import Sequence

from tremplin.rules.outcomes import ExitCase, Situation, exit_case_errors
from tremplin.rules.programmes import Programme


def _without_supported_flag(situation: Situation) -> Situation:
    # A person may have several in-employment supports over the years, each with its own
    # CUI-CIE: "a single supported contract" (rule A1) holds per support, not per person,
    # so it is checked when an exit is classified, not when a situation is recorded.
    return dataclasses.replace(situation, supported_contract=False)


def new_situation_errors(
    situation: Situation, recorded: Sequence[Situation], today: datetime.date
) -> list[str]:
    """The rules' objections to adding ``situation`` to the person's ``recorded`` ones.

    The situations are numbered as given: ``recorded`` n°1..k, the new one n°k+1. Only the
    objections the new situation causes are returned; an old contradiction between two
    recorded situations is the business of their own forms.
    """
    recorded = [_without_supported_flag(other) for other in recorded]
    candidate = _without_supported_flag(situation)
    starts = [other.start for other in (*recorded, candidate)]
    # A frame wide enough to hold every situation, so that only the situations' own checks
    # and their contradictions speak (A3's evaluation window belongs to classification).
    # The professional programme asks no weekly hours of a job: a CDI without hours may be
    # recorded, and the in-employment classification will ask for them (rule A4).
    support_start = min(*starts, today)
    evaluation_date = max(*starts, today)

    def errors(situations: Sequence[Situation]) -> list[str]:
        case = ExitCase(
            programme=Programme.PROFESSIONAL,
            support_start=support_start,
            evaluation_date=evaluation_date,
            situations=tuple(situations),
        )
        return exit_case_errors(case)

    already_there = set(errors(recorded))
    return [message for message in errors([*recorded, candidate]) if message not in already_there]
