"""Filters of the people's list (``web.listing``): by référent (the registry's own), by the
programme followed now (the support's), by overdue deliverables (A3, A6, A7) and by the
interview cadence (P4, the professional support's), kept in the CSV export."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from tests import factories
from tests.professional.factories import interview, professional_episode
from tests.support.factories import episode_for

pytestmark = pytest.mark.django_db

LIST = reverse("registry:beneficiary_list")


def names(response) -> set[str]:
    return {str(person) for person in response.context["object_list"]}


@pytest.fixture
def people(referent_user, operator):
    """Four people of the referent's operator: one in in-employment support, one in
    professional support, one without support, one followed by another referent."""
    in_employment = episode_for(referent_user).beneficiary
    professional = professional_episode(referent_user, start=dt.date(2026, 9, 1)).beneficiary
    idle = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    colleague = factories.UserFactory()
    factories.MembershipFactory(user=colleague, organisation=operator, role="referent")
    other = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=colleague
    )
    return {
        "in_employment": str(in_employment),
        "professional": str(professional),
        "idle": str(idle),
        "other": str(other),
        "colleague": colleague,
    }


def test_the_list_filters_by_referent_and_says_who_can_be_chosen(
    client, coordinator_user, referent_user, people
):
    client.force_login(coordinator_user)
    page = client.get(LIST)
    offered = dict(page.context["list_filters"][0]["choices"])
    assert offered[str(referent_user.pk)] == referent_user.get_full_name()
    assert str(people["colleague"].pk) in offered
    mine = client.get(LIST, {"referent": referent_user.pk})
    assert people["other"] not in names(mine)
    assert {people["in_employment"], people["professional"], people["idle"]} <= names(mine)
    theirs = client.get(LIST, {"referent": people["colleague"].pk})
    assert names(theirs) == {people["other"]}


def test_the_list_filters_by_programme_running(client, coordinator_user, people):
    client.force_login(coordinator_user)
    assert names(client.get(LIST, {"programme": "in_employment"})) == {people["in_employment"]}
    assert names(client.get(LIST, {"programme": "professional"})) == {people["professional"]}
    none = names(client.get(LIST, {"programme": "aucun"}))
    assert {people["idle"], people["other"]} <= none
    assert people["in_employment"] not in none and people["professional"] not in none


def test_overdue_deliverables_filter(client, coordinator_user, people, time_machine):
    """The factory's CDD starts on 03/03/2025: on 01/12/2026 its deliverables are long past
    their due dates and none was sent; the professional support from 01/09/2026 has its
    first CER's deliverables still ahead."""
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, 0))
    client.force_login(coordinator_user)
    late = names(client.get(LIST, {"retard": "oui"}))
    assert people["in_employment"] in late
    assert people["idle"] not in late and people["other"] not in late


def test_below_cadence_filter(client, coordinator_user, referent_user, people, time_machine):
    """P4: two interviews a month. On 20/11/2026 the support from 01/09/2026 with no
    interview held is below it; another with two held each month is not."""
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, 0))
    regular = professional_episode(referent_user, start=dt.date(2026, 9, 1))
    for month in (9, 10, 11):
        interview(regular, 2026, month, 3, 10, 0)
        interview(regular, 2026, month, 12, 10, 0)
    client.force_login(coordinator_user)
    below = names(client.get(LIST, {"cadence": "sous"}))
    assert people["professional"] in below
    assert str(regular.beneficiary) not in below
    assert people["idle"] not in below


def test_the_export_keeps_the_filters(client, coordinator_user, people):
    client.force_login(coordinator_user)
    response = client.get(LIST, {"programme": "professional", "format": "csv"})
    content = b"".join(response.streaming_content if response.streaming else [response.content])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    exported = {f"{row[2].upper()} {row[3]}" for row in rows[1:]}
    assert exported == {people["professional"]}


def test_a_value_not_offered_is_ignored(client, coordinator_user, people):
    client.force_login(coordinator_user)
    response = client.get(LIST, {"referent": "abc", "programme": "{}", "retard": "²"})
    assert response.status_code == 200
    assert {people["idle"], people["other"]} <= names(response)
    assert response.context["filtered"] is False
