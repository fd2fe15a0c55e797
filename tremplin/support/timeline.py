"""Geometry of the plan's timeline, drawn as inline SVG by the template (no JavaScript, the
same drawing on the page and in a PDF)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDTH = 1000
ROW_HEIGHT = 34
LABEL_GAP = 4


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

    bars = [
        Bar(
            label=phase.label,
            rule=phase.rule,
            first=phase.first,
            last=phase.last,
            x=x_of(phase.first),
            y=index * ROW_HEIGHT,
            width=max(round(WIDTH * phase.period.days / span, 1), 2),
            current=today in phase.period,
        )
        for index, phase in enumerate(plan.phases)
    ]
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
