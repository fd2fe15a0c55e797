"""Retention of the personal data of the people supported: dated periods, read from
``data/retention.toml`` (or the département's own file), and the day a file falls due.

Pure Python: the command ``tremplin apply-retention`` asks ``due_on(last_contact, today)``
for each file and anonymises those due. A period is in force from its ``valid_from`` until
the next entry's; asking before the first is an error, never a guess.

The uploaded lists of people (``[[import_file]]``) have their own dated periods, in days
after the import's last step (``import_file_period_at``); a département's file without them
keeps the shipped ones.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .calendar import add_months

DATA_FILE = Path(__file__).resolve().parent / "data" / "retention.toml"


class RetentionError(ValueError):
    """The file is malformed, or no period is in force at the day asked (French message)."""


@dataclass(frozen=True)
class RetentionPeriod:
    valid_from: datetime.date
    years_after_last_contact: int
    source: str

    def due_on(self, last_contact: datetime.date) -> datetime.date:
        """The first day the file may no longer be kept identified."""
        return add_months(last_contact, 12 * self.years_after_last_contact)


def _read(path: Path | str | None) -> tuple[Path, dict]:
    where = Path(path) if path else DATA_FILE
    try:
        return where, tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise RetentionError(
            f"Le fichier des durées de conservation {where} est illisible : {error}."
        ) from error


def _in_force(found: list, day: datetime.date, what: str):
    """The last of ``found`` (oldest first) in force on ``day``; before the first, an error."""
    in_force = [period for period in found if period.valid_from <= day]
    if not in_force:
        raise RetentionError(
            f"Aucune durée de conservation {what}n'est en vigueur le {day.strftime('%d/%m/%Y')}."
        )
    return in_force[-1]


def periods(path: Path | str | None = None) -> list[RetentionPeriod]:
    """The periods of the file, oldest first."""
    where, data = _read(path)
    found = []
    for number, entry in enumerate(data.get("active_file", []), start=1):
        try:
            valid_from = entry["valid_from"]
            years = entry["years_after_last_contact"]
            source = entry["source"]
        except KeyError as missing:
            raise RetentionError(
                f"{where}, durée n° {number} : il manque {missing} (valid_from, "
                "years_after_last_contact et source sont obligatoires)."
            ) from None
        if not isinstance(valid_from, datetime.date) or not isinstance(years, int) or years < 1:
            raise RetentionError(
                f"{where}, durée n° {number} : valid_from doit être une date et "
                "years_after_last_contact un nombre entier d'années, au moins 1."
            )
        if not str(source).strip():
            raise RetentionError(f"{where}, durée n° {number} : la source est vide.")
        found.append(RetentionPeriod(valid_from, years, str(source)))
    if not found:
        raise RetentionError(f"{where} : aucune durée de conservation [[active_file]].")
    return sorted(found, key=lambda period: period.valid_from)


def period_at(day: datetime.date, path: Path | str | None = None) -> RetentionPeriod:
    """The period in force on ``day``."""
    return _in_force(periods(path), day, "")


def is_due(
    last_contact: datetime.date, today: datetime.date, path: Path | str | None = None
) -> bool:
    """True when the file's last contact is older than the period in force today."""
    return period_at(today, path).due_on(last_contact) <= today


# --- The uploaded lists of people -----------------------------------------------------------


@dataclass(frozen=True)
class ImportFilePeriod:
    valid_from: datetime.date
    days_after_last_step: int
    source: str

    def due_on(self, last_step: datetime.date) -> datetime.date:
        """The first day the uploaded list may no longer be kept."""
        return last_step + datetime.timedelta(days=self.days_after_last_step)


def import_file_periods(path: Path | str | None = None) -> list[ImportFilePeriod]:
    """The periods of the uploaded lists, oldest first (the shipped ones when the
    département's file has none)."""
    where, data = _read(path)
    entries = data.get("import_file", [])
    if not entries and where != DATA_FILE:
        return import_file_periods(None)
    found = []
    for number, entry in enumerate(entries, start=1):
        valid_from = entry.get("valid_from")
        days = entry.get("days_after_last_step")
        source = str(entry.get("source", "")).strip()
        if (
            not isinstance(valid_from, datetime.date)
            or not isinstance(days, int)
            or isinstance(days, bool)
            or days < 1
            or not source
        ):
            raise RetentionError(
                f"{where}, durée des listes importées n° {number} : valid_from (une date), "
                "days_after_last_step (un nombre entier de jours, au moins 1) et source sont "
                "obligatoires."
            )
        found.append(ImportFilePeriod(valid_from, days, source))
    if not found:
        raise RetentionError(f"{where} : aucune durée de conservation [[import_file]].")
    return sorted(found, key=lambda period: period.valid_from)


def import_file_period_at(day: datetime.date, path: Path | str | None = None) -> ImportFilePeriod:
    """The period of the uploaded lists in force on ``day``."""
    return _in_force(import_file_periods(path), day, "des listes importées ")
