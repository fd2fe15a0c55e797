"""Geometry of the plan's timeline, drawn as inline SVG by the template (no JavaScript, the
same drawing on the page and in a PDF)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDTH = 1000
# A row: the phase's label on its own line (14-unit text), then its bar. The label never sits
# in the bar, which may be too short for it. (On a phone, the page lists the phases instead.)
LABEL_HEIGHT = 20
BAR_TOP = LABEL_HEIGHT + 5
BAR_HEIGHT = 18
ROW_HEIGHT = BAR_TOP + BAR_HEIGHT + 8


@dataclass(frozen=True)
class Bar:
    label: str
    rule: str
    first: dt.date
    last: dt.date
    x: float
    y: float
    width: float
    current: bool
    # Where the label is written: from the bar's start rightwards ("start"), or leftwards
    # from its end ("end"), whichever side of the drawing has more room.
    label_x: float = 0
    label_anchor: str = "start"

    @property
    def label_y(self) -> float:
        return self.y + LABEL_HEIGHT - 4

    @property
    def bar_y(self) -> float:
        return self.y + BAR_TOP


def label_place(x: float, width: float) -> tuple[float, str]:
    """The label's anchor: at the start of the bar when the room from there to the right
    edge is the larger, else at its end (written leftwards). The room is then at least
    half the drawing plus half the bar: 500 units, about 60 characters of 14-unit text,
    while the longest label of the programmes has 55."""
    if WIDTH - x >= x + width:
        return x, "start"
    return round(x + width, 1), "end"


@dataclass(frozen=True)
class Marker:
    label: str
    day: dt.date
    x: float


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    today: Marker | None
    deadlines: list[Marker]
    width: int
    height: int
    first: dt.date
    last: dt.date


def build_timeline(plan, today: dt.date, deadlines=()) -> Timeline | None:
    if plan is None or not plan.phases:
        return None
    first = min(phase.first for phase in plan.phases)
    last = max(phase.last for phase in plan.phases)
    span = (last - first).days + 1

    def x_of(day: dt.date) -> float:
        return round(WIDTH * (day - first).days / span, 1)

    bars = []
    for index, phase in enumerate(plan.phases):
        x = x_of(phase.first)
        width = max(round(WIDTH * phase.period.days / span, 1), 2)
        label_x, anchor = label_place(x, width)
        bars.append(
            Bar(
                label=phase.label,
                rule=phase.rule,
                first=phase.first,
                last=phase.last,
                x=x,
                y=index * ROW_HEIGHT,
                width=width,
                current=today in phase.period,
                label_x=label_x,
                label_anchor=anchor,
            )
        )
    marker = Marker("Aujourd'hui", today, x_of(today)) if first <= today <= last else None
    deadline_markers = [
        Marker(d.label, d.due_on, x_of(d.due_on)) for d in deadlines if first <= d.due_on <= last
    ]
    return Timeline(
        bars=bars,
        today=marker,
        deadlines=deadline_markers,
        width=WIDTH,
        height=len(bars) * ROW_HEIGHT + 24,
        first=first,
        last=last,
    )
