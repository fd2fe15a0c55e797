"""The employee's situation before the convention (seed 003, "SITUATION DU SALARIÉ")."""

import calendar
import datetime
from enum import StrEnum


class DurationBand(StrEnum):
    """The form's duration bands (rule F1)."""

    UNDER_6 = "lt6"
    FROM_6_TO_11 = "6_11"
    FROM_12_TO_23 = "12_23"
    FROM_24 = "24plus"


DURATION_BAND_LABELS = {
    DurationBand.UNDER_6: "moins de 6 mois",
    DurationBand.FROM_6_TO_11: "de 6 à 11 mois",
    DurationBand.FROM_12_TO_23: "de 12 à 23 mois",
    DurationBand.FROM_24: "24 mois et plus",
}


def duration_band(months: int) -> DurationBand:
    if months < 0:
        raise ValueError("Une durée ne peut pas être négative.")
    if months < 6:
        return DurationBand.UNDER_6
    if months < 12:
        return DurationBand.FROM_6_TO_11
    if months < 24:
        return DurationBand.FROM_12_TO_23
    return DurationBand.FROM_24


def whole_months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (June 1st to February 1st: 8), as
    ``dateutil``'s ``relativedelta`` counts them: a month is complete on the same day of a
    later month, or on its last day when it is shorter (31 January to 28 February: 1).
    Written out because an import calls it for every row."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        last_day = calendar.monthrange(end.year, end.month)[1]
        if end.day < last_day:
            months -= 1
    return months


def rsa_seniority_months(
    rsa_start: datetime.date, earlier_rmi_api_months: int, on: datetime.date
) -> int:
    """RSA seniority on a date, counting the earlier RMI/API period (rule F3).

    The form's example: a convention signed on 1 February 2010 with a person on RSA since
    1 June 2009 after 10 months of RMI has 8 + 10 = 18 months of seniority.
    """
    if on < rsa_start:
        return earlier_rmi_api_months
    return whole_months_between(rsa_start, on) + earlier_rmi_api_months
