import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules.situation import DurationBand, duration_band, rsa_seniority_months


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
