"""``{% rule "F8" %}``: a rule's number behind a help marker (loaded in every template).

The page shows a small « ? » after the words the rule explains; its title (for the mouse) and
its hidden text (for screen readers) carry the rule's sentence in French, and it leads to the
page of rules, where the sentence is written out. A rule number is never shown raw.
"""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

from tremplin.rules.sentences import sentence
from tremplin.web.links import reverse

register = template.Library()


@register.simple_tag
def rule(code: str, label: str = ""):
    """``code``: one rule (« A12 »), a sub-case (« A4 a ») or a list (« A3, A4 »)."""
    if not code:
        return ""
    first = code.replace(",", " ").split()[0]
    words = sentence(code)
    several = len(re.findall(r"[ACEFP]\d", code)) > 1
    name = f"{'Règles' if several else 'Règle'} {code}"
    text = f"{name} : {words}" if words else name
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


# « … (règle F8) », « … (règles P6, P10) », « … (A14) » inside a sentence written by the code
# (the rules' own messages cite a rule by its bare number, which no page shows as such).
_CODE = r"[ACEFP]\d{1,2}(?:\s[a-e]\b)?"
CITED_RULES = re.compile(
    rf"\s*\((?:(?:règles?|sortie)\s+)?({_CODE}(?:(?:,\s*|\s+et\s+){_CODE})*)\)"
)


@register.filter
def rule_markers(text) -> str:
    """A sentence whose « (règle F8) » become help markers (the text itself escaped)."""
    # A message already safe (a link to the existing record) keeps its markup: its slices
    # are not escaped again.
    escape = (lambda piece: piece) if isinstance(text, SafeData) else conditional_escape
    parts, last = [], 0
    text = str(text)
    for match in CITED_RULES.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(" " + rule(match.group(1)))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped or built by format_html)


@register.filter
def without_rules(text) -> str:
    """A sentence without its « (règle F8) » (the PDFs: a page has no help marker)."""
    return CITED_RULES.sub("", str(text))
