"""The person's progression as a line chart, SVG drawn on the server (pygal, DESIGN.md), with
the shared look of ``tremplin.web.charts`` (the page's font, a stroke per area so that equal
means stay visible).

Accessible: the SVG has ``role="img"``, a ``<title>`` and a ``<desc>`` that says in words
what it shows; the page puts the same numbers in a table beside it (RGAA criterion 1.3).
"""

from __future__ import annotations

from pygal import Line

from tremplin.rules import work_areas
from tremplin.web.charts import common_options, line_series, to_svg


def progression_chart(rows: list[dict], title: str, description: str) -> str:
    """``rows``: one per evaluation, ``{"label": "06/01/2025", "means": {area: mean|None}}``."""
    scale = work_areas.scale()
    chart = Line(
        **common_options(title),
        width=800,
        height=420,
        range=(scale.minimum, scale.maximum),
        include_x_axis=False,
        legend_at_bottom_columns=1,
        y_title="note moyenne du domaine",
        value_formatter=lambda value: f"{value:.2f}".replace(".", ","),
        allow_interruptions=True,
    )
    chart.y_labels = list(range(scale.minimum, scale.maximum + 1))
    chart.x_labels = [row["label"] for row in rows]
    line_series(
        chart,
        [
            (label, [float(v) if v is not None else None for v in values])
            for label, values in (
                (label, [row["means"].get(code) for row in rows])
                for code, label in work_areas.area_labels().items()
            )
        ],
    )
    return to_svg(chart, title, description, name="progression")
