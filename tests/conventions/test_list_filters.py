"""The conventions' list filtered by status and sector: ``in_status`` reads the dates as
``Convention.status_on`` does (derived, never stored)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.conventions.factories import ConventionFactory, RuptureFactory
from tremplin.conventions.models import Convention

pytestmark = pytest.mark.django_db

LIST = reverse("conventions:list")


@pytest.fixture
def conventions(territory, my_beneficiary):
    """The factory's contract runs from 15/03/2025 to 14/09/2025. On 01/06/2025: a draft,
    one running, one ruptured (its rupture recorded), one hired in July (signed,
    to come), one ended in May, and a CAE."""
    make = lambda **kw: ConventionFactory(  # noqa: E731
        territory=territory, beneficiary=my_beneficiary, **kw
    )
    ended = make(
        signed=True,
        hire_date=dt.date(2024, 11, 15),
        aid_start=dt.date(2024, 11, 15),
        aid_end=dt.date(2025, 5, 14),
        planned_end=dt.date(2025, 5, 14),
    )
    later = make(
        signed=True,
        hire_date=dt.date(2025, 7, 1),
        aid_start=dt.date(2025, 7, 1),
        aid_end=dt.date(2025, 12, 31),
        planned_end=dt.date(2025, 12, 31),
    )
    return {
        "draft": make(),
        "active": make(signed=True),
        "ruptured": RuptureFactory(convention=make(signed=True)).convention,
        "signed": later,
        "ended": ended,
        "cae": make(signed=True, cae=True),
    }


def test_in_status_is_status_on(conventions):
    day = dt.date(2025, 6, 1)
    for status in Convention.Status:
        found = set(Convention.objects.in_status(status, day))
        assert found == {c for c in conventions.values() if c.status_on(day) == status}, status
    assert {c.status_on(day) for c in conventions.values()} == set(Convention.Status)


def test_the_list_filters_by_status_and_sector(referent_client, conventions, time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 1, 10, 0))
    shown = lambda **q: set(referent_client.get(LIST, q).context["object_list"])  # noqa: E731
    assert shown(statut="brouillon") == {conventions["draft"]}
    assert shown(statut="ruptured") == {conventions["ruptured"]}
    assert shown(statut="signed") == {conventions["signed"]}
    assert shown(statut="ended") == {conventions["ended"]}
    assert shown(secteur="CAE") == {conventions["cae"]}
    assert conventions["active"] in shown(statut="active", secteur="CIE")
    assert conventions["cae"] not in shown(statut="active", secteur="CIE")
