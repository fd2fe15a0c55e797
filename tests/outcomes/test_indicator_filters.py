"""The dashboard's référent filter lists the référents of the chosen structure; beyond
MAXIMUM_REFERENT_CHOICES in the scope it asks for a structure first, and a référent given by
a link is still accepted and checked."""

import pytest
from django.urls import reverse

from tests import factories
from tremplin.outcomes import forms

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:indicators")
YEAR = {"du": "2025-01-01", "au": "2025-12-31"}


@pytest.fixture
def two_operators(territory, monkeypatch):
    monkeypatch.setattr(forms, "MAXIMUM_REFERENT_CHOICES", 1)
    north = factories.OrganisationFactory(territory=territory, name="Nord")
    south = factories.OrganisationFactory(territory=territory, name="Sud")
    return (north, factories.referent(north)), (south, factories.referent(south))


def options(response) -> list[str]:
    field = response.context["form"]["referent"]
    return [label for value, label in field.field.widget.choices if value != ""]


def test_without_a_structure_a_long_list_asks_for_one(client, agent_user, two_operators):
    client.force_login(agent_user)
    response = client.get(URL, YEAR)
    assert options(response) == []
    assert "Choisissez d'abord une structure" in response.content.decode()


def test_a_chosen_structure_lists_its_referents(client, agent_user, two_operators):
    (north, north_referent), (_south, south_referent) = two_operators
    client.force_login(agent_user)
    response = client.get(URL, {**YEAR, "structure": north.pk})
    assert options(response) == [north_referent.get_full_name()]
    assert south_referent.get_full_name() not in options(response)


def test_a_referent_given_by_a_link_is_kept_and_checked(client, agent_user, two_operators):
    (north, north_referent), (south, _south_referent) = two_operators
    client.force_login(agent_user)
    response = client.get(URL, {**YEAR, "referent": north_referent.pk})
    assert response.context["form"].is_valid()
    assert options(response) == [north_referent.get_full_name()]
    assert f'value="{north_referent.pk}" selected' in response.content.decode()
    # Another structure's référent with that structure: refused with the French message.
    response = client.get(URL, {**YEAR, "structure": south.pk, "referent": north_referent.pk})
    errors = response.context["form"].errors["referent"]
    assert errors == [
        f"{north_referent.get_full_name()} n'est pas référent·e de Sud : choisissez un·e "
        "référent·e de cette structure, ou toutes les structures."
    ]


def test_a_short_list_shows_every_referent(client, agent_user, two_operators, monkeypatch):
    monkeypatch.setattr(forms, "MAXIMUM_REFERENT_CHOICES", 150)
    client.force_login(agent_user)
    assert len(options(client.get(URL, YEAR))) == 2
