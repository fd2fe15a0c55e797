"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server.

Every test of this folder is marked ``browser`` (``make test`` deselects them when Chromium
is missing, and says so loudly) and put in the xdist group "browser", so that under
``-n 2 --dist loadgroup`` they all run on one worker with one Chromium.

The browser is never downloaded: ``playwright install`` is not needed and not used.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests import factories
from tests.accounts import otp

# Playwright's sync API runs an event loop in the test's thread: without this, every ORM
# call made by a test (factories, assertions on the database) raises
# SynchronousOnlyOperation. The live server runs in its own thread and is not affected.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("TREMPLIN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous under a loaded CI machine; a passing test does not wait for them.
ACTION_TIMEOUT_MS = 10_000
expect.set_options(timeout=ACTION_TIMEOUT_MS)
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
HERE = Path(__file__).parent


def pytest_configure(config):
    # Registered by xdist when it runs; registered here too for ``-p no:xdist`` runs, since
    # the project's ``--strict-markers`` refuses unknown markers.
    config.addinivalue_line("markers", "xdist_group(name): run the group on one xdist worker")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder, before ``-m`` deselects and xdist groups."""
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium is missing ({CHROMIUM}): install it with `apt-get install -y chromium`."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """Opens pages, each in a fresh browser context (no cookie shared between tests)."""
    contexts = []

    def open_page(viewport=DESKTOP) -> Page:
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=viewport)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    """As in production: département agents and administrators need their authenticator."""
    settings.TREMPLIN_OTP_REQUIRED = True


def log_in(
    page: Page,
    user,
    password: str = factories.PASSWORD,
    next_url: str = "",
    heading: str | None = "Bonjour",
) -> Page:
    """Log in through the real form, as a person would, and land on the home page (or
    ``next_url``). A person whose role needs a second factor has an authenticator (set up
    here if they have none yet) and types its current code, as on their phone."""
    from tremplin.accounts.security import second_factor_required
    from tremplin.accounts.services import confirmed_totp

    device = confirmed_totp(user)
    if device is None and second_factor_required(user):
        device = otp.enrol(user)
    page.goto("/compte/connexion/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
        page.get_by_label("Code de vérification").fill(otp.current_code(device))
        page.get_by_role("button", name="Valider").click()
    if heading:
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    return page


@pytest.fixture
def login(page):
    """``login(user)`` logs ``user`` in on ``page`` and returns the page."""

    def login_as(user) -> Page:
        return log_in(page, user)

    return login_as


@pytest.fixture
def territory(transactional_db):
    return factories.TerritoryFactory()


@pytest.fixture
def operator(territory):
    return factories.OrganisationFactory(territory=territory, name="Association Passerelle")


@pytest.fixture
def referent_user(operator):
    return factories.referent(operator, user__first_name="Claire", user__last_name="Weber")


@pytest.fixture
def admin_user(operator):
    return factories.admin(operator)
