"""Calendar arithmetic: holidays, business days, wall-clock hours in Paris, support months."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules.calendar import (
    PARIS,
    Period,
    add_business_days,
    business_days_between,
    calendar_month_overlap,
    calendar_months_overlapping,
    hours_after,
    is_business_day,
    is_public_holiday,
    last_day_of_support_month,
    public_holidays,
    support_month,
    support_month_number,
    support_months,
    to_paris,
)

D = dt.date
days = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


# --- public holidays ---------------------------------------------------------------------


def test_common_law_holidays_of_2025():
    # Worked from the calendar: Easter 2025 is 20 April, so Easter Monday 21/04, Ascension
    # (Easter + 39) 29/05, Pentecost Monday (Easter + 50) 09/06; plus the 8 fixed days.
    expected = {
        D(2025, 1, 1), D(2025, 4, 21), D(2025, 5, 1), D(2025, 5, 8), D(2025, 5, 29),
        D(2025, 6, 9), D(2025, 7, 14), D(2025, 8, 15), D(2025, 11, 1), D(2025, 11, 11),
        D(2025, 12, 25),
    }  # fmt: skip
    assert set(public_holidays(2025)) == expected


@pytest.mark.parametrize("department", ["57", "67", "68"])
def test_alsace_moselle_adds_good_friday_and_saint_stephen(department):
    # Good Friday 2025 = Easter (20/04) - 2 days = 18/04.
    extra = set(public_holidays(2025, department)) - set(public_holidays(2025))
    assert extra == {D(2025, 4, 18), D(2025, 12, 26)}


@pytest.mark.parametrize("department", [None, "75", "13", "2A"])
def test_other_departments_do_not_have_the_local_days(department):
    assert not is_public_holiday(D(2025, 12, 26), department)
    assert not is_public_holiday(D(2025, 4, 18), department)


def test_holiday_names_are_in_french():
    assert public_holidays(2025)[D(2025, 7, 14)] == "Fête nationale"


def test_several_years_at_once():
    both = public_holidays([2025, 2026])
    assert D(2025, 12, 25) in both and D(2026, 12, 25) in both


# --- business days -----------------------------------------------------------------------


def test_business_day_excludes_weekends_and_holidays():
    assert is_business_day(D(2025, 6, 10))  # a Tuesday
    assert not is_business_day(D(2025, 6, 14))  # a Saturday
    assert not is_business_day(D(2025, 6, 9))  # Pentecost Monday
    assert not is_business_day(D(2025, 12, 26), "67")
    assert is_business_day(D(2025, 12, 26), "75")  # a Friday elsewhere


def test_add_business_days_skips_the_easter_weekend_in_alsace():
    # From Thursday 17/04/2025 in the Bas-Rhin: Fri 18 (Good Friday), Sat, Sun, Mon 21
    # (Easter Monday) are all off, so the next business day is Tuesday 22/04.
    assert add_business_days(D(2025, 4, 17), 1, "67") == D(2025, 4, 22)
    # In Paris, Good Friday is worked.
    assert add_business_days(D(2025, 4, 17), 1, "75") == D(2025, 4, 18)


def test_add_business_days_backwards_and_zero():
    assert add_business_days(D(2025, 4, 22), -1, "67") == D(2025, 4, 17)
    assert add_business_days(D(2025, 6, 14), 0) == D(2025, 6, 16)  # Saturday -> Monday
    assert add_business_days(D(2025, 6, 10), 0) == D(2025, 6, 10)


def test_business_days_between_counts_inclusively():
    # May 2025: 22 weekdays, minus 1, 8 and 29 May (all weekdays) = 19.
    assert business_days_between(D(2025, 5, 1), D(2025, 5, 31)) == 19
    assert business_days_between(D(2025, 5, 2), D(2025, 5, 1)) == 0


@given(days, st.integers(min_value=0, max_value=40))
def test_add_business_days_lands_on_a_business_day_with_the_right_count(day, count):
    result = add_business_days(day, count, "57")
    assert is_business_day(result, "57")
    if count > 0:
        assert business_days_between(day + dt.timedelta(days=1), result, "57") == count


# --- hours after a moment, in Paris ----------------------------------------------------------


def test_48_hours_across_the_spring_change_keep_the_wall_clock_hour():
    # Clocks go forward on Sunday 30/03/2025 at 02:00. Known Saturday 29/03 10:00 (+01:00)
    # -> due Monday 31/03 10:00, now at +02:00 (47 elapsed hours).
    due = hours_after(dt.datetime(2025, 3, 29, 10, 0, tzinfo=PARIS), 48)
    assert due.isoformat() == "2025-03-31T10:00:00+02:00"


def test_48_hours_across_the_autumn_change():
    # Clocks go back on Sunday 26/10/2025: Saturday 25/10 10:00 (+02:00) -> Monday 27/10
    # 10:00 (+01:00).
    due = hours_after(dt.datetime(2025, 10, 25, 10, 0), 48)
    assert due.isoformat() == "2025-10-27T10:00:00+01:00"


def test_naive_moment_is_read_in_paris_and_foreign_offsets_are_converted():
    assert to_paris(dt.datetime(2025, 6, 10, 14, 0)).isoformat() == "2025-06-10T14:00:00+02:00"
    utc_moment = dt.datetime(2025, 6, 10, 12, 0, tzinfo=dt.UTC)  # 14:00 in Paris in summer
    assert hours_after(utc_moment, 48).isoformat() == "2025-06-12T14:00:00+02:00"


def test_a_wall_time_skipped_by_the_spring_change_moves_forward():
    # 02:30 on 30/03/2025 does not exist in Paris; a clock reads 03:30.
    due = hours_after(dt.datetime(2025, 3, 29, 2, 30), 24)
    assert due.isoformat() == "2025-03-30T03:30:00+02:00"


moments = st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2035, 12, 31))


@given(moments, st.integers(min_value=1, max_value=20))
def test_whole_days_of_hours_keep_the_hour_of_day(moment, whole_days):
    # Property: 24*n hours later is the same Paris hour n days later (unless that hour does
    # not exist that day, when it moves forward by the one-hour gap).
    start = to_paris(moment)
    due = hours_after(start, 24 * whole_days)
    assert due.tzinfo is not None
    assert due.date() == start.date() + dt.timedelta(days=whole_days)
    assert (due.hour, due.minute) in {(start.hour, start.minute), (start.hour + 1, start.minute)}


@given(moments, st.integers(min_value=0, max_value=200))
def test_elapsed_time_differs_from_the_wall_clock_by_at_most_one_hour(moment, hours):
    start = to_paris(moment)
    elapsed = hours_after(start, hours) - start
    assert abs(elapsed - dt.timedelta(hours=hours)) <= dt.timedelta(hours=1)


# --- months of a support -----------------------------------------------------------------


def test_golden_month_4_of_a_support_starting_3_march():
    # 2025-03-03 + 3 months = 2025-06-03; + 4 months = 2025-07-03, the day before is 07-02.
    assert support_month(D(2025, 3, 3), 4) == Period(D(2025, 6, 3), D(2025, 7, 2))


def test_months_of_a_support_starting_31_january_clamp_and_stay_contiguous():
    # Jan 31 + 1 month clamps to Feb 28 (2025 is not a leap year), + 2 months is Mar 31,
    # + 3 months Apr 30: month 1 = 31/01..27/02, month 2 = 28/02..30/03, month 3 = 31/03..29/04.
    start = D(2025, 1, 31)
    assert support_month(start, 1) == Period(D(2025, 1, 31), D(2025, 2, 27))
    assert support_month(start, 2) == Period(D(2025, 2, 28), D(2025, 3, 30))
    assert support_month(start, 3) == Period(D(2025, 3, 31), D(2025, 4, 29))
    assert last_day_of_support_month(start, 6) == D(2025, 7, 30)  # Jan 31 + 6 m = Jul 31


def test_leap_year_start_29_february():
    # 2024-02-29 + 12 months clamps to 2025-02-28: month 12 ends on 2025-02-27.
    assert last_day_of_support_month(D(2024, 2, 29), 12) == D(2025, 2, 27)


def test_month_number_zero_is_refused():
    with pytest.raises(ValueError, match="au moins 1"):
        support_month(D(2025, 3, 3), 0)


@given(days, st.integers(min_value=1, max_value=30))
def test_support_months_partition_the_support_exactly(start, count):
    months = [support_month(start, k) for k in range(1, count + 1)]
    assert months[0].first == start
    for previous, following in zip(months, months[1:], strict=False):
        assert following.first == previous.last + dt.timedelta(days=1)  # no gap, no overlap
    assert sum(month.days for month in months) == (months[-1].last - start).days + 1
    for month in months:
        assert 28 <= month.days <= 31


@given(days, st.integers(min_value=0, max_value=900))
def test_month_number_finds_the_month_that_contains_the_day(start, offset):
    day = start + dt.timedelta(days=offset)
    k = support_month_number(start, day)
    assert day in support_month(start, k)
    assert support_months(start, day)[-1] == support_month(start, k)


def test_month_number_before_the_start_is_an_error():
    with pytest.raises(ValueError, match="précède"):
        support_month_number(D(2025, 3, 3), D(2025, 3, 2))


# --- calendar months overlapping a period ---------------------------------------------


def test_calendar_months_of_a_support_from_3_march_to_2_september():
    months = calendar_months_overlapping(D(2025, 3, 3), D(2025, 9, 2))
    assert [(m.year, m.month, m.full) for m in months] == [
        (2025, 3, False), (2025, 4, True), (2025, 5, True), (2025, 6, True),
        (2025, 7, True), (2025, 8, True), (2025, 9, False),
    ]  # fmt: skip
    assert (months[0].first, months[0].last) == (D(2025, 3, 3), D(2025, 3, 31))
    assert (months[-1].first, months[-1].last) == (D(2025, 9, 1), D(2025, 9, 2))


def test_a_period_inside_one_month_is_partial_unless_it_is_the_whole_month():
    assert [m.full for m in calendar_months_overlapping(D(2025, 2, 1), D(2025, 2, 28))] == [True]
    assert [m.full for m in calendar_months_overlapping(D(2025, 2, 2), D(2025, 2, 28))] == [False]


def test_the_months_of_a_period_are_worked_out_once_and_cannot_be_changed():
    # A référent's home asks for the months of each support on every load: kept per period.
    first = calendar_months_overlapping(D(2025, 3, 3), D(2025, 9, 2))
    again = calendar_months_overlapping(D(2025, 3, 3), D(2025, 9, 2))
    assert again is first
    assert isinstance(first, tuple)  # a shared answer nobody can append to
    with pytest.raises(dataclasses.FrozenInstanceError):
        first[0].full = True  # type: ignore[misc]
    for _ in range(2):  # a wrong period is refused every time, never kept
        with pytest.raises(ValueError, match="Période invalide"):
            calendar_months_overlapping(D(2025, 9, 3), D(2025, 9, 2))


@given(days, st.integers(min_value=0, max_value=800))
def test_calendar_months_partition_the_period(first, length):
    last = first + dt.timedelta(days=length)
    months = calendar_months_overlapping(first, last)
    assert months[0].first == first and months[-1].last == last
    for previous, following in zip(months, months[1:], strict=False):
        assert following.first == previous.last + dt.timedelta(days=1)
    for month in months:
        whole = month.first.day == 1 and (month.last + dt.timedelta(days=1)).day == 1
        assert month.full == whole


@given(days, st.integers(min_value=0, max_value=800), st.integers(min_value=0, max_value=800))
def test_the_month_of_a_day_is_the_one_the_list_holds(first, length, offset):
    # calendar_month_overlap is the cadence's shortcut (P4: the month in progress) to the
    # element of calendar_months_overlapping that holds the day.
    last = first + dt.timedelta(days=length)
    day = first + dt.timedelta(days=min(offset, length))
    [holding] = [m for m in calendar_months_overlapping(first, last) if m.first <= day <= m.last]
    assert calendar_month_overlap(first, last, day) == holding


def test_the_month_of_a_day_outside_the_period_is_refused():
    with pytest.raises(ValueError, match="pas dans la période"):
        calendar_month_overlap(D(2025, 3, 3), D(2025, 9, 2), D(2025, 9, 3))
    with pytest.raises(ValueError, match="précède"):
        calendar_month_overlap(D(2025, 3, 3), D(2025, 3, 2), D(2025, 3, 3))


def test_period_rejects_an_end_before_its_start():
    with pytest.raises(ValueError, match="précède"):
        Period(D(2025, 3, 3), D(2025, 3, 2))
