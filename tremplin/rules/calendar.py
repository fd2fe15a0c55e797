"""Calendar arithmetic of the rules: public holidays, business days, "48 hours", "month 4".

Pure Python (no Django). Every date is a ``datetime.date``; every moment with an hour is an
aware ``datetime`` in Europe/Paris (DESIGN.md, "Conventions of the code").

The product's reading of the seeds' time expressions:

- *month k of a support* (rule A12, A13) runs from ``start + (k-1) months`` to the day before
  ``start + k months``; months are computed from the start every time (never chained), so a
  start on 31 January gives month 1 = 31 Jan..27 Feb, month 2 = 28 Feb..30 Mar: the months
  partition the support with no gap and no overlap;
- *N hours after a moment* (rule A14, "dans les 48 heures") is counted on the Paris wall
  clock: known Saturday 10:00 -> due Monday 10:00, whatever daylight-saving change happens in
  between (what a referent reads on a calendar);
- *business day* ("jour ouvré") is Monday to Friday except French public holidays, with
  Alsace-Moselle's two extra days (Good Friday, 26 December) in départements 57, 67 and 68.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

PARIS = ZoneInfo("Europe/Paris")

# The days a file of RSA support can speak of: a birth date after 1900, a contract or a
# deadline before 2101. Outside, a date is a typing error (0001, 9999) and is refused with
# a message, before any arithmetic on it can overflow.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)
DAY_OUT_OF_BOUNDS = (
    "Date hors des limites : saisissez une date entre le 01/01/1900 et le 31/12/2100."
)


def day_in_bounds(day: dt.date) -> bool:
    """True for a day (or a moment's day) between 1900 and 2100 included."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return EARLIEST_DAY <= day <= LATEST_DAY


# Local law of Alsace-Moselle (Code du travail, art. L3134-13): Good Friday and 26 December
# are public holidays there. The `holidays` library names the subdivisions "57" (Moselle)
# and "6AE" (Collectivité européenne d'Alsace, départements 67 and 68).
ALSACE_MOSELLE_DEPARTMENTS = frozenset({"57", "67", "68"})
_HOLIDAY_SUBDIVISION_OF_DEPARTMENT = {"57": "57", "67": "6AE", "68": "6AE"}


@dataclass(frozen=True)
class Period:
    """An inclusive range of days: ``first`` and ``last`` both belong to the period."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(
                f"Période invalide : la fin ({self.last:%d/%m/%Y}) précède le début "
                f"({self.first:%d/%m/%Y})."
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def overlaps(self, other: Period) -> bool:
        return self.first <= other.last and other.first <= self.last

    def intersection(self, other: Period) -> Period | None:
        first, last = max(self.first, other.first), min(self.last, other.last)
        return Period(first, last) if first <= last else None


@dataclass(frozen=True)
class CalendarMonthOverlap:
    """A calendar month seen through a period: the days it shares with it, full or not."""

    year: int
    month: int
    first: dt.date  # first day of the month inside the period
    last: dt.date  # last day of the month inside the period
    full: bool  # the whole calendar month lies inside the period


# --- public holidays and business days --------------------------------------------------


def _holiday_subdivision(department: str | None) -> str | None:
    if department is None:
        return None
    code = department.strip().upper()
    if code in _HOLIDAY_SUBDIVISION_OF_DEPARTMENT:
        return _HOLIDAY_SUBDIVISION_OF_DEPARTMENT[code]
    # Overseas départements have their own days (abolition of slavery ...): the library
    # knows them under their INSEE code (971, 972, 973, 974, 976).
    if code in holidays.France.subdivisions:
        return code
    return None


@lru_cache(maxsize=256)
def _holidays_of_year(year: int, subdivision: str | None) -> dict[dt.date, str]:
    calendar = holidays.France(years=year, subdiv=subdivision, language="fr")
    return dict(calendar.items())


def public_holidays(years: int | Iterable[int], department: str | None = None) -> dict:
    """French public holidays (date -> French name) of the given year(s) in a département.

    ``department`` is the INSEE code ("57", "67", "971" ...); None means metropolitan
    common law. Pentecost Monday is listed: it is a legal public holiday even where it is
    worked as the "journée de solidarité".
    """
    subdivision = _holiday_subdivision(department)
    year_list = [years] if isinstance(years, int) else list(years)
    result: dict[dt.date, str] = {}
    for year in year_list:
        result.update(_holidays_of_year(year, subdivision))
    return dict(sorted(result.items()))


def is_public_holiday(day: dt.date, department: str | None = None) -> bool:
    return day in _holidays_of_year(day.year, _holiday_subdivision(department))


def is_business_day(day: dt.date, department: str | None = None) -> bool:
    """A "jour ouvré": Monday to Friday and not a public holiday of the département."""
    return day.weekday() < 5 and not is_public_holiday(day, department)


def add_business_days(day: dt.date, count: int, department: str | None = None) -> dt.date:
    """The business day ``count`` business days after ``day`` (before it when negative).

    With ``count == 0`` the day itself when it is a business day, else the next one.
    """
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    current = day
    if remaining == 0:
        while not is_business_day(current, department):
            current += dt.timedelta(days=1)
        return current
    while remaining:
        current += dt.timedelta(days=step)
        if is_business_day(current, department):
            remaining -= 1
    return current


def business_days_between(first: dt.date, last: dt.date, department: str | None = None) -> int:
    """Business days in the inclusive range [first, last]; 0 when last precedes first."""
    count = 0
    current = first
    while current <= last:
        if is_business_day(current, department):
            count += 1
        current += dt.timedelta(days=1)
    return count


# --- moments with an hour ---------------------------------------------------------------


def to_paris(moment: dt.datetime) -> dt.datetime:
    """The moment in Europe/Paris; a naive datetime is read as Paris wall-clock time.

    A naive time that does not exist (skipped by the spring change, e.g. 02:30 on the last
    Sunday of March) is moved forward by the gap, as a clock would read it (03:30).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    # The round trip through UTC settles a non-existent wall time and any foreign offset.
    return moment.astimezone(dt.UTC).astimezone(PARIS)


def paris_midnight(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in Paris."""
    return dt.datetime.combine(day, dt.time(), tzinfo=PARIS)


def hours_after(moment: dt.datetime, hours: int) -> dt.datetime:
    """``hours`` hours after ``moment``, counted on the Paris wall clock (rule A14's 48 h).

    Whole days keep the hour: known 2025-03-29 10:00 -> 48 h -> 2025-03-31 10:00+02:00, even
    though the clocks went forward on the 30th (47 elapsed hours); across the autumn change
    the same reading gives 49 elapsed hours. The referent and the Cellule contrats aidés read
    deadlines on a wall calendar, so the wall clock is the product's reading.
    """
    start = to_paris(moment)
    wall_clock_result = start.replace(tzinfo=None) + dt.timedelta(hours=hours)
    # fold=0: an ambiguous autumn time is read as its first (earlier) occurrence, the
    # stricter reading of a deadline.
    return to_paris(wall_clock_result.replace(tzinfo=PARIS, fold=0))


# --- months -----------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    return day + relativedelta(months=months)


def support_month(start: dt.date, k: int) -> Period:
    """Month k (k >= 1) of a support that starts on ``start`` (rules A12, A13).

    Runs from ``start + (k-1) months`` to the day before ``start + k months``.
    """
    if k < 1:
        raise ValueError(f"Le numéro de mois d'accompagnement doit être au moins 1 (reçu {k}).")
    return Period(add_months(start, k - 1), add_months(start, k) - dt.timedelta(days=1))


def last_day_of_support_month(start: dt.date, k: int) -> dt.date:
    return support_month(start, k).last


def support_month_number(start: dt.date, day: dt.date) -> int:
    """The k such that ``day`` lies in month k of a support starting on ``start``."""
    if day < start:
        raise ValueError(
            f"Le {day:%d/%m/%Y} précède le début de l'accompagnement ({start:%d/%m/%Y})."
        )
    # Estimate from the calendar, then correct: clamping can shift the boundary by a day.
    k = (day.year - start.year) * 12 + (day.month - start.month) + 1
    k = max(k, 1)
    while day < support_month(start, k).first:
        k -= 1
    while day > support_month(start, k).last:
        k += 1
    return k


def support_months(start: dt.date, end: dt.date) -> list[Period]:
    """The support months from ``start`` up to the one containing ``end`` (inclusive)."""
    return [support_month(start, k) for k in range(1, support_month_number(start, end) + 1)]


def last_day_of_calendar_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def calendar_month_overlap(first: dt.date, last: dt.date, day: dt.date) -> CalendarMonthOverlap:
    """The calendar month of ``day`` seen through [first, last] (``day`` inside it): the
    element of ``calendar_months_overlapping(first, last)`` that holds ``day``, found
    without listing the others."""
    period = Period(first, last)
    if not first <= day <= last:
        raise ValueError(
            f"Le {day:%d/%m/%Y} n'est pas dans la période du {first:%d/%m/%Y} au {last:%d/%m/%Y}."
        )
    month_start = dt.date(day.year, day.month, 1)
    month_end = last_day_of_calendar_month(day.year, day.month)
    shared = period.intersection(Period(month_start, month_end))
    return CalendarMonthOverlap(
        year=day.year,
        month=day.month,
        first=shared.first,
        last=shared.last,
        full=shared.first == month_start and shared.last == month_end,
    )


@lru_cache(maxsize=4096)
def calendar_months_overlapping(first: dt.date, last: dt.date) -> tuple[CalendarMonthOverlap, ...]:
    """Each calendar month that shares at least one day with [first, last], in order.

    Kept per (first, last), as the months of a period never change: a référent's home asks
    for the months of each of their supports on every load, the nightly rebuild of the
    cadence states for thousands of supports sharing their starts and ends (frozen values,
    safe to share)."""
    period = Period(first, last)
    months: list[CalendarMonthOverlap] = []
    month_start = dt.date(first.year, first.month, 1)
    while month_start <= last:
        month_end = last_day_of_calendar_month(month_start.year, month_start.month)
        shared = period.intersection(Period(month_start, month_end))
        assert shared is not None  # the loop only visits months that meet the period
        months.append(
            CalendarMonthOverlap(
                year=month_start.year,
                month=month_start.month,
                first=shared.first,
                last=shared.last,
                full=shared.first == month_start and shared.last == month_end,
            )
        )
        month_start = month_end + dt.timedelta(days=1)
    return tuple(months)
