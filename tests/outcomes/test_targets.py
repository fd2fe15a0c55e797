"""Targets of the agreements: dated, set by the département, used by the indicator page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tremplin.accounts.models import AuditEntry
from tremplin.outcomes.models import AgreementTarget, Indicator

pytestmark = pytest.mark.django_db

LIST_URL = reverse("outcomes:targets")
CREATE_URL = reverse("outcomes:target_create")


def target_data(operator, **overrides):
    return {
        "operator": operator.pk,
        "indicator": "durable_placement",
        "valid_from": "2026-01-01",
        "value": "65",
        "source": "Convention 2026, article 4",
        **overrides,
    }


def test_an_agent_adds_a_dated_target_for_an_operator_of_the_territory(
    client, agent_user, operator
):
    client.force_login(agent_user)

    response = client.post(CREATE_URL, target_data(operator))

    assert response.status_code == 302
    target = AgreementTarget.objects.get(operator=operator)
    assert (target.value, target.created_by) == (Decimal(65), agent_user)
    assert AuditEntry.objects.filter(object_type="outcomes.agreementtarget").exists()
    on_2026 = AgreementTarget.objects.in_force(operator, datetime.date(2026, 6, 1))
    on_2025 = AgreementTarget.objects.in_force(operator, datetime.date(2025, 6, 1))
    assert on_2026[Indicator.DURABLE_PLACEMENT].value == Decimal(65)
    assert on_2025[Indicator.DURABLE_PLACEMENT].value == Decimal(70)
    assert "Convention 2026, article 4" in client.get(LIST_URL).content.decode()


def test_a_rate_over_100_is_refused_in_french_keeping_what_was_typed(client, agent_user, operator):
    client.force_login(agent_user)

    response = client.post(CREATE_URL, target_data(operator, value="120"))

    assert response.context["form"].errors["value"] == [
        "Un taux cible est un pourcentage, au plus 100 : « 120 » ne convient pas."
    ]
    assert "Convention 2026, article 4" in response.content.decode()


def test_a_portfolio_target_is_a_head_count_not_a_rate(client, agent_user, operator):
    client.force_login(agent_user)

    response = client.post(
        CREATE_URL, target_data(operator, indicator="portfolio_per_fte", value="120")
    )

    assert response.status_code == 302


def test_two_targets_of_an_indicator_on_the_same_date_are_refused(client, agent_user, operator):
    client.force_login(agent_user)
    client.post(CREATE_URL, target_data(operator))

    response = client.post(CREATE_URL, target_data(operator, value="60"))

    assert "Une cible existe déjà pour cet indicateur à cette date." in str(
        response.context["form"].errors
    )
    assert AgreementTarget.objects.filter(operator=operator).count() == 1


def test_an_agent_sets_no_default_and_no_target_outside_the_territory(client, agent_user):
    elsewhere = factories.OrganisationFactory(
        territory=factories.TerritoryFactory(code="68", name="Haut-Rhin")
    )
    client.force_login(agent_user)

    response = client.post(CREATE_URL, target_data(elsewhere))
    without_operator = client.post(CREATE_URL, {**target_data(elsewhere), "operator": ""})

    assert "operator" in response.context["form"].errors
    assert "operator" in without_operator.context["form"].errors
    assert not AgreementTarget.objects.filter(source="Convention 2026, article 4").exists()


@pytest.mark.parametrize("user_fixture", ["coordinator_user", "referent_user"])
def test_operators_do_not_set_their_own_targets(client, request, user_fixture, operator):
    client.force_login(request.getfixturevalue(user_fixture))

    assert client.get(LIST_URL).status_code == 403
    assert client.post(CREATE_URL, target_data(operator)).status_code == 403


def test_the_targets_export_to_csv(client, agent_user):
    client.force_login(agent_user)
    response = client.get(reverse("outcomes:targets"), {"format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Structure;Indicateur;En vigueur à partir du;Valeur;Unité;Source;Saisie par"
    # The shipped default of A3: 70 % for every operator (migration 0003).
    assert any(
        line.startswith("Toutes les structures (par défaut);Taux de placement pérenne (A3);")
        and ";70;%;" in line
        for line in lines
    )
