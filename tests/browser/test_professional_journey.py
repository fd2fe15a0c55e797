"""The professional support in a real browser: a referent opens a professional support, fills the first
evaluation, logs two interviews
and sees the cadence of the month turn compliant (P4); a coordinator moves three people to
another referent (P9)."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_beneficiary_journey import field
from tests.professional.factories import professional_episode
from tremplin.accounts.models import AuditEntry
from tremplin.progress.models import Evaluation
from tremplin.support.models import SupportEpisode


def test_referent_opens_a_support_and_the_month_turns_compliant(
    page: Page, referent_user, operator
):
    person = factories.BeneficiaryFactory(
        territory=operator.territory,
        operator=operator,
        referent=referent_user,
        last_name="Schaller",
        first_names="Inès",
    )
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    log_in(page, referent_user)
    page.goto(person.get_absolute_url())
    page.get_by_role("link", name="Ouvrir un accompagnement professionnel").click()
    field(page, "Début de l'accompagnement et du premier CER").fill(first_of_month.isoformat())
    field(page, "Projet de la personne").select_option("employment")
    field(page, "Objectifs du premier CER").fill("Retrouver un emploi dans la logistique.")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Accompagnement professionnel")
    cadence = page.locator("#cadence-du-mois")
    # A calendar month entirely inside the support: 2 interviews required (P4).
    expect(cadence).to_contain_text("0 entretien sur 2 exigés")
    expect(cadence).to_contain_text("Manque 2")
    assert_accessible(page, "La page de l'accompagnement professionnel")
    episode_url = page.url

    # the first evaluation of the grid, at intake (P6, P10)
    page.get_by_role("link", name="Progression : évaluations, freins, Job Connexion").click()
    page.get_by_role("link", name="Première évaluation (accueil)").click()
    field(page, "Date de l'évaluation").fill(today.isoformat())
    page.get_by_role("group", name="Ponctualité, assiduité").locator('input[value="3"]').check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("figure svg[role=img]")).to_be_visible()
    assert Evaluation.objects.filter(episode__beneficiary=person).count() == 1
    page.goto(episode_url)

    # Two interviews earlier today: recorded without a status, a meeting already begun is
    # held (F8) and counts (P4); one still to come would be planned and count only once held.
    now = timezone.localtime().replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    first = max(midnight, now - dt.timedelta(minutes=10))
    for moment in (first, first + dt.timedelta(minutes=1)):
        page.get_by_role("link", name="Nouvel entretien").click()
        field(page, "Date et heure").fill(moment.strftime("%Y-%m-%dT%H:%M"))
        field(page, "Compte-rendu").fill("Point sur les candidatures.")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_be_visible()

    expect(cadence).to_contain_text("2 entretiens sur 2 exigés")
    expect(cadence).to_contain_text("Conforme")
    page.get_by_role("link", name="Cadence des entretiens").click()
    expect(page.get_by_role("row", name=re.compile(first_of_month.strftime("%Y")))).to_contain_text(
        "Conforme"
    )
    assert_accessible(page, "La cadence des entretiens")


def test_coordinator_moves_three_people_to_another_referent(page: Page, operator, referent_user):
    coordinator = factories.coordinator(operator)
    leaving = factories.referent(operator, user__first_name="Paul", user__last_name="Ernst")
    episodes = [professional_episode(leaving, start=dt.date(2025, 1, 15)) for _ in range(4)]
    log_in(page, coordinator)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Portefeuilles"
    ).click()
    expect(page.get_by_role("row", name=re.compile("Paul Ernst"))).to_contain_text("Sous-chargé")
    assert_accessible(page, "Les portefeuilles")
    page.get_by_role("link", name="Transférer des personnes de Paul Ernst").click()
    for episode in episodes[:3]:
        page.get_by_label(str(episode.beneficiary)).check()
    page.get_by_label("Nouveau ou nouvelle référent·e").select_option(str(referent_user.pk))
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#confirmation")).to_contain_text("3 personnes")
    assert_accessible(page, "La confirmation du transfert")
    page.get_by_role("button", name="Confirmer le transfert").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Portefeuilles")
    expect(page.get_by_text("3 personnes transférées")).to_be_visible()
    moved = SupportEpisode.objects.filter(referent=referent_user, programme="professional")
    assert set(moved.values_list("pk", flat=True)) == {e.pk for e in episodes[:3]}
    assert (
        AuditEntry.objects.filter(object_type="support.supportepisode", action="transfer").count()
        == 3
    )
