"""The convention form's live checks (every finding on what is typed, nothing saved) and the
aid box proposed from the order in force (rules E1, E6, E12, F5, F6, C8, E9)."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conventions.factories import ConventionFactory, shipped_order
from tremplin.conventions import services
from tremplin.conventions.models import AidOrder
from tremplin.rules import parameters

pytestmark = pytest.mark.django_db

LIVE = {"HTTP_X_TREMPLIN_VERIFICATION": "1"}


def cites(rule: str, page: str) -> bool:
    """Whether a rule's help marker (« Règle C8 : … », « Règles C8, E4 : … ») names it."""
    return re.search(rf"Règles? (?:[ACEFP]\d+[a-e ]*, )*{rule}\b", page) is not None


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def seed_order_for_region(region_code: str) -> AidOrder:
    """Seed 002's order (Rhône-Alpes, 28 July 2017), copied for the test territory's region."""
    shipped = shipped_order()
    data = shipped.to_mapping()
    data["region_code"] = region_code
    data["valid_from"] = shipped.valid_from
    return AidOrder.objects.create(**data)


# --- Live checks -----------------------------------------------------------------------------


def contract_step(**changes):
    data = {
        "etape": 4,
        "contract_type": "CDD",
        "hire_date": "2025-03-15",
        "planned_end": "2025-09-14",
        "rome_code": "D1102",
        "gross_monthly_pay": "1400",
        "weekly_hours": "26",
        "weekly_minutes": "0",
        "collective_weekly_hours": "35",
        "collective_weekly_minutes": "0",
        "verifier": "1",
    }
    data.update(changes)
    return data


def test_live_check_answers_the_findings_of_what_is_typed_and_saves_nothing(
    referent_client, my_convention
):
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=4"
    # 18 h a week (rule C8: at least 20) paid 500 € (rule E9: SMIC × hours) — typed only.
    response = referent_client.post(
        url, contract_step(weekly_hours="18", gross_monthly_pay="500"), **LIVE
    )
    assert response.status_code == 200
    page = page_text(response)
    assert "<form" not in page  # the panel only
    assert cites("C8", page) and cites("E9", page)
    assert "Bloquant" in page
    assert "sans rien enregistrer" in page
    my_convention.refresh_from_db()
    assert my_convention.weekly_hours == 26
    assert my_convention.gross_monthly_pay == Decimal("1400.00")


def test_live_check_of_a_valid_contract_has_no_blocking_finding(referent_client, my_convention):
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=4"
    page = page_text(referent_client.post(url, contract_step(), **LIVE))
    assert not cites("C8", page) and not cites("E9", page) and not cites("C7", page)


def test_live_check_says_which_fields_are_invalid(referent_client, my_convention):
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=4"
    page = page_text(referent_client.post(url, contract_step(rome_code="K13"), **LIVE))
    assert "Des champs sont invalides (Emploi proposé (code ROME))" in page


def test_verify_button_without_javascript_keeps_the_form_and_saves_nothing(
    referent_client, my_convention
):
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=4"
    response = referent_client.post(url, contract_step(weekly_hours="18"))
    page = page_text(response)
    assert response.status_code == 200
    assert "<form" in page and 'value="18"' in page  # what was typed is kept
    assert cites("C8", page)
    my_convention.refresh_from_db()
    assert my_convention.weekly_hours == 26


def test_form_page_shows_the_checks_of_the_saved_draft(referent_client, territory, my_beneficiary):
    convention = ConventionFactory(
        territory=territory, beneficiary=my_beneficiary, contributions_up_to_date=False
    )
    page = page_text(
        referent_client.get(reverse("conventions:update", args=[convention.pk]) + "?etape=2")
    )
    assert cites("C3", page)
    assert "conventions/live_checks.js" in page


def test_live_check_outside_the_scope_is_404(client, agent_user, my_convention):
    from tests import factories

    other = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    stranger = factories.department_agent(other)
    client.force_login(stranger)
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=4"
    assert client.post(url, contract_step(), **LIVE).status_code == 404


# --- Aid box proposed from the order in force (rules E1, E12) --------------------------------


def empty_aid_box(territory, beneficiary, **extra):
    return ConventionFactory(
        territory=territory,
        beneficiary=beneficiary,
        aid_start=None,
        aid_end=None,
        subsidised_weekly_hours=None,
        prefect_rate_percent=None,
        payer="",
        **extra,
    )


def test_aid_step_proposes_the_rsa_case_of_the_order_in_force(
    referent_client, territory, my_beneficiary
):
    order = seed_order_for_region(territory.region_code)
    convention = empty_aid_box(territory, my_beneficiary)
    response = referent_client.get(reverse("conventions:update", args=[convention.pk]) + "?etape=6")
    initial = response.context["form"].initial
    # Seed 002: RSA socle → "Cas 4", 47 % of the SMIC.
    assert initial["aid_order"] == order.pk
    assert initial["aid_category"] == "cas_4"
    assert initial["prefect_rate_percent"] == Decimal("47")
    # From the hire (15/03/2025) for the order's 6 months of a CDD: 15/03 + 6 months − 1 day
    # = 14/09/2025, which is also the contract's planned end.
    assert initial["aid_start"] == datetime.date(2025, 3, 15)
    assert initial["aid_end"] == datetime.date(2025, 9, 14)
    # Rule F5: the contract's 26 h, within the order's 20–35 h.
    assert initial["subsidised_weekly_hours"] == 26
    page = page_text(response)
    assert "Cas 4" in page and "À confirmer par l'agent" in page
    convention.refresh_from_db()
    assert convention.prefect_rate_percent is None  # proposed, not written


def test_cdi_aid_lasts_the_orders_cdi_duration_and_hours_are_capped(territory, my_beneficiary):
    seed_order_for_region(territory.region_code)
    convention = empty_aid_box(
        territory, my_beneficiary, contract_type="CDI", planned_end=None, weekly_hours=39
    )
    proposal = services.propose_aid_box(convention)
    # Seed 002: 12 months for a CDI: 15/03/2025 + 12 months − 1 day = 14/03/2026.
    assert proposal.initial["aid_end"] == datetime.date(2026, 3, 14)
    # 39 h contract: the aid covers at most the order's 35 h (rules C8, E12, F5).
    assert proposal.initial["subsidised_weekly_hours"] == 35
    assert proposal.initial["subsidised_weekly_minutes"] == 0


def test_confirming_the_proposal_saves_it(referent_client, territory, my_beneficiary):
    order = seed_order_for_region(territory.region_code)
    convention = empty_aid_box(territory, my_beneficiary)
    url = reverse("conventions:update", args=[convention.pk]) + "?etape=6"
    initial = referent_client.get(url).context["aid_proposal"].initial
    data = {"etape": 6, "subsidised_weekly_minutes": "0", "payer": "departement"}
    data.update({name: str(value) for name, value in initial.items()})
    response = referent_client.post(url, data)
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.aid_order == order
    assert convention.aid_category == "cas_4"
    assert convention.prefect_rate_percent == Decimal("47")


def test_no_order_for_the_region_means_no_proposal(referent_client, territory, my_beneficiary):
    convention = empty_aid_box(territory, my_beneficiary)
    response = referent_client.get(reverse("conventions:update", args=[convention.pk]) + "?etape=6")
    assert response.context["aid_proposal"] is None
    # Rule E1: nothing to propose is said, never silent (a warning: it does not block).
    (finding,) = [f for f in response.context["findings"] if f.rule == "E1"]
    assert finding.severity == "warning"
    page = page_text(response)
    assert (
        "Aucun arrêté d'aide n'est connu pour la région Grand Est à l'embauche du 15/03/2025"
        in page
    )
    assert cites("E1", page)


def test_an_order_entered_for_the_region_removes_the_warning(territory, my_beneficiary):
    def e1_messages():
        return [f.message for f in services.findings_of(convention) if f.rule == "E1"]

    convention = empty_aid_box(territory, my_beneficiary)
    assert e1_messages()[0].startswith("Aucun arrêté d'aide n'est connu")
    # Seed 002's order (valid in 2017 only), copied for the region: it is proposed, and E1
    # now says it is no longer in force instead.
    seed_order_for_region(territory.region_code)
    (message,) = e1_messages()
    assert "n'est plus en vigueur à l'embauche du 15/03/2025" in message


def test_orders_in_the_database_are_layered_over_the_shipped_files():
    day = datetime.date(2017, 9, 15)  # within seed 002's order validity (rule E1)
    # The shipped file counts even when its row is gone from the database.
    AidOrder.objects.filter(region_code="84").delete()
    assert AidOrder.objects.in_force("84", day).reference.startswith("Arrêté préfectoral n° 17-322")
    # A row of the same region, sector and date wins over the file.
    seed_order = next(order for order in parameters.aid_orders() if order.region_code == "84")
    shipped = seed_order.to_mapping()
    shipped["categories"][2]["rate_percent"] = "40"
    shipped["valid_from"] = datetime.date(2017, 7, 28)
    AidOrder.objects.create(**shipped)
    assert AidOrder.objects.in_force("84", day).category("cas_4").rate_percent == Decimal("40")


def test_live_check_query_count_is_bounded(
    referent_client, my_convention, django_assert_max_num_queries
):
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=4"
    referent_client.post(url, contract_step(), **LIVE)  # warm the caches (session, scope)
    # Session, user, scope, the convention, its constraints, the order, the tutor, immersions.
    with django_assert_max_num_queries(25):
        referent_client.post(url, contract_step(), **LIVE)


def test_order_list_query_count_is_constant(referent_client, django_assert_max_num_queries):
    for year in range(2018, 2024):
        shipped = shipped_order()
        data = shipped.to_mapping()
        data["valid_from"] = datetime.date(year, 1, 1)
        data["valid_until"] = datetime.date(year, 12, 31)
        AidOrder.objects.create(**data)
    with django_assert_max_num_queries(8):
        referent_client.get(reverse("conventions:orders"))
