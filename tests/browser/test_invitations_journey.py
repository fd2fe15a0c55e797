"""Invitations in a real browser: a referent invites a person to an interview by SMS and
e-mail from their file (the person confirms through the personal link, without an account),
records a no-show at another interview, and gives it a dated follow-up (F8, P4)."""

import re

from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_beneficiary_journey import field
from tests.invitations.factories import (
    in_days,
    operator_with_address,
    planned,
    running_support,
)
from tremplin.invitations.models import Invitation, NoShowFollowUp
from tremplin.support.models import Meeting
from tremplin.web import sms


def test_referent_invites_a_person_and_records_a_no_show(
    page: Page, new_page, referent_user, operator
):
    operator_with_address(operator)
    episode = running_support(referent_user)
    person = episode.beneficiary
    missed = planned(episode, days=-2)
    log_in(page, referent_user)

    page.goto(person.get_absolute_url())
    page.get_by_role("link", name="Inviter à un rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inviter")
    assert_accessible(page, "The invitation form")
    page.get_by_label("Un entretien individuel").check()
    field(page, "Date et heure du rendez-vous").fill(in_days(5).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Courriel").check()
    expect(page.get_by_label("SMS", exact=True)).to_be_checked()  # her preferred channel
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"Invitation d(e |')"))
    expect(page.get_by_role("status")).to_contain_text("Invitation envoyée (courriel, sms)")
    messages = page.get_by_role("table")
    expect(messages).to_contain_text("+33612345678")
    expect(messages).to_contain_text("Envoyé")
    invitation = Invitation.objects.get()
    assert invitation.meeting.status == Meeting.Status.PLANNED
    [text] = sms.outbox
    assert len(mail.outbox) == 1

    # The person opens the link of the SMS, without an account, and confirms.
    link = re.search(r"/rdv/\d+/\S+/", text.body).group(0)
    visitor = new_page()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous")
    assert_accessible(visitor, "The personal link's page")
    visitor.get_by_role("button", name="Je confirme ma présence").click()
    expect(visitor.get_by_text("Votre présence est confirmée.")).to_be_visible()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Vous avez déjà répondu")
    page.reload()
    expect(page.locator("dl")).to_contain_text("Présence confirmée")

    # The interview of two days ago did not take place: a no-show.
    page.goto(f"/accompagnement-professionnel/{episode.pk}/")
    interviews = page.locator("section[aria-labelledby=entretiens]")
    row = interviews.locator("li", has_text=missed.starts_at.strftime("%d/%m/%Y"))
    row.get_by_role("link", name="Présence").click()
    page.get_by_label("Non : la personne ne s'est pas présentée, sans prévenir").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Statut enregistré : absence non excusée.")
    expect(row).to_contain_text("Absence non excusée")
    missed.refresh_from_db()
    assert missed.status == Meeting.Status.NO_SHOW

    # The no-shows of the referent, and a dated follow-up.
    page.get_by_role("link", name="Rendez-vous", exact=True).click()
    page.get_by_role("link", name="Absences et suites données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Absences non excusées et suites données"
    )
    assert_accessible(page, "The no-show list")
    absence = page.get_by_role("row", name=re.compile(re.escape(str(person))))
    expect(absence).to_contain_text("Aucune suite")
    absence.get_by_role("link", name="Donner une suite").click()
    page.get_by_label("Saisine de l'équipe pluridisciplinaire").check()
    field(page, "Précisions").fill("Deuxième absence sans nouvelles.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Suite enregistrée")
    expect(page.get_by_role("row", name=re.compile(re.escape(str(person))))).to_contain_text(
        "Saisine de l'équipe pluridisciplinaire le"
    )
    assert NoShowFollowUp.objects.get().meeting == missed
