"""On a phone (390 px) every role's home and the pages read on the move are usable: the page
never scrolls sideways (a wide table scrolls inside its own box), and axe-core finds no
serious violation; on a laptop (1,366 px) the longest menu holds on one line and the focus
ring shows on the dark bar."""

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import LAPTOP, PHONE, log_in
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_responsive import NO_SIDEWAYS_SCROLL
from tests.conventions.factories import ConventionFactory
from tests.support.factories import InEmploymentEpisodeFactory

# As test_responsive's, a table that scrolls inside its own box (wrapped, or scrolling itself
# on a phone: ``data-scroll-region``) may hold links beyond the screen's edge.
OUTSIDE_THE_SCREEN = """() => [...document.querySelectorAll(
    'main a, main button, main input:not([type=hidden]), main select, main label, header a')]
    .filter(e => e.offsetParent !== null && !e.closest('.table-responsive, [data-scroll-region]'))
    .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth; })
    .map(e => e.outerHTML.slice(0, 120))"""


def assert_fits_a_phone(page: Page, what: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{what} scrolls sideways at 390 px: {width} px"
    outside = page.evaluate(OUTSIDE_THE_SCREEN)
    assert not outside, f"{what}: elements outside the screen: {outside}"


@pytest.fixture
def followed(operator, referent_user):
    """A person in in-employment support (its plan, its deadlines), on a signed convention."""
    person = factories.BeneficiaryFactory(
        territory=operator.territory,
        operator=operator,
        referent=referent_user,
        last_name="Allard",
        first_names="Marie-Christine Joséphine",
    )
    convention = ConventionFactory(territory=operator.territory, beneficiary=person, signed=True)
    episode = InEmploymentEpisodeFactory(beneficiary=person)
    return {"person": person, "convention": convention, "episode": episode}


@pytest.mark.parametrize("role", ["referent", "coordinator", "agent", "admin"])
def test_each_roles_home_on_a_phone(new_page, operator, referent_user, followed, role):
    user = {
        "referent": lambda: referent_user,
        "coordinator": lambda: factories.coordinator(operator),
        "agent": lambda: factories.department_agent(operator.territory),
        "admin": lambda: factories.admin(operator),
    }[role]()
    page = log_in(new_page(viewport=PHONE), user)
    assert_fits_a_phone(page, f"The {role}'s home")
    assert_accessible(page, f"The {role}'s home at 390 px")


def test_the_plan_and_the_person_on_a_phone(new_page, referent_user, followed):
    page = log_in(new_page(viewport=PHONE), referent_user)
    page.goto(followed["episode"].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_fits_a_phone(page, "The support's plan")
    assert_accessible(page, "The support's plan at 390 px")
    page.goto(followed["person"].get_absolute_url())
    assert_fits_a_phone(page, "The person's file")


def test_the_payment_list_on_a_phone(new_page, operator, followed):
    agent = factories.department_agent(operator.territory)
    page = log_in(new_page(viewport=PHONE), agent)
    page.goto("/conventions/paiements/?mois=2025-04")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aide due pour")
    assert_fits_a_phone(page, "The payment list")
    assert_accessible(page, "The payment list at 390 px")


def test_the_indicators_and_the_glossary_on_a_phone(new_page, operator, referent_user, followed):
    page = log_in(new_page(viewport=PHONE), factories.coordinator(operator))
    page.goto("/sorties/indicateurs/?du=2025-01-01&au=2025-12-31")
    expect(page.get_by_role("heading", level=2, name="Par mois")).to_be_visible()
    # Nothing ended in 2025 here: the rates' chart is a sentence, not a drawing.
    expect(page.get_by_text("Aucun accompagnement terminé dans la période")).to_be_visible()
    assert_fits_a_phone(page, "The indicator page")
    assert_accessible(page, "The indicator page at 390 px")
    page.goto("/aide/glossaire/")
    assert_fits_a_phone(page, "The glossary")
    assert_accessible(page, "The glossary at 390 px")


def test_the_longest_menu_holds_on_one_line_and_its_focus_shows(new_page, operator):
    page = log_in(new_page(viewport=LAPTOP), factories.admin(operator))
    navigation = page.get_by_role("navigation", name="Navigation principale")
    menu = navigation.locator("#menu > ul").first
    tops = menu.locator(":scope > li").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, f"the menu wraps at 1,366 px: {tops}"

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")  # « Accueil »
    home = navigation.get_by_role("link", name="Accueil")
    expect(home).to_be_focused()
    outline = home.evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert outline[0] == "solid" and float(outline[1].removesuffix("px")) >= 3, outline
    assert outline[2] == "rgb(255, 210, 63)", outline  # yellow on the bar's blue


# Each visible label of the plan's timeline: its box, the box it must stay in (the drawing,
# or on a phone the list), and its rendered text size in pixels.
TIMELINE_LABELS = """() => {
    const drawing = document.querySelector('svg.timeline');
    const shown = drawing && drawing.getBoundingClientRect().width > 0;
    const labels = shown ? [...drawing.querySelectorAll('text')]
        : [...document.querySelectorAll('.timeline-rows li[data-phase]')];
    const frame = (shown ? drawing : document.querySelector('.timeline-rows'))
        .getBoundingClientRect();
    const scale = shown ? frame.width / drawing.viewBox.baseVal.width : 1;
    const bars = shown ? [...drawing.querySelectorAll('rect')].map(b => b.getBoundingClientRect())
        : [];
    return labels.map(label => {
        const r = label.getBoundingClientRect();
        const size = parseFloat(getComputedStyle(label).fontSize) * scale;
        const overBar = bars.some(b => r.left < b.right && b.left < r.right
            && r.top < b.bottom && b.top < r.bottom);
        return {text: label.textContent.trim(), left: r.left, right: r.right,
                top: r.top, bottom: r.bottom, frameLeft: frame.left,
                frameRight: Math.min(frame.right, innerWidth), px: size, overBar: overBar};
    });
}"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_plan_timeline_labels_are_whole(new_page, referent_user, followed, viewport):
    """No phase label runs out of the timeline, sits on a bar (where a short bar cut it) or
    under another label, and each is drawn at a readable size."""
    page = log_in(new_page(viewport=viewport), referent_user)
    page.goto(followed["episode"].get_absolute_url())
    expect(page.get_by_role("heading", name="Le plan")).to_be_visible()
    labels = page.evaluate(TIMELINE_LABELS)
    assert [label["text"].removesuffix(" (en cours)") for label in labels] == [
        bar.label for bar in followed["episode"].plan().phases
    ]
    for label in labels:
        assert label["frameLeft"] - 1 <= label["left"], label
        assert label["right"] <= label["frameRight"] + 1, label
        assert label["px"] >= 12, label
        assert not label["overBar"], label
    for above, below in zip(labels, labels[1:], strict=False):
        assert above["bottom"] <= below["top"] + 1, (above, below)
    assert_accessible(page, f"The support's plan at {viewport['width']} px")
