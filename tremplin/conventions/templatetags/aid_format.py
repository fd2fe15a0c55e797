"""French formatting of the aid's numbers in pages and PDFs (same helpers as the rules)."""

from decimal import Decimal

from django import template

from tremplin.rules import aid

register = template.Library()


@register.filter
def euros(value) -> str:
    if value is None or value == "":
        return "—"
    return aid.french_euros(Decimal(value))


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return "—"
    return aid.french_number(Decimal(value))


@register.filter
def month_label(value: str) -> str:
    """``"2025-03"`` → ``"mars 2025"``."""
    year, month = (int(part) for part in value.split("-"))
    return aid.french_month(year, month)


@register.filter
def funder_amount(month, funder: str) -> str:
    for part in month.funder_amounts:
        if part.funder == funder:
            return aid.french_euros(part.amount)
    return "—"
