"""One rupture, seen from both sides, in a real browser (rules A14, F12, F13): the référent
declares the rupture on the in-employment support's page; the département agent finds it in
the work queue of the home page, opens the convention, sees it ended and the next month's
aid gone, and takes the rupture into account."""

import re

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import assert_accessible
from tests.conventions.factories import END, HIRE, ConventionFactory
from tests.support.factories import InEmploymentEpisodeFactory
from tremplin.conventions.models import Rupture


def field(page: Page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?\s*(\(obligatoire\))?$"))


def test_a_rupture_declared_on_the_support_reaches_the_agent_and_the_aid(
    new_page, territory, operator, referent_user
):
    agent = factories.department_agent(territory)
    beneficiary = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user, last_name="Schaller"
    )
    # A CDD from 15/03/2025 to 14/09/2025 aided at 47 % (tests/conventions/factories.py).
    convention = ConventionFactory(territory=territory, beneficiary=beneficiary, signed=True)
    episode = InEmploymentEpisodeFactory(
        beneficiary=beneficiary,
        employer=convention.employer,
        tutor=convention.tutor,
        convention=convention,
        contract_start=HIRE,
        contract_end=END,
        started_on=HIRE,
    )

    # 1. The référent declares the rupture on the support's page.
    referent = log_in(new_page(), referent_user)
    referent.goto(episode.get_absolute_url())
    referent.get_by_role("link", name="Déclarer une rupture").click()
    field(referent, "Rupture connue le (date et heure, heure de Paris)").fill("2025-05-28T10:00")
    field(referent, "Dernier jour du contrat").fill("2025-05-31")
    field(referent, "À l'initiative de").select_option("employer")
    field(referent, "Motif").fill("Fin du chantier, licenciement.")
    referent.get_by_label("Concertation préalable tenue").check()
    referent.get_by_role("button", name="Enregistrer").click()
    success = referent.locator(".alert-success")
    expect(success).to_contain_text("au plus tard le 30/05/2025 à 10:00")
    expect(success).to_contain_text("s'arrête au 31/05/2025")
    # The rules cited are help markers, not numbers in parentheses.
    expect(success.locator("a.rule-ref[href$='#regle-A14']")).not_to_have_count(0)
    expect(success.locator("a.rule-ref[href$='#regle-F12']")).not_to_have_count(0)
    rupture = Rupture.objects.get()
    assert rupture.convention == convention

    # 2. The agent finds it in the work queue of the home page.
    page = log_in(new_page(), agent)
    queue = page.locator("section", has=page.get_by_role("heading", name="Ma file de travail"))
    expect(queue).to_contain_text("1 rupture à traiter")
    expect(queue).to_contain_text("reversement de l'aide à vérifier")
    expect(queue.locator("a.rule-ref[href$='#regle-F13']")).to_have_count(1)
    assert_accessible(page, "The agent's home with the work queue")
    item = queue.locator("li", has_text="Rupture du 31/05/2025 — SCHALLER")
    item.get_by_role("link", name="Prendre en compte").click()

    # 3. The convention: ended, the aid month by month stops in May, June is not paid.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rompue")
    schedule = page.locator("section", has=page.get_by_role("heading", name="L'aide mois par mois"))
    expect(schedule).to_contain_text("mai 2025")
    expect(schedule).not_to_contain_text("juin 2025")
    page.get_by_role("button", name="Prendre en compte la rupture").click()
    expect(page.get_by_role("status").filter(has_text="prise en compte le")).to_be_visible()
    page.goto("/conventions/paiements/?mois=2025-06")
    expect(page.get_by_role("main")).not_to_contain_text(convention.number)
    page.goto("/conventions/paiements/?mois=2025-05")
    expect(page.get_by_role("main")).to_contain_text(convention.number)
    page.goto("/")
    expect(page.locator("#file-ruptures")).to_contain_text("0 rupture à traiter")
