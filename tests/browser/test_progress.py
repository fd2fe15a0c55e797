"""Progress in a real browser: a referent fills the first evaluation of a professional
support (P6, P10) and sees the person's progression as a chart with its table."""

import datetime as dt

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_beneficiary_journey import field
from tests.progress.factories import ProfessionalEpisodeFactory
from tremplin.progress.models import Evaluation


def test_referent_fills_the_first_evaluation(page: Page, referent_user, operator):
    person = factories.BeneficiaryFactory(
        territory=operator.territory,
        operator=operator,
        referent=referent_user,
        last_name="Keller",
        first_names="Yasmine",
    )
    episode = ProfessionalEpisodeFactory(beneficiary=person, started_on=dt.date(2025, 1, 6))
    log_in(page, referent_user)
    page.goto(episode.get_absolute_url())
    page.get_by_role("link", name="Progression : évaluations, freins, Job Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progression de")
    expect(page.get_by_text("Aucune évaluation.")).to_be_visible()

    page.get_by_role("link", name="Première évaluation (accueil)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Évaluation d'accueil")
    field(page, "Date de l'évaluation").fill("2025-01-06")
    field(page, "Ponctualité, assiduité").select_option("2")
    field(page, "Commentaire — Ponctualité, assiduité").fill("Deux retards ce mois-ci.")
    field(page, "Métier connu, testé").select_option("1")
    assert_accessible(page, "La grille d'évaluation")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Progression de")
    chart = page.locator("figure svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("#progression-desc")).to_contain_text("à l'évaluation du 06/01/2025")
    table = page.get_by_role("table").first
    expect(table).to_contain_text("06/01/2025")
    expect(table).to_contain_text("accueil")
    assert_accessible(page, "La progression d'une personne")
    evaluation = Evaluation.objects.get(episode=episode)
    assert {(s.item_code, s.score) for s in evaluation.scores.all()} == {
        ("soft_punctuality", 2),
        ("project_known_job", 1),
    }
