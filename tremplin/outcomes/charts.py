"""Charts drawn on the server as SVG (pygal): the same in a page and in a PDF, no JavaScript.

The page puts the same numbers in a table next to the chart (its text alternative, RGAA
criterion 1.3); the SVG itself carries a title and ``role="img"``.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal import Bar
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
