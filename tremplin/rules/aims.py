"""The five qualitative aims of the in-employment support (rule A2), as dated data.

Seed 000 lists what the support must achieve « sur le volet qualitatif », each to be
recordable per person: integration in the company; lifting the last barriers; adaptation
needs (training, VAE); administrative steps and access to rights; turning the CUI-CIE into a
common-law contract. ``aims_on(day)`` gives the list in force on a day (``data/
qualitative_aims.toml``), ``aim(code, day)`` one of them, ``unknown_aims(codes, day)`` the
French refusal of codes that are not in the list. The support app stores the codes per
person. Nothing here imports Django.

Where an aim stands for a person (the seed names the aims, not a scale, so the scale is the
product's reading): ``AimStatus`` (à travailler, en cours, atteint, sans objet) with its
French ``STATUS_LABELS``; ``check_point`` gives the French refusals of one dated point on an
aim (an unknown code or status, a date in the future or before the support began, « sans
objet » without its reason), keyed by what is wrong.
"""

from __future__ import annotations

import datetime
import functools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "qualitative_aims.toml"


class AimError(ValueError):
    """A code outside the list, or a day before the first version; French message."""


@dataclass(frozen=True)
class Aim:
    code: str
    label: str
    rule: str = "A2"


@dataclass(frozen=True)
class AimsVersion:
    valid_from: datetime.date
    source: str
    aims: tuple[Aim, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(aim.code for aim in self.aims)


@functools.cache
def versions() -> tuple[AimsVersion, ...]:
    with DATA_FILE.open("rb") as handle:
        document = tomllib.load(handle)
    result = []
    for entry in document["versions"]:
        aims = tuple(Aim(str(item["code"]), str(item["label"])) for item in entry["aims"])
        codes = [aim.code for aim in aims]
        if len(set(codes)) != len(codes):
            raise AimError(f"{DATA_FILE.name} : deux objectifs portent le même code.")
        result.append(AimsVersion(entry["valid_from"], str(entry["source"]), aims))
    return tuple(sorted(result, key=lambda version: version.valid_from))


def aims_on(day: datetime.date) -> AimsVersion:
    """The list of qualitative aims in force on ``day``."""
    in_force = [version for version in versions() if version.valid_from <= day]
    if not in_force:
        first = versions()[0].valid_from
        raise AimError(
            f"Aucune liste d'objectifs qualitatifs n'est en vigueur le {day:%d/%m/%Y} "
            f"(première au {first:%d/%m/%Y}) (règle A2)."
        )
    return in_force[-1]


def aim(code: str, day: datetime.date) -> Aim:
    for item in aims_on(day).aims:
        if item.code == code:
            return item
    raise AimError(unknown_aims([code], day)[0])


def unknown_aims(codes: Iterable[str], day: datetime.date) -> list[str]:
    """A French sentence per code that is not one of the aims in force on ``day``."""
    version = aims_on(day)
    labels = " ; ".join(f"« {item.label} »" for item in version.aims)
    return [
        f"Objectif qualitatif inconnu : « {code} ». Choisissez l'un des "
        f"{len(version.aims)} objectifs de l'accompagnement dans l'emploi (règle A2) : {labels}."
        for code in codes
        if code not in version.codes
    ]


# --- Where an aim stands for one person (A2: « recordable per person ») ----------------------


class AimStatus(StrEnum):
    TO_WORK = "to_work"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS = {
    AimStatus.TO_WORK: "À travailler",
    AimStatus.IN_PROGRESS: "En cours",
    AimStatus.ACHIEVED: "Atteint",
    AimStatus.NOT_APPLICABLE: "Sans objet",
}

# « Sans objet » says that the aim does not concern this person: the reason is kept with it.
NEEDS_NOTE = frozenset({AimStatus.NOT_APPLICABLE})


def _french(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def check_point(
    code: str,
    status: str,
    assessed_on: datetime.date | None,
    note: str,
    *,
    support_start: datetime.date,
    today: datetime.date,
) -> dict[str, str]:
    """The French refusals of one point on an aim of the support started on
    ``support_start`` (the list in force that day, A2), keyed by ``code``, ``status``,
    ``assessed_on`` or ``note``; empty when the point can be recorded."""
    errors: dict[str, str] = {}
    try:
        unknown = unknown_aims([code], support_start)
    except AimError as error:
        return {"code": str(error)}
    if unknown:
        errors["code"] = unknown[0]
    if status not in {item.value for item in AimStatus}:
        labels = " ; ".join(f"« {label} »" for label in STATUS_LABELS.values())
        errors["status"] = f"État inconnu : « {status} ». Choisissez l'un de ceux-ci : {labels}."
    if assessed_on is None:
        errors["assessed_on"] = "Indiquez la date du point sur cet objectif."
    elif assessed_on > today:
        errors["assessed_on"] = (
            f"Le point est daté du {_french(assessed_on)}, dans le futur : indiquez le jour où il "
            "a été fait."
        )
    elif assessed_on < support_start:
        errors["assessed_on"] = (
            f"Le point est daté du {_french(assessed_on)}, avant le début de l'accompagnement "
            f"({_french(support_start)}) : indiquez un jour de l'accompagnement."
        )
    if status in NEEDS_NOTE and not (note or "").strip():
        errors["note"] = (
            "Indiquez pourquoi cet objectif est sans objet pour la personne : la raison est "
            "gardée avec lui."
        )
    return errors
