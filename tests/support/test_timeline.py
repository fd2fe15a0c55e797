"""The plan's timeline drawing: each label on its own line, anchored on the side of its bar
with the more room, so that no label runs out of the drawing."""

import datetime as dt

import pytest

from tremplin.rules.programmes import Period, Phase, Programme, SupportPlan
from tremplin.support.timeline import ROW_HEIGHT, WIDTH, build_timeline, label_place


@pytest.mark.parametrize(
    ("x", "width", "expected"),
    [
        (0, 80, (0, "start")),  # room to the right: 1000 - 0 = 1000 > 0 + 80
        (80, 800, (80, "start")),  # 1000 - 80 = 920 > 80 + 800 = 880
        (120, 800, (920, "end")),  # 1000 - 120 = 880 < 120 + 800 = 920
        (900, 100, (1000, "end")),  # 1000 - 900 = 100 < 1000
        (450, 100, (450, "start")),  # 550 = 550: the start wins a tie
    ],
)
def test_the_label_is_anchored_on_the_roomier_side(x, width, expected):
    assert label_place(x, width) == expected


def test_every_phase_has_a_row_and_room_for_its_label():
    first = dt.date(2025, 1, 1)
    phases = (
        Phase("a", "Phase 1 : période d'essai", "A11", Period(first, dt.date(2025, 1, 31))),
        Phase(
            "b",
            "Phase 2 : de la fin de la période d'essai au 5e mois",
            "A12",
            Period(dt.date(2025, 2, 1), dt.date(2025, 5, 31)),
        ),
        Phase(
            "c", "Phase 3 : le 6e mois", "A13", Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
        ),
    )
    plan = SupportPlan(Programme.IN_EMPLOYMENT, phases, ())
    timeline = build_timeline(plan, today=dt.date(2025, 1, 10))
    assert [bar.y for bar in timeline.bars] == [0, ROW_HEIGHT, 2 * ROW_HEIGHT]
    for bar in timeline.bars:
        # The label's line lies above its bar, inside its row.
        assert bar.y < bar.label_y < bar.bar_y < bar.y + ROW_HEIGHT
        room = WIDTH - bar.label_x if bar.label_anchor == "start" else bar.label_x
        # 14-unit text: a character is at most about 0.6 em, 8.4 units.
        assert room >= len(bar.label) * 8.4, bar.label
    # The last phase ends the drawing: its label is written leftwards from the right edge.
    assert (timeline.bars[-1].label_x, timeline.bars[-1].label_anchor) == (WIDTH, "end")
