"""The conventions' list filtered by status and sector: ``in_status`` reads the dates as
``Convention.status_on`` does (derived, never stored)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.conventions.factories import ConventionFactory, RuptureFactory, SuspensionFactory
from tremplin.conventions.models import Convention

pytestmark = pytest.mark.django_db

LIST = reverse("conventions:list")


@pytest.fixture
def conventions(territory, my_beneficiary):
    """The factory's contract runs from 15/03/2025 to 14/09/2025. On 01/06/2025: a draft,
    one running, one ruptured (its rupture recorded), one hired in July (signed,
    to come), one ended in May, one suspended from 20/05 to 10/06 (rule C9), and a CAE."""
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
        "suspended": SuspensionFactory(
            convention=make(signed=True),
            start=dt.date(2025, 5, 20),
            end=dt.date(2025, 6, 10),
            employer_report_date=dt.date(2025, 5, 21),
        ).convention,
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
    # Rule C9: suspended on the day, never « En cours » meanwhile.
    assert shown(statut="suspended") == {conventions["suspended"]}
    assert conventions["suspended"] not in shown(statut="active")


def test_a_suspension_is_a_derived_state_with_its_dates(conventions):
    suspended = conventions["suspended"]
    status = lambda day: suspended.status_on(dt.date(2025, *day))  # noqa: E731
    assert status((5, 19)) == Convention.Status.ACTIVE
    assert status((5, 20)) == status((6, 10)) == Convention.Status.SUSPENDED
    assert status((6, 11)) == Convention.Status.ACTIVE
    assert Convention.Status.SUSPENDED.label == "Suspendue"
    # The ended, the ruptured and the drafts keep their state whatever the suspensions.
    SuspensionFactory(
        convention=conventions["ruptured"],
        start=dt.date(2025, 5, 20),
        end=dt.date(2025, 6, 10),
        employer_report_date=dt.date(2025, 5, 21),
    )
    assert conventions["ruptured"].status_on(dt.date(2025, 6, 1)) == Convention.Status.RUPTURED


def test_the_list_shows_the_badge_suspendue_in_one_query_for_the_suspensions(
    referent_client, conventions, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(dt.datetime(2025, 6, 1, 10, 0))
    response = referent_client.get(LIST, {"statut": "suspended"})
    assert "<td>Suspendue</td>" in response.content.decode()
    # The suspensions are prefetched: adding conventions adds no query.
    with django_assert_max_num_queries(50) as captured:
        referent_client.get(LIST)
    before = len(captured)
    for _ in range(3):
        SuspensionFactory(
            convention=ConventionFactory(
                territory=conventions["active"].territory,
                beneficiary=conventions["active"].beneficiary,
                signed=True,
            ),
            start=dt.date(2025, 5, 20),
            end=dt.date(2025, 6, 10),
            employer_report_date=dt.date(2025, 5, 21),
        )
    with django_assert_max_num_queries(before):
        page = referent_client.get(LIST).content.decode()
    assert page.count("<td>Suspendue</td>") == 4
