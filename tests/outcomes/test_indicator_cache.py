"""The dashboard keeps its numbers a few minutes per scope and filters
(TREMPLIN_INDICATORS_CACHE_SECONDS): the second load of an agent's year reads none of the
rows, shows the same page, says when the numbers were computed, and « Recalculer » counts
again at once. A coordinator never reads the numbers kept for another scope."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.outcomes.factories import SituationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_five_minutes")]

URL = reverse("outcomes:indicators")
YEAR_2025 = {"du": "2025-01-01", "au": "2025-12-31"}


@pytest.fixture
def kept_five_minutes():
    with override_settings(TREMPLIN_INDICATORS_CACHE_SECONDS=300):
        yield


def started_in_june(response) -> int:
    return next(
        m for m in response.context["months"] if m.month == datetime.date(2025, 6, 1)
    ).employment


def a_cdi_in_june(operator, referent):
    person = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent
    )
    SituationFactory(beneficiary=person, cdi=True, start=datetime.date(2025, 6, 2))


def test_the_second_load_reads_no_rows_and_shows_the_same_numbers(
    client, operator, agent_user, referent_user
):
    a_cdi_in_june(operator, referent_user)
    client.force_login(agent_user)
    first = client.get(URL, YEAR_2025)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL, YEAR_2025)
    assert second.status_code == 200
    assert started_in_june(first) == started_in_june(second) == 1
    assert not [q for q in queries if "outcomes_" in q["sql"] or "support_" in q["sql"]]
    assert second.context["computed_at"] == first.context["computed_at"]
    assert "Chiffres calculés à" in second.content.decode()
    assert "gardés 5 minutes" in second.content.decode()


def test_recalculer_counts_again_at_once(client, operator, agent_user, referent_user):
    client.force_login(agent_user)
    assert started_in_june(client.get(URL, YEAR_2025)) == 0
    a_cdi_in_june(operator, referent_user)
    # Kept: the new CDI is not counted yet ...
    assert started_in_june(client.get(URL, YEAR_2025)) == 0
    # ... until someone asks, and the new count is kept in its turn.
    assert started_in_june(client.get(URL, {**YEAR_2025, "recalculer": "1"})) == 1
    assert started_in_june(client.get(URL, YEAR_2025)) == 1


def test_another_scope_or_other_filters_count_their_own(
    client, operator, agent_user, referent_user
):
    other = factories.OrganisationFactory(territory=operator.territory)
    coordinator = factories.coordinator(other)
    a_cdi_in_june(operator, referent_user)
    client.force_login(agent_user)
    assert started_in_june(client.get(URL, YEAR_2025)) == 1
    # The other operator's coordinator does not see the agent's numbers.
    client.force_login(coordinator)
    assert started_in_june(client.get(URL, YEAR_2025)) == 0
    # Nor does the agent for another operator chosen in the filter.
    client.force_login(agent_user)
    assert started_in_june(client.get(URL, {**YEAR_2025, "structure": other.pk})) == 0


@override_settings(TREMPLIN_INDICATORS_CACHE_SECONDS=0)
def test_without_a_delay_every_load_counts(client, operator, agent_user, referent_user):
    client.force_login(agent_user)
    assert started_in_june(client.get(URL, YEAR_2025)) == 0
    a_cdi_in_june(operator, referent_user)
    response = client.get(URL, YEAR_2025)
    assert started_in_june(response) == 1
    assert "Chiffres calculés à" not in response.content.decode()
