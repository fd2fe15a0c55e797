"""Monthly facts: the dashboard's additive counts, stored by month, operator, the people's
territory and programme, so that a year of the département is a sum over a few hundred
rows rather than a scan of every exit and situation (docs/decisions.md, "Monthly facts for
the dashboard").

The rows stay the single source of truth. ``refresh_months`` recomputes every fact of some
months from them (the services that write an exit or a situation call it in their
transaction: ``exits.classify_episode``, ``services.save_situation``); ``rebuild_facts``
recomputes them all (the nightly ``tremplin classify-exits``, ``tremplin rebuild-facts``).

Stored, for a month:

- the counts of ``EXIT_COUNTS`` over the exits of the supports ended that month, keyed by the
  support's operator (the person's when the support has none: what the page filters on) and
  the support's programme;
- the people who started a job, and any activity, that month (``monthly_starts``), keyed by
  the person's operator: distinct people within a month, and a person has one operator and
  one territory, so that the sum over operators and territories is exact;
- the deliverables due that month (rupture notices aside, not « sans objet ») and, of them,
  those sent on or before their due day (A12), keyed as the exits by the support. The
  services that write deadlines announce the months that changed
  (``hooks.DEADLINES_CHANGED``); the dashboard sums the whole months already over and counts
  the rows of the days after (``DashboardCounts.deliverables``).

What is not additive by month stays a query on the rows: the people who started something
over the whole period (a person starting twice in two months counts once), the rupture
notices (counted in hours), the funnel, the active file. The interview cadence is read from the
supports' own kept states (``tremplin.professional.cadence_states``), rebuilt here too.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from tremplin.professional.cadence_states import StatesRebuild, rebuild_states
from tremplin.support.models import Deadline

from .indicators import (
    DELIVERABLES,
    EXIT_COUNTS,
    MonthCount,
    MonthRates,
    Period,
    _any_activity,
    _employment,
    count_exits,
    deliverables_of_period,
    monthly_exit_rates,
    monthly_starts,
    sent_on_time,
)
from .models import MonthlyFact, Situation, SupportExit

# The measures of the people starting a job, or any activity, in a month (programme "").
STARTED_EMPLOYMENT = "debut-emploi"
STARTED_ACTIVITY = "debut-activite"
START_MEASURES = (STARTED_EMPLOYMENT, STARTED_ACTIVITY)
EXIT_MEASURES = tuple(count.code for count in EXIT_COUNTS)
# The deliverables due in a month (rupture notices aside, not « sans objet ») and, of them,
# those sent on or before their due day (A12), keyed by the support.
DELIVERABLES_DUE = "livrables-dus"
DELIVERABLES_ON_TIME = "livrables-a-temps"
DELIVERABLE_MEASURES = (DELIVERABLES_DUE, DELIVERABLES_ON_TIME)


def _first_of_month(day) -> datetime.date:
    if isinstance(day, datetime.datetime):
        day = day.date()
    return day.replace(day=1)


def _month_end(month: datetime.date) -> datetime.date:
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _facts_of_support_rows(rows, month_field: str, counts: dict) -> list[MonthlyFact]:
    """``counts`` ({measure: aggregate}) of ``rows`` (rows that belong to a support: exits,
    deadlines) by month of ``month_field`` and by the key of the facts: the support's
    operator (or its person's), the person's territory, the support's programme. Rows
    without an operator have no fact; a zero count is not stored."""
    grouped = (
        rows.order_by()
        .annotate(
            fact_month=TruncMonth(month_field),
            fact_operator=Coalesce(F("episode__operator"), F("episode__beneficiary__operator")),
            fact_territory=F("episode__beneficiary__territory"),
            fact_programme=F("episode__programme"),
        )
        .filter(fact_operator__isnull=False)
        .values("fact_month", "fact_operator", "fact_territory", "fact_programme")
        .annotate(**counts)
    )
    return [
        MonthlyFact(
            month=_first_of_month(row["fact_month"]),
            operator_id=row["fact_operator"],
            territory_id=row["fact_territory"],
            programme=row["fact_programme"],
            measure=code,
            value=row[code],
        )
        for row in grouped
        for code in counts
        if row[code]
    ]


def _exit_facts(exits) -> list[MonthlyFact]:
    return _facts_of_support_rows(
        exits,
        "support_end",
        {count.code: Count("pk", filter=count.condition) for count in EXIT_COUNTS},
    )


def _deliverable_facts(deadlines) -> list[MonthlyFact]:
    return _facts_of_support_rows(
        deadlines.filter(DELIVERABLES).exclude(state=Deadline.State.DROPPED),
        "due_on",
        {DELIVERABLES_DUE: Count("pk"), DELIVERABLES_ON_TIME: Count("pk", filter=sent_on_time())},
    )


def _start_facts(situations) -> list[MonthlyFact]:
    employment, activity = _employment(None), _any_activity(None)
    rows = (
        situations.order_by()
        .filter(employment | activity)
        # The people of the dashboard: files in use, with an operator (BeneficiaryManager).
        .filter(beneficiary__merged_into__isnull=True, beneficiary__operator__isnull=False)
        .annotate(
            fact_month=TruncMonth("start"),
            fact_operator=F("beneficiary__operator"),
            fact_territory=F("beneficiary__territory"),
        )
        .values("fact_month", "fact_operator", "fact_territory")
        .annotate(
            **{
                STARTED_EMPLOYMENT: Count("beneficiary", filter=employment, distinct=True),
                STARTED_ACTIVITY: Count("beneficiary", filter=activity, distinct=True),
            }
        )
    )
    return [
        MonthlyFact(
            month=_first_of_month(row["fact_month"]),
            operator_id=row["fact_operator"],
            territory_id=row["fact_territory"],
            programme="",
            measure=code,
            value=row[code],
        )
        for row in rows
        for code in START_MEASURES
        if row[code]
    ]


@transaction.atomic
def refresh_months(months: Iterable[datetime.date | None]) -> int:
    """Recompute from the rows every fact of the months of ``months`` (any day of them; None
    ignored); returns how many facts they hold now."""
    written = 0
    for month in sorted({_first_of_month(day) for day in months if day is not None}):
        last = _month_end(month)
        MonthlyFact.objects.filter(month=month).delete()
        facts = _exit_facts(SupportExit.objects.filter(support_end__range=(month, last)))
        facts += _start_facts(Situation.objects.filter(start__range=(month, last)))
        facts += _deliverable_facts(Deadline.objects.filter(due_on__range=(month, last)))
        MonthlyFact.objects.bulk_create(facts, batch_size=2_000)
        written += len(facts)
    return written


@transaction.atomic
def refresh_deliverable_months(months: Iterable[datetime.date | None]) -> None:
    """Recompute the deliverables' facts alone of the months of ``months`` (a support's
    deadlines written: its plan recomputed, a deliverable sent), lighter than
    ``refresh_months``: one query per month."""
    for month in sorted({_first_of_month(day) for day in months if day is not None}):
        last = _month_end(month)
        MonthlyFact.objects.filter(month=month, measure__in=DELIVERABLE_MEASURES).delete()
        MonthlyFact.objects.bulk_create(
            _deliverable_facts(Deadline.objects.filter(due_on__range=(month, last))),
            batch_size=2_000,
        )


@dataclass
class Rebuild:
    before: int
    after: int
    changed: int  # facts added, removed or with another value
    cadence: StatesRebuild | None = None  # the supports' kept cadence states, rebuilt too


def _keyed(facts) -> dict[tuple, int]:
    return {
        (fact.month, fact.operator_id, fact.territory_id, fact.programme, fact.measure): fact.value
        for fact in facts
    }


@transaction.atomic
def rebuild_facts(*, apply: bool = True) -> Rebuild:
    """Recompute every fact from the rows, and the professional supports' kept cadence
    states (``professional.cadence_states``); with ``apply=False``, only say what would
    change."""
    computed = _keyed(
        _exit_facts(SupportExit.objects.all())
        + _start_facts(Situation.objects.all())
        + _deliverable_facts(Deadline.objects.all())
    )
    stored = _keyed(MonthlyFact.objects.all())
    changed = sum(
        1 for key in computed.keys() | stored.keys() if computed.get(key) != stored.get(key)
    )
    if apply:
        MonthlyFact.objects.all().delete()
        MonthlyFact.objects.bulk_create(
            [
                MonthlyFact(
                    month=month,
                    operator_id=operator,
                    territory_id=territory,
                    programme=programme,
                    measure=measure,
                    value=value,
                )
                for (month, operator, territory, programme, measure), value in computed.items()
            ],
            batch_size=2_000,
        )
    return Rebuild(
        before=len(stored),
        after=len(computed),
        changed=changed,
        cadence=rebuild_states(apply=apply),
    )


# --- the dashboard's side: the facts of whole months, the rows for the partial ones ---------


def split_period(period: Period) -> tuple[list[datetime.date], list[Period]]:
    """The whole months of ``period`` (their first days) and the parts of months at its
    edges, as periods of their own."""
    whole, partial = [], []
    for month in period.months():
        first, last = max(month, period.first_day), min(_month_end(month), period.last_day)
        if first == month and last == _month_end(month):
            whole.append(month)
        else:
            partial.append(Period(first, last))
    return whole, partial


@dataclass
class DashboardCounts:
    """The exit counts, the monthly rates and the monthly starts of the dashboard: summed
    from the facts over the period's whole months, counted on the rows for the days of the
    months it covers in part (a period rarely starts and ends on a month's bounds, but the
    rows of a few days are few)."""

    facts: object  # MonthlyFact queryset, already restricted to what the user may see
    exits: object  # SupportExit queryset of the page (for the partial months)
    people: object  # Beneficiary queryset of the page (for the partial months)
    period: Period
    programme: str = ""
    _totals: dict | None = field(default=None, repr=False)

    def __post_init__(self):
        self.whole_months, self.partial_periods = split_period(self.period)

    def totals(self) -> dict[tuple[datetime.date, str], int]:
        """One query: (month, measure) -> the sum of its facts, for the whole months."""
        if self._totals is None:
            self._totals = defaultdict(int)
            if not self.whole_months:
                return self._totals
            exits = Q(measure__in=EXIT_MEASURES + DELIVERABLE_MEASURES)
            if self.programme:
                exits &= Q(programme=self.programme)
            rows = (
                self.facts.filter(month__in=self.whole_months)
                .filter(exits | Q(measure__in=START_MEASURES))
                .order_by()
                .values("month", "measure")
                .annotate(total=Sum("value"))
            )
            for row in rows:
                self._totals[(_first_of_month(row["month"]), row["measure"])] += row["total"]
        return self._totals

    def exit_counts(self) -> dict[str, int]:
        totals = self.totals()
        counts = {
            code: sum(totals[(month, code)] for month in self.whole_months)
            for code in EXIT_MEASURES
        }
        for part in self.partial_periods:
            for code, value in count_exits(self.exits, part).items():
                counts[code] += value or 0
        return counts

    def month_rates(self) -> list[MonthRates]:
        totals = self.totals()
        by_month = {
            month: MonthRates(
                month,
                *(
                    totals[(month, code)]
                    for code in (
                        "sorties-dans-emploi",
                        "placement-perenne",
                        "sorties-professionnel",
                        "reprise-activite",
                        "sortie-emploi",
                    )
                ),
            )
            for month in self.whole_months
        }
        for part in self.partial_periods:
            for rates in monthly_exit_rates(self.exits, part):
                by_month[rates.month] = rates
        return [by_month[month] for month in self.period.months()]

    def deliverables(self, episodes, today: datetime.date) -> tuple[int, int]:
        """The deliverables due in the period up to today and, of them, those sent on time
        (A12): the facts of the whole months already over (read with the page's other
        facts, ``totals``), the rows (``episodes``, the page's supports) for the days of the
        months around them (one query per part of a month)."""
        if today < self.period.first_day:
            return 0, 0
        whole, partial = split_period(
            Period(self.period.first_day, min(self.period.last_day, today))
        )
        totals = self.totals()  # its whole months hold those of the days already due
        due = sum(totals[(month, DELIVERABLES_DUE)] for month in whole)
        on_time = sum(totals[(month, DELIVERABLES_ON_TIME)] for month in whole)
        for part in partial:
            part_due, part_on_time = deliverables_of_period(episodes, part, today)
            due += part_due
            on_time += part_on_time
        return due, on_time

    def months(self) -> list[MonthCount]:
        totals = self.totals()
        by_month = {
            month: MonthCount(
                month, totals[(month, STARTED_EMPLOYMENT)], totals[(month, STARTED_ACTIVITY)]
            )
            for month in self.whole_months
        }
        for part in self.partial_periods:
            for count in monthly_starts(self.people, part):
                by_month[count.month] = count
        return [by_month[month] for month in self.period.months()]
