"""Charts drawn on the server as SVG (pygal): the same in a page and in a PDF, no JavaScript.

The page puts the same numbers in a table next to the chart (its text alternative, RGAA
criterion 1.3); the SVG itself carries a title and ``role="img"``.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal import Bar, HorizontalBar, Line
from pygal.style import Style

from .indicators import MonthCount

INLINE_SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.DOTALL)

FRENCH_MONTHS = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
]  # fmt: skip

# Bootstrap's primary blue and a dark teal: both reach 4.5:1 on white.
CHART_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0b5ed7", "#0f5132"),
    font_family="system-ui, sans-serif",
)
# The same two, and Bootstrap's dark orange (4.5:1 on white as well), dashes aside.
CHART_STYLE_THREE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0b5ed7", "#0f5132", "#984c0c"),
    font_family="system-ui, sans-serif",
)


def month_label(month) -> str:
    return f"{FRENCH_MONTHS[month.month - 1]} {month.year}"


def monthly_starts_chart(months: list[MonthCount], title: str) -> str:
    chart = Bar(
        style=CHART_STYLE,
        title=title,
        width=800,
        height=320,
        x_label_rotation=-30 if len(months) > 6 else 0,
        truncate_label=-1,
        show_legend=True,
        legend_at_bottom=True,
        # No script from a CDN: the page must work offline and print as drawn.
        js=[],
        disable_xml_declaration=True,
        print_values=len(months) <= 12,
        min_scale=1,
        max_scale=6,
        y_title="personnes",
        no_data_text="Aucune donnée",
        value_formatter=lambda value: f"{value:.0f}",
    )
    chart.x_labels = [month_label(month.month) for month in months]
    chart.add("Emploi commencé", [month.employment for month in months])
    chart.add("Emploi, formation ou activité commencés", [month.activity for month in months])
    # pygal always embeds its tooltips' configuration as an inline script, useless without
    # the tooltip script itself and refused by a strict Content-Security-Policy.
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return mark_safe(svg)  # noqa: S308 (pygal escapes its labels; the title is ours)


def _clean(svg: str, title: str) -> str:
    svg = INLINE_SCRIPT.sub("", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return mark_safe(svg)  # noqa: S308 (pygal escapes its labels; the title is ours)


def _float(value):
    return None if value is None else float(value)


def monthly_rates_chart(months, title: str) -> str:
    """The agreements' three rates, one point per month of the supports' end (None: no
    support ended that month, the line breaks rather than dropping to a false zero)."""
    chart = Line(
        style=CHART_STYLE_THREE,
        title=title,
        width=800,
        height=320,
        x_label_rotation=-30 if len(months) > 6 else 0,
        truncate_label=-1,
        legend_at_bottom=True,
        js=[],
        disable_xml_declaration=True,
        range=(0, 100),
        y_title="%",
        allow_interruptions=True,
        no_data_text="Aucun accompagnement terminé",
        value_formatter=lambda value: f"{value:.0f} %".replace(".", ","),
    )
    chart.x_labels = [month_label(month.month) for month in months]
    chart.add("Placement pérenne (A3)", [_float(month.durable_rate) for month in months])
    chart.add("Reprise d'activité (P10)", [_float(month.return_rate) for month in months])
    chart.add("Sortie liée à l'emploi (P10)", [_float(month.linked_rate) for month in months])
    return _clean(chart.render(is_unicode=True), title)


def funnel_chart(steps, title: str) -> str:
    chart = HorizontalBar(
        style=CHART_STYLE,
        title=title,
        width=800,
        height=260,
        show_legend=False,
        js=[],
        disable_xml_declaration=True,
        print_values=True,
        min_scale=1,
        no_data_text="Aucun contrat aidé commencé",
        value_formatter=lambda value: f"{value:.0f}",
    )
    # pygal draws the first value at the bottom: reversed, the funnel reads top-down.
    chart.x_labels = [step.label for step in reversed(steps)]
    chart.add("Personnes", [step.people for step in reversed(steps)])
    return _clean(chart.render(is_unicode=True), title)
