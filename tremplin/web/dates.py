"""Dates in the French messages written by Python code (pages, e-mails, commands).

Templates use the ``date`` filter (``{{ day|date:"d/m/Y" }}``, whose French numeric forms
are written here too: ``templatetags/french.py``); code that writes a sentence uses these,
whatever language is active: ``31/03/2025``, and ``31/03/2025 à 14:05`` in Paris time for a
moment. They are the French locale's short formats of Django (``SHORT_DATE_FORMAT`` d/m/Y,
``TIME_FORMAT`` H:i; a test compares them), written directly: Django's formatter reads the
format letter by letter, 100–200 µs a date on the bench machine. The rules
(``tremplin.rules``, without Django) keep their own pure helper.
"""

from __future__ import annotations

import datetime as dt

from tremplin.rules.calendar import to_paris

LANGUAGE = "fr"


def numeric_date(day: dt.date) -> str:
    """``31/03/2025``: the day's digits, as given (a moment's own day, no time zone)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def numeric_date_time(moment: dt.datetime, separator: str = " à ") -> str:
    """``31/03/2025 à 14:05``: the moment's digits, as given (no time zone)."""
    return f"{numeric_date(moment)}{separator}{moment.hour:02d}:{moment.minute:02d}"


def french_date(day: dt.date) -> str:
    """``31/03/2025``: the French short date; a moment is read as its day in Paris."""
    if isinstance(day, dt.datetime):
        day = to_paris(day).date()
    return numeric_date(day)


def french_datetime(moment: dt.datetime, separator: str = " à ") -> str:
    """``31/03/2025 à 14:05``: the day and the time in Paris (the rules' hours are Paris
    hours, e.g. the 48 hours of A14)."""
    return numeric_date_time(to_paris(moment), separator)
