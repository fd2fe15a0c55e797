"""Keyboard use (RGAA themes 10 and 12): the skip link, the login form without a mouse, a
visible focus."""

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in


def focus_outline(page: Page) -> str:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle === 'none' ? '' : s.outlineWidth; }"
    )


FIRST_FOCUSABLE_IN_MAIN = """() => [...document.querySelectorAll(
    'main a[href], main button, main input:not([type=hidden]), main select, main textarea')]
    .find(e => !e.disabled && e.offsetParent !== null) === document.activeElement"""


@pytest.mark.parametrize(
    "path", ["/", "/repertoire/beneficiaires/", "/repertoire/beneficiaires/nouveau/"]
)
def test_skip_link_is_first_and_moves_focus_to_the_main_content(
    page: Page, referent_user, operator, path
):
    factories.BeneficiaryFactory(territory=operator.territory, referent=referent_user)
    log_in(page, referent_user)
    page.goto(path)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # hidden until focused, then shown
    assert focus_outline(page), "the focused skip link has no visible outline"

    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()

    # The next Tab goes to the first control of the page's content, past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate(FIRST_FOCUSABLE_IN_MAIN), (
        "after the skip link, Tab did not reach the first control of the main content; "
        "it reached: " + page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    )


def test_login_with_the_keyboard_only(page: Page, referent_user, live_server):
    page.goto("/compte/connexion/")
    email = page.get_by_label("Adresse électronique")
    password = page.get_by_label("Mot de passe")

    # The e-mail field has the focus on arrival: one can type straight away.
    expect(email).to_be_focused()
    page.keyboard.type(referent_user.email)
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    assert focus_outline(page) == "3px", "the focused password field has no visible outline"
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Tab")
    submit = page.get_by_role("button", name="Se connecter")
    expect(submit).to_be_focused()
    assert focus_outline(page) == "3px", "the focused button has no visible outline"
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {referent_user.first_name}")


def test_wrong_password_then_retry_with_the_keyboard(page: Page, referent_user, live_server):
    page.goto("/compte/connexion/")
    # Chromium applies autofocus a moment after the page loads: keys typed before it are lost
    # (as they would be for a person typing that fast), so wait for the focus as a user would.
    expect(page.get_by_label("Adresse électronique")).to_be_focused()
    page.keyboard.type(referent_user.email)
    page.keyboard.press("Tab")
    page.keyboard.type("pas-le-bon-mot-de-passe")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text(
        "Adresse électronique ou mot de passe incorrect"
    )
    # The address typed is kept and the e-mail field has the focus again.
    email = page.get_by_label("Adresse électronique")
    expect(email).to_have_value(referent_user.email)
    expect(email).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def test_error_summary_links_take_the_keyboard_to_the_field(page: Page, referent_user):
    log_in(page, referent_user)
    page.goto("/repertoire/beneficiaires/nouveau/")
    page.get_by_role("button", name="Enregistrer").press("Enter")

    summary = page.locator("#erreurs")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name="Nom", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_last_name")).to_be_focused()
