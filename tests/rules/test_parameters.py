"""Dated parameters: the SMIC series and the aid-rate orders (rules E1, E12)."""

import datetime
from decimal import Decimal

import pytest

from tremplin.rules import parameters
from tremplin.rules.parameters import (
    AidOrder,
    NoValueInForce,
    ParameterError,
    aid_order_in_force,
    read_series_csv,
    series,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Décret n° 2009-1584: 8,86 € from 1 January 2010, the first value shipped.
        (D(2010, 1, 1), "8.86"),
        # Arrêté du 29 novembre 2011: 9,19 € for December 2011 only.
        (D(2011, 12, 15), "9.19"),
        # Décret n° 2011-1926: 9,22 € from 1 January 2012.
        (D(2012, 1, 1), "9.22"),
        # Décret n° 2023-1216: 11,65 € until the anticipated rise of November 2024.
        (D(2024, 10, 31), "11.65"),
        # Décret n° 2024-951 du 23 octobre 2024: 11,88 € from 1 November 2024.
        (D(2024, 11, 1), "11.88"),
        # No decree on 1 January 2025: March 2025 is still 11,88 € (the example).
        (D(2025, 3, 15), "11.88"),
        (D(2025, 12, 31), "11.88"),
        # Décret n° 2025-1228 du 17 décembre 2025: 12,02 € from 1 January 2026.
        (D(2026, 1, 1), "12.02"),
        (D(2026, 5, 31), "12.02"),
        # Arrêté du 22 mai 2026 (automatic revaluation, issue 10): 12,31 € from 1 June 2026.
        (D(2026, 6, 1), "12.31"),
        (D(2026, 11, 23), "12.31"),
    ],
)
def test_smic_value_at_a_date(day, expected):
    assert series("smic_hourly").value_at(day) == Decimal(expected)


def test_smic_before_the_first_value_is_a_clear_french_error():
    with pytest.raises(NoValueInForce, match="avant le 01/01/2010"):
        series("smic_hourly").value_at(D(2009, 12, 31))


def test_every_smic_value_cites_its_legal_text_and_rises():
    entries = series("smic_hourly").entries
    assert all(entry.source.startswith(("Décret", "Arrêté")) for entry in entries)
    values = [entry.value for entry in entries]
    assert values == sorted(values)
    assert len(set(values)) == len(values)


def test_entry_at_gives_the_source_of_the_value():
    entry = series("smic_hourly").entry_at(D(2025, 3, 1))
    assert "2024-951" in entry.source
    assert entry.valid_from == D(2024, 11, 1)


def test_changes_between_lists_the_rises_inside_a_period():
    changes = series("smic_hourly").changes_between(D(2025, 3, 15), D(2026, 3, 14))
    assert [c.valid_from for c in changes] == [D(2026, 1, 1)]


def test_series_are_cached():
    assert series("smic_hourly") is series("smic_hourly")
    parameters.clear_cache()
    assert series("smic_hourly").value_at(D(2025, 3, 15)) == Decimal("11.88")


def test_unknown_series_is_a_french_error():
    with pytest.raises(ParameterError, match="introuvable"):
        series("no_such_series")


def _write(tmp_path, text):
    path = tmp_path / "example.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("date,value,source\n2020-01-01,1,Décret\n", "en-tête"),
        ("valid_from,value,source\n2020-13-01,1,Décret\n", "date"),
        ("valid_from,value,source\n2020-01-01,abc,Décret\n", "nombre"),
        ("valid_from,value,source\n2020-01-01,1,\n", "source"),
        ("valid_from,value,source\n2021-01-01,1,A\n2020-01-01,2,B\n", "triée"),
        ("valid_from,value,source\n2020-01-01,1,A\n2020-01-01,2,B\n", "triée"),
        ("valid_from,value,source\n", "aucune valeur"),
    ],
)
def test_malformed_series_files_are_rejected(tmp_path, content, message):
    with pytest.raises(ParameterError, match=message):
        read_series_csv(_write(tmp_path, content))


def test_values_are_exact_decimals(tmp_path):
    path = _write(tmp_path, 'valid_from,value,source\n2020-01-01,0.1,"Texte, avec virgule"\n')
    entry = read_series_csv(path).entry_at(D(2020, 6, 1))
    assert entry.value == Decimal("0.1")
    assert entry.source == "Texte, avec virgule"


# --- The seed 002 order (rule E12) -----------------------------------------------------------


def test_seed_002_order_is_shipped_as_data():
    order = aid_order_in_force("84", D(2017, 7, 28))
    assert order.reference == "Arrêté préfectoral n° 17-322 du 28 juillet 2017"
    rates = {category.label: category.rate_percent for category in order.categories}
    # Seed 002's table: Cas 1 25 %, Cas 2 et 3 33 %, Cas 4 47 %, Cas 5 STAR-TER 45 %.
    assert rates == {
        "Cas 1": Decimal(25),
        "Cas 2 et cas 3": Decimal(33),
        "Cas 4": Decimal(47),
        "Cas 5 CIE STAR-TER": Decimal(45),
    }
    # "20 à 35 heures hebdomadaires"; CDD: 6 months for a CDD of at least 9; CDI: 12 months.
    assert (order.weekly_hours_min, order.weekly_hours_max) == (Decimal(20), Decimal(35))
    assert (order.aid_months_cdd, order.cdd_min_months_for_aid, order.aid_months_cdi) == (6, 9, 12)
    assert order.rate_cap_percent == Decimal(47)  # rule E6


def test_the_order_applies_after_its_date_only():
    assert aid_order_in_force("84", D(2025, 3, 15)).valid_from == D(2017, 7, 28)
    with pytest.raises(NoValueInForce, match="région 84"):
        aid_order_in_force("84", D(2017, 7, 27))
    with pytest.raises(NoValueInForce):
        aid_order_in_force("11", D(2025, 3, 15))


def test_a_later_order_replaces_the_earlier_one():
    shipped = aid_order_in_force("84", D(2018, 1, 1))
    data = shipped.to_mapping()
    data["valid_from"] = "2018-01-01"
    data["reference"] = "Arrêté fictif du 1er janvier 2018"
    newer = AidOrder.from_mapping(data)
    orders = [shipped, newer]
    assert aid_order_in_force("84", D(2017, 12, 31), orders) is shipped
    assert aid_order_in_force("84", D(2018, 1, 1), orders) is newer


def test_order_round_trips_through_plain_values():
    order = aid_order_in_force("84", D(2020, 1, 1))
    assert AidOrder.from_mapping(order.to_mapping()) == order


def test_order_with_a_rate_above_the_cap_is_rejected():
    data = aid_order_in_force("84", D(2020, 1, 1)).to_mapping()
    data["categories"][0]["rate_percent"] = "48"
    with pytest.raises(ParameterError, match="E6"):
        AidOrder.from_mapping(data)


def test_order_missing_a_field_is_rejected():
    data = aid_order_in_force("84", D(2020, 1, 1)).to_mapping()
    del data["aid_months_cdi"]
    with pytest.raises(ParameterError, match="aid_months_cdi"):
        AidOrder.from_mapping(data)
