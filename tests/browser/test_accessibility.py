"""axe-core on the main pages: no violation of impact "serious" or "critical", on a desktop
and on a phone (390 px; more phone pages in test_phone.py).

A failure prints each violation with its rule, its help page and the offending elements:
fix the template (or tremplin.css), not this test.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, log_in

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def blocking_violations(page: Page) -> list[dict]:
    # axe reads the document: a click's navigation still under way leaves it none to read.
    page.wait_for_load_state()
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"\n[{violation['impact']}] {violation['id']}: {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            lines.append(f"    {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n      ")
                lines.append(f"      {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"  … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def assert_accessible(page: Page, what: str) -> None:
    violations = blocking_violations(page)
    assert not violations, f"{what} ({page.url}) has accessibility violations:" + describe(
        violations
    )


@pytest.fixture
def files(operator, referent_user):
    """A few files the referent follows, an employer with a tutor."""
    beneficiaries = [
        factories.BeneficiaryFactory(
            territory=operator.territory, operator=operator, referent=referent_user
        )
        for _ in range(3)
    ]
    employer = factories.EmployerFactory(territory=operator.territory)
    factories.TutorFactory(employer=employer)
    return {"beneficiary": beneficiaries[0], "employer": employer}


def test_login_page(page: Page, live_server):
    page.goto("/compte/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    assert_accessible(page, "The login page")


def test_login_page_with_an_error(page: Page, referent_user):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(referent_user.email)
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("mot de passe incorrect")
    assert_accessible(page, "The login page with an error")


@pytest.mark.parametrize(
    ("what", "path"),
    [
        ("The home page", "/"),
        ("The beneficiary list", "/repertoire/beneficiaires/"),
        ("The beneficiary list, searched and sorted", "/repertoire/beneficiaires/?q=a&tri=-nom"),
        ("The beneficiary detail", "beneficiary"),
        ("The empty beneficiary form", "/repertoire/beneficiaires/nouveau/"),
        ("The employer list", "/repertoire/employeurs/"),
        ("The employer detail", "employer"),
        ("The account page", "/compte/"),
    ],
)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_referent_pages(new_page, referent_user, files, what, path, viewport):
    page = new_page(viewport=viewport)
    log_in(page, referent_user)
    if path in files:
        path = files[path].get_absolute_url()
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, f"{what} ({viewport['width']} px)")


def test_beneficiary_form_with_errors(page: Page, referent_user, files):
    log_in(page, referent_user)
    page.goto("/repertoire/beneficiaires/nouveau/")
    page.get_by_label("NIR").fill("2 88 09 68 123 999 00")
    page.get_by_label("Code postal").fill("6700")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#erreurs")).to_be_visible()
    assert_accessible(page, "The beneficiary form with errors")


def test_audit_log_as_admin(page: Page, admin_user, files):
    log_in(page, admin_user)
    page.goto(files["beneficiary"].get_absolute_url())  # a view: an entry in the log
    page.goto("/compte/journal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal d'audit")
    expect(page.get_by_role("table")).to_contain_text("Consultation")
    assert_accessible(page, "The audit log")
