"""The aid due in a month per employer and funder, and the 24-month forecast of commitments.

Each convention's schedule comes from the rules (``services.schedule_of``): the same amounts
as on the convention's page, month by month, with their funder shares (rule F6).

The payment list of a month reads the conventions as plain rows (five queries whatever their
number, no model instance per row) and computes each distinct case once: a département has
20,000 conventions running in a month, most of them over the whole month at a handful of
rates and hours (``services.schedule_from_facts``, ``services.quarterly_proof_plan``).
The 24-month forecast reads the same rows (four queries) and computes each distinct
convention case once, month by month, so that the months it shares with others are computed
once too.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from pygal import StackedBar

from tremplin.registry.models import Beneficiary
from tremplin.rules import aid
from tremplin.rules.parameters import ParameterError
from tremplin.web.charts import common_options, to_svg

from . import services
from .models import (
    ActivityProof,
    Amendment,
    Convention,
    Rupture,
    Suspension,
    format_convention_number,
    hours_and_minutes,
)

FORECAST_MONTHS = 24
ZERO = Decimal("0.00")


def month_key(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(key: str, months: int) -> str:
    year, month = (int(part) for part in key.split("-"))
    index = year * 12 + month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_bounds(key: str) -> tuple[datetime.date, datetime.date]:
    year, month = (int(part) for part in key.split("-"))
    first = datetime.date(year, month, 1)
    last = datetime.date.fromisoformat(add_months(key, 1) + "-01") - datetime.timedelta(days=1)
    return first, last


def _overlapping(queryset, first: datetime.date, last: datetime.date):
    # "No rupture ended before the month" as NOT EXISTS, looked up by the rupture's convention:
    # the LEFT JOIN with an OR that said the same let SQLite scan every rupture for each
    # convention (1.8 s against 0.1 s over 20,000 conventions when most ruptures are those of
    # supports without a convention, whose empty key misleads its statistics).
    # The rupture's last day likewise, by a subquery on its convention rather than a join.
    ended_before = Rupture.objects.filter(convention=OuterRef("pk"), last_day__lt=first)
    last_day = Rupture.objects.filter(convention=OuterRef("pk")).values("last_day")[:1]
    return queryset.filter(
        ~Exists(ended_before), signed_on__isnull=False, aid_start__lte=last, aid_end__gte=first
    ).annotate(rupture_last_day=Subquery(last_day))


def signed_conventions_overlapping(queryset, first: datetime.date, last: datetime.date):
    """Signed conventions whose aid period meets [first, last], ready for their schedules."""
    return (
        _overlapping(queryset, first, last)
        .select_related("beneficiary", "employer", "rupture", "territory")
        .prefetch_related("amendments", "suspensions", "proofs")
        .order_by("employer__name", "id")
    )


@dataclass(frozen=True)
class EmployerRef:
    name: str
    siret: str


@dataclass(frozen=True)
class BeneficiaryRef:
    last_name: str
    first_names: str

    # Shown as the registry shows the person.
    __str__ = Beneficiary.__str__


@dataclass(frozen=True)
class ConventionRef:
    """What a payment line shows of its convention (number, link, employer, employee)."""

    pk: int
    number: str
    employer: EmployerRef
    beneficiary: BeneficiaryRef

    @property
    def id(self) -> int:
        return self.pk

    # The convention's own page, as the model builds it.
    get_absolute_url = Convention.get_absolute_url


@dataclass(frozen=True)
class PaymentLine:
    """The aid of one convention in the month, for one funder."""

    convention: ConventionRef
    funder: str
    funder_label: str
    amount: Decimal
    days_covered: int
    # Quarters whose proofs of activity are overdue (rules E6, F10): flagged, not withheld.
    missing_proofs: str = ""


@dataclass(frozen=True)
class EmployerTotal:
    employer_name: str
    siret: str
    funder_label: str
    amount: Decimal
    conventions: int


# What a convention's schedule reads of its row (``services.ScheduleFacts``), besides its
# suspensions and amendments.
SCHEDULE_ROW_FIELDS = (
    "pk",
    "aid_start",
    "aid_end",
    "subsidised_weekly_hours",
    "subsidised_weekly_minutes",
    "prefect_rate_percent",
    "prescribed_for_department",
    "department_rate_percent",
    "department_funds_alone",
    "rupture_last_day",
)

# What the payment list reads of each convention: its number, employer and employee for the
# line, the schedule's fields and what the quarterly proofs' plan needs.
PAYMENT_ROW_FIELDS = (
    "number_department",
    "number_year",
    "number_order",
    "renewal_count",
    "modification_count",
    "employer__name",
    "employer__siret",
    "beneficiary__last_name",
    "beneficiary__first_names",
    *SCHEDULE_ROW_FIELDS,
    "hire_date",
    "contract_type",
    "planned_end",
)


def payment_rows(queryset, first: datetime.date, last: datetime.date):
    """The conventions paying aid in [first, last] as plain dicts, in the list's order."""
    return (
        _overlapping(queryset, first, last)
        .order_by("employer__name", "id")
        .values(*PAYMENT_ROW_FIELDS)
    )


def _children_of(conventions, model, *fields: str) -> dict[int, list[tuple]]:
    """The rows of ``model`` per convention, in the model's order (one query)."""
    by_convention: dict[int, list[tuple]] = defaultdict(list)
    # The model's order with the convention by key: ordering by "convention" would follow the
    # convention's own ordering (newest first), a join and a sort of every row (3 s over the
    # proofs of 20,000 conventions on SQLite), for lists that are only grouped by convention.
    order = ["convention_id" if name == "convention" else name for name in model._meta.ordering]
    rows = (
        model.objects.filter(convention__in=conventions.values("pk"))
        .order_by(*order)
        .values_list("convention_id", *fields)
    )
    for convention_id, *values in rows:
        by_convention[convention_id].append(tuple(values))
    return by_convention


def row_facts(rows: Iterable[dict], conventions) -> Iterator[tuple[dict, services.ScheduleFacts]]:
    """Each row with what its schedule reads (``services.ScheduleFacts``, as ``schedule_of``).

    ``rows`` are ``values()`` dicts with at least ``SCHEDULE_ROW_FIELDS``, all among
    ``conventions``, whose suspensions and amendments are read in one query each."""
    reasons = dict(Suspension._meta.get_field("reason").flatchoices)
    suspensions = _children_of(conventions, Suspension, "start", "end", "paid", "reason")
    amendments = _children_of(
        conventions,
        Amendment,
        "kind",
        "effective_from",
        "new_subsidised_weekly_hours",
        "new_subsidised_weekly_minutes",
    )
    for row in rows:
        pk = row["pk"]
        modifications = []
        for kind, effective_from, hours, minutes in amendments.get(pk, ()):
            new_hours = hours_and_minutes(hours, minutes)
            if kind == Amendment.Kind.MODIFICATION and new_hours:
                modifications.append((effective_from, new_hours))
        yield (
            row,
            services.ScheduleFacts(
                aid_start=row["aid_start"],
                aid_end=row["aid_end"],
                subsidised_weekly_hours=row["subsidised_weekly_hours"],
                subsidised_hours=hours_and_minutes(
                    row["subsidised_weekly_hours"], row["subsidised_weekly_minutes"]
                ),
                prefect_rate_percent=row["prefect_rate_percent"],
                prescribed_for_department=row["prescribed_for_department"],
                department_rate_percent=row["department_rate_percent"],
                department_funds_alone=row["department_funds_alone"],
                rupture_last_day=row["rupture_last_day"],
                suspensions=tuple(
                    aid.Suspension(start, end, paid=paid, reason=str(reasons.get(reason, reason)))
                    for start, end, paid, reason in suspensions.get(pk, ())
                ),
                modifications=tuple(modifications),
            ),
        )


def schedules_over(
    facts: services.ScheduleFacts,
    windows: Iterable[tuple[datetime.date, datetime.date]],
    memo: dict,
    smic=None,
) -> tuple[aid.AidSchedule, ...] | None:
    """The schedule over each window (``schedule_from_facts`` with the caller's per-call
    ``memo``: each distinct case is computed once); None when the aid box is incomplete (an
    incomplete aid box has nothing to pay; its page says why)."""
    try:
        return tuple(
            services.schedule_from_facts(
                _within(facts, start, end), since=start, until=end, memo=memo, smic=smic
            )
            for start, end in windows
        )
    except (aid.AidRuleError, ParameterError):
        return None


def _within(
    facts: services.ScheduleFacts, start: datetime.date, end: datetime.date
) -> services.ScheduleFacts:
    """``facts`` without the suspensions outside [start, end]: they change nothing in its
    months (rule F12 counts the unpaid days inside them), but would make each month of a
    suspended convention a distinct case of the memo. A suspension ending before it starts
    stays, for the rules to refuse it (the database forbids it anyway)."""
    if not facts.suspensions:
        return facts
    kept = tuple(
        s for s in facts.suspensions if s.end < s.start or (s.start <= end and s.end >= start)
    )
    return facts if len(kept) == len(facts.suspensions) else replace(facts, suspensions=kept)


def _months_of(
    facts: services.ScheduleFacts, since: datetime.date, until: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The aid's days in [since, until], month by month (a rupture ends them early).

    A month depends only on its own days, the SMIC of its first covered day and the terms then
    in force (see ``services.schedule_of``), so these windows' schedules are the whole
    schedule's months; but a whole schedule depends on the days the aid starts and ends, a
    full month of it does not: the bench's 20,000 conventions have some 10,000 distinct
    schedules over 24 months, and 20,000 distinct months (most of them a first or last one).
    [(since, until)] when the aid box is incomplete or has no day there: one window, for
    ``schedule_from_facts`` to say what is wrong. A modification taking effect on the 1st is
    in force from that month's first day: ``schedule_from_facts`` takes it as its hours."""
    if facts.aid_start is None or facts.aid_end is None:
        return [(since, until)]
    end = min(facts.aid_end, until)
    if facts.rupture_last_day is not None:
        end = min(end, facts.rupture_last_day)
    windows = []
    day = max(facts.aid_start, since)
    while day <= end:
        following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        windows.append((day, min(following - datetime.timedelta(days=1), end)))
        day = following
    return windows or [(since, until)]


def _missing_proofs(row: dict, received: dict, today: datetime.date, plans: dict) -> str:
    """The overdue quarters of a convention as "T1, T2" (rules E6, F10)."""
    if row["hire_date"] is None or not row["contract_type"]:
        return ""
    plan = services.quarterly_proof_plan(
        row["hire_date"],
        row["contract_type"],
        row["planned_end"],
        row["aid_end"],
        row["rupture_last_day"],
        memo=plans,
    )
    return ", ".join(
        f"T{proof.quarter}"
        for proof in services.proofs_with_receipts(plan or (), received)
        if proof.missing_on(today)
    )


def running_in_month(queryset, key: str):
    """The signed conventions whose aid runs in the month ``key`` ("YYYY-MM"), ruptures
    included up to their last day: those the payment list of the month reads (rule E6)."""
    first, last = month_bounds(key)
    return _overlapping(queryset, first, last)


def _proof_flag(row: dict, received, today, flags: dict, plans: dict) -> str:
    """The overdue quarterly proofs of the convention of ``row`` ("T1, T2", rules E6, F10).
    Conventions hired the same day on the same terms with the same proofs received share
    their flags: each case is planned once (``flags`` and ``plans``: a per-call memo)."""
    receipts = tuple(received)
    key = (
        row["hire_date"],
        row["contract_type"],
        row["planned_end"],
        row["aid_end"],
        row["rupture_last_day"],
        receipts,
    )
    flag = flags.get(key)
    if flag is None:
        flag = flags[key] = _missing_proofs(row, dict(receipts), today, plans)
    return flag


def missing_proofs_in_month(
    queryset, key: str, today: datetime.date
) -> tuple[int, list[tuple[int, str]]]:
    """How many conventions run in the month ``key``, and those whose quarterly proofs of
    activity are overdue on ``today`` as (pk, "T1, T2"), in the payment list's order
    (rules E6, F10).

    Two queries whatever the number of conventions (their rows, their proofs received) and
    no aid schedule: the work queue on the agent's home reads this, the amounts stay on the
    payment list (a background job for its export)."""
    running = running_in_month(queryset, key)
    proofs = _children_of(running, ActivityProof, "quarter", "received_on")
    plans: dict = {}
    flags: dict[tuple, str] = {}
    count = 0
    missing = []
    rows = running.order_by("employer__name", "id").values(
        "pk", "hire_date", "contract_type", "planned_end", "aid_end", "rupture_last_day"
    )
    for row in rows:
        count += 1
        flag = _proof_flag(row, proofs.get(row["pk"], ()), today, flags, plans)
        if flag:
            missing.append((row["pk"], flag))
    return count, missing


def payment_lines(queryset, key: str) -> list[PaymentLine]:
    """The aid of the month ``key`` ("YYYY-MM") per convention and funder (rules E6, F6, F10).

    Five queries whatever the number of conventions (the SMIC series, the rows, their
    suspensions, amendments and proofs); each amount is the month of the convention's whole
    schedule (``services.schedule_from_facts``, as ``schedule_of``)."""
    first, last = month_bounds(key)
    today = timezone.localdate()
    smic = services.smic_series()
    conventions = _overlapping(queryset, first, last)
    proofs = _children_of(conventions, ActivityProof, "quarter", "received_on")
    plans: dict = {}
    flags: dict[tuple, str] = {}
    employers: dict[tuple[str, str], EmployerRef] = {}
    lines = []
    memo: dict = {}
    # Only the month is computed: the same amount as in the whole schedule (services).
    for row, facts in row_facts(payment_rows(queryset, first, last), conventions):
        schedules = schedules_over(facts, ((first, last),), memo, smic)
        if schedules is None:
            continue
        schedule = schedules[0]
        pk = row["pk"]
        months = [month for month in schedule.months if month.month == key]
        if not months:
            continue
        missing = _proof_flag(row, proofs.get(pk, ()), today, flags, plans)
        employer_key = (row["employer__name"], row["employer__siret"])
        employer = employers.get(employer_key)
        if employer is None:
            employer = employers[employer_key] = EmployerRef(*employer_key)
        convention = ConventionRef(
            pk,
            format_convention_number(
                row["number_department"],
                row["number_year"],
                row["number_order"],
                row["renewal_count"],
                row["modification_count"],
            )
            if row["number_order"] is not None
            else "",
            employer,
            BeneficiaryRef(row["beneficiary__last_name"], row["beneficiary__first_names"]),
        )
        for month in months:
            for part in month.funder_amounts or (aid.FunderAmount(aid.FUNDER_STATE, month.amount),):
                lines.append(
                    PaymentLine(
                        convention,
                        part.funder,
                        part.label,
                        part.amount,
                        month.days_covered,
                        missing,
                    )
                )
    return lines


def totals_per_employer(lines: Iterable[PaymentLine]) -> list[EmployerTotal]:
    amounts: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    counts: dict[tuple, int] = defaultdict(int)
    for line in lines:
        key = (line.convention.employer.name, line.convention.employer.siret, line.funder_label)
        amounts[key] += line.amount
        counts[key] += 1
    return [
        EmployerTotal(
            name, siret, funder, amounts[(name, siret, funder)], counts[(name, siret, funder)]
        )
        for name, siret, funder in sorted(amounts)
    ]


@dataclass(frozen=True)
class ForecastMonth:
    month: str
    by_funder: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_funder.values(), ZERO)


def forecast(queryset, start_key: str, months: int = FORECAST_MONTHS) -> list[ForecastMonth]:
    """The aid committed by signed conventions, month by month, from ``start_key`` on.

    Four queries whatever the number of conventions (the SMIC series, rows, suspensions,
    amendments); each month has the amount of the convention's whole schedule
    (``row_facts``, ``schedules_over``)."""
    smic = services.smic_series()
    keys = [add_months(start_key, offset) for offset in range(months)]
    first, _ = month_bounds(keys[0])
    _, last = month_bounds(keys[-1])
    conventions = _overlapping(queryset, first, last)
    # Conventions with the same facts (dates, rate, hours, suspensions, modifications) have
    # the same schedule: each is computed once, month by month (``_months_of``: most months
    # are shared by many cases too, through the memo), and added up times its number of
    # conventions (Decimal products of cents are exact).
    cases = Counter(
        facts for _row, facts in row_facts(conventions.values(*SCHEDULE_ROW_FIELDS), conventions)
    )
    counts: Counter[int] = Counter()
    distinct: dict[int, aid.AidSchedule] = {}
    memo: dict = {}
    for facts, number in cases.items():
        for schedule in schedules_over(facts, _months_of(facts, first, last), memo, smic) or ():
            counts[id(schedule)] += number
            distinct[id(schedule)] = schedule
    buckets: dict[str, dict[str, Decimal]] = {key: defaultdict(lambda: ZERO) for key in keys}
    for identity, schedule in distinct.items():
        for month in schedule.months:
            if month.month not in buckets:
                continue
            for part in month.funder_amounts or (aid.FunderAmount(aid.FUNDER_STATE, month.amount),):
                buckets[month.month][part.funder] += part.amount * counts[identity]
    return [ForecastMonth(key, dict(buckets[key])) for key in keys]


def forecast_chart_svg(rows: list[ForecastMonth]) -> str:
    """A stacked bar chart per funder, rendered on the server with the shared look of
    ``tremplin.web.charts`` (the page's font, no script); the table under it gives the
    amounts."""
    title = "Engagements d'aide à l'employeur par mois (€)"
    chart = StackedBar(
        **common_options(title),
        height=360,
        x_label_rotation=45,
        value_formatter=lambda value: f"{value:,.0f} €".replace(",", "\u202f"),
    )
    chart.x_labels = [aid.french_month(*map(int, row.month.split("-"))) for row in rows]
    for funder, label in aid.FUNDER_LABELS.items():
        # pygal draws floats; the amounts people read stay Decimal in the table beside it.
        chart.add(label, [float(row.by_funder.get(funder, ZERO)) for row in rows])
    return to_svg(chart, title, name="prevision")
