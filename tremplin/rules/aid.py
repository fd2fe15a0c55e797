"""The employer aid of a CUI convention, month by month (rules E6, E12, F5, F6, F10, F12, F13).

Product rules
-------------
1. **Full month.** The aid of a month fully covered is
   ``rate × SMIC hourly gross × subsidised weekly hours × 52 / 12`` (rules E6, F10): the rate is
   a percentage of the gross hourly SMIC, the subsidised hours are those of the aid box, which
   may be lower than the contract's (rule F5), and 52 / 12 turns weekly hours into monthly
   hours (35 h × 52 / 12 = 151.67 h, the legal monthly duration).
2. **Partial month.** A month partly covered (first and last month, suspension, end of the
   convention) gets the full-month amount × days covered / days in the month (calendar days).
3. **Suspensions.** Days of a suspension without pay are not covered: no aid is due for them
   (rule F12). A suspension with pay maintained does not stop the aid.
4. **Amendments.** A change of rate or of subsidised weekly hours applies from its effective
   date; the month in which it falls is split in proportion to the days under each term.
5. **SMIC.** Each month uses the gross hourly SMIC in force on its first covered day (the dated
   series ``rules/data/smic_hourly.csv``, metropolitan values since 2010, each with its decree).
6. **Rounding.** Money is ``Decimal`` end to end, never a float. Each month is rounded half up
   to the cent at the last step (``ROUND_HALF_UP``); the total is the sum of the rounded months.
7. **Cap.** The rate never exceeds 47 % (rule E6) and the subsidised hours never exceed 35, so a
   month never exceeds 47 % × SMIC × 35 × 52 / 12.
8. **Funders.** When the département sets a rate above the prefect's (rule F6), the State funds
   the prefect's rate and the département the difference; when the département funds alone it
   pays everything; a co-financing fraction of the prefect's part can be given (the département's
   objectives-and-means agreement sets it). Each month is split half up to the cent, the last
   funder taking the remainder so that the shares always add up to the month.
9. **Repayment.** After a rupture on the employer's initiative outside the lawful cases, or when
   the authority denounces the convention, all the aid received up to the rupture is repaid
   (rule F13); with a CAE, the exonerated social contributions are repaid beside it, due at the
   first contribution date after the rupture (``ruptures.contributions_due_on``).

Everything takes and returns plain values (dates, Decimals, frozen dataclasses); nothing here
imports Django.
"""

from __future__ import annotations

import calendar
import datetime
import decimal
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from tremplin.rules import ruptures
from tremplin.rules.parameters import AidCategory, AidOrder, DatedSeries, DatedValue, series

# Rule E6: the aid never exceeds 47 % of the SMIC per hour worked. An order may be stricter
# (AidOrder.rate_cap_percent), never looser.
RATE_CAP_PERCENT = Decimal("47")
# Rules C8 and E12: 20 to 35 hours a week. The lower bound has lawful exceptions (E4), checked
# in eligibility.py; the upper bound is absolute, which is what makes the monthly cap hold.
WEEKLY_HOURS_MIN = Decimal("20")
WEEKLY_HOURS_MAX = Decimal("35")
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
CENT = Decimal("0.01")
_ONE_DAY = datetime.timedelta(days=1)

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

FUNDER_STATE = "etat"
FUNDER_DEPARTMENT = "departement"
FUNDER_LABELS = {FUNDER_STATE: "État", FUNDER_DEPARTMENT: "Département"}
# A column of the schedule: the funder's share, not a state (« État » alone read as a status).
SHARE_LABELS = {FUNDER_STATE: "Part de l'État", FUNDER_DEPARTMENT: "Part du Département"}


class AidRuleError(ValueError):
    """Bad input to an aid computation; the message is French and cites the rule."""

    def __init__(self, message: str, rule: str = "", field: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.field = field


# --- Formatting helpers (French for people, plain decimals for machines) ---------------------


def plain(value: Decimal) -> str:
    """``Decimal("47.0")`` → ``"47"``, ``Decimal("26.50")`` → ``"26.5"``; never an exponent."""
    text = format(value.normalize(), "f")
    return text


def french_number(value: Decimal, places: int | None = None) -> str:
    """``Decimal("1338.48")`` → ``"1 338,48"`` (French separators)."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{value:,.{places}f}"
    else:
        text = f"{value.normalize():,f}"
    return text.replace(",", "\u202f").replace(".", ",")


def french_euros(value: Decimal) -> str:
    return f"{french_number(value, 2)} €"


def french_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def french_month(year: int, month: int) -> str:
    return f"{FRENCH_MONTHS[month - 1]} {year}"


def round_cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AidTerms:
    """The rate (in % of the SMIC) and subsidised weekly hours in force from a date.

    The initial terms take effect on the first day of the aid; each amendment that changes the
    rate or the hours is another ``AidTerms`` with its effective date (rules F2, F12).
    """

    effective_from: datetime.date
    rate_percent: Decimal
    weekly_hours: Decimal


@dataclass(frozen=True)
class Suspension:
    """A suspension of the contract, both dates included (rules C9, F12)."""

    start: datetime.date
    end: datetime.date
    # Pay maintained: the aid continues. Without pay: the days are not covered (rule F12).
    paid: bool = False
    reason: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class FunderShare:
    """The fraction (0 to 1) of each month's aid paid by a funder."""

    funder: str
    fraction: Decimal

    @property
    def label(self) -> str:
        return FUNDER_LABELS.get(self.funder, self.funder)

    @property
    def share_label(self) -> str:
        """The schedule's column: « Part de l'État »."""
        return SHARE_LABELS.get(self.funder, f"Part : {self.label}")


# --- Outputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthSegment:
    """Covered days of a month under one set of terms."""

    days: int
    rate_percent: Decimal
    weekly_hours: Decimal
    effective_from: datetime.date


@dataclass(frozen=True)
class FunderAmount:
    funder: str
    amount: Decimal

    @property
    def label(self) -> str:
        return FUNDER_LABELS.get(self.funder, self.funder)


@dataclass(frozen=True)
class MonthAid:
    """The aid of one calendar month."""

    month: str  # "YYYY-MM"
    days_covered: int
    days_in_month: int
    # Days of the aid period in this month not covered because of an unpaid suspension.
    suspended_days: int
    smic_hourly: Decimal
    smic_source: str
    # The terms on the first covered day; ``segments`` has every term when an amendment splits
    # the month.
    rate_percent: Decimal
    weekly_hours: Decimal
    amount: Decimal
    segments: tuple[MonthSegment, ...]
    funder_amounts: tuple[FunderAmount, ...] = ()

    @property
    def explanation(self) -> str:
        """The month's computation in French, built when shown (the schedule's page, its PDF,
        the command): a payment list or a forecast over 20,000 conventions never reads it."""
        year, month = (int(part) for part in self.month.split("-"))
        return _explain(
            year,
            month,
            self.segments,
            self.smic_hourly,
            self.days_in_month,
            self.suspended_days,
            self.amount,
        )


@dataclass(frozen=True)
class AidSchedule:
    """The schedule of an aid period, with the inputs that produced it."""

    start: datetime.date
    end: datetime.date
    terms: tuple[AidTerms, ...]
    suspensions: tuple[Suspension, ...]
    funder_shares: tuple[FunderShare, ...]
    months: tuple[MonthAid, ...]
    total: Decimal

    @property
    def period_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def days_covered(self) -> int:
        return sum(month.days_covered for month in self.months)

    @property
    def suspended_days(self) -> int:
        return sum(month.suspended_days for month in self.months)

    def funder_totals(self) -> tuple[FunderAmount, ...]:
        totals: dict[str, Decimal] = {share.funder: Decimal("0.00") for share in self.funder_shares}
        for month in self.months:
            for part in month.funder_amounts:
                totals[part.funder] = totals.get(part.funder, Decimal("0.00")) + part.amount
        return tuple(FunderAmount(funder, amount) for funder, amount in totals.items())


# --- The schedule ----------------------------------------------------------------------------


def check_rate_cap(rate_percent: Decimal, cap_percent: Decimal = RATE_CAP_PERCENT) -> None:
    """Rule E6: the rate must be positive and at most the cap (47 %, or the order's)."""
    if rate_percent <= 0:
        raise AidRuleError(
            f"Le taux de prise en charge doit être positif (saisi : {plain(rate_percent)} %).",
            rule="E6",
            field="rate",
        )
    if rate_percent > cap_percent:
        raise AidRuleError(
            f"Le taux de prise en charge ({french_number(rate_percent)} %) dépasse le plafond "
            f"de {french_number(cap_percent)} % du SMIC horaire brut (règle E6) : "
            f"saisissez un taux d'au plus {french_number(cap_percent)} %.",
            rule="E6",
            field="rate",
        )


def _check_hours(weekly_hours: Decimal) -> None:
    if not Decimal(0) < weekly_hours <= WEEKLY_HOURS_MAX:
        raise AidRuleError(
            f"La durée hebdomadaire prise en charge ({french_number(weekly_hours)} h) doit être "
            f"comprise entre 0 et {french_number(WEEKLY_HOURS_MAX)} heures (règle C8).",
            rule="C8",
            field="hours",
        )


def monthly_cap(smic_hourly: Decimal, cap_percent: Decimal = RATE_CAP_PERCENT) -> Decimal:
    """The most a full month can be: cap × SMIC × 35 h × 52 / 12, rounded half up (rule E6)."""
    return _month_amount(
        ((cap_percent, WEEKLY_HOURS_MAX, 1),), smic_hourly=smic_hourly, days_in_month=1
    )


@functools.lru_cache(maxsize=4096)
def _month_amount(
    parts: tuple[tuple[Decimal, Decimal, int], ...], smic_hourly: Decimal, days_in_month: int
) -> Decimal:
    """Σ rate/100 × SMIC × hours × 52/12 × days/days_in_month, rounded once at the end.

    The numerator is a product of short decimals, hence exact; a single division follows, in a
    context precise enough that the only rounding is the final half-up to the cent. A pure
    function of its (hashable) arguments: most months of most conventions share a few rates,
    hours and SMIC values, each computed once per process.
    """
    with decimal.localcontext() as context:
        context.prec = 60
        numerator = sum(
            (rate * smic_hourly * hours * WEEKS_PER_YEAR * days for rate, hours, days in parts),
            Decimal(0),
        )
        denominator = Decimal(100 * MONTHS_PER_YEAR * days_in_month)
        return round_cent(numerator / denominator)


def _overlap_days(
    start: datetime.date,
    end: datetime.date,
    intervals: Sequence[tuple[datetime.date, datetime.date]],
) -> int:
    """Days of [start, end] inside the (disjoint) intervals."""
    days = 0
    for low, high in intervals:
        first, last = max(start, low), min(end, high)
        if first <= last:
            days += (last - first).days + 1
    return days


def _merge(intervals: Iterable[tuple[datetime.date, datetime.date]]):
    merged: list[tuple[datetime.date, datetime.date]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _first_uncovered_free_day(
    start: datetime.date, end: datetime.date, unpaid: Sequence[tuple[datetime.date, datetime.date]]
) -> datetime.date | None:
    """The first day of [start, end] outside every unpaid suspension, if any."""
    day = start
    for low, high in unpaid:  # sorted, disjoint
        if high < day:
            continue
        if low > day:
            break
        day = high + datetime.timedelta(days=1)
    return day if day <= end else None


def _validate(
    start: datetime.date,
    end: datetime.date,
    terms: Sequence[AidTerms],
    suspensions: Sequence[Suspension],
    funder_shares: Sequence[FunderShare],
    cap_percent: Decimal,
) -> None:
    if end < start:
        raise AidRuleError(
            f"La date de fin de la prise en charge ({french_date(end)}) précède sa date de "
            f"début ({french_date(start)}) : corrigez l'une des deux dates.",
            rule="C5",
            field="end",
        )
    if not terms or terms[0].effective_from != start:
        raise AidRuleError(
            "Les premières conditions de l'aide doivent prendre effet le premier jour de la "
            "prise en charge.",
            field="start",
        )
    for previous, amendment in zip(terms, terms[1:], strict=False):
        if amendment.effective_from <= previous.effective_from:
            raise AidRuleError(
                f"Deux avenants prennent effet le même jour ou dans le désordre "
                f"({french_date(amendment.effective_from)}).",
                field="amendments",
            )
    for amendment in terms:
        if amendment.effective_from > end:
            raise AidRuleError(
                f"L'avenant du {french_date(amendment.effective_from)} prend effet après la fin "
                f"de la prise en charge ({french_date(end)}).",
                field="amendments",
            )
        check_rate_cap(amendment.rate_percent, cap_percent)
        _check_hours(amendment.weekly_hours)
    for suspension in suspensions:
        if suspension.end < suspension.start:
            raise AidRuleError(
                f"La suspension se termine le {french_date(suspension.end)}, avant son début "
                f"le {french_date(suspension.start)} : corrigez les dates.",
                rule="C9",
                field="suspensions",
            )
    _validate_shares(funder_shares)


def _validate_shares(funder_shares: Sequence[FunderShare]) -> None:
    if not funder_shares:
        return
    if any(share.fraction < 0 for share in funder_shares):
        raise AidRuleError("Une part de financeur ne peut pas être négative.", rule="F6")
    if sum((share.fraction for share in funder_shares), Decimal(0)) != 1:
        raise AidRuleError("Les parts des financeurs doivent totaliser 100 %.", rule="F6")


def _split_between_funders(
    amount: Decimal, shares: Sequence[FunderShare]
) -> tuple[FunderAmount, ...]:
    parts = []
    allocated = Decimal("0.00")
    for index, share in enumerate(shares):
        if index == len(shares) - 1:
            part = amount - allocated  # the last funder takes the rounding remainder
        else:
            part = round_cent(amount * share.fraction)
            allocated += part
        parts.append(FunderAmount(share.funder, part))
    return tuple(parts)


def _explain(
    year: int,
    month: int,
    segments: Sequence[MonthSegment],
    smic_hourly: Decimal,
    days_in_month: int,
    suspended_days: int,
    amount: Decimal,
) -> str:
    label = french_month(year, month).capitalize()
    if not segments:
        return (
            f"{label} : aucun jour couvert ({suspended_days} j de suspension sans rémunération, "
            "règle F12) = 0,00 €."
        )
    terms = []
    for index, segment in enumerate(segments):
        formula = (
            f"{french_number(segment.rate_percent)} % × {french_euros(smic_hourly)} × "
            f"{french_number(segment.weekly_hours)} h × 52/12"
        )
        if len(segments) > 1 or segment.days != days_in_month:
            formula += f" × {segment.days}/{days_in_month} j"
        if index > 0:
            formula += f" (avenant du {french_date(segment.effective_from)})"
        terms.append(formula)
    sentence = f"{label} : " + " + ".join(terms) + f" = {french_euros(amount)}"
    if len(segments) == 1 and segments[0].days == days_in_month:
        sentence = f"{label} (mois complet) : " + sentence.split(" : ", 1)[1]
    if suspended_days:
        sentence += f" ; {suspended_days} j de suspension sans rémunération non couverts (F12)"
    return sentence + "."


@functools.lru_cache(maxsize=4096)
def _calendar_month(index: int) -> tuple[str, datetime.date, datetime.date, int]:
    """The month ``year × 12 + month − 1``: "YYYY-MM", its first and last day, its days."""
    year, month = divmod(index, 12)
    month += 1
    days = calendar.monthrange(year, month)[1]
    first, last = datetime.date(year, month, 1), datetime.date(year, month, days)
    return f"{year:04d}-{month:02d}", first, last, days


def _month_index(day: datetime.date) -> int:
    """The index of the month of ``day``: ``year × 12 + month − 1`` (consecutive months follow)."""
    return day.year * 12 + day.month - 1


def _month_aid(
    label: str,
    first: datetime.date,
    last: datetime.date,
    days_in_month: int,
    terms: Sequence[AidTerms],
    unpaid: Sequence[tuple[datetime.date, datetime.date]],
    smic: DatedSeries,
    funder_shares: Sequence[FunderShare],
) -> MonthAid:
    """The aid of the days ``first`` to ``last`` of a month, computed in full (rules 1 to 5)."""
    suspended_days = _overlap_days(first, last, unpaid)

    # Split the month at each amendment taking effect inside it (rule 4).
    segments: list[MonthSegment] = []
    for index, current in enumerate(terms):
        following = terms[index + 1].effective_from if index + 1 < len(terms) else None
        segment_first = max(first, current.effective_from)
        segment_last = last if following is None else min(last, following - _ONE_DAY)
        if segment_first > segment_last:
            continue
        days = (segment_last - segment_first).days + 1
        days -= _overlap_days(segment_first, segment_last, unpaid)
        if days:
            segments.append(
                MonthSegment(days, current.rate_percent, current.weekly_hours, segment_first)
            )

    # Rule 5: the SMIC in force on the first covered day (or on the first day of the period
    # in the month when nothing is covered, for display only: the amount is then zero).
    first_covered = _first_uncovered_free_day(first, last, unpaid) or first
    smic_entry = smic.entry_at(first_covered)
    shown_terms = next(t for t in reversed(terms) if t.effective_from <= first_covered)
    amount = _month_amount(
        tuple((s.rate_percent, s.weekly_hours, s.days) for s in segments),
        smic_entry.value,
        days_in_month,
    )
    return MonthAid(
        month=label,
        days_covered=sum(s.days for s in segments),
        days_in_month=days_in_month,
        suspended_days=suspended_days,
        smic_hourly=smic_entry.value,
        smic_source=smic_entry.source,
        rate_percent=shown_terms.rate_percent,
        weekly_hours=shown_terms.weekly_hours,
        amount=amount,
        segments=tuple(segments),
        funder_amounts=_split_between_funders(amount, funder_shares) if funder_shares else (),
    )


def _month_under_one_term(
    label: str,
    first: datetime.date,
    last: datetime.date,
    days_in_month: int,
    term: AidTerms,
    smic_entry: DatedValue,
    funder_shares: Sequence[FunderShare],
) -> MonthAid:
    """The aid of the days ``first`` to ``last`` of a month, all under ``term`` (in force on
    ``first``) and none suspended without pay: ``_month_aid`` when the month is one segment,
    with ``smic_entry`` the SMIC row in force on ``first``."""
    days = (last - first).days + 1
    amount = _month_amount(
        ((term.rate_percent, term.weekly_hours, days),), smic_entry.value, days_in_month
    )
    return MonthAid(
        month=label,
        days_covered=days,
        days_in_month=days_in_month,
        suspended_days=0,
        smic_hourly=smic_entry.value,
        smic_source=smic_entry.source,
        rate_percent=term.rate_percent,
        weekly_hours=term.weekly_hours,
        amount=amount,
        segments=(MonthSegment(days, term.rate_percent, term.weekly_hours, first),),
        funder_amounts=_split_between_funders(amount, funder_shares) if funder_shares else (),
    )


# The rows of full months: a full month's row is a pure function of its month, its terms, its
# SMIC row and the funders' shares, which most months of most conventions share; each is built
# once per process (rows are frozen). Keyed by those inputs (the rate, hours and SMIC written
# exactly as given: 47 and 47.0 are shown differently), then by the month's index.
_FULL_MONTHS: dict[tuple, dict[int, MonthAid]] = {}
_FULL_MONTHS_KEYS_MAX = 1024


def _full_months(
    term: AidTerms, smic_entry: DatedValue, funder_shares: Sequence[FunderShare]
) -> dict[int, MonthAid]:
    """The full months' rows under ``term``, the SMIC row and the shares, by month index."""
    key = (
        str(term.rate_percent),
        str(term.weekly_hours),
        str(smic_entry.value),
        smic_entry.source,
        tuple((share.funder, share.fraction) for share in funder_shares) if funder_shares else (),
    )
    rows = _FULL_MONTHS.get(key)
    if rows is None:
        if len(_FULL_MONTHS) >= _FULL_MONTHS_KEYS_MAX:
            _FULL_MONTHS.clear()
        rows = _FULL_MONTHS[key] = {}
    return rows


def compute_schedule(
    start: datetime.date,
    end: datetime.date,
    terms: Sequence[AidTerms],
    suspensions: Sequence[Suspension] = (),
    funder_shares: Sequence[FunderShare] = (),
    smic: DatedSeries | None = None,
    cap_percent: Decimal = RATE_CAP_PERCENT,
) -> AidSchedule:
    """The month-by-month aid from ``start`` to ``end`` (both included), see the module rules.

    ``terms`` are the initial terms (effective on ``start``) followed by each amendment in date
    order. Raises ``AidRuleError`` (French, citing the rule) on bad input and
    ``parameters.NoValueInForce`` when a month is before the first known SMIC.

    A month without an unpaid suspension nor an amendment taking effect inside it is one
    segment: when the period covers it fully (most months) its row is read from the full
    months' rows, each built once, together with the following full months under the same
    terms and SMIC row; the first and last months are computed directly. The months
    with an unpaid suspension or an amendment inside are computed in full (``_month_aid``).
    """
    terms = tuple(terms)
    suspensions = tuple(suspensions)
    funder_shares = tuple(funder_shares)
    _validate(start, end, terms, suspensions, funder_shares, cap_percent)
    smic = smic or series("smic_hourly")
    unpaid = _merge(
        (max(s.start, start), min(s.end, end))
        for s in suspensions
        if not s.paid and s.start <= end and s.end >= start
    )
    # The months (``year × 12 + month − 1``) with days suspended without pay.
    unpaid_months = {
        index for low, high in unpaid for index in range(_month_index(low), _month_index(high) + 1)
    }

    months: list[MonthAid] = []
    # The terms in force (the next one takes effect on ``term_until``) and the SMIC row in
    # force (until ``smic_until``) on the first day of the current month.
    term_index = 0
    term_until = terms[1].effective_from if len(terms) > 1 else None
    smic_entry: DatedValue | None = None
    smic_until = None
    rows: dict[int, MonthAid] | None = None
    index = _month_index(start)
    last_index = _month_index(end)
    # The first month not fully inside the period, at its end.
    full_stop = last_index + 1 if end == _calendar_month(last_index)[2] else last_index
    while index <= last_index:
        label, first, last, days_in_month = _calendar_month(index)
        while term_until is not None and term_until <= first:
            term_index += 1
            term_until = (
                terms[term_index + 1].effective_from if term_index + 1 < len(terms) else None
            )
            rows = None
        # The days of the period in this month.
        covered_first = start if first < start else first
        covered_last = end if last > end else last
        if (term_until is not None and term_until <= covered_last) or index in unpaid_months:
            # An amendment takes effect inside the month, or days are suspended without pay.
            months.append(
                _month_aid(
                    label,
                    covered_first,
                    covered_last,
                    days_in_month,
                    terms,
                    unpaid,
                    smic,
                    funder_shares,
                )
            )
            index += 1
            continue
        if covered_first != first or covered_last != last:
            # The first or last month, partly covered, under one term.
            months.append(
                _month_under_one_term(
                    label,
                    covered_first,
                    covered_last,
                    days_in_month,
                    terms[term_index],
                    smic.entry_at(covered_first),
                    funder_shares,
                )
            )
            index += 1
            continue
        if smic_entry is None or (smic_until is not None and first >= smic_until):
            smic_entry, smic_until = smic.entry_until(first)
            rows = None
        if rows is None:
            rows = _full_months(terms[term_index], smic_entry, funder_shares)
        # A full month: it and the following ones up to ``run_stop`` (excluded) are full, under
        # the same terms and SMIC row, without unpaid days — read from the same rows.
        run_stop = full_stop
        if term_until is not None:
            # The month in which the next terms take effect (on its 1st or inside it).
            run_stop = min(run_stop, _month_index(term_until))
        if smic_until is not None:
            # The first month whose 1st is under the next SMIC row.
            run_stop = min(run_stop, _month_index(smic_until) + (smic_until.day > 1))
        if unpaid_months:
            run_stop = min([run_stop, *(i for i in unpaid_months if i > index)])
        for run_index in range(index, run_stop):
            row = rows.get(run_index)
            if row is None:
                label, first, last, days_in_month = _calendar_month(run_index)
                row = rows[run_index] = _month_under_one_term(
                    label, first, last, days_in_month, terms[term_index], smic_entry, funder_shares
                )
            months.append(row)
        index = run_stop

    return AidSchedule(
        start=start,
        end=end,
        terms=terms,
        suspensions=suspensions,
        funder_shares=funder_shares,
        months=tuple(months),
        total=sum((m.amount for m in months), Decimal("0.00")),
    )


def aid_schedule(
    start: datetime.date,
    end: datetime.date,
    rate_percent: Decimal,
    weekly_hours: Decimal,
    *,
    suspensions: Sequence[Suspension] = (),
    amendments: Sequence[AidTerms] = (),
    funder_shares: Sequence[FunderShare] = (),
    smic: DatedSeries | None = None,
    cap_percent: Decimal = RATE_CAP_PERCENT,
) -> AidSchedule:
    """The schedule of a convention: initial rate and hours, then optional amendments.

    For example ``aid_schedule(date(2025, 3, 15), date(2025, 9, 14), Decimal(47), Decimal(26))``
    is the simulator's worked example.
    """
    initial = AidTerms(start, Decimal(rate_percent), Decimal(weekly_hours))
    return compute_schedule(
        start,
        end,
        (initial, *sorted(amendments, key=lambda terms: terms.effective_from)),
        suspensions=suspensions,
        funder_shares=funder_shares,
        smic=smic,
        cap_percent=cap_percent,
    )


# --- Rate decision (rule F6) -----------------------------------------------------------------


@dataclass(frozen=True)
class RateDecision:
    rate_percent: Decimal
    # "prefet" or "departement": whose rate applies.
    applied: str
    funder_shares: tuple[FunderShare, ...]
    explanation: str


def decide_rate(
    prefect_rate_percent: Decimal,
    *,
    prescribed_for_department: bool,
    department_rate_percent: Decimal | None = None,
    department_funds_alone: bool = False,
    department_cofinancing_fraction: Decimal = Decimal(0),
) -> RateDecision:
    """Rule F6: which rate applies, and who pays what share of each month.

    * Contract prescribed for the State: the prefect's rate, always; the State pays.
    * Prescribed by or for the département: its rate when it funds alone (it pays everything),
      or when it is higher than the prefect's (the State pays the prefect's rate, the
      département the difference); otherwise the prefect's rate.
    * ``department_cofinancing_fraction`` is the share of the prefect's part that the
      département pays under its agreement with the State (Cas 4 of seed 002's order is
      "sous réserve de la participation financière du conseil départemental"); 0 by default
      because the fraction is set by each agreement, not by the law.
    """
    if not Decimal(0) <= department_cofinancing_fraction <= 1:
        raise AidRuleError("La part de cofinancement du département doit être entre 0 et 1.")
    prefect = f"{french_number(prefect_rate_percent)} %"
    if not prescribed_for_department:
        return RateDecision(
            prefect_rate_percent,
            "prefet",
            (FunderShare(FUNDER_STATE, Decimal(1)),),
            f"Contrat prescrit pour le compte de l'État : le taux de l'arrêté du préfet "
            f"({prefect}) s'applique dans tous les cas (règle F6).",
        )
    if department_funds_alone:
        if department_rate_percent is None:
            raise AidRuleError(
                "Le département finance seul : indiquez son taux de prise en charge (règle F6).",
                rule="F6",
                field="department_rate",
            )
        return RateDecision(
            department_rate_percent,
            "departement",
            (FunderShare(FUNDER_DEPARTMENT, Decimal(1)),),
            f"Financement exclusif du département : son taux "
            f"({french_number(department_rate_percent)} %) s'applique (règle F6).",
        )
    cofinanced = department_cofinancing_fraction
    if department_rate_percent is not None and department_rate_percent > prefect_rate_percent:
        state_fraction = prefect_rate_percent / department_rate_percent * (1 - cofinanced)
        return RateDecision(
            department_rate_percent,
            "departement",
            _shares(state_fraction),
            f"Le taux du département ({french_number(department_rate_percent)} %) est supérieur "
            f"à celui du préfet ({prefect}) : il s'applique (règle F6) ; l'État finance la part "
            "du taux préfectoral, le département le complément.",
        )
    return RateDecision(
        prefect_rate_percent,
        "prefet",
        _shares(1 - cofinanced),
        f"Le taux du département n'est pas supérieur à celui du préfet : le taux de l'arrêté "
        f"({prefect}) s'applique (règle F6).",
    )


def _shares(state_fraction: Decimal) -> tuple[FunderShare, ...]:
    shares = []
    if state_fraction > 0:
        shares.append(FunderShare(FUNDER_STATE, state_fraction))
    if state_fraction < 1:
        shares.append(FunderShare(FUNDER_DEPARTMENT, 1 - state_fraction))
    return tuple(shares)


# --- Category proposal (rule E12) ------------------------------------------------------------

# Cerfa table 2 codes at level IV or below ("niveau IV et infra"): IV (40, 41), V (50, 51),
# V bis (60), VI (70), and 00 "autres qualifications non certifiantes" (no certified level).
LEVEL_IV_OR_BELOW = frozenset({"40", "41", "50", "51", "60", "70", "00"})


@dataclass(frozen=True)
class PersonSituation:
    """What the registry knows of the person at the hire date, for the category proposal."""

    age: int | None = None
    rsa_socle: bool = False
    job_seeker: bool = False
    months_registered_in_last_18: int = 0
    months_registered_in_last_36: int = 0
    education_level_code: str | None = None
    in_aij: bool = False  # accompagnement intensif des jeunes: youth bracket up to 27
    refugee: bool = False
    justice_measure: bool = False
    prescriber_derogation: bool = False
    zrr_resident: bool = False
    qpv_resident: bool = False
    disabled_worker: bool = False
    garantie_jeunes: bool = False


def _youth(situation: PersonSituation) -> bool:
    upper = 27 if situation.in_aij else 25
    return (
        situation.age is not None
        and 16 <= situation.age <= upper
        and situation.education_level_code in LEVEL_IV_OR_BELOW
    )


def _cas_1_or_2(situation: PersonSituation) -> bool:
    return any(
        CATEGORY_CRITERIA[code][1](situation)
        for code in (
            "job_seeker_12_of_18_months",
            "youth_16_25_level_iv_or_below",
            "refugee",
            "justice_measure",
            "prescriber_derogation",
            "job_seeker_24_of_36_months",
            "job_seeker_50_plus",
            "disabled_worker",
        )
    )


# Criterion code (as written in the order files) → (French label, predicate).
CATEGORY_CRITERIA: dict[str, tuple[str, Callable[[PersonSituation], bool]]] = {
    "rsa_socle": ("bénéficiaire du RSA socle", lambda s: s.rsa_socle),
    "job_seeker_12_of_18_months": (
        "inscrit à France Travail au moins 12 mois sur les 18 derniers",
        lambda s: s.months_registered_in_last_18 >= 12,
    ),
    "job_seeker_24_of_36_months": (
        "inscrit à France Travail au moins 24 mois sur les 36 derniers",
        lambda s: s.months_registered_in_last_36 >= 24,
    ),
    "youth_16_25_level_iv_or_below": (
        "jeune de 16 à 25 ans (27 ans en AIJ) de niveau IV ou infra",
        _youth,
    ),
    "refugee": ("réfugié statutaire ou bénéficiaire de l'ADA", lambda s: s.refugee),
    "justice_measure": ("personne sous main de justice", lambda s: s.justice_measure),
    "prescriber_derogation": (
        "dérogation du prescripteur (5 % de l'enveloppe)",
        lambda s: s.prescriber_derogation,
    ),
    "job_seeker_50_plus": (
        "demandeur d'emploi de 50 ans et plus",
        lambda s: s.job_seeker and s.age is not None and s.age >= 50,
    ),
    "zrr_resident_job_seeker": (
        "relevant des cas 1 ou 2 et domicilié en ZRR",
        lambda s: s.zrr_resident and _cas_1_or_2(s),
    ),
    "qpv_resident_job_seeker": (
        "en recherche d'emploi et domicilié en QPV",
        lambda s: s.qpv_resident and s.job_seeker,
    ),
    "disabled_worker": ("bénéficiaire de l'obligation d'emploi (TH)", lambda s: s.disabled_worker),
    "under_30_qpv_or_garantie_jeunes": (
        "jeune de moins de 30 ans en QPV ou en Garantie jeunes",
        lambda s: s.age is not None and s.age < 30 and (s.qpv_resident or s.garantie_jeunes),
    ),
}


@dataclass(frozen=True)
class CategoryProposal:
    category: AidCategory
    matched_criteria: tuple[str, ...]
    explanation: str


def propose_category(order: AidOrder, situation: PersonSituation) -> CategoryProposal | None:
    """The order's category that fits the person, the highest rate first; ``None`` if none.

    A proposal only: the agent confirms it ("Rate"). Criteria unknown to this module
    (an order entered later with new criteria) are ignored rather than guessed.
    """
    best: CategoryProposal | None = None
    for category in order.categories:
        matched = tuple(
            code
            for code in category.criteria
            if code in CATEGORY_CRITERIA and CATEGORY_CRITERIA[code][1](situation)
        )
        if not matched:
            continue
        if best is None or category.rate_percent > best.category.rate_percent:
            reasons = ", ".join(CATEGORY_CRITERIA[code][0] for code in matched)
            best = CategoryProposal(
                category,
                matched,
                f"Catégorie proposée : {category.label} ({french_number(category.rate_percent)} "
                f"% du SMIC horaire brut, {order.reference}) — {reasons}. "
                "À confirmer par l'agent (règle E12).",
            )
    return best


# --- Repayment on an unlawful rupture (rule F13) ---------------------------------------------


@dataclass(frozen=True)
class Repayment:
    required: bool
    amount: Decimal  # the aid to repay
    months: tuple[MonthAid, ...] = field(default_factory=tuple)
    explanation: str = ""
    # Rule F13, CAE: the exonerated social contributions repaid beside the aid (None: amount
    # not known yet, to ask the collecting body) and the day they are due.
    contributions: Decimal | None = None
    contributions_due_on: datetime.date | None = None


def repayment_on_rupture(
    schedule: AidSchedule,
    rupture_date: datetime.date,
    *,
    employer_initiative: bool,
    lawful_case: bool,
    denounced_by_authority: bool = False,
    paid_months: Iterable[str] | None = None,
    smic: DatedSeries | None = None,
    sector: str = "CIE",
    exonerated_contributions: Decimal | None = None,
    employer_headcount: int | None = None,
) -> Repayment:
    """Rule F13: the aid to repay after a rupture (``rupture_date`` = last day of the contract).

    Repayment is due when the employer broke the contract outside the lawful cases
    (R.5134-46/47 for a CAE, R.5134-69/70 for a CIE), or when the authority denounced the
    convention: then **all** the aid received up to the rupture is repaid. ``paid_months``
    ("YYYY-MM") restricts it to the months actually paid; by default every month due up to
    the rupture is taken as paid. With a CAE, the exonerated social contributions
    (``exonerated_contributions``, known from the collecting body) are repaid too, due at the
    first contribution date after the rupture for an employer of ``employer_headcount``.
    """
    if rupture_date < schedule.start:
        raise AidRuleError(
            f"La rupture du {french_date(rupture_date)} précède l'embauche du "
            f"{french_date(schedule.start)} : corrigez la date de rupture.",
            rule="F13",
            field="rupture_date",
        )
    if not denounced_by_authority and not (employer_initiative and not lawful_case):
        reason = (
            "rupture dans un des cas prévus par le code du travail"
            if employer_initiative
            else "rupture qui n'est pas à l'initiative de l'employeur"
        )
        return Repayment(
            False,
            Decimal("0.00"),
            (),
            f"Aucun reversement : {reason} (règle F13). L'aide cesse à la rupture.",
        )
    until_rupture = compute_schedule(
        schedule.start,
        min(schedule.end, rupture_date),
        [t for t in schedule.terms if t.effective_from <= rupture_date],
        suspensions=schedule.suspensions,
        funder_shares=schedule.funder_shares,
        smic=smic,
    )
    paid = set(paid_months) if paid_months is not None else None
    months = tuple(m for m in until_rupture.months if paid is None or m.month in paid)
    amount = sum((m.amount for m in months), Decimal("0.00"))
    cause = (
        "dénonciation de la convention par l'autorité signataire"
        if denounced_by_authority
        else "rupture à l'initiative de l'employeur hors des cas prévus par le code du travail"
    )
    explanation = (
        f"{cause.capitalize()} le {french_date(rupture_date)} : la convention est résiliée de "
        f"plein droit et l'employeur reverse l'intégralité de l'aide perçue, soit "
        f"{french_euros(amount)} sur {len(months)} mois (règle F13)."
    )
    contributions_due = None
    if sector == "CAE":
        contributions_due = ruptures.contributions_due_on(rupture_date, employer_headcount)
        due = ruptures.contributions_due_text(rupture_date, employer_headcount)
        if exonerated_contributions is None:
            explanation += (
                f" Il reverse aussi les cotisations sociales exonérées au titre du CAE, {due} : "
                "demandez leur montant à l'organisme de recouvrement et saisissez-le."
            )
        else:
            explanation += (
                f" Il reverse aussi {french_euros(exonerated_contributions)} de cotisations "
                f"sociales exonérées au titre du CAE, {due}."
            )
    return Repayment(
        True,
        amount,
        months,
        explanation,
        contributions=exonerated_contributions if sector == "CAE" else None,
        contributions_due_on=contributions_due,
    )


def with_funder_shares(schedule: AidSchedule, shares: Sequence[FunderShare]) -> AidSchedule:
    """The same schedule with each month split between ``shares`` (rule F6)."""
    shares = tuple(shares)
    _validate_shares(shares)
    return replace(
        schedule,
        funder_shares=shares,
        months=tuple(
            replace(m, funder_amounts=_split_between_funders(m.amount, shares))
            for m in schedule.months
        ),
    )
