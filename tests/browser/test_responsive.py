"""On a tablet (768×1024, portrait) the list and the form are usable: the page never scrolls
sideways (a wide table scrolls inside its own box), the controls fit in the screen, the
navigation folds behind a menu button."""

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import TABLET, log_in

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
OUTSIDE_THE_SCREEN = """() => [...document.querySelectorAll(
    'main a, main button, main input:not([type=hidden]), main select, main label, header a')]
    .filter(e => e.offsetParent !== null && !e.closest('.table-responsive'))
    .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth; })
    .map(e => e.outerHTML.slice(0, 120))"""


@pytest.fixture
def tablet(new_page, referent_user, operator) -> Page:
    for _ in range(30):  # more than a page, with long names and addresses
        factories.BeneficiaryFactory(
            territory=operator.territory,
            operator=operator,
            referent=referent_user,
            first_names="Marie-Christine Joséphine",
            street="avenue du Général-de-Gaulle prolongée",
        )
    return log_in(new_page(viewport=TABLET), referent_user)


def assert_fits(page: Page, what: str) -> None:
    assert page.evaluate(NO_SIDEWAYS_SCROLL), (
        f"{what} scrolls sideways at {TABLET['width']} px: "
        + str(page.evaluate("() => document.documentElement.scrollWidth"))
        + " px wide"
    )
    assert not page.evaluate(OUTSIDE_THE_SCREEN), f"{what}: elements outside the screen"


def test_beneficiary_list_on_a_tablet(tablet: Page):
    tablet.goto("/repertoire/beneficiaires/")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Bénéficiaires")
    assert_fits(tablet, "The beneficiary list")
    expect(tablet.get_by_role("link", name="Nouveau dossier")).to_be_in_viewport()
    expect(tablet.get_by_role("searchbox", name="Rechercher un bénéficiaire")).to_be_in_viewport()
    tablet.get_by_role("navigation", name="Pagination").get_by_role("link", name="Suivante").click()
    expect(tablet.get_by_role("table").locator("caption")).to_have_text("30 bénéficiaires")
    assert_fits(tablet, "The second page of the beneficiary list")


def test_beneficiary_form_on_a_tablet(tablet: Page):
    tablet.goto("/repertoire/beneficiaires/nouveau/")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Nouveau bénéficiaire")
    assert_fits(tablet, "The empty beneficiary form")

    tablet.get_by_label("NIR").fill("2 88 09 68 123 999 00")
    save = tablet.get_by_role("button", name="Enregistrer")
    save.scroll_into_view_if_needed()
    expect(save).to_be_in_viewport()
    save.click()
    expect(tablet.locator("#erreurs")).to_be_visible()
    assert_fits(tablet, "The beneficiary form with errors")


def test_navigation_folds_behind_a_menu_button_on_a_tablet(tablet: Page):
    tablet.goto("/")
    navigation = tablet.get_by_role("navigation", name="Navigation principale")
    beneficiaries = navigation.get_by_role("link", name="Bénéficiaires")
    expect(beneficiaries).to_be_hidden()
    menu = navigation.get_by_role("button", name="Ouvrir le menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.focus()
    tablet.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    assert_fits(tablet, "The home page with its menu open")
    beneficiaries.click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Bénéficiaires")
