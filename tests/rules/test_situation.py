import datetime

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules.situation import (
    DurationBand,
    duration_band,
    rsa_seniority_months,
    whole_months_between,
)


def test_rsa_seniority_counts_the_earlier_rmi_period():
    # Rule F3, the form's own example: convention on 1 February 2010, RSA since
    # 1 June 2009 (8 months: June 2009 to January 2010) after 10 months of RMI: 8 + 10 = 18.
    months = rsa_seniority_months(datetime.date(2009, 6, 1), 10, datetime.date(2010, 2, 1))
    assert months == 18
    assert duration_band(months) == DurationBand.FROM_12_TO_23


@pytest.mark.parametrize(
    ("months", "band"),
    [
        (0, DurationBand.UNDER_6),
        (5, DurationBand.UNDER_6),
        (6, DurationBand.FROM_6_TO_11),
        (11, DurationBand.FROM_6_TO_11),
        (12, DurationBand.FROM_12_TO_23),
        (23, DurationBand.FROM_12_TO_23),
        (24, DurationBand.FROM_24),
    ],
)
def test_the_forms_bands(months, band):
    # Rule F1: "moins de 6 mois / de 6 à 11 mois / 12 à 23 mois / 24 et plus".
    assert duration_band(months) == band


@given(
    start=st.dates(datetime.date(2009, 6, 1), datetime.date(2026, 1, 1)),
    earlier=st.integers(0, 120),
    days=st.integers(0, 4000),
)
def test_seniority_never_decreases_with_time(start, earlier, days):
    on = start + datetime.timedelta(days=days)
    later = on + datetime.timedelta(days=31)
    assert rsa_seniority_months(start, earlier, later) >= rsa_seniority_months(start, earlier, on)
    assert rsa_seniority_months(start, earlier, on) >= earlier


@given(
    start=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2040, 12, 31)),
    days=st.integers(min_value=0, max_value=20 * 366),
)
def test_whole_months_are_counted_as_relativedelta_counts_them(start, days):
    """The written-out count agrees with ``dateutil``'s, month ends included (31 January to
    28 February is one month; 30 January to 27 February is none)."""
    end = start + datetime.timedelta(days=days)
    delta = relativedelta(end, start)
    assert whole_months_between(start, end) == delta.years * 12 + delta.months


def test_whole_months_at_month_ends():
    assert whole_months_between(datetime.date(2025, 1, 31), datetime.date(2025, 2, 28)) == 1
    assert whole_months_between(datetime.date(2025, 1, 30), datetime.date(2025, 2, 27)) == 0
    assert whole_months_between(datetime.date(2009, 6, 1), datetime.date(2010, 2, 1)) == 8
