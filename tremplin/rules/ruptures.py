"""Ruptures of a CUI before its term: the employee's grounds (rule E5) and the repayment of
the exonerated social contributions beside the aid (rule F13).

* **E5.** The employee may end a CDD before its term for a CDI, a CDD of at least 6 months or
  a training leading to a qualification (code du travail L. 6314-1). A rupture at the
  employee's initiative records its ground (``EMPLOYEE_GROUND_CHOICES``);
  ``employee_early_end_finding`` says whether the ground is one of E5's and, if not, what to
  check.
* **F13.** After a rupture on the employer's initiative outside the lawful cases (or when the
  authority denounces the convention), the employer repays all the aid received
  (``aid.repayment_on_rupture``) and, for a CAE, the exonerated social contributions, due
  « au plus tard à la première date d'exigibilité des cotisations et contributions sociales
  qui suit la date d'effet de la rupture » (``contributions_due_on``).

The durations and due days are dated data in ``data/ruptures.toml``. Nothing here imports
Django.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "ruptures.toml"

# Rule E5: the grounds an employee may give for ending a CDD early. Codes are stored.
GROUND_CDI = "cdi"
GROUND_CDD = "cdd_6_months"
GROUND_TRAINING = "qualifying_training"
GROUND_NONE = "none"
LAWFUL_GROUNDS = frozenset({GROUND_CDI, GROUND_CDD, GROUND_TRAINING})
EMPLOYEE_GROUND_CHOICES = [
    (GROUND_CDI, "Embauche en CDI"),
    (GROUND_CDD, "Embauche en CDD d'au moins 6 mois"),
    (GROUND_TRAINING, "Formation conduisant à une qualification (code du travail, L. 6314-1)"),
    (GROUND_NONE, "Aucun de ces motifs"),
]
EMPLOYEE_GROUND_LABELS = dict(EMPLOYEE_GROUND_CHOICES)

SECTOR_CAE = "CAE"
CDD = "CDD"


class RuptureRuleError(ValueError):
    """A parameter is missing at the date asked; the message is French."""


def _french_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@functools.cache
def _data() -> dict:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _entry(table: str, on: datetime.date) -> dict:
    entries = sorted(_data()[table], key=lambda entry: entry["valid_from"])
    in_force = [entry for entry in entries if entry["valid_from"] <= on]
    if not in_force:
        raise RuptureRuleError(
            f"Aucune valeur de « {table} » n'est en vigueur le {_french_date(on)} (première "
            f"au {_french_date(entries[0]['valid_from'])})."
        )
    return in_force[-1]


def new_cdd_min_months(on: datetime.date) -> int:
    """Rule E5: the shortest new CDD that lets the employee end a CUI in CDD early."""
    return int(_entry("employee_early_end", on)["new_cdd_min_months"])


@dataclass(frozen=True)
class EarlyEnd:
    """What rule E5 says of a rupture: ``lawful`` False comes with the French message."""

    lawful: bool
    message: str = ""
    # "blocking" when the ground is missing (the form asks it), "warning" when it is not one
    # of E5's grounds (the agent checks it with the employer).
    severity: str = ""


def employee_early_end(
    contract_type: str | None,
    employee_initiative: bool,
    ground: str | None,
    on: datetime.date,
) -> EarlyEnd:
    """Rule E5 on a rupture recorded on ``on`` (the contract's last day)."""
    if not employee_initiative or contract_type != CDD:
        return EarlyEnd(True)  # E5 governs the employee's early end of a CDD only
    months = new_cdd_min_months(on)
    grounds = (
        f"une embauche en CDI, une embauche en CDD d'au moins {months} mois ou une formation "
        "conduisant à une qualification (code du travail, L. 6314-1)"
    )
    if not ground:
        return EarlyEnd(
            False,
            f"Le salarié rompt son CDD avant le terme : indiquez le motif qu'il justifie, "
            f"{grounds} (règle E5).",
            "blocking",
        )
    if ground in LAWFUL_GROUNDS:
        return EarlyEnd(True)
    return EarlyEnd(
        False,
        f"Le salarié rompt son CDD avant le terme sans justifier d'un des motifs prévus, "
        f"{grounds} (règle E5) : vérifiez le motif avec l'employeur et le salarié, et joignez "
        "le justificatif s'il en existe un.",
        "warning",
    )


def contributions_due_on(effect_day: datetime.date, headcount: int | None) -> datetime.date:
    """Rule F13: the first contribution due date strictly after the rupture takes effect.

    ``effect_day`` is the day the rupture takes effect (the contract's last day); the due
    day of the month depends on the employer's headcount (``data/ruptures.toml``). With an
    unknown headcount, the earlier of the two due days is taken (the stricter reading).
    """
    entry = _entry("contribution_due_days", effect_day)
    if headcount is None:
        due_day = min(entry["day_from_threshold"], entry["day_below_threshold"])
    elif headcount >= entry["headcount_threshold"]:
        due_day = entry["day_from_threshold"]
    else:
        due_day = entry["day_below_threshold"]
    year, month = effect_day.year, effect_day.month
    if effect_day.day >= min(due_day, calendar.monthrange(year, month)[1]):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime.date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def contributions_due_text(effect_day: datetime.date, headcount: int | None) -> str:
    """The French sentence of the due date (rule F13)."""
    due = contributions_due_on(effect_day, headcount)
    return (
        f"au plus tard le {_french_date(due)}, première date d'exigibilité des cotisations "
        f"sociales qui suit la rupture du {_french_date(effect_day)} (règle F13)"
    )
