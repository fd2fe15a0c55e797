"""A convention in a real browser: a referent types the contract of a draft and
sees the checks change while typing (nothing saved), accepts the aid box proposed from the
order in force, signs with the four parties present and reads the number and the schedule."""

import datetime
import re
from decimal import Decimal
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import assert_accessible
from tests.conventions.factories import ConventionFactory, shipped_order
from tremplin.conventions.models import AidOrder, Convention


def field(page: Page, label: str):
    """The control labelled ``label`` exactly (required fields add « (obligatoire) »)."""
    pattern = re.compile(rf"^{re.escape(label)}\s*\*?\s*(\(obligatoire\))?$")
    return page.get_by_label(pattern)


def order_for(region_code: str, year: int) -> AidOrder:
    """Seed 002's order (RSA socle → Cas 4, 47 %), entered for the test territory's region
    and valid for ``year`` (rule E1: orders are fixed year by year)."""
    shipped = shipped_order()
    data = shipped.to_mapping()
    data.update(
        region_code=region_code,
        valid_from=datetime.date(year, 1, 1),
        valid_until=datetime.date(year, 12, 31),
    )
    return AidOrder.objects.create(**data)


def test_referent_sees_live_checks_accepts_the_proposed_rate_and_signs(
    page: Page, referent_user, operator
):
    territory = operator.territory
    # A CDI hired in two weeks: the signature today comes before the hire (rule F8).
    hire = datetime.date.today() + datetime.timedelta(days=14)
    order = order_for(territory.region_code, hire.year)
    beneficiary = factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=referent_user,
        birth_date=datetime.date(1990, 6, 1),
        receives_rsa=True,
    )
    draft = ConventionFactory(
        territory=territory,
        beneficiary=beneficiary,
        contract_type=Convention.ContractType.CDI,
        hire_date=hire,
        planned_end=None,
        aid_start=None,
        aid_end=None,
        subsidised_weekly_hours=None,
        prefect_rate_percent=None,
        payer="",
    )
    panel = page.locator("[data-live-checks]")

    # Logged in through the real form, straight to the draft's contract step.
    page.goto(f"/compte/connexion/?next=/conventions/{draft.pk}/modifier/%3Fetape%3D4")
    page.get_by_label("Adresse électronique").fill(referent_user.email)
    page.get_by_label("Mot de passe").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier")
    # The live checks' script is deferred: typed before it runs, no input event is heard
    # (the heading shows while the page is still being read; a flake under load).
    page.wait_for_load_state()
    expect(panel).not_to_contain_text(re.compile(r"Règles? (?:\w+, )*C8"))

    # 18 h a week: the panel says C8 (at least 20 h) and E9 is still met, while typing.
    hours = field(page, "Durée hebdomadaire du contrat (h)")
    hours.fill("18")
    expect(panel).to_contain_text(re.compile(r"Règles? (?:\w+, )*C8"))
    expect(panel).to_contain_text("Bloquant")
    draft.refresh_from_db()
    assert draft.weekly_hours == 26  # nothing saved by the live checks

    assert_accessible(page, "L'étape « contrat » avec ses contrôles en direct")
    hours.fill("26")
    expect(panel).not_to_contain_text(re.compile(r"Règles? (?:\w+, )*C8"))
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_role("status")).to_contain_text("Étape enregistrée")

    # Step 6, the aid box: proposed from the order in force for the région.
    page.goto(f"/conventions/{draft.pk}/modifier/?etape=6")
    expect(page.get_by_text("Catégorie proposée : Cas 4")).to_be_visible()
    expect(field(page, "Taux fixé par l'arrêté du préfet de région (%)")).to_have_value("47")
    expect(field(page, "Date d'effet de la prise en charge")).to_have_value(hire.isoformat())
    field(page, "Organisme payeur de l'aide du département").select_option("departement")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Convention CIE brouillon")
    draft.refresh_from_db()
    assert draft.aid_order == order and draft.aid_category == "cas_4"
    assert draft.prefect_rate_percent == Decimal("47")

    # Sign with the four parties present (rule A10): the number is given (rule F2).
    page.get_by_role("link", name="Signer").first.click()
    for label in (
        "Le salarié est présent",
        "L'employeur est présent",
        "L'opérateur d'accompagnement est présent",
        "Le conseiller RSA est présent",
        "Je confirme la signature",
    ):
        page.get_by_label(label).check()
    page.get_by_role("button", name="Enregistrer").click()
    year = datetime.date.today().year % 100
    number = f"{territory.code.zfill(3)}-{year:02d}-00001-00-0"
    expect(page.get_by_role("status")).to_contain_text(number)
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    # The aid month by month, with its total (CDI: 12 months from the hire, 13 calendar
    # months unless the hire is on the 1st).
    schedule = page.get_by_role("table").filter(has_text="Aide à l'employeur mois par mois")
    expect(schedule.get_by_role("row", name=re.compile("^Total"))).to_be_visible()


def test_agent_enters_a_new_order_and_it_is_listed(page: Page, operator):
    agent = factories.department_agent(operator.territory)
    # An agent: the password, then the authenticator's code.
    log_in(page, agent, next_url="/conventions/arretes/nouveau/", heading=None)
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisir un nouvel arrêté préfectoral")
    assert_accessible(page, "La saisie d'un arrêté")
    field(page, "En vigueur à partir du").fill("2026-01-01")
    field(page, "Valable jusqu'au").fill("2026-12-31")
    field(page, "Référence de l'arrêté").fill("Arrêté n° 26-001 du 15 décembre 2025")
    field(page, "Durée hebdomadaire prise en charge minimale").fill("20")
    field(page, "Durée hebdomadaire prise en charge maximale").fill("35")
    field(page, "Durée de l'aide pour un CDD (mois)").fill("6")
    field(page, "Durée minimale du CDD pour être aidé (mois)").fill("9")
    field(page, "Durée de l'aide pour un CDI (mois)").fill("12")
    first = page.get_by_role("group", name="Catégorie de public 1")
    field(first, "Code").fill("rsa")
    field(first, "Intitulé").fill("RSA socle")
    # A rate above the cap: refused in French citing rule E6, what was typed is kept.
    field(first, "Taux (% du SMIC horaire brut)").fill("50")
    first.get_by_label("bénéficiaire du RSA socle").check()
    page.get_by_role("button", name="Enregistrer l'arrêté").click()
    expect(page.locator("#erreurs a.rule-ref[href$='#regle-E6']")).not_to_have_count(0)
    expect(field(page, "Référence de l'arrêté")).to_have_value(
        "Arrêté n° 26-001 du 15 décembre 2025"
    )
    first = page.get_by_role("group", name="Catégorie de public 1")
    field(first, "Taux (% du SMIC horaire brut)").fill("47")
    page.get_by_role("button", name="Enregistrer l'arrêté").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Arrêté n° 26-001 du 15 décembre 2025"
    )
    page.get_by_role("link", name="Arrêtés").click()
    expect(page.get_by_role("table")).to_contain_text("RSA socle : 47")


def test_referent_finds_the_employer_without_javascript(
    browser, live_server, page: Page, referent_user, operator
):
    """JavaScript off: the « Employeur » list of a new convention is narrowed by a search
    (GET), the one found is chosen and the draft is saved with it; the page passes axe-core
    (run with JavaScript on, the same page)."""
    territory = operator.territory
    person = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user, last_name="Zimmermann"
    )
    wanted = factories.EmployerFactory(territory=territory, name="Menuiserie Kléber")
    for n in range(30):
        factories.EmployerFactory(territory=territory, name=f"Menuiserie du Rhin {n}")
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    try:
        no_js = log_in(context.new_page(), referent_user)
        no_js.goto("/conventions/nouvelle/")
        employer = field(no_js, "Employeur")
        expect(employer.locator("option")).to_have_count(32)  # 31 and « — Choisir — »
        no_js.get_by_label("Nom, prénom ou NIR").fill("zimmer")
        no_js.get_by_role("button", name="Filtrer la liste « Salarié »").click()
        no_js.get_by_label("Dénomination ou SIRET").fill("menuiserie kleber")
        no_js.get_by_role("button", name="Filtrer la liste « Employeur »").click()
        expect(no_js.get_by_role("status").filter(has_text="1 employeur")).to_contain_text(
            "1 employeur correspond à « menuiserie kleber »"
        )
        employer = field(no_js, "Employeur")
        expect(employer.locator("option")).to_have_count(2)
        expect(employer).to_have_value(str(wanted.pk))
        # The person's search was kept by the employer's: she is still the one chosen.
        expect(field(no_js, "Salarié")).to_have_value(str(person.pk))
        url = no_js.url
        field(no_js, "Secteur").select_option("CIE")
        no_js.get_by_role("button", name="Enregistrer et continuer").click()
        expect(no_js.get_by_role("status")).to_contain_text("brouillon de la convention")
        convention = Convention.objects.get()
        assert convention.employer == wanted and convention.beneficiary == person
    finally:
        context.close()
    log_in(page, referent_user, next_url=quote(url.removeprefix(live_server.url)), heading=None)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle convention CUI")
    assert_accessible(page, "Le choix de l'employeur d'une nouvelle convention, filtré")
