"""The person's progression as a line chart, SVG drawn on the server (pygal, DESIGN.md).

Accessible: the SVG has ``role="img"``, a ``<title>`` and a ``<desc>`` that says in words
what it shows; the page puts the same numbers in a table beside it (RGAA criterion 1.3).
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal import Line
from pygal.style import Style

from tremplin.rules import work_areas

INLINE_SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.DOTALL)

# Six colours distinguishable and at least 3:1 on white; the lines also carry dots.
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0b5ed7", "#b02a37", "#0f5132", "#6f42c1", "#984c0c", "#055160"),
    font_family="system-ui, sans-serif",
)


def progression_chart(rows: list[dict], title: str, description: str) -> str:
    """``rows``: one per evaluation, ``{"label": "06/01/2025", "means": {area: mean|None}}``."""
    scale = work_areas.scale()
    chart = Line(
        style=STYLE,
        title=title,
        width=800,
        height=420,
        js=[],
        disable_xml_declaration=True,
        range=(scale.minimum, scale.maximum),
        include_x_axis=False,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        dots_size=4,
        y_title="note moyenne du domaine",
        no_data_text="Aucune évaluation",
        value_formatter=lambda value: f"{value:.2f}".replace(".", ","),
        allow_interruptions=True,
    )
    chart.y_labels = list(range(scale.minimum, scale.maximum + 1))
    chart.x_labels = [row["label"] for row in rows]
    for code, label in work_areas.area_labels().items():
        values = [row["means"].get(code) for row in rows]
        chart.add(label, [float(v) if v is not None else None for v in values])
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True))
    svg = svg.replace(
        "<svg ",
        '<svg role="img" aria-labelledby="progression-titre progression-desc" ',
        1,
    )
    opening_end = svg.index(">") + 1
    svg = (
        svg[:opening_end]
        + f'<title id="progression-titre">{escape(title)}</title>'
        + f'<desc id="progression-desc">{escape(description)}</desc>'
        + svg[opening_end:]
    )
    return mark_safe(svg)  # noqa: S308 (pygal escapes its labels; title and desc are escaped)
