"""The work areas of the professional support and their evaluation scale (P6, P10).

Pure Python (no Django). The six areas and their items are the seed's own table (seed 004,
fiche action 8, § 6), kept as dated data in ``data/work_areas.toml``: ``grid(on)`` answers
"which grid is in force on date D". The Django app ``tremplin.progress`` stores, per support
episode, the items worked and dated evaluations scoring each item on the scale below; the
progression of an area between two evaluations is the change of the mean of its items.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from tremplin.rules.programmes import RuleError

DATA_FILE = Path(__file__).with_name("data") / "work_areas.toml"


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    rule: str
    area: str


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    rule: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Grid:
    valid_from: dt.date
    source: str
    areas: tuple[Area, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for area in self.areas for item in area.items)

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise RuleError(
            f"Item de la grille inconnu : « {code} ». Choisissez un item des six domaines "
            "de travail (P6).",
            rule="P6",
        )


@dataclass(frozen=True)
class Scale:
    minimum: int
    maximum: int
    labels: tuple[str, ...]

    def choices(self) -> list[tuple[int, str]]:
        return list(zip(range(self.minimum, self.maximum + 1), self.labels, strict=True))


@dataclass(frozen=True)
class BarrierKind:
    code: str
    label: str


@lru_cache(maxsize=1)
def _document() -> dict:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def grids() -> tuple[Grid, ...]:
    """Every version of the grid, oldest first."""
    versions = []
    for raw in _document()["grids"]:
        areas = []
        for raw_area in raw["areas"]:
            rule = raw_area["rule"]
            items = tuple(
                Item(i["code"], i["label"], i.get("rule", rule), raw_area["code"])
                for i in raw_area["items"]
            )
            areas.append(Area(raw_area["code"], raw_area["label"], rule, items))
        versions.append(Grid(raw["valid_from"], raw["source"], tuple(areas)))
    return tuple(sorted(versions, key=lambda grid: grid.valid_from))


def grid(on: dt.date) -> Grid:
    """The grid in force on ``on``: the version with the latest ``valid_from`` <= on."""
    in_force = [g for g in grids() if g.valid_from <= on]
    if not in_force:
        first = grids()[0].valid_from
        raise RuleError(
            f"Aucune grille des domaines de travail n'est en vigueur le {on:%d/%m/%Y} : la "
            f"première date du {first:%d/%m/%Y} (P6).",
            rule="P6",
        )
    return in_force[-1]


def all_items() -> dict[str, Item]:
    """Every item of every version, by code (to read an old evaluation)."""
    return {item.code: item for g in grids() for item in g.items}


def area_labels() -> dict[str, str]:
    return {area.code: area.label for g in grids() for area in g.areas}


@lru_cache(maxsize=1)
def scale() -> Scale:
    raw = _document()["scale"]
    return Scale(int(raw["minimum"]), int(raw["maximum"]), tuple(raw["labels"]))


def check_score(value) -> int:
    """The score as an int on the scale, or a French error citing P6 and P10."""
    s = scale()
    try:
        number = int(value)
        if isinstance(value, float | Decimal) and number != value:
            raise ValueError
        if isinstance(value, bool):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or not s.minimum <= number <= s.maximum:
        raise RuleError(
            f"Note hors de l'échelle : « {value} ». Chaque item se note de {s.minimum} "
            f"(à travailler) à {s.maximum} (acquis), ou reste vide s'il n'a pas été évalué "
            "(grille d'évaluation, P6, P10).",
            rule="P6, P10",
        )
    return number


def area_means(scores: Mapping[str, int], on: dt.date) -> dict[str, Decimal | None]:
    """Mean score of each area of the grid in force on ``on`` (None when no item is
    scored), to two decimals, half up."""
    result: dict[str, Decimal | None] = {}
    for area in grid(on).areas:
        values = [check_score(scores[i.code]) for i in area.items if i.code in scores]
        if values:
            mean = Decimal(sum(values)) / len(values)
            result[area.code] = mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        else:
            result[area.code] = None
    return result


def rose(first: Mapping[str, Decimal | None], latest: Mapping[str, Decimal | None]) -> dict:
    """Per area: True when the mean rose from the first to the latest evaluation, False
    when it did not, None when one of the two did not score the area (P10)."""
    return {
        code: None
        if first.get(code) is None or latest.get(code) is None
        else latest[code] > first[code]
        for code in first
    }


@lru_cache(maxsize=1)
def barrier_kinds() -> tuple[BarrierKind, ...]:
    return tuple(BarrierKind(k["code"], k["label"]) for k in _document()["barrier_kinds"])
