"""Dated parameters: the SMIC series and the aid-rate orders (rules E1, E12)."""

import datetime
from decimal import Decimal

import pytest

from tremplin.rules import parameters
from tremplin.rules.parameters import (
    AidOrder,
    NoValueInForce,
    ParameterError,
    aid_order_at,
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
        # Arrêté du 22 mai 2026 (automatic revaluation): 12,31 € from 1 June 2026.
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


def test_entry_until_gives_the_row_and_the_day_the_next_one_takes_effect():
    smic = series("smic_hourly")
    # 11,88 € from 1 November 2024 until the 12,02 € of 1 January 2026.
    assert smic.entry_until(D(2025, 3, 1)) == (smic.entry_at(D(2025, 3, 1)), D(2026, 1, 1))
    assert smic.entry_until(D(2024, 11, 1))[1] == D(2026, 1, 1)
    assert smic.entry_until(D(2025, 12, 31))[1] == D(2026, 1, 1)
    assert smic.entry_until(D(2026, 1, 1))[0].value == Decimal("12.02")
    # The last row holds with no end.
    last = smic.entries[-1]
    assert smic.entry_until(last.valid_from + datetime.timedelta(days=400)) == (last, None)
    with pytest.raises(NoValueInForce, match="avant le 01/01/2010"):
        smic.entry_until(D(2009, 12, 31))


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


def test_the_order_applies_within_its_validity_only():
    # Rule E1: orders are fixed year by year; seed 002's is valid from 28/07 to 31/12/2017.
    order = aid_order_in_force("84", D(2017, 12, 31))
    assert (order.valid_from, order.valid_until) == (D(2017, 7, 28), D(2017, 12, 31))
    with pytest.raises(NoValueInForce, match="région 84"):
        aid_order_in_force("84", D(2017, 7, 27))
    # It was returned for any later date; it is no longer in force in 2018.
    with pytest.raises(NoValueInForce, match="valable du 28/07/2017 au 31/12/2017"):
        aid_order_in_force("84", D(2018, 1, 1))
    with pytest.raises(NoValueInForce):
        aid_order_in_force("11", D(2025, 3, 15))


def test_the_newest_known_order_is_told_outside_its_validity():
    found = aid_order_at("84", D(2025, 3, 15))
    assert found.order == aid_order_in_force("84", D(2017, 7, 28))
    assert found.outside_validity and not found.in_force
    assert "règle E1" in found.refusal()
    inside = aid_order_at("84", D(2017, 9, 1))
    assert inside.in_force and inside.refusal() == ""
    nothing = aid_order_at("11", D(2025, 3, 15))
    assert nothing.order is None and "Aucun arrêté" in nothing.refusal()
    # Before its date of effect, an order is not "the newest known" yet.
    assert aid_order_at("84", D(2017, 7, 27)).order is None


def test_the_demo_region_ships_a_demonstration_order_for_2026():
    # Bas-Rhin (67) is in the Grand Est region, code 44 (data/departments.csv).
    order = aid_order_in_force("44", D(2026, 3, 2))
    assert order.demonstration
    assert "DÉMONSTRATION" in order.source and "démonstration" in order.reference
    assert (order.valid_from, order.valid_until) == (D(2026, 1, 1), D(2026, 12, 31))
    seed = aid_order_in_force("84", D(2017, 7, 28))
    # Modelled on seed 002's order: same rates, hours and durations (rule E12).
    assert [(c.code, c.rate_percent) for c in order.categories] == [
        (c.code, c.rate_percent) for c in seed.categories
    ]
    assert (order.weekly_hours_min, order.weekly_hours_max) == (Decimal(20), Decimal(35))
    # One stated difference: a CDD is aided from 6 months (C7's minimum), not 9, so that the
    # demo's 6-month CDDs can be signed.
    assert (order.aid_months_cdd, order.cdd_min_months_for_aid, order.aid_months_cdi) == (6, 6, 12)
    assert "non 9" in order.note
    with pytest.raises(NoValueInForce):
        aid_order_in_force("44", D(2027, 1, 1))


def test_every_shipped_order_carries_its_validity_and_training_raise():
    for order in parameters.aid_orders():
        assert order.valid_until is not None and order.valid_until >= order.valid_from
        # Neither order gives a raise for training (rule E11): the field says so (None).
        assert order.training_raise_percent is None


def test_a_later_order_replaces_the_earlier_one():
    shipped = aid_order_in_force("84", D(2017, 12, 1))
    data = shipped.to_mapping()
    data["valid_from"] = "2017-12-15"
    data["valid_until"] = "2018-12-31"
    data["reference"] = "Arrêté fictif du 15 décembre 2017"
    newer = AidOrder.from_mapping(data)
    orders = [shipped, newer]
    assert aid_order_in_force("84", D(2017, 12, 14), orders) is shipped
    # Both are in force on 15/12/2017: the latest date of effect wins.
    assert aid_order_in_force("84", D(2017, 12, 15), orders) is newer
    assert aid_order_in_force("84", D(2018, 6, 1), orders) is newer


def test_an_order_ending_before_it_starts_is_rejected():
    data = aid_order_in_force("84", D(2017, 9, 1)).to_mapping()
    data["valid_until"] = "2017-07-27"
    with pytest.raises(ParameterError, match="fin de validité"):
        AidOrder.from_mapping(data)


def test_an_order_without_an_end_stays_in_force_until_a_newer_one():
    # An order entered before the validity existed (database rows): open-ended.
    data = aid_order_in_force("84", D(2017, 9, 1)).to_mapping()
    data["valid_until"] = None
    open_ended = AidOrder.from_mapping(data)
    assert open_ended.validity_text == "à partir du 28/07/2017"
    assert aid_order_in_force("84", D(2025, 3, 15), [open_ended]) is open_ended


def test_order_round_trips_through_plain_values():
    order = aid_order_in_force("84", D(2017, 9, 1))
    assert AidOrder.from_mapping(order.to_mapping()) == order


def test_order_with_a_rate_above_the_cap_is_rejected():
    data = aid_order_in_force("84", D(2017, 9, 1)).to_mapping()
    data["categories"][0]["rate_percent"] = "48"
    with pytest.raises(ParameterError, match="E6"):
        AidOrder.from_mapping(data)


def test_order_missing_a_field_is_rejected():
    data = aid_order_in_force("84", D(2017, 9, 1)).to_mapping()
    del data["aid_months_cdi"]
    with pytest.raises(ParameterError, match="aid_months_cdi"):
        AidOrder.from_mapping(data)
