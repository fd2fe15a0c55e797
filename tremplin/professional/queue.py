"""The coordinator's work queue, on the home page (``panels``): what waits across the team of
the operators they coordinate, each item one click from its action.

- the open professional supports below the interview cadence this month (P4: the interviews
  held in the month against the 2 of a full month, 1 of a partial one — only held ones count);
- the referents whose active file is over 60 people per full-time equivalent, beyond the
  tolerance (P9): transfer people;
- the deliverables late across the team (A11–A14, P4: open, past due, support running).

A fixed number of queries whatever the team's size: the cadences (2), the portfolios (2),
the late deliverables (a count and the first few). The navigation's badge on the other pages
reads only the counts (``coordinator_count``).
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tremplin.accounts.access import scope_of
from tremplin.rules.programmes import LoadStatus, Programme
from tremplin.support.models import Deadline, team_keys
from tremplin.web import kept
from tremplin.web.links import reverse
from tremplin.web.queues import (
    SHOWN,
    QueueItem,
    QueueSection,
    WorkQueue,
    counted,
    counted_first,
)

from . import team_facts
from .cadence import below_cadence_now
from .models import professional_episodes
from .views.portfolios import portfolio_rows


def _team_supports(user, operator_ids):
    return (
        professional_episodes(user)
        .open()
        .of_teams(operator_ids, open_only=True, programme=Programme.PROFESSIONAL.value)
    )


@dataclass(frozen=True)
class _BelowRow:
    episode_id: int
    done: int
    required: int
    person: str  # as Beneficiary.__str__: "LAST First names"
    referent: str


# Read with each support's cadence, in the same query (``below_cadence_now(also=…)``).
_NAMES = (
    "beneficiary__last_name",
    "beneficiary__first_names",
    "referent__first_name",
    "referent__last_name",
)


def _below_rows(user, operator_ids, today: dt.date) -> tuple[int, list[_BelowRow]]:
    """How many of the team's supports are below the cadence this month, and the first
    ``SHOWN`` of them: the furthest below first, then by name."""
    episodes = _team_supports(user, operator_ids)
    below = below_cadence_now(episodes, today, also=_NAMES)
    first = heapq.nsmallest(
        SHOWN,
        (
            (done - required, f"{last_name.upper()} {first_names}", pk)
            for pk, (done, required, last_name, first_names, *_) in below.items()
        ),
    )
    rows = []
    for _, person, pk in first:
        done, required, _, _, r_first, r_last = below[pk]
        referent = f"{r_first} {r_last}".strip() if r_last else ""
        rows.append(_BelowRow(pk, done, required, person, referent))
    return len(below), rows


def _kept_below_rows(user, operator_ids, today: dt.date) -> tuple[int, list[_BelowRow]]:
    return kept.kept(
        tuple(team_facts.facts_of(pk) for pk in sorted(operator_ids)),
        ("below-cadence", user.pk, tuple(sorted(operator_ids)), today),
        lambda: _below_rows(user, operator_ids, today),
        settings.TREMPLIN_QUEUE_CACHE_SECONDS,
    )


def _below_cadence(user, operator_ids, today: dt.date) -> QueueSection:
    """P4, the month in progress: fewer interviews held than the month requires. The team's
    supports below it are found from the month's interviews only (``below_cadence_now``),
    their names read in the same query as their dates. At a month's start most of a team is
    below it (1,429 of 2,000 on the bench): only the first few are sorted out (``heapq``)
    and built.

    Counting a team of 2,000 supports takes some 25 ms on every load of the coordinator's
    home: the count and the first rows are kept (``web.kept``) per coordinator and day,
    until a support, an interview, a CER or a person of one of the team's operators is
    written (``team_facts``), or ``TREMPLIN_QUEUE_CACHE_SECONDS`` pass (a bulk
    write, a référent's new name)."""
    count, rows = _kept_below_rows(user, operator_ids, today)
    items = [
        QueueItem(
            label=row.person,
            url=reverse("professional:interview_create", args=[row.episode_id]),
            action="Planifier un entretien",
            detail=counted(row.done, "%(count)d entretien tenu", "%(count)d entretiens tenus")
            + f" ce mois sur {row.required} exigés (règle P4)"
            + (f" — {row.referent}" if row.referent else " — sans référent·e"),
        )
        for row in rows
    ]
    return QueueSection(
        "cadence",
        counted(
            count,
            "%(count)d accompagnement sous la cadence ce mois",
            "%(count)d accompagnements sous la cadence ce mois",
        ),
        count,
        items,
        more_url=reverse("professional:below_cadence"),
        more_label="Toutes les personnes sous la cadence",
        note="Au moins 2 entretiens tenus par mois complet, 1 par mois partiel (règle P4).",
    )


def _overloaded_rows(user) -> list[dict]:
    return [row for row in portfolio_rows(user) if row["load"].status == LoadStatus.OVER]


def _overloaded(user) -> QueueSection:
    """P9: the active files beyond 60 per full-time equivalent and the tolerance."""
    rows = _overloaded_rows(user)
    rows.sort(key=lambda row: -row["load"].ratio)
    items = [
        QueueItem(
            label=row["user"].get_full_name(),
            url=reverse("professional:transfer", args=[row["user"].pk]),
            action="Transférer des personnes",
            detail=counted(
                row["load"].active, "%(count)d personne suivie", "%(count)d personnes suivies"
            )
            + f" pour une capacité de {row['load'].capacity:.0f} "
            f"({row['load'].ratio * 100:.0f} %), {row['membership'].organisation}",
        )
        for row in rows[:SHOWN]
    ]
    return QueueSection(
        "portfolios",
        counted(
            len(rows), "%(count)d référent·e surchargé·e", "%(count)d référent·es surchargé·es"
        ),
        len(rows),
        items,
        more_url=reverse("professional:portfolio"),
        more_label="Les portefeuilles des référents",
        note="60 personnes en file active par équivalent temps plein (règle P9).",
    )


def _late(operator_ids, today: dt.date):
    """The deliverables late across the team: open, past due, support running."""
    now = timezone.now()
    # The team's keys straight from their UNION: read through the supports once more, they
    # cost PostgreSQL a scan of the département's 22,000 open supports (11 -> 9 ms).
    running = team_keys(operator_ids, open_only=True)
    return Deadline.objects.filter(episode_id__in=running, state__in=Deadline.OPEN_STATES).filter(
        Q(due_at__isnull=True, due_on__lt=today) | Q(due_at__lt=now)
    )


def _late_deliverables(operator_ids, today: dt.date) -> QueueSection:
    """The team's late deliverables, the oldest first (``counted_first``: read whole)."""
    count, first = counted_first(
        _late(operator_ids, today).select_related("episode__beneficiary", "episode__referent"),
        ("due_on",),
    )
    items = [
        QueueItem(
            label=f"{deadline.label} — {deadline.episode.beneficiary}",
            url=deadline.get_absolute_url(),
            action="Ouvrir le livrable",
            detail=f"en retard, échéance {deadline.due_display}"
            + (
                f" — {deadline.episode.referent.get_full_name()}"
                if deadline.episode.referent_id
                else " — sans référent·e"
            ),
        )
        for deadline in first
    ]
    return QueueSection(
        "late",
        counted(
            count,
            "%(count)d livrable en retard dans l'équipe",
            "%(count)d livrables en retard dans l'équipe",
        ),
        count,
        items,
    )


def coordinator_queue(user, today: dt.date | None = None) -> WorkQueue | None:
    """The queue of a coordinator (None for the other roles); computed once per user object
    (the home page and the navigation's badge read the same)."""
    operator_ids = scope_of(user).coordinated_operator_ids
    if not operator_ids:
        return None
    cached = getattr(user, "_tremplin_coordinator_queue", None)
    if cached is not None and today is None:
        return cached
    asked_for_today = today is None  # only today's queue is kept on the user
    today = today or timezone.localdate()
    queue = WorkQueue(
        sections=[
            _below_cadence(user, operator_ids, today),
            _overloaded(user),
            _late_deliverables(operator_ids, today),
        ],
        key="file-coordination",
        section_prefix="file-coordination",
        title="Ma file de travail — coordination",
        links=[
            ("Personnes sous la cadence", reverse("professional:below_cadence")),
            ("Portefeuilles", reverse("professional:portfolio")),
        ],
    )
    if asked_for_today:
        user._tremplin_coordinator_queue = queue
    return queue


def coordinator_count(user) -> int:
    """The navigation's badge for a coordinator: the items of the three sections, as the
    queue counts them. On the home page the queue is already there; on every other page only
    the counts are read (the kept count of the cadence section; the portfolios; a count of
    the late deliverables)."""
    operator_ids = scope_of(user).coordinated_operator_ids
    if not operator_ids:
        return 0
    queue = getattr(user, "_tremplin_coordinator_queue", None)
    if queue is not None:
        return queue.total
    today = timezone.localdate()
    return (
        _kept_below_rows(user, operator_ids, today)[0]
        + len(_overloaded_rows(user))
        + _late(operator_ids, today).count()
    )
