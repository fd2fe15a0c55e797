"""The aid due in a month per employer and funder, and the 24-month forecast of commitments.

Each convention's schedule comes from the rules (``services.schedule_of``): the same amounts
as on the convention's page, month by month, with their funder shares (rule F6).

The payment list of a month reads the conventions as plain rows (four queries whatever their
number, no model instance per row) and computes each distinct case once: a département has
20,000 conventions running in a month, most of them over the whole month at a handful of
rates and hours (``services.schedule_from_facts``, ``services.quarterly_proof_plan``).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from tremplin.registry.models import Beneficiary
from tremplin.rules import aid
from tremplin.rules.parameters import ParameterError

from . import services
from .models import (
    ActivityProof,
    Amendment,
    Convention,
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
    return queryset.filter(signed_on__isnull=False, aid_start__lte=last, aid_end__gte=first).filter(
        Q(rupture__isnull=True) | Q(rupture__last_day__gte=first)
    )


def signed_conventions_overlapping(queryset, first: datetime.date, last: datetime.date):
    """Signed conventions whose aid period meets [first, last], ready for their schedules."""
    return (
        _overlapping(queryset, first, last)
        .select_related("beneficiary", "employer", "rupture", "territory")
        .prefetch_related("amendments", "suspensions", "proofs")
        .order_by("employer__name", "id")
    )


def _schedules(
    conventions: Iterable[Convention],
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Iterator[tuple[Convention, aid.AidSchedule]]:
    for convention in conventions:
        try:
            yield convention, services.schedule_of(convention, since=since, until=until)
        except (aid.AidRuleError, ParameterError):
            continue  # an incomplete aid box has nothing to pay; its page says why


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
    "prescribed_for_departement",
    "departement_rate_percent",
    "departement_funds_alone",
    "rupture__last_day",
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
    rows = model.objects.filter(convention__in=conventions.values("pk")).values_list(
        "convention_id", *fields
    )
    for convention_id, *values in rows:
        by_convention[convention_id].append(tuple(values))
    return by_convention


def row_schedules(
    rows: Iterable[dict],
    conventions,
    *,
    since: datetime.date,
    until: datetime.date,
    memo: dict,
) -> Iterator[tuple[dict, aid.AidSchedule]]:
    """Each row's schedule over [since, until], as ``services.schedule_of`` gives it.

    ``rows`` are ``values()`` dicts with at least ``SCHEDULE_ROW_FIELDS``, all among
    ``conventions``, whose suspensions and amendments are read in one query each. Rows whose
    aid box is incomplete are left out (their page says why). ``memo`` is the caller's, for
    one computation: each distinct schedule is computed once (``schedule_from_facts``)."""
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
        facts = services.ScheduleFacts(
            aid_start=row["aid_start"],
            aid_end=row["aid_end"],
            subsidised_weekly_hours=row["subsidised_weekly_hours"],
            subsidised_hours=hours_and_minutes(
                row["subsidised_weekly_hours"], row["subsidised_weekly_minutes"]
            ),
            prefect_rate_percent=row["prefect_rate_percent"],
            prescribed_for_departement=row["prescribed_for_departement"],
            departement_rate_percent=row["departement_rate_percent"],
            departement_funds_alone=row["departement_funds_alone"],
            rupture_last_day=row["rupture__last_day"],
            suspensions=tuple(
                aid.Suspension(start, end, paid=paid, reason=str(reasons.get(reason, reason)))
                for start, end, paid, reason in suspensions.get(pk, ())
            ),
            modifications=tuple(modifications),
        )
        try:
            schedule = services.schedule_from_facts(facts, since=since, until=until, memo=memo)
        except (aid.AidRuleError, ParameterError):
            continue  # an incomplete aid box has nothing to pay; its page says why
        yield row, schedule


def _missing_proofs(row: dict, received: dict, today: datetime.date, plans: dict) -> str:
    """The overdue quarters of a convention as "T1, T2" (rules E6, F10)."""
    if row["hire_date"] is None or not row["contract_type"]:
        return ""
    plan = services.quarterly_proof_plan(
        row["hire_date"],
        row["contract_type"],
        row["planned_end"],
        row["aid_end"],
        row["rupture__last_day"],
        memo=plans,
    )
    return ", ".join(
        f"T{proof.quarter}"
        for proof in services.proofs_with_receipts(plan or (), received)
        if proof.missing_on(today)
    )


def payment_lines(queryset, key: str) -> list[PaymentLine]:
    """The aid of the month ``key`` ("YYYY-MM") per convention and funder (rules E6, F6, F10).

    Four queries whatever the number of conventions; each amount is the month of the
    convention's whole schedule (``services.schedule_from_facts``, as ``schedule_of``)."""
    first, last = month_bounds(key)
    today = timezone.localdate()
    conventions = _overlapping(queryset, first, last)
    proofs = _children_of(conventions, ActivityProof, "quarter", "received_on")
    plans: dict = {}
    flags: dict[tuple, str] = {}
    employers: dict[tuple[str, str], EmployerRef] = {}
    lines = []
    # Only the month is computed: the same amount as in the whole schedule (services).
    for row, schedule in row_schedules(
        payment_rows(queryset, first, last),
        conventions,
        since=first,
        until=last,
        memo={},
    ):
        pk = row["pk"]
        months = [month for month in schedule.months if month.month == key]
        if not months:
            continue
        # Conventions hired the same day on the same terms with the same proofs received
        # share their flags: each case is planned once (a per-call memo).
        receipts = tuple(proofs.get(pk, ()))
        proof_key = (
            row["hire_date"],
            row["contract_type"],
            row["planned_end"],
            row["aid_end"],
            row["rupture__last_day"],
            receipts,
        )
        missing = flags.get(proof_key)
        if missing is None:
            missing = flags[proof_key] = _missing_proofs(row, dict(receipts), today, plans)
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


class Rows:
    """A list that exports.export_response can stream like a queryset (``iterator``, ``model``)."""

    def __init__(self, rows: list, model=Convention):
        self.rows = rows
        self.model = model

    def iterator(self, chunk_size: int = 2000):
        return iter(self.rows)


@dataclass(frozen=True)
class ForecastMonth:
    month: str
    by_funder: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_funder.values(), ZERO)


def forecast(queryset, start_key: str, months: int = FORECAST_MONTHS) -> list[ForecastMonth]:
    """The aid committed by signed conventions, month by month, from ``start_key`` on.

    Three queries whatever the number of conventions (rows, suspensions, amendments); each
    month has the amount of the convention's whole schedule (``row_schedules``)."""
    keys = [add_months(start_key, offset) for offset in range(months)]
    first, _ = month_bounds(keys[0])
    _, last = month_bounds(keys[-1])
    conventions = _overlapping(queryset, first, last)
    # Most conventions share their schedule over the window (same end, rate, hours, funders):
    # the memo hands back the same object, so each distinct schedule is added up once, times
    # the number of its conventions (Decimal products of cents are exact).
    counts: Counter[int] = Counter()
    distinct: dict[int, aid.AidSchedule] = {}
    for _row, schedule in row_schedules(
        conventions.values(*SCHEDULE_ROW_FIELDS), conventions, since=first, until=last, memo={}
    ):
        counts[id(schedule)] += 1
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
    """A stacked bar chart per funder, rendered on the server (DESIGN.md: pygal)."""
    import pygal
    from pygal.style import DefaultStyle

    chart = pygal.StackedBar(
        style=DefaultStyle,
        height=360,
        x_label_rotation=45,
        disable_xml_declaration=True,
        title="Engagements d'aide à l'employeur par mois (€)",
        legend_at_bottom=True,
    )
    chart.x_labels = [aid.french_month(*map(int, row.month.split("-"))) for row in rows]
    for funder, label in aid.FUNDER_LABELS.items():
        # pygal draws floats; the amounts people read stay Decimal in the table beside it.
        chart.add(label, [float(row.by_funder.get(funder, ZERO)) for row in rows])
    return chart.render(is_unicode=True)
