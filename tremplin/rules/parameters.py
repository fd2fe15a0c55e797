"""Dated parameters: the values the law changes over time, read from ``rules/data/``.

Two kinds of parameter live here (DESIGN.md, "Rules as data"; rule E1):

* **Dated series** — one CSV file per series in ``data/<name>.csv`` with the columns
  ``valid_from,value,source``: each row is a value in force from a date until the next row,
  with the legal text that set it (``source``). ``series("smic_hourly").value_at(d)`` answers
  "the value at date D"; asking before the first date is an error, never a guess.
* **Aid-rate orders** (arrêtés préfectoraux, rule E12) — one JSON file per order in
  ``data/aid_orders/``: region, validity period (``valid_from``, ``valid_until``: orders are
  fixed year by year, rule E1), public categories with their rates, weekly-hour bounds, aid
  durations for CDD and CDI, rate cap, the raise for a training written in the convention
  (rule E11, absent when the order gives none). ``aid_order_in_force("84", d)`` gives the
  order of a region in force at a date, never an expired one; ``aid_order_at("84", d)`` also
  tells "the newest known order, but outside its validity" so that the wizard can propose it
  with a warning (rule E1). ``AidOrder.from_mapping`` builds one from a plain dict, so that
  the admin pages can mirror orders into the database and rebuild them without a file.

Files are parsed once and cached (``series`` and ``aid_orders`` are memoised); call
``clear_cache()`` after changing a file at run time. Nothing here imports Django.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
AID_ORDERS_DIR = DATA_DIR / "aid_orders"


class ParameterError(ValueError):
    """A parameter file is malformed, or a value is asked for where none exists.

    The message is a French sentence: it may reach a user (a form, the CLI) unchanged.
    """


class NoValueInForce(ParameterError, LookupError):
    """The date asked for is before the first value of the series (or of every order)."""


def _french_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _parse_iso_date(text: str, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except (ValueError, AttributeError) as error:
        raise ParameterError(
            f"{where} : la date « {text} » n'est pas une date AAAA-MM-JJ valide."
        ) from error


def _parse_decimal(text: object, where: str) -> Decimal:
    # Values are read from text so that 11.88 stays exactly 11.88 (never through a float).
    if isinstance(text, float):
        raise ParameterError(f"{where} : « {text} » doit être écrit comme texte, pas en flottant.")
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation as error:
        raise ParameterError(f"{where} : « {text} » n'est pas un nombre décimal.") from error
    if not value.is_finite():
        raise ParameterError(f"{where} : « {text} » n'est pas un nombre fini.")
    return value


@dataclass(frozen=True)
class DatedValue:
    """One row of a series: ``value`` is in force from ``valid_from`` until the next row."""

    valid_from: datetime.date
    value: Decimal
    source: str


@dataclass(frozen=True)
class DatedSeries:
    """A series of values, each in force from its date until the next one."""

    name: str
    entries: tuple[DatedValue, ...]
    # The dates alone, for bisect: built once, the schedules of thousands of conventions ask.
    _dates: tuple[datetime.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_dates", tuple(entry.valid_from for entry in self.entries))
        if not self.entries:
            raise ParameterError(f"La série « {self.name} » ne contient aucune valeur.")
        dates = [entry.valid_from for entry in self.entries]
        for earlier, later in zip(dates, dates[1:], strict=False):
            if later <= earlier:
                raise ParameterError(
                    f"La série « {self.name} » doit être triée par date, sans doublon : "
                    f"le {_french_date(later)} suit le {_french_date(earlier)}."
                )

    @property
    def first_date(self) -> datetime.date:
        return self.entries[0].valid_from

    def entry_at(self, day: datetime.date) -> DatedValue:
        """The row in force on ``day`` (value and legal source)."""
        if day < self.first_date:
            raise NoValueInForce(
                f"Aucune valeur de « {self.name} » n'est connue avant le "
                f"{_french_date(self.first_date)} : le {_french_date(day)} est trop ancien."
            )
        return self.entries[bisect.bisect_right(self._dates, day) - 1]

    def entry_until(self, day: datetime.date) -> tuple[DatedValue, datetime.date | None]:
        """The row in force on ``day`` and the date the next row takes effect (``None`` after
        the last row): the row holds from its ``valid_from`` until that date, excluded. A
        month-by-month computation asks once per row in force over its period, not once per
        month."""
        entry = self.entry_at(day)
        index = bisect.bisect_right(self._dates, day)
        return entry, self._dates[index] if index < len(self._dates) else None

    def value_at(self, day: datetime.date) -> Decimal:
        """The value in force on ``day``."""
        return self.entry_at(day).value

    def changes_between(self, start: datetime.date, end: datetime.date) -> tuple[DatedValue, ...]:
        """The rows that take effect strictly after ``start`` and on or before ``end``."""
        return tuple(entry for entry in self.entries if start < entry.valid_from <= end)


def read_series_csv(path: Path, name: str | None = None) -> DatedSeries:
    """Parse a ``valid_from,value,source`` CSV file into a series (no cache)."""
    name = name or path.stem
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError as error:
        raise ParameterError(
            f"La série « {name} » est introuvable : le fichier {path.name} n'existe pas."
        ) from error
    with handle:
        reader = csv.DictReader(handle)
        expected = ["valid_from", "value", "source"]
        if reader.fieldnames != expected:
            raise ParameterError(
                f"{path.name} : l'en-tête doit être « {','.join(expected)} », "
                f"pas « {','.join(reader.fieldnames or [])} »."
            )
        entries = []
        for line_number, row in enumerate(reader, start=2):
            where = f"{path.name}, ligne {line_number}"
            source = (row.get("source") or "").strip()
            if not source:
                # Every value must say which legal text set it (DESIGN.md, "Rules as data").
                raise ParameterError(f"{where} : la source (texte légal) est obligatoire.")
            entries.append(
                DatedValue(
                    valid_from=_parse_iso_date(row["valid_from"] or "", where),
                    value=_parse_decimal(row["value"], where),
                    source=source,
                )
            )
    return DatedSeries(name=name, entries=tuple(entries))


def layered_series(base: DatedSeries, added: Iterable[DatedValue]) -> DatedSeries:
    """``base`` with the values of ``added`` layered over it: a value of ``added`` replaces
    the row of ``base`` of the same date, the others are inserted in date order (DESIGN.md,
    "Rules as data": the département enters a new SMIC value without a release). At a date,
    the newest-dated value wins, as in any series."""
    added = tuple(added)
    if not added:
        return base
    by_date = {entry.valid_from: entry for entry in base.entries}
    for entry in added:
        by_date[entry.valid_from] = entry
    return DatedSeries(name=base.name, entries=tuple(by_date[day] for day in sorted(by_date)))


@functools.cache
def series(name: str) -> DatedSeries:
    """The dated series ``data/<name>.csv``, parsed once and cached."""
    if not name.replace("_", "").isalnum():
        raise ParameterError(f"Nom de série invalide : « {name} ».")
    return read_series_csv(DATA_DIR / f"{name}.csv", name)


# --- Aid-rate orders (rule E12) -------------------------------------------------------------


@dataclass(frozen=True)
class AidCategory:
    """A public category of an order: who it covers and the aid rate (in % of the SMIC)."""

    code: str
    label: str
    rate_percent: Decimal
    who: tuple[str, ...]
    # Machine-readable criteria (see aid.CATEGORY_CRITERIA) used to propose a category.
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class AidOrder:
    """A prefectoral order fixing the public, rates and durations of the aid (rules E1, E12)."""

    region_code: str
    region_name: str
    valid_from: datetime.date
    reference: str
    source: str
    categories: tuple[AidCategory, ...]
    rate_cap_percent: Decimal
    weekly_hours_min: Decimal
    weekly_hours_max: Decimal
    aid_months_cdd: int
    cdd_min_months_for_aid: int
    aid_months_cdi: int
    sector: str = "CIE"
    note: str = ""
    # Last day of the order's validity (rule E1: orders are fixed year by year); None for an
    # order whose end is not known (one entered before the field existed).
    valid_until: datetime.date | None = None
    # Rule E11: the points of SMIC the order adds to a category's rate when a training is
    # written in the convention; None when the order gives no raise (seed 002's order).
    training_raise_percent: Decimal | None = None
    # Demonstration data (the demo's region), never a real order: the checks say so.
    demonstration: bool = False

    def __post_init__(self) -> None:
        where = self.reference or "Arrêté"
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ParameterError(
                f"{where} : la fin de validité ({_french_date(self.valid_until)}) précède la "
                f"date d'effet ({_french_date(self.valid_from)}) (règle E1)."
            )
        if self.training_raise_percent is not None and self.training_raise_percent <= 0:
            raise ParameterError(
                f"{where} : la majoration pour formation doit être positive, ou absente si "
                "l'arrêté n'en prévoit pas (règle E11)."
            )
        if not self.categories:
            raise ParameterError(f"{where} : au moins une catégorie de public est requise.")
        codes = [category.code for category in self.categories]
        if len(set(codes)) != len(codes):
            raise ParameterError(f"{where} : deux catégories portent le même code.")
        if self.weekly_hours_min > self.weekly_hours_max:
            raise ParameterError(f"{where} : la durée hebdomadaire minimale dépasse la maximale.")
        for category in self.categories:
            if not Decimal(0) < category.rate_percent <= self.rate_cap_percent:
                raise ParameterError(
                    f"{where} : le taux de « {category.label} » ({category.rate_percent} %) "
                    f"doit être compris entre 0 et le plafond de {self.rate_cap_percent} % "
                    "(règle E6)."
                )
        for months in (self.aid_months_cdd, self.aid_months_cdi, self.cdd_min_months_for_aid):
            if months <= 0:
                raise ParameterError(f"{where} : les durées d'aide doivent être positives.")

    def in_force_on(self, day: datetime.date) -> bool:
        """Rule E1: the order applies from its date of effect to the end of its validity."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def validity_text(self) -> str:
        """« du 28/07/2017 au 31/12/2017 », or « à partir du … » when the end is unknown."""
        if self.valid_until is None:
            return f"à partir du {_french_date(self.valid_from)}"
        return f"du {_french_date(self.valid_from)} au {_french_date(self.valid_until)}"

    def category(self, code: str) -> AidCategory:
        for category in self.categories:
            if category.code == code:
                return category
        raise ParameterError(f"{self.reference} : aucune catégorie « {code} ».")

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], where: str = "Arrêté") -> AidOrder:
        """Build an order from plain values (a JSON file, or rows mirrored in the database)."""
        try:
            categories = tuple(
                AidCategory(
                    code=str(item["code"]),
                    label=str(item["label"]),
                    rate_percent=_parse_decimal(item["rate_percent"], where),
                    who=tuple(str(text) for text in item.get("who", ())),
                    criteria=tuple(str(code) for code in item.get("criteria", ())),
                )
                for item in data["categories"]  # type: ignore[union-attr]
            )
            valid_until = data.get("valid_until")
            training_raise = data.get("training_raise_percent")
            demonstration = data.get("demonstration", False)
            if not isinstance(demonstration, bool):
                raise ParameterError(f"{where} : « demonstration » vaut true ou false.")
            return cls(
                region_code=str(data["region_code"]),
                region_name=str(data.get("region_name", "")),
                valid_from=_parse_iso_date(str(data["valid_from"]), where),
                valid_until=None
                if valid_until in (None, "")
                else _parse_iso_date(str(valid_until), where),
                training_raise_percent=None
                if training_raise in (None, "")
                else _parse_decimal(training_raise, where),
                demonstration=demonstration,
                reference=str(data["reference"]),
                source=str(data.get("source", "")),
                categories=categories,
                rate_cap_percent=_parse_decimal(data["rate_cap_percent"], where),
                weekly_hours_min=_parse_decimal(data["weekly_hours_min"], where),
                weekly_hours_max=_parse_decimal(data["weekly_hours_max"], where),
                aid_months_cdd=int(data["aid_months_cdd"]),  # type: ignore[arg-type]
                cdd_min_months_for_aid=int(data["cdd_min_months_for_aid"]),  # type: ignore[arg-type]
                aid_months_cdi=int(data["aid_months_cdi"]),  # type: ignore[arg-type]
                sector=str(data.get("sector", "CIE")),
                note=str(data.get("note", "")),
            )
        except KeyError as error:
            raise ParameterError(f"{where} : le champ « {error.args[0]} » manque.") from error
        except (TypeError, ValueError) as error:
            if isinstance(error, ParameterError):
                raise
            raise ParameterError(f"{where} : valeur invalide ({error}).") from error

    def to_mapping(self) -> dict[str, object]:
        """The plain-value form of the order (the JSON file's shape), e.g. for the database."""
        return {
            "region_code": self.region_code,
            "region_name": self.region_name,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "reference": self.reference,
            "source": self.source,
            "sector": self.sector,
            "rate_cap_percent": str(self.rate_cap_percent),
            "weekly_hours_min": str(self.weekly_hours_min),
            "weekly_hours_max": str(self.weekly_hours_max),
            "aid_months_cdd": self.aid_months_cdd,
            "cdd_min_months_for_aid": self.cdd_min_months_for_aid,
            "aid_months_cdi": self.aid_months_cdi,
            "training_raise_percent": None
            if self.training_raise_percent is None
            else str(self.training_raise_percent),
            "demonstration": self.demonstration,
            "note": self.note,
            "categories": [
                {
                    "code": category.code,
                    "label": category.label,
                    "rate_percent": str(category.rate_percent),
                    "who": list(category.who),
                    "criteria": list(category.criteria),
                }
                for category in self.categories
            ],
        }


def read_aid_order_json(path: Path) -> AidOrder:
    """Parse one order file (no cache)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ParameterError(f"{path.name} : JSON invalide ({error.msg}).") from error
    return AidOrder.from_mapping(data, where=path.name)


@functools.cache
def aid_orders() -> tuple[AidOrder, ...]:
    """Every order shipped in ``data/aid_orders/``, sorted by region then date; cached."""
    orders = tuple(read_aid_order_json(path) for path in sorted(AID_ORDERS_DIR.glob("*.json")))
    return tuple(sorted(orders, key=lambda order: (order.region_code, order.valid_from)))


@dataclass(frozen=True)
class OrderAtDate:
    """The order the product proposes for a region on a day (rule E1).

    ``order`` is the order in force on ``day`` when there is one; otherwise the newest order
    of the region dated on or before ``day`` — outside its validity, so that the wizard can
    still propose its terms with a warning —; ``None`` when the region has no order yet.
    """

    region_code: str
    day: datetime.date
    order: AidOrder | None

    @property
    def in_force(self) -> bool:
        return self.order is not None and self.order.in_force_on(self.day)

    @property
    def outside_validity(self) -> bool:
        return self.order is not None and not self.order.in_force_on(self.day)

    def refusal(self) -> str:
        """Why no order applies on ``day`` (French, rule E1); empty when one is in force."""
        if self.in_force:
            return ""
        if self.order is None:
            return (
                f"Aucun arrêté préfectoral fixant les taux d'aide n'est connu pour la région "
                f"{self.region_code} au {_french_date(self.day)} (règle E1) : saisissez "
                "l'arrêté en vigueur."
            )
        return (
            f"Le dernier arrêté connu pour la région {self.region_code} "
            f"({self.order.reference}) était valable {self.order.validity_text} : aucun arrêté "
            f"n'est connu au {_french_date(self.day)}. Les arrêtés sont fixés année par année "
            "(règle E1) : saisissez l'arrêté en vigueur."
        )


def aid_order_at(
    region_code: str, day: datetime.date, orders: Iterable[AidOrder] | None = None
) -> OrderAtDate:
    """The order of ``region_code`` for ``day``: in force, else the newest one dated before.

    Among several orders in force (overlapping validities), the latest date of effect wins.
    ``orders`` defaults to the shipped files; pass the database's orders to include the ones a
    département entered through the admin pages.
    """
    dated_before = [
        order
        for order in (aid_orders() if orders is None else orders)
        if order.region_code == region_code and order.valid_from <= day
    ]
    in_force = [order for order in dated_before if order.in_force_on(day)]
    pool = in_force or dated_before
    newest = max(pool, key=lambda order: order.valid_from) if pool else None
    return OrderAtDate(region_code, day, newest)


def aid_order_in_force(
    region_code: str, day: datetime.date, orders: Iterable[AidOrder] | None = None
) -> AidOrder:
    """The order of ``region_code`` in force on ``day`` (rule E1), never an expired one.

    Raises ``NoValueInForce`` (French) when no order covers ``day``, naming the newest known
    order when it has expired.
    """
    found = aid_order_at(region_code, day, orders)
    if not found.in_force:
        raise NoValueInForce(found.refusal())
    return found.order  # type: ignore[return-value]


def clear_cache() -> None:
    """Forget the parsed files (after editing a data file while the process runs)."""
    series.cache_clear()
    aid_orders.cache_clear()
