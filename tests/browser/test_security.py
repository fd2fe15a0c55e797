"""Security in a real Chromium: the first login of an agent sets up the second factor from
the page's QR code; the main pages run under the Content-Security-Policy without any
violation reported by the browser."""

import re

from playwright.sync_api import Page, expect

from tests import factories
from tests.accounts.otp import current_code
from tests.browser.conftest import log_in
from tremplin.accounts.services import pending_totp


def csp_violations(page: Page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(page.url + " " + message.text[:200])
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def test_an_agent_sets_up_the_second_factor_at_the_first_login(page: Page, operator):
    agent = factories.department_agent(operator.territory)
    violations = csp_violations(page)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(agent.email)
    page.get_by_label("Mot de passe").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    page.get_by_label("Code de vérification").fill(current_code(pending_totp(agent)))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    expect(page.get_by_role("listitem")).to_have_count(10 + page.locator("nav li").count())
    page.get_by_role("link", name="J'ai noté mes codes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert violations == []


def test_main_pages_without_csp_violation(page: Page, admin_user, operator, referent_user):
    person = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    violations = csp_violations(page)
    log_in(page, admin_user)
    for url in (
        "/",
        "/repertoire/beneficiaires/",
        person.get_absolute_url(),
        "/repertoire/employeurs/",
        "/conventions/",
        "/sorties/indicateurs/",
        "/compte/",
        "/compte/double-authentification/",
    ):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
    # (The API's documentation page loads its assets in parallel, which the live server's
    # in-memory SQLite refuses: it is not visited here.)
    assert violations == [], violations
