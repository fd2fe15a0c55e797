"""What every chart of Tremplin shares: SVG drawn on the server by pygal (DESIGN.md), the same
in a page and in a PDF, no JavaScript.

- the page's own font (``inherit``: the sans-serif of the page or of the PDF, never pygal's
  monospace default);
- counts on integer ticks (``integer_ticks``: never « 1, 1, 1, 0, 0 » from rounded fractions);
- series that stay visible when their values are equal: bars side by side, lines each with
  their own width, dashes and dots (``line_series``), drawn widest first;
- no empty chart: a page tests ``has_values`` and says in words that there is nothing to draw
  (pygal would write its « no data » text in huge letters, clipped by the frame);
- accessible: ``role="img"``, a title (and a description) read by screen readers; the page puts
  the same numbers in a table under the chart (RGAA criterion 1.3);
- no inline script (pygal always embeds its tooltips' configuration, useless without the
  tooltip script and refused by a strict Content-Security-Policy).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

INLINE_SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.DOTALL)

# Bootstrap's primary blue, a dark teal, a dark orange, a violet, a dark red, a dark cyan: each
# at least 4.5:1 on white.
COLOURS = ("#0b5ed7", "#0f5132", "#984c0c", "#6f42c1", "#b02a37", "#055160")

# One look per line series, widest first so that a narrower line drawn over it leaves it
# visible where the values are equal.
LINE_LOOKS = (
    {"stroke_style": {"width": 6, "linecap": "round"}, "dots_size": 6},
    {"stroke_style": {"width": 3, "dasharray": "10, 5", "linecap": "round"}, "dots_size": 4},
    {"stroke_style": {"width": 2, "dasharray": "3, 4", "linecap": "round"}, "dots_size": 3},
    {"stroke_style": {"width": 2, "dasharray": "12, 4, 3, 4"}, "dots_size": 3},
    {"stroke_style": {"width": 1.5, "dasharray": "6, 3"}, "dots_size": 2.5},
    {"stroke_style": {"width": 1.5}, "dots_size": 2},
)


def chart_style(colours: Iterable[str] = COLOURS) -> Style:
    return Style(
        background="white",
        plot_background="white",
        foreground="#212529",
        foreground_strong="#212529",
        foreground_subtle="#6c757d",
        colors=tuple(colours),
        # The page's (or the PDF's) own font: every text of the SVG inherits it.
        font_family="inherit",
        title_font_size=17,
        legend_font_size=14,
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=14,
        value_label_font_size=12,
        tooltip_font_size=13,
        no_data_font_size=16,
    )


def common_options(title: str) -> dict:
    """The options every chart takes. The title is not drawn: the page writes it above the
    chart, in its own font and size (it stays in the SVG's ``<title>`` for screen readers)."""
    return {
        "style": chart_style(),
        "js": [],  # no script from a CDN: the page must work offline and print as drawn
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "print_zeroes": False,
        "no_data_text": "",
    }


def integer_ticks(largest: float, most: int = 6) -> list[int]:
    """Ticks for counts: whole numbers from 0 to at least ``largest``, at most ``most`` + 1 of
    them, at a step of 1, 2 or 5 times a power of ten."""
    largest = max(1, math.ceil(largest))
    step = 1
    while True:
        for factor in (1, 2, 5):
            candidate = step * factor
            if math.ceil(largest / candidate) <= most:
                top = math.ceil(largest / candidate) * candidate
                return list(range(0, top + 1, candidate))
        step *= 10


def has_values(*series: Iterable) -> bool:
    """Whether any series has a value to draw (a number that is neither None nor zero)."""
    return any(value for values in series for value in values if value is not None)


def line_series(chart, series: list[tuple[str, list]]) -> None:
    """Add line series, each with its own look (``LINE_LOOKS``)."""
    for index, (label, values) in enumerate(series):
        chart.add(label, values, **LINE_LOOKS[index % len(LINE_LOOKS)])


CHART_ID = re.compile(r'id="(chart-[0-9a-f-]+)"')


def _line_widths(svg: str, chart) -> str:
    """pygal gives each line the style's single ``stroke_width`` on the path itself, which
    outranks a series' own width: the series' widths are restated for their paths."""
    found = CHART_ID.search(svg)
    widths = [
        (index, options["stroke_style"]["width"])
        for index, (_, options) in enumerate(chart.raw_series)
        if options.get("stroke_style", {}).get("width")
    ]
    if found is None or not widths:
        return svg
    rules = "".join(
        f"#{found.group(1)} .serie-{index} .line.reactive{{stroke-width:{width}}}"
        for index, width in widths
    )
    return svg.replace("</style>", rules + "</style>", 1)


def to_svg(chart, title: str, description: str = "", name: str = "graphique") -> SafeString:
    """The chart's SVG, without script, as an image with its title (and description) for
    screen readers. ``name`` makes the ids of the title and the description unique on the
    page."""
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True))
    svg = _line_widths(svg, chart)
    labelled_by = f"{name}-titre" + (f" {name}-desc" if description else "")
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{labelled_by}" ', 1)
    opening_end = svg.index(">") + 1
    inner = f'<title id="{name}-titre">{escape(title)}</title>'
    if description:
        inner += f'<desc id="{name}-desc">{escape(description)}</desc>'
    return mark_safe(svg[:opening_end] + inner + svg[opening_end:])  # noqa: S308 (pygal escapes its labels; ours are escaped)
