"""Dated law that cannot go stale silently (rule E1, DESIGN.md "Rules as data").

A dated series (the SMIC) or an aid-rate order is *stale* when its newest value is older than
its expected rhythm: the SMIC is revalued every year, orders are fixed year by year, so a
value more than 12 months old may have been replaced without Tremplin knowing. The rhythm
itself is dated data (``data/smic_hourly_rhythm_months.csv``,
``data/aid_order_rhythm_months.csv``), read at the day asked.

``series_staleness(series, today)`` and ``order_staleness(found, today)`` return a
``Staleness``: whether it is stale, since when, and the French warning citing E1 that a page
shows (the agent's home, the orders page). Nothing here imports Django.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tremplin.rules.parameters import DatedSeries, OrderAtDate, series

SMIC_RHYTHM = "smic_hourly_rhythm_months"
ORDER_RHYTHM = "aid_order_rhythm_months"


def _french_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _french_euros(value) -> str:
    return f"{value:.2f}".replace(".", ",") + " €"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month + 1, min(day.day, last))


def rhythm_months(name: str, today: datetime.date) -> int:
    """The expected rhythm (in months) of a series or of the orders, in force on ``today``."""
    return int(series(name).value_at(today))


def is_older_than(newest: datetime.date, today: datetime.date, months: int) -> bool:
    """More than ``months`` old: ``today`` is after the day ``months`` after ``newest``.

    A value of 01/06/2026 with a 12-month rhythm is fresh up to 01/06/2027 included and
    stale from 02/06/2027.
    """
    return today > add_months(newest, months)


@dataclass(frozen=True)
class Staleness:
    stale: bool
    rhythm_months: int
    # The date of the newest value (of the order in force, or of the newest known order).
    newest: datetime.date | None
    message: str = ""  # French, citing E1; empty when not stale

    @property
    def stale_after(self) -> datetime.date | None:
        """The last day the value counts as fresh."""
        return add_months(self.newest, self.rhythm_months) if self.newest else None


def series_staleness(
    dated: DatedSeries,
    today: datetime.date,
    *,
    label: str = "du SMIC horaire brut",
    rhythm_name: str = SMIC_RHYTHM,
) -> Staleness:
    """Whether the newest value of ``dated`` is older than its rhythm on ``today``.

    ``rhythm_name`` is the dated series of the expected rhythm, in months; ``label`` names
    the series in the warning (« du SMIC horaire brut »)."""
    months = rhythm_months(rhythm_name, today)
    newest = dated.entries[-1]
    if not is_older_than(newest.valid_from, today, months):
        return Staleness(False, months, newest.valid_from)
    return Staleness(
        True,
        months,
        newest.valid_from,
        f"La dernière valeur connue {label} ({_french_euros(newest.value)} depuis le "
        f"{_french_date(newest.valid_from)}, {newest.source}) date de plus de {months} mois : "
        f"une revalorisation a pu intervenir depuis. Vérifiez la valeur en vigueur sur "
        f"Légifrance et saisissez-la ; jusque-là, l'aide des mois récents est calculée avec "
        f"cette valeur (règle E1).",
    )


def smic_staleness(today: datetime.date, dated: DatedSeries | None = None) -> Staleness:
    """The SMIC series (the shipped file, or the one a page layered over it)."""
    return series_staleness(dated or series("smic_hourly"), today)


def order_staleness(
    found: OrderAtDate, today: datetime.date, *, region_label: str | None = None
) -> Staleness:
    """Whether the aid-rate order for a region is stale on ``today`` (rule E1).

    ``found`` is ``parameters.aid_order_at(region, today, orders)``. Stale when no order is
    known, when the newest known one is past its validity, or when the one in force took
    effect more than the rhythm ago.
    """
    months = rhythm_months(ORDER_RHYTHM, today)
    region = region_label or f"la région {found.region_code}"
    order = found.order
    if order is None:
        return Staleness(
            True,
            months,
            None,
            f"Aucun arrêté préfectoral fixant les taux d'aide n'est connu pour {region} : "
            "l'assistant ne peut proposer ni taux ni durée. Saisissez l'arrêté en vigueur sur "
            "la page des arrêtés (règle E1).",
        )
    if not found.in_force:
        return Staleness(
            True,
            months,
            order.valid_from,
            f"L'arrêté le plus récent connu pour {region} ({order.reference}) était valable "
            f"{order.validity_text} : il n'est plus en vigueur. Les arrêtés sont fixés année "
            f"par année (règle E1) : saisissez l'arrêté de {today.year} sur la page des "
            "arrêtés.",
        )
    if is_older_than(order.valid_from, today, months):
        return Staleness(
            True,
            months,
            order.valid_from,
            f"L'arrêté en vigueur pour {region} ({order.reference}) a pris effet le "
            f"{_french_date(order.valid_from)}, il y a plus de {months} mois : les arrêtés sont "
            f"fixés année par année (règle E1). Vérifiez qu'un nouvel arrêté n'a pas été pris "
            "et saisissez-le sur la page des arrêtés.",
        )
    return Staleness(False, months, order.valid_from)
