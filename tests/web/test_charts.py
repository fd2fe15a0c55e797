"""The charts' shared look: integer ticks for counts, the page's font, equal series kept
visible, no script, a title for screen readers."""

import pytest
from pygal import Bar, Line

from tremplin.web.charts import common_options, has_values, integer_ticks, line_series, to_svg


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (6, [0, 1, 2, 3, 4, 5, 6]),
        (7, [0, 2, 4, 6, 8]),
        (23, [0, 5, 10, 15, 20, 25]),
        (140, [0, 50, 100, 150]),
    ],
)
def test_counts_have_whole_ticks(largest, ticks):
    assert integer_ticks(largest) == ticks


def test_has_values_ignores_none_and_zero():
    assert not has_values([None, 0], [0])
    assert has_values([None, 0], [2])


def test_a_count_chart_has_no_fractional_tick_and_the_pages_font():
    chart = Bar(**common_options("Personnes"), width=400, height=200)
    chart.y_labels = integer_ticks(1)
    chart.x_labels = ["janv.", "févr."]
    chart.add("Emploi commencé", [1, 0])
    chart.add("Activité", [1, 0])
    svg = to_svg(chart, "Personnes", "Deux mois", name="essai")

    assert "monospace" not in svg and "font-family:inherit" in svg.replace(" ", "")
    assert ">0.5<" not in svg and ">0,5<" not in svg
    assert '<svg role="img" aria-labelledby="essai-titre essai-desc"' in svg
    assert '<title id="essai-titre">Personnes</title><desc id="essai-desc">Deux mois</desc>' in svg
    assert "<script" not in svg
    assert 'class="no_data"' not in svg


def test_equal_lines_each_have_their_own_stroke():
    chart = Line(**common_options("Taux"), width=400, height=200)
    chart.x_labels = ["janv.", "févr."]
    line_series(chart, [("Un", [50.0, 50.0]), ("Deux", [50.0, 50.0]), ("Trois", [50.0, 50.0])])
    svg = to_svg(chart, "Taux")

    assert ".serie-0 .line.reactive{stroke-width:6}" in svg  # outranks pygal's single width
    assert "stroke-dasharray:10,5" in svg.replace(" ", "")
    assert "stroke-dasharray:3,4" in svg.replace(" ", "")
