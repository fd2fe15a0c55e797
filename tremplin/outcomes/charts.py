"""The indicator page's charts (and the periodic report's): SVG drawn on the server with the
shared look of ``tremplin.web.charts`` (integer ticks for counts, equal series kept visible,
the page's font, no empty chart).

The page puts the same numbers in a table under each chart (its text alternative, RGAA
criterion 1.3); the SVG itself carries a title and ``role="img"``.
"""

from pygal import Bar, HorizontalBar, Line

from tremplin.web.charts import common_options, has_values, integer_ticks, line_series, to_svg

from .indicators import MonthCount

FRENCH_MONTHS = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
]  # fmt: skip

# The series' names, as the tables under the charts name their columns.
EMPLOYMENT = "Emploi commencé"
ACTIVITY = "Emploi, formation ou activité commencés"
DURABLE = "Placement pérenne"
RETURN = "Reprise d'activité"
LINKED = "Sortie liée à l'emploi"


def month_label(month) -> str:
    return f"{FRENCH_MONTHS[month.month - 1]} {month.year}"


def _count(value) -> str:
    return f"{value:.0f}"


def monthly_starts_chart(months: list[MonthCount], title: str) -> str | None:
    """Grouped bars (the two series side by side, never one hidden behind the other); None
    when nobody started anything: the page says so in words."""
    employment = [month.employment for month in months]
    activity = [month.activity for month in months]
    if not has_values(employment, activity):
        return None
    chart = Bar(
        **common_options(title),
        width=800,
        height=340,
        x_label_rotation=-30 if len(months) > 6 else 0,
        print_values=len(months) <= 12,
        y_title="personnes",
        value_formatter=_count,
    )
    chart.y_labels = integer_ticks(max(employment + activity))
    chart.x_labels = [month_label(month.month) for month in months]
    chart.add(EMPLOYMENT, employment)
    chart.add(ACTIVITY, activity)
    return to_svg(chart, title, name="graphique-mois")


def _float(value):
    return None if value is None else float(value)


def _percent(value) -> str:
    return f"{value:.0f} %".replace(".", ",")


def monthly_rates_chart(months, title: str) -> str | None:
    """The agreements' three rates, one point per month of the supports' end (None: no
    support ended that month, the line breaks rather than dropping to a false zero). Each
    line has its own width, dashes and dots: equal rates stay visible. None when no support
    ended in the period: the page says so in words."""
    series = [
        (DURABLE, [_float(month.durable_rate) for month in months]),
        (RETURN, [_float(month.return_rate) for month in months]),
        (LINKED, [_float(month.linked_rate) for month in months]),
    ]
    if all(value is None for _, values in series for value in values):
        return None
    chart = Line(
        **common_options(title),
        width=800,
        height=340,
        x_label_rotation=-30 if len(months) > 6 else 0,
        range=(0, 100),
        y_title="%",
        allow_interruptions=True,
        value_formatter=_percent,
    )
    chart.y_labels = list(range(0, 101, 20))
    chart.x_labels = [month_label(month.month) for month in months]
    line_series(chart, series)
    return to_svg(chart, title, name="graphique-taux")


def funnel_chart(steps, title: str) -> str | None:
    people = [step.people for step in steps]
    if not has_values(people):
        return None
    chart = HorizontalBar(
        **common_options(title),
        width=800,
        height=280,
        show_legend=False,
        print_values=True,
        value_formatter=_count,
    )
    chart.y_labels = integer_ticks(max(people))
    # pygal draws the first value at the bottom: reversed, the funnel reads top-down.
    chart.x_labels = [step.label for step in reversed(steps)]
    chart.add("Personnes", list(reversed(people)))
    return to_svg(chart, title, name="graphique-parcours")
