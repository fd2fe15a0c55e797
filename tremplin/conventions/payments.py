"""The aid due in a month per employer and funder, and the 24-month forecast of commitments.

Each convention's schedule comes from the rules (``services.schedule_of``): the same amounts
as on the convention's page, month by month, with their funder shares (rule F6).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from tremplin.rules import aid
from tremplin.rules.parameters import ParameterError

from . import services
from .models import Convention

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


def signed_conventions_overlapping(queryset, first: datetime.date, last: datetime.date):
    """Signed conventions whose aid period meets [first, last], ready for their schedules."""
    return (
        queryset.filter(signed_on__isnull=False, aid_start__lte=last, aid_end__gte=first)
        .filter(Q(rupture__isnull=True) | Q(rupture__last_day__gte=first))
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
class PaymentLine:
    """The aid of one convention in the month, for one funder."""

    convention: Convention
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


def payment_lines(queryset, key: str) -> list[PaymentLine]:
    first, last = month_bounds(key)
    lines = []
    today = timezone.localdate()
    conventions = signed_conventions_overlapping(queryset, first, last)
    # Only the month is computed: the same amount as in the whole schedule (services).
    for convention, schedule in _schedules(conventions, since=first, until=last):
        missing = ", ".join(
            f"T{proof.quarter}" for proof in services.missing_proofs(convention, today)
        )
        for month in schedule.months:
            if month.month != key:
                continue
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
    """The aid committed by signed conventions, month by month, from ``start_key`` on."""
    keys = [add_months(start_key, offset) for offset in range(months)]
    first, _ = month_bounds(keys[0])
    _, last = month_bounds(keys[-1])
    buckets: dict[str, dict[str, Decimal]] = {key: defaultdict(lambda: ZERO) for key in keys}
    for _convention, schedule in _schedules(signed_conventions_overlapping(queryset, first, last)):
        for month in schedule.months:
            if month.month not in buckets:
                continue
            for part in month.funder_amounts or (aid.FunderAmount(aid.FUNDER_STATE, month.amount),):
                buckets[month.month][part.funder] += part.amount
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
