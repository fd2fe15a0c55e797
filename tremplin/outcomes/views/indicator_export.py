"""The indicator page as a table, one row per number, for the CSV/XLSX export: the
agreements' indicators and their targets, the situations started, the exits, the
deliverables on time, the interview cadence (P4) and the path of the subsidised contracts."""

from __future__ import annotations

from decimal import Decimal

from tremplin.web.exports import Column

from ..indicators import EXIT_COUNTS
from ..models import PERCENTAGE_INDICATORS


def format_number(value) -> str:
    """``12,5`` for a Decimal (French comma, no trailing zeros), "" for None."""
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",") if isinstance(value, Decimal) else str(value)


INDICATOR_EXPORT_COLUMNS = [
    Column("Indicateur", lambda row: row["label"]),
    Column("Règle", lambda row: row["rule"]),
    Column("Structure", lambda row: row["structure"]),
    Column("Du", lambda row: row["first_day"]),
    Column("Au", lambda row: row["last_day"]),
    Column("Valeur", lambda row: row["value"]),
    Column("Unité", lambda row: row["unit"]),
    Column("Personnes", lambda row: row["people"]),
    Column("Population", lambda row: row["population"]),
    Column("Cible", lambda row: row["target"]),
    Column("Source de la cible", lambda row: row["target_source"]),
    Column("Précision", lambda row: row["detail"]),
]


def export_row(label, rule, value, unit, detail, *, people="", population="", target=None):
    """One number of the page; ``target`` is the agreement's target, if any."""
    return {
        "label": label,
        "rule": rule,
        "value": value,
        "unit": unit,
        "people": people,
        "population": population,
        "target": format_number(target.value) if target else "",
        "target_source": target.source if target else "",
        "detail": detail,
    }


def agreement_rows(agreement) -> list[dict]:
    rows = []
    for row in agreement:
        if row.available:
            value = format_number(row.value)
        else:
            value = "pas de taux" if row.numerator_code else "à venir"
        unit = "%" if row.indicator in PERCENTAGE_INDICATORS else "personnes par ETP"
        rows.append(
            export_row(
                row.indicator.label,
                "",
                value,
                unit,
                row.detail,
                people="" if row.numerator is None else row.numerator,
                population="" if row.denominator is None else row.denominator,
                target=row.target,
            )
        )
    return rows


def started_rows(started) -> list[dict]:
    return [
        export_row(
            row.label,
            row.rule,
            format_number(row.share),
            "%",
            "Situations commencées dans la période",
            people=row.people,
            population=started.population,
        )
        for row in started.rows
    ]


def exit_rows(exit_counts) -> list[dict]:
    return [
        export_row(
            count.label,
            "",
            exit_counts[count.code],
            "accompagnements",
            "Accompagnements terminés dans la période",
        )
        for count in EXIT_COUNTS
    ]


def follow_up_rows(follow_up) -> list[dict]:
    return [
        export_row(
            row.count.label,
            row.count.rule,
            format_number(row.share),
            "%",
            "Échéances de la période déjà passées, hors « sans objet »",
            people=row.on_time,
            population=row.due,
        )
        for row in follow_up
    ]


def cadence_row(cadence: dict) -> dict:
    return export_row(
        "Cadence des entretiens respectée",
        "P4",
        format_number(cadence["share"]),
        "%",
        "Accompagnements professionnels en cours dans la période",
        people=cadence["compliant"],
        population=cadence["supports"],
    )


def funnel_rows(steps) -> list[dict]:
    return [
        export_row(
            f"Parcours : {step.label}",
            step.rule,
            format_number(step.share),
            "%",
            "Contrats aidés commencés dans la période",
            people=step.people,
        )
        for step in steps
    ]
