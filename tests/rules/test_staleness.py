"""Dated law that cannot go stale silently (rule E1, DESIGN.md "Rules as data")."""

import dataclasses
import datetime

from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules import staleness
from tremplin.rules.parameters import aid_order_at, series

D = datetime.date


def test_the_rhythms_are_dated_data_with_their_source():
    for name in (staleness.SMIC_RHYTHM, staleness.ORDER_RHYTHM):
        entry = series(name).entry_at(D(2026, 12, 3))
        assert entry.value == 12
        assert entry.source


def test_the_smic_is_stale_after_twelve_months_without_a_new_value():
    # Newest value: 12,31 € on 01/06/2026 (arrêté du 22 mai 2026). Fresh up to 01/06/2027
    # included (exactly 12 months), stale from 02/06/2027.
    assert not staleness.smic_staleness(D(2026, 12, 3)).stale
    on_the_day = staleness.smic_staleness(D(2027, 6, 1))
    assert not on_the_day.stale and on_the_day.stale_after == D(2027, 6, 1)
    late = staleness.smic_staleness(D(2027, 6, 2))
    assert late.stale and late.newest == D(2026, 6, 1)
    assert "règle E1" in late.message and "12,31 €" in late.message
    assert "plus de 12 mois" in late.message


def test_an_order_in_force_for_less_than_a_year_is_fresh():
    found = aid_order_at("44", D(2026, 12, 3))
    assert not staleness.order_staleness(found, D(2026, 12, 3)).stale


def test_an_order_past_its_validity_is_stale_and_says_which():
    found = aid_order_at("84", D(2026, 12, 3))
    result = staleness.order_staleness(found, D(2026, 12, 3), region_label="la région Rhône")
    assert result.stale and "31/12/2017" in result.message and "règle E1" in result.message
    assert "saisissez l'arrêté de 2026" in result.message


def test_no_order_at_all_is_stale():
    result = staleness.order_staleness(aid_order_at("11", D(2026, 12, 3)), D(2026, 12, 3))
    assert result.stale and result.newest is None and "Aucun arrêté" in result.message


def test_an_open_ended_order_older_than_a_year_is_stale():
    # An order entered without an end (before validity existed) stays in force, but after
    # 12 months it may have been replaced: the warning asks to check.
    order = aid_order_at("44", D(2026, 3, 1)).order
    open_ended = dataclasses.replace(order, valid_until=None)
    found = aid_order_at("44", D(2027, 1, 2), [open_ended])
    assert found.in_force
    assert staleness.order_staleness(found, D(2027, 1, 1)).stale is False
    result = staleness.order_staleness(found, D(2027, 1, 2))
    assert result.stale and "01/01/2026" in result.message


@given(
    newest=st.dates(min_value=D(2010, 1, 1), max_value=D(2030, 12, 31)),
    first=st.integers(0, 800),
    later=st.integers(0, 800),
)
def test_staleness_never_goes_away_with_time(newest, first, later):
    today = newest + datetime.timedelta(days=first)
    after = today + datetime.timedelta(days=later)
    if staleness.is_older_than(newest, today, 12):
        assert staleness.is_older_than(newest, after, 12)
    # Never stale within the first 365 days, always after 366.
    if first <= 365:
        assert not staleness.is_older_than(newest, today, 12)
    if first > 366:
        assert staleness.is_older_than(newest, today, 12)
