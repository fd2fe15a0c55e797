"""The convention's fields for the rules below, through the forms and services: E1 (an
order outside its validity, demonstration data), E5 (the employee's ground), E6 (the contract
continuing as a CDI), E11 (the training raise), C5 (yearly renewals beyond 24 months), F13
(exonerated contributions of a CAE), and the orders page's validity period."""

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conventions.factories import ConventionFactory
from tests.conventions.test_form_checks import empty_aid_box, seed_order_for_region
from tests.conventions.test_orders import order_data
from tests.pages import cites
from tremplin.conventions import services
from tremplin.conventions.models import AidOrder, Convention, Rupture

pytestmark = pytest.mark.django_db

D = datetime.date


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def rules_of(findings):
    return [(finding.rule, finding.severity) for finding in findings]


# --- E1: the order proposed for the hire -------------------------------------------------------


def test_the_wizard_proposes_an_expired_order_with_a_warning(territory, my_beneficiary):
    # Seed 002's order, valid through 2017, copied for the Grand Est: the newest known order
    # for a hire on 15/03/2025, outside its validity (rule E1).
    seed_order_for_region(territory.region_code)
    convention = empty_aid_box(territory, my_beneficiary)
    proposal = services.propose_aid_box(convention)
    assert proposal is not None and proposal.initial["prefect_rate_percent"] == Decimal("47")
    assert proposal.explanation.startswith("Attention : aucun arrêté n'est connu en vigueur")
    assert "du 28/07/2017 au 31/12/2017" in proposal.explanation
    assert ("E1", "warning") in rules_of(services.findings_of(convention))


def test_the_demo_region_gets_its_demonstration_order_in_2026(territory, my_beneficiary):
    convention = empty_aid_box(
        territory,
        my_beneficiary,
        hire_date=D(2026, 3, 2),
        planned_end=D(2026, 9, 1),
        filing_date=D(2026, 2, 1),
    )
    proposal = services.propose_aid_box(convention)
    assert proposal.order.demonstration and proposal.order.region_code == "44"
    assert "donnée de démonstration" in proposal.explanation
    # Demonstration orders are not rows: a real order for the same day replaces them.
    assert proposal.initial.get("aid_order") is None
    assert not AidOrder.objects.filter(region_code="44").exists()


def test_a_real_order_entered_for_the_same_day_replaces_the_demonstration_one(
    client, agent_user, territory
):
    assert AidOrder.objects.in_force("44", D(2026, 3, 1)).demonstration
    client.force_login(agent_user)
    response = client.post(reverse("conventions:order_create"), order_data())
    assert response.status_code == 302
    real = AidOrder.objects.in_force("44", D(2026, 3, 1))
    assert not real.demonstration and real.reference.startswith("Arrêté préfectoral n° 26-001")
    assert real.valid_until == D(2026, 12, 31)


def test_an_order_says_until_when_it_applies(client, agent_user, territory):
    client.force_login(agent_user)
    missing = client.post(reverse("conventions:order_create"), order_data(valid_until=""))
    assert missing.status_code == 200
    assert "Valable jusqu'au" in page_text(missing)
    reversed_dates = client.post(
        reverse("conventions:order_create"), order_data(valid_until="2025-12-31")
    )
    assert "précède la date d'effet" in page_text(reversed_dates)
    assert not AidOrder.objects.filter(region_code="44").exists()


def test_an_order_records_its_training_raise(client, agent_user, territory):
    client.force_login(agent_user)
    client.post(reverse("conventions:order_create"), order_data(training_raise_percent="5"))
    order = AidOrder.objects.get(region_code="44")
    assert order.training_raise_percent == Decimal("5")
    assert order.to_rule().training_raise_percent == Decimal("5")
    detail = page_text(client.get(reverse("conventions:order_detail", args=[order.pk])))
    assert "5 points de pourcentage" in detail and "31/12/2026" in detail


def test_a_new_order_from_another_does_not_copy_its_validity(client, agent_user, territory):
    client.force_login(agent_user)
    client.post(reverse("conventions:order_create"), order_data())
    source = AidOrder.objects.get(region_code="44")
    page = client.get(reverse("conventions:order_create") + f"?depuis={source.pk}")
    assert "valid_until" not in page.context["form"].initial
    assert page.context["form"].initial["aid_months_cdi"] == 12


# --- E11: training written in the convention may raise the aid --------------------------------


def test_no_raise_from_an_order_that_gives_none_and_it_is_said(territory, my_beneficiary):
    # The factory's convention writes an adaptation training (training_adaptation = "1").
    seed_order_for_region(territory.region_code)
    convention = empty_aid_box(territory, my_beneficiary)
    assert services.training_planned(convention)
    proposal = services.propose_aid_box(convention)
    assert proposal.initial["prefect_rate_percent"] == Decimal("47")
    assert "ne prévoit aucune majoration de l'aide pour formation" in proposal.explanation


def test_an_orders_raise_is_added_to_the_proposed_rate(territory, my_beneficiary):
    # A fictitious 2025 order adding 5 points for a training; the person is a recognised
    # disabled worker without RSA: Cas 2 et 3 at 33 % + 5 = 38 % (rules E11, E12).
    order = seed_order_for_region(territory.region_code)
    order.valid_from, order.valid_until = D(2025, 1, 1), D(2025, 12, 31)
    order.training_raise_percent = Decimal(5)
    order.save()
    convention = empty_aid_box(territory, my_beneficiary, receives_rsa=False, disabled_worker="yes")
    proposal = services.propose_aid_box(convention)
    assert proposal.category.category.code == "cas_2_3"
    assert proposal.initial["prefect_rate_percent"] == Decimal(38)
    assert "majore le taux de 5 points" in proposal.explanation


# --- E6: the contract continues as a CDI ------------------------------------------------------


def renewal(**changes):
    data = {
        "kind": "renewal",
        "effective_from": "2025-09-15",
        "new_aid_end": "2026-06-14",
        "employer_request_date": "2025-08-01",
        "evaluation_done": "on",
        "new_subsidised_weekly_minutes": "0",
        "new_contract_weekly_minutes": "0",
    }
    data.update(changes)
    return data


def test_continuing_as_a_cdi_extends_the_aid_by_up_to_nine_months(
    referent_client, my_signed_convention
):
    # Aid from 15/03/2025, no order for 2025 in the Grand Est: 12 months at most (E6), to
    # 14/03/2026; continuing as a CDI, 9 more: to 14/12/2026. A renewal to 14/06/2026 is
    # refused with the CDD merely extended, allowed when the contract goes on as a CDI (and
    # then the CDD's term, 14/09/2025, no longer bounds the convention).
    url = reverse("conventions:amendment_create", args=[my_signed_convention.pk])
    refused = referent_client.post(url, renewal(new_planned_end="2026-06-14"))
    assert refused.status_code == 200
    assert cites(page_text(refused), "E6")
    assert "prolongée de 9 mois au plus par avenant" in page_text(refused)
    allowed = referent_client.post(url, renewal(continues_as_cdi="on"))
    assert allowed.status_code == 302, page_text(allowed)
    my_signed_convention.refresh_from_db()
    assert my_signed_convention.continues_as_cdi
    assert my_signed_convention.aid_end == D(2026, 6, 14)
    # No finding but E1's (no order known for the Grand Est in 2025: said, not blocking).
    assert rules_of(services.findings_of(my_signed_convention)) == [("E1", "warning")]
    # Beyond the 9 months: 15/12/2026 is refused.
    too_far = referent_client.post(
        url, renewal(effective_from="2026-06-15", new_aid_end="2026-12-15", continues_as_cdi="on")
    )
    assert "21 mois" in page_text(too_far)


def test_a_modification_cannot_carry_the_cdi_continuation(referent_client, my_signed_convention):
    response = referent_client.post(
        reverse("conventions:amendment_create", args=[my_signed_convention.pk]),
        {
            "kind": "modification",
            "effective_from": "2025-06-01",
            "new_subsidised_weekly_hours": "20",
            "new_subsidised_weekly_minutes": "0",
            "new_contract_weekly_minutes": "0",
            "continues_as_cdi": "on",
        },
    )
    assert "Avenant de renouvellement" in page_text(response)


# --- C5: beyond 24 months, yearly renewals ----------------------------------------------------


def test_renewals_beyond_24_months_are_one_year_at_most(referent_client, territory, my_beneficiary):
    # A recognised disabled worker in CDI, aid from 15/03/2025 to 14/03/2027 (24 months):
    # C5 allows going on « par avenants successifs d'un an ».
    convention = ConventionFactory(
        territory=territory,
        beneficiary=my_beneficiary,
        signed=True,
        cdi=True,
        disabled_worker="yes",
        aid_end=D(2027, 3, 14),
    )
    url = reverse("conventions:amendment_create", args=[convention.pk])
    longer = referent_client.post(
        url, renewal(effective_from="2027-03-15", new_aid_end="2028-03-15")
    )
    assert longer.status_code == 200
    assert "avenants successifs d'un an" in page_text(longer)
    assert "14/03/2028" in page_text(longer)
    yearly = referent_client.post(
        url, renewal(effective_from="2027-03-15", new_aid_end="2028-03-14")
    )
    assert yearly.status_code == 302, page_text(yearly)


# --- E5 and F13: the rupture ------------------------------------------------------------------


def rupture_data(**changes):
    data = {"last_day": "2025-05-31", "initiative": "employee", "reason": "Départ"}
    data.update(changes)
    return data


def test_a_cdd_ended_by_the_employee_asks_for_its_ground(referent_client, my_signed_convention):
    url = reverse("conventions:rupture_create", args=[my_signed_convention.pk])
    missing = referent_client.post(url, rupture_data())
    assert missing.status_code == 200
    assert cites(page_text(missing), "E5")
    assert not Rupture.objects.exists()
    referent_client.post(url, rupture_data(employee_ground="none"))
    rupture = Rupture.objects.get()
    assert rupture.employee_ground == "none"
    my_signed_convention.refresh_from_db()
    assert ("E5", "warning") in rules_of(services.findings_of(my_signed_convention))


def test_the_ground_belongs_to_the_employees_initiative(referent_client, my_signed_convention):
    response = referent_client.post(
        reverse("conventions:rupture_create", args=[my_signed_convention.pk]),
        rupture_data(initiative="employer", employee_ground="cdi", lawful_case="on"),
    )
    assert "ne concerne qu'une rupture à son initiative" in page_text(response)


def test_an_unlawful_rupture_of_a_cae_repays_the_contributions_too(
    referent_client, territory, my_beneficiary
):
    convention = ConventionFactory(
        territory=territory, beneficiary=my_beneficiary, signed=True, cae=True
    )
    assert convention.employer.headcount_dec31 == 12  # under 50: due on the 15th
    referent_client.post(
        reverse("conventions:rupture_create", args=[convention.pk]),
        rupture_data(
            last_day="2025-06-10",
            initiative="employer",
            reason="Fin de chantier",
            exonerated_contributions="812.40",
        ),
    )
    rupture = Rupture.objects.get()
    # Aid repaid as in tests/rules/test_ruptures.py: 1 812,86 €; the contributions on
    # 15/06/2025, the first due date after the rupture of 10/06/2025 (rule F13).
    assert rupture.repayment_due == Decimal("1812.86")
    assert "812,40 €" in rupture.repayment_explanation
    assert "15/06/2025" in rupture.repayment_explanation


def test_a_cie_has_no_exonerated_contributions(referent_client, my_signed_convention):
    assert my_signed_convention.sector == Convention.Sector.CIE
    response = referent_client.post(
        reverse("conventions:rupture_create", args=[my_signed_convention.pk]),
        rupture_data(initiative="employer", reason="Faute", exonerated_contributions="100"),
    )
    assert "Seul un CAE" in page_text(response)
    assert not Rupture.objects.exists()
