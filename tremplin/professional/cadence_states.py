"""The kept states of the interview cadence (P4, ``models.CadenceState``): written here only.

``refresh_states(episodes)`` recomputes the states of some supports from their rows (the
services call it in the transaction that writes an interview, a CER or the support);
``rebuild_states()`` recomputes them all (the nightly ``tremplin classify-exits``,
``tremplin rebuild-facts``); ``stored_compliance_counts(queryset)`` gives the dashboard's
two numbers from them, and counts from the rows (``cadence.compliance_counts``) the
supports without a state of today's parameters.

The definitions are those of ``cadence.compliance_counts`` and ``rules.interview_cadence``:
the support's last day is its end when closed before its last CER's end, else that CER's
end (no end: no report); an interview held counts on its Paris day, inside the support; a
calendar month requires 2 interviews when full, 1 when partial (dated parameters, read on
its first day inside the support).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction
from django.db.models import Count, Q

from tremplin.rules.calendar import calendar_months_overlapping, to_paris
from tremplin.rules.programmes import Programme, load_parameters
from tremplin.support.models import Meeting, SupportEpisode

from . import team_facts
from .cadence import CadenceCounts, _Required, compliance_counts, with_last_cer_end
from .models import INTERVIEW_KIND, CadenceState

CADENCE_PARAMETERS = tuple(
    f"{Programme.PROFESSIONAL.value}.{name}"
    for name in ("interviews_per_full_month", "interviews_per_partial_month")
)
BATCH = 2_000


@lru_cache(maxsize=1)
def parameters_fingerprint() -> str:
    """The dated values the states were computed with: a new value of the law (a new
    parameters file) makes every state stale until it is recomputed."""
    parameters = load_parameters()
    values = [
        (key, [(str(item.valid_from), item.value) for item in parameters[key].values])
        for key in CADENCE_PARAMETERS
    ]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def short_month_end(started_on, end, days: Counter, required: _Required) -> dt.date | None:
    """The last day inside the support of its first calendar month without the interviews
    required (``days``: interviews held per (year, month), inside the support), or None."""
    for overlap in calendar_months_overlapping(started_on, end):
        if days[overlap.year, overlap.month] < required[overlap.full, overlap.first]:
            return overlap.last
    return None


def _computed(episodes) -> list[CadenceState]:
    spans = {}
    for pk, started_on, ended_on, last in with_last_cer_end(episodes).values_list(
        "pk", "started_on", "ended_on", "last_cer_end"
    ):
        end = ended_on if ended_on and (last is None or ended_on < last) else last
        if end is None or started_on <= end:
            spans[pk] = (started_on, end)
        # A last day before the start has no state: it is counted from its rows, which
        # refuse it as the cadence report does (never stored by the forms).
    if not spans:
        return []
    held: dict[int, Counter] = defaultdict(Counter)
    meetings = (
        Meeting.objects.counted()
        .filter(episode_id__in=list(spans), kind=INTERVIEW_KIND)
        .order_by()
        .values_list("episode_id", "starts_at")
    )
    for pk, moment in meetings:
        started_on, end = spans[pk]
        day = to_paris(moment).date()
        if end is not None and started_on <= day <= end:
            held[pk][day.year, day.month] += 1
    required = _Required()
    fingerprint = parameters_fingerprint()
    return [
        CadenceState(
            episode_id=pk,
            last_day=end,
            short_month_end=(
                None if end is None else short_month_end(started_on, end, held[pk], required)
            ),
            parameters=fingerprint,
        )
        for pk, (started_on, end) in spans.items()
    ]


def _professional(episodes):
    return episodes.filter(programme=Programme.PROFESSIONAL.value)


@transaction.atomic
def refresh_states(episodes) -> int:
    """Recompute the states of the professional supports of ``episodes`` (a queryset, or
    episodes' keys); gives how many are stored.

    The supports' rows are locked first (PostgreSQL; SQLite writes one at a time): two
    interviews of one support recorded at the same moment recompute its state one after the
    other, the second reading the first's interview, rather than both from what was there
    before (one of them lost from the state) or both inserting it (a duplicate key)."""
    if not hasattr(episodes, "values_list"):
        episodes = SupportEpisode.objects.filter(pk__in=list(episodes))
    episodes = _professional(episodes)
    keys = list(
        episodes.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True)
    )
    written = 0
    for start in range(0, len(keys), BATCH):
        batch = keys[start : start + BATCH]
        states = _computed(SupportEpisode.objects.filter(pk__in=batch))
        CadenceState.objects.filter(episode_id__in=batch).delete()
        CadenceState.objects.bulk_create(states, batch_size=BATCH)
        written += len(states)
    return written


def refresh_episode(episode) -> None:
    """The state of one support after a write (a no-op for another programme); the kept
    copies of its teams are read again (``team_facts``)."""
    team_facts.episode_written(episode)
    if episode.programme == Programme.PROFESSIONAL.value:
        refresh_states([episode.pk])


@dataclass
class StatesRebuild:
    before: int
    after: int
    changed: int  # states added, removed or with another value


def _keyed(states) -> dict[int, tuple]:
    return {
        state.episode_id: (state.last_day, state.short_month_end, state.parameters)
        for state in states
    }


@transaction.atomic
def rebuild_states(*, apply: bool = True) -> StatesRebuild:
    """Recompute every state from the rows; with ``apply=False``, only say what would
    change."""
    keys = list(_professional(SupportEpisode.objects.all()).values_list("pk", flat=True))
    stored = _keyed(CadenceState.objects.all())
    computed: dict[int, tuple] = {}
    for start in range(0, len(keys), BATCH):
        batch = SupportEpisode.objects.filter(pk__in=keys[start : start + BATCH])
        computed.update(_keyed(_computed(batch)))
    changed = sorted(
        key for key in computed.keys() | stored.keys() if computed.get(key) != stored.get(key)
    )
    if apply:
        # Only what differs is rewritten: a night without a missed write writes nothing.
        for start in range(0, len(changed), BATCH):
            batch = changed[start : start + BATCH]
            CadenceState.objects.filter(episode_id__in=batch).delete()
            CadenceState.objects.bulk_create(
                [
                    CadenceState(
                        episode_id=pk,
                        last_day=computed[pk][0],
                        short_month_end=computed[pk][1],
                        parameters=computed[pk][2],
                    )
                    for pk in batch
                    if pk in computed
                ]
            )
    return StatesRebuild(before=len(stored), after=len(computed), changed=len(changed))


def stored_compliance_counts(queryset, today: dt.date) -> CadenceCounts:
    """``cadence.compliance_counts(queryset, today)`` read from the states, in one query;
    the supports without a state of today's parameters, when the count finds some, are
    counted from their rows (``compliance_counts``: two more queries)."""
    fresh = Q(cadence_state__parameters=parameters_fingerprint())
    reported = fresh & Q(cadence_state__last_day__isnull=False, started_on__lte=today)
    compliant = Q(cadence_state__short_month_end__isnull=True) | Q(
        cadence_state__short_month_end__gte=today
    )
    stored = queryset.order_by().aggregate(
        supports=Count("pk", filter=reported),
        compliant=Count("pk", filter=reported & compliant),
        without=Count("pk", filter=Q(cadence_state__isnull=True) | ~fresh),
    )
    rest = CadenceCounts(0, 0)
    if stored["without"]:
        rest = compliance_counts(queryset.exclude(fresh), today)
    return CadenceCounts(stored["supports"] + rest.supports, stored["compliant"] + rest.compliant)
