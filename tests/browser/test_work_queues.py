"""Each role walks its work queue on the home page to an action, and back (the referent, the
coordinator, the département agent): each item one click from its action; the referent types
a deliverable and sends it in one click, and finds it saved. axe-core on the pages walked."""

import datetime as dt
import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import assert_accessible
from tests.conventions.factories import ConventionFactory, RuptureFactory
from tests.professional.factories import professional_episode
from tests.support.factories import episode_for
from tremplin.support.models import Deadline, DeliverableContent

TYPED = {
    "Difficultés rencontrées lors de la reprise d'emploi": "Transport le matin",
    "Réponses construites avec le salarié": "Covoiturage avec un collègue",
    "Besoins de formation identifiés": "CACES 1",
    "Évolution du comportement professionnel": "Ponctuel depuis avril",
}


def late_count(queue) -> int:
    heading = queue.locator("#file-referent-late").inner_text()
    return int(re.search(r"(\d+) éléments? en retard", heading).group(1))


def test_the_referent_sends_a_late_deliverable_from_the_queue_in_one_click(new_page, referent_user):
    episode = episode_for(referent_user, contract_start=dt.date(2025, 3, 3))
    page = log_in(new_page(), referent_user)
    queue = page.locator("section", has=page.get_by_role("heading", name="Ma file de travail"))
    expect(queue.locator("#file-referent-late")).to_contain_text("en retard")
    before = late_count(queue)
    assert_accessible(page, "The referent's home with the work queue")
    badge = page.get_by_role("link", name=re.compile(r"^Accueil \d+ à traiter"))
    expect(badge).to_be_visible()

    item = queue.locator("li", has_text="Bilan de fin de période d'essai")
    item.get_by_role("link", name=re.compile("^Rédiger le livrable")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan de fin de période d'essai")
    assert_accessible(page, "The deliverable page, one form")
    for label, value in TYPED.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Envoyé à").fill("Cellule contrats aidés")
    page.get_by_role("button", name="Enregistrer et marquer comme envoyé").click()
    expect(page.locator(".alert-success")).to_contain_text("est enregistré et marqué envoyé")
    deadline = episode.deadlines.get(code="trial_review")
    assert deadline.state == Deadline.State.SENT
    assert DeliverableContent.objects.get(deadline=deadline).items["training_needs"] == "CACES 1"

    page.get_by_role("link", name=re.compile("^Accueil")).click()
    queue = page.locator("section", has=page.get_by_role("heading", name="Ma file de travail"))
    expect(queue.locator("#file-referent-late")).to_be_visible()
    assert late_count(queue) < before  # the bilan sent is no longer late


def test_the_coordinator_plans_an_interview_from_the_queue_and_comes_back(
    new_page, operator, referent_user
):
    coordinator = factories.coordinator(operator)
    episode = professional_episode(referent_user, start=dt.date.today() - dt.timedelta(days=40))
    page = log_in(new_page(), coordinator)
    queue = page.locator(
        "section", has=page.get_by_role("heading", name="Ma file de travail — coordination")
    )
    expect(queue.locator("#file-coordination-cadence")).to_contain_text(
        "1 accompagnement sous la cadence ce mois"
    )
    assert_accessible(page, "The coordinator's home with the work queue")
    queue.get_by_role("link", name=re.compile("^Planifier un entretien")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("entretien")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert episode.meetings.count() == 1
    page.get_by_role("link", name=re.compile("^Accueil")).click()
    expect(page.get_by_role("heading", name="Ma file de travail — coordination")).to_be_visible()


def test_the_agent_takes_a_rupture_into_account_from_the_queue_and_comes_back(
    new_page, territory, operator, referent_user
):
    agent = factories.department_agent(territory)
    beneficiary = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user, last_name="Muller"
    )
    convention = ConventionFactory(territory=territory, beneficiary=beneficiary, signed=True)
    RuptureFactory(convention=convention)
    page = log_in(new_page(), agent)
    expect(page.locator("#file-ruptures")).to_contain_text("1 rupture à traiter")
    badge = page.get_by_role("link", name=re.compile(r"^Accueil \d+ à traiter"))
    expect(badge).to_be_visible()
    page.locator("li", has_text="MULLER").get_by_role(
        "link", name=re.compile("^Prendre en compte")
    ).first.click()
    page.get_by_role("button", name="Prendre en compte la rupture").click()
    expect(page.get_by_role("status").filter(has_text="prise en compte le")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Accueil")).click()
    expect(page.locator("#file-ruptures")).to_contain_text("0 rupture à traiter")


def test_after_a_refused_submission_the_focus_is_on_the_error_summary(new_page, referent_user):
    """A meeting of 600 minutes is refused in French; the focus leaves ``<body>`` for the
    summary of the errors, which links to the field."""
    episode = episode_for(referent_user, contract_start=dt.date(2025, 3, 3))
    page = log_in(new_page(), referent_user)
    page.goto(f"/accompagnements/{episode.pk}/rencontres/nouvelle/")
    expect(page.get_by_label(re.compile("^Durée"))).to_have_value("45")
    page.get_by_label(re.compile("^Durée")).fill("600")
    page.get_by_role("button", name="Enregistrer").click()
    summary = page.locator("#erreurs")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Une rencontre dure au plus 240 minutes")
    assert_accessible(page, "The meeting form with its errors")
