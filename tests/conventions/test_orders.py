"""The page where a département enters a new prefectoral order without a release (rules E1,
E6, E12): categories and rates, weekly-hour bounds, aid durations for CDD and CDI."""

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.conventions.factories import ConventionFactory, shipped_order
from tremplin.conventions import services
from tremplin.conventions.models import AidOrder

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def order_data(**changes):
    """A 2026 order for the Grand Est (region 44, the test territory's): the RSA case at
    47 %, long-term job seekers at 30 %, 20–35 h, 12 months for a CDI, 6 for a CDD of 9."""
    data = {
        "region_code": "44",
        "sector": "CIE",
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
        "reference": "Arrêté préfectoral n° 26-001 du 15 décembre 2025",
        "source": "Recueil des actes administratifs de la préfecture de région",
        "rate_cap_percent": "47",
        "weekly_hours_min": "20",
        "weekly_hours_max": "35",
        "aid_months_cdd": "6",
        "cdd_min_months_for_aid": "9",
        "aid_months_cdi": "12",
        "note": "",
        "categories-TOTAL_FORMS": "3",
        "categories-INITIAL_FORMS": "0",
        "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": "20",
        "categories-0-code": "rsa",
        "categories-0-label": "Bénéficiaires du RSA socle",
        "categories-0-rate_percent": "47",
        "categories-0-who": "Bénéficiaires du RSA socle\nAvec la participation du département",
        "categories-0-criteria": ["rsa_socle"],
        "categories-1-code": "deld",
        "categories-1-label": "Demandeurs d'emploi de longue durée",
        "categories-1-rate_percent": "30",
        "categories-1-who": "Inscrits 12 mois sur les 18 derniers",
        "categories-1-criteria": ["job_seeker_12_of_18_months"],
        # The third row is left blank: ignored.
    }
    data.update(changes)
    return data


@pytest.fixture
def agent_client(client, agent_user):
    client.force_login(agent_user)
    return client


def test_agent_enters_an_order_that_applies_from_its_date(agent_client, territory):
    response = agent_client.post(reverse("conventions:order_create"), order_data())
    assert response.status_code == 302
    order = AidOrder.objects.get(region_code="44")
    assert order.region_name == "Grand Est"
    assert order.aid_months_cdi == 12 and order.weekly_hours_max == Decimal("35")
    assert [c["code"] for c in order.categories] == ["rsa", "deld"]
    assert order.categories[0]["who"] == [
        "Bénéficiaires du RSA socle",
        "Avec la participation du département",
    ]
    rule = AidOrder.objects.in_force("44", datetime.date(2026, 3, 1))
    assert rule.category("rsa").rate_percent == Decimal("47")
    # Not in force for a hire before its date (rule E1).
    with pytest.raises(Exception, match="règle E1"):
        AidOrder.objects.in_force("44", datetime.date(2025, 12, 31))
    detail = page_text(agent_client.get(response["Location"]))
    assert "Arrêté préfectoral n° 26-001" in detail and "47 %" in detail


def test_the_new_order_is_proposed_on_a_convention_hired_after_it(
    agent_client, territory, my_beneficiary
):
    agent_client.post(reverse("conventions:order_create"), order_data())
    convention = ConventionFactory(
        territory=territory,
        beneficiary=my_beneficiary,
        hire_date=datetime.date(2026, 2, 2),
        planned_end=datetime.date(2026, 11, 1),
        aid_start=None,
        aid_end=None,
        prefect_rate_percent=None,
    )
    proposal = services.propose_aid_box(convention)
    assert proposal.order.reference.startswith("Arrêté préfectoral n° 26-001")
    assert proposal.initial["aid_category"] == "rsa"
    assert proposal.initial["prefect_rate_percent"] == Decimal("47")
    # 6 months for a CDD from 02/02/2026: 02/08/2026 − 1 day = 01/08/2026.
    assert proposal.initial["aid_end"] == datetime.date(2026, 8, 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # E6: at most 47 % of the SMIC, the rule behind a help marker after the message.
        (
            {"categories-0-rate_percent": "50"},
            'le plafond de 47 % <a class="rule-ref" href="/aide/regles/#regle-E6"',
        ),
        (
            {"rate_cap_percent": "50"},
            'au plus de 47 % du SMIC horaire brut <a class="rule-ref" href="/aide/regles/#regle-E6"',
        ),
        ({"weekly_hours_max": "36"}, "35 heures"),
        ({"weekly_hours_min": "30", "weekly_hours_max": "25"}, "dépasse la durée maximale"),
        ({"aid_months_cdi": "0"}, "au moins 1 mois"),
        ({"categories-1-code": "rsa"}, "même code"),
        (
            {
                "categories-0-code": "",
                "categories-0-label": "",
                "categories-0-rate_percent": "",
                "categories-0-who": "",
                "categories-0-criteria": [],
                "categories-1-code": "",
                "categories-1-label": "",
                "categories-1-rate_percent": "",
                "categories-1-who": "",
                "categories-1-criteria": [],
            },
            "au moins une catégorie",
        ),
        ({"valid_from": "2017-07-28", "region_code": "44"}, None),
    ],
)
def test_bad_orders_are_refused_in_french_and_kept(agent_client, territory, changes, message):
    if message is None:
        # The same region, sector and date twice.
        agent_client.post(reverse("conventions:order_create"), order_data(**changes))
        message = "déjà enregistré"
    before = AidOrder.objects.count()
    response = agent_client.post(reverse("conventions:order_create"), order_data(**changes))
    assert response.status_code == 200
    page = page_text(response)
    assert message in page
    assert "Arrêté préfectoral n° 26-001" in page  # what was typed is kept
    assert AidOrder.objects.count() == before


def test_copy_of_an_existing_order_prefills_everything_but_its_identity(agent_client):
    shipped = shipped_order()
    response = agent_client.get(reverse("conventions:order_create") + f"?depuis={shipped.pk}")
    formset = response.context["formset"]
    assert [form.initial["code"] for form in formset.forms[:4]] == [
        "cas_1",
        "cas_2_3",
        "cas_4",
        "cas_5_star_ter",
    ]
    assert response.context["form"].initial["aid_months_cdi"] == 12
    assert "valid_from" not in response.context["form"].initial


def test_a_referent_may_read_the_orders_but_not_enter_one(referent_client):
    shipped_order()
    page = page_text(referent_client.get(reverse("conventions:orders")))
    assert "Arrêté préfectoral n° 17-322" in page
    assert "Saisir un nouvel arrêté" not in page
    assert referent_client.get(reverse("conventions:order_create")).status_code == 403
    assert (
        referent_client.post(reverse("conventions:order_create"), order_data()).status_code == 403
    )


def test_an_agent_enters_orders_only_for_the_region_of_the_department(agent_client):
    response = agent_client.post(reverse("conventions:order_create"), order_data(region_code="84"))
    assert response.status_code == 200
    assert "region_code" in response.context["form"].errors
    assert not AidOrder.objects.filter(reference__contains="26-001").exists()


def test_an_admin_may_enter_an_order_for_any_region(client, admin_user):
    shipped_order()
    factories.TerritoryFactory(code="69", name="Rhône", region_code="84", region_name="ARA")
    client.force_login(admin_user)
    response = client.post(
        reverse("conventions:order_create"), order_data(region_code="84", valid_from="2026-01-01")
    )
    assert response.status_code == 302
    assert AidOrder.objects.filter(region_code="84").count() == 2
