"""The shipped SMIC series against openfisca-france's ``smic_b_horaire`` (DESIGN.md, "Rules
as data"): the public, authoritative reference, copied as test data with the
commit it comes from (``data/openfisca_smic_b_horaire.json``), never a dependency.

openfisca's copy stops at its last value (1 November 2024 at the commit read): the test
compares the overlap, from the first shipped date (1 January 2010) to that last value, and
says which shipped rows it leaves unchecked.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from tremplin.rules.parameters import series

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "openfisca_smic_b_horaire.json").read_text(encoding="utf-8")
)
OPENFISCA = {
    datetime.date.fromisoformat(day): Decimal(value) for day, value in REFERENCE["values"].items()
}
SMIC = series("smic_hourly")
OVERLAP_START = SMIC.first_date
OVERLAP_END = max(OPENFISCA)


def test_the_reference_names_its_source_and_commit():
    assert REFERENCE["repository"] == "openfisca/openfisca-france"
    assert REFERENCE["path"].endswith("smic/smic_b_horaire.yaml")
    assert len(REFERENCE["commit"]) == 40


def test_every_openfisca_change_in_the_overlap_is_a_shipped_row_with_the_same_value():
    shipped = {entry.valid_from: entry.value for entry in SMIC.entries}
    expected = {day: value for day, value in OPENFISCA.items() if day >= OVERLAP_START}
    in_overlap = {day: value for day, value in shipped.items() if day <= OVERLAP_END}
    # Same dates of change and same values, both ways: nothing missing, nothing invented.
    assert in_overlap == expected


def test_the_value_in_force_agrees_on_the_first_of_every_month_of_the_overlap():
    day = OVERLAP_START
    checked = 0
    while day <= OVERLAP_END:
        reference = OPENFISCA[max(d for d in OPENFISCA if d <= day)]
        assert SMIC.value_at(day) == reference, day
        checked += 1
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    # January 2010 to November 2024: 14 years and 11 months = 179 months.
    assert checked == 179


def test_the_rows_after_openfisca_stops_are_listed_not_silently_trusted():
    # Beyond the reference's last value (01/11/2024) the series is checked only by its own
    # legal texts: the décret n° 2025-1228 (12,02 € on 01/01/2026) and the arrêté du
    # 22 mai 2026 (12,31 € on 01/06/2026). A newer copy of openfisca's file with
    # these dates makes the first test cover them.
    after = [(e.valid_from, e.value) for e in SMIC.entries if e.valid_from > OVERLAP_END]
    assert after == [
        (datetime.date(2026, 1, 1), Decimal("12.02")),
        (datetime.date(2026, 6, 1), Decimal("12.31")),
    ]
    assert "22 mai 2026" in SMIC.entry_at(datetime.date(2026, 6, 1)).source
