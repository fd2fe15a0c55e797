"""``{% rule "F8" %}``: a rule's number behind a help marker (loaded in every template).

The page shows a small « ? » after the words the rule explains; its title (for the mouse) and
its hidden text (for screen readers) carry the rule's sentence in French, and it leads to the
page of rules, where the sentence is written out. A rule number is never shown raw.
"""

import re

from django import template
from django.urls import reverse
from django.utils.html import format_html

from tremplin.rules.sentences import sentence

register = template.Library()


@register.simple_tag
def rule(code: str, label: str = ""):
    """``code``: one rule (« A12 »), a sub-case (« A4 a ») or a list (« A3, A4 »)."""
    if not code:
        return ""
    first = code.replace(",", " ").split()[0]
    words = sentence(code)
    text = f"Règle {code} : {words}" if words else f"Règle {code}"
    return format_html(
        '<a class="rule-ref" href="{}#regle-{}" title="{}">'
        '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span></a>',
        reverse("help_rules"),
        first,
        text,
        label or "?",
        text,
    )


# « Taux de placement pérenne (A3) »: a label that ends with its rules in parentheses.
TRAILING_RULES = re.compile(
    r"\s*\(((?:règles?\s+)?[ACEFP]\d{1,2}(?:[\s,]+(?:[a-e]\b|[ACEFP]\d{1,2}))*)\)\s*$"
)


@register.filter
def without_rule(label) -> str:
    """The label without its trailing rule numbers: « Taux de placement pérenne »."""
    return TRAILING_RULES.sub("", str(label))


@register.filter
def rule_of(label) -> str:
    """The rule numbers a label ends with (« A3 »), or ""."""
    match = TRAILING_RULES.search(str(label))
    return match.group(1).removeprefix("règles ").removeprefix("règle ") if match else ""
