"""Dates in the French messages written by Python code (pages, e-mails, commands).

Templates use Django's filters (``{{ day|date:"d/m/Y" }}``); code that writes a sentence
uses these, through Django's formats of the French locale, whatever language is active:
``31/03/2025``, and ``31/03/2025 à 14:05`` in Paris time for a moment. The rules
(``tremplin.rules``, without Django) keep their own pure helper.
"""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, formats

from tremplin.rules.calendar import to_paris

LANGUAGE = "fr"


def french_date(day: dt.date) -> str:
    """``31/03/2025``: the French short date (``SHORT_DATE_FORMAT``); a moment is read as
    its day in Paris."""
    if isinstance(day, dt.datetime):
        day = to_paris(day).date()
    return dateformat.format(day, formats.get_format("SHORT_DATE_FORMAT", lang=LANGUAGE))


def french_datetime(moment: dt.datetime, separator: str = " à ") -> str:
    """``31/03/2025 à 14:05``: the day and the time in Paris (the rules' hours are Paris
    hours, e.g. the 48 hours of A14)."""
    local = to_paris(moment)
    time = dateformat.time_format(local, formats.get_format("TIME_FORMAT", lang=LANGUAGE))
    return f"{french_date(local.date())}{separator}{time}"
