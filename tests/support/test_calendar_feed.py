"""The calendar feed goes to an outside provider: a person's initials by default, the full
name only when the département sets TREMPLIN_ICAL_FULL_NAMES."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.support.factories import MeetingFactory, episode_for, paris

pytestmark = pytest.mark.django_db


def feed(client, user) -> str:
    client.force_login(user)
    client.get(reverse("support:calendar_link"))
    token = user.calendar_feed_token.token
    client.logout()
    return client.get(reverse("support:calendar_ics", args=[token])).content.decode()


@pytest.fixture
def meeting(referent_user):
    today = dt.date.today()
    episode = episode_for(
        referent_user,
        contract_start=today - dt.timedelta(days=20),
        trial_end=today + dt.timedelta(days=3),
        contract_end=today + dt.timedelta(days=200),
    )
    person = episode.beneficiary
    person.first_names, person.last_name = "Léa Marie", "Muller"
    person.save()
    return MeetingFactory(episode=episode, starts_at=paris(today.year, today.month, today.day, 9))


def test_the_feed_shows_initials_by_default(client, referent_user, meeting):
    body = feed(client, referent_user).replace("\r\n ", "")
    assert "— L. M." in body
    assert "Muller" not in body and "MULLER" not in body and "Léa" not in body


def test_the_department_may_show_full_names(client, referent_user, meeting, settings):
    settings.TREMPLIN_ICAL_FULL_NAMES = True
    body = feed(client, referent_user).replace("\r\n ", "")
    assert "MULLER Léa Marie" in body


def unfolded(body: str) -> str:
    return body.replace("\r\n ", "")


def descriptions(body: str) -> list[str]:
    return [line for line in unfolded(body).split("\r\n") if line.startswith("DESCRIPTION:")]


def test_no_free_text_nor_rule_code_goes_to_the_calendar_provider(client, referent_user, meeting):
    """What agents type (participants, the reason of a status, a deadline's note) stays in
    Tremplin; the events say what, when, where and link to the page (issue 12)."""
    meeting.participants = "Léa, sa tutrice Mme Schmitt et son fils"
    meeting.status = "excused"
    meeting.status_reason = "Hospitalisation en psychiatrie"
    meeting.save()
    deadline = meeting.episode.deadlines.get(code="trial_review")
    deadline.note = "Salariée en arrêt maladie, rappeler l'employeur"
    deadline.save()
    body = unfolded(feed(client, referent_user))
    for secret in ("Schmitt", "Hospitalisation", "arrêt maladie", "Prise de poste"):
        assert secret not in body
    assert not re.search(r"\b[A-Z]{1,2}\d{1,2}\b", "".join(descriptions(body)))  # (A11)...
    meeting_text, *deadline_texts = descriptions(body)
    [deadline_text] = [text for text in deadline_texts if "période d'essai" in text]
    assert "Entretien individuel le " in meeting_text and "absence excusée" in meeting_text
    assert "Bilan de fin de période d'essai" in deadline_text and "à faire" in deadline_text
    episode_page = f"http://testserver/accompagnements/{meeting.episode.pk}/"
    assert f"URL:{episode_page}" in body
    assert f"connexion requise) : {episode_page}" in meeting_text


def test_the_links_use_the_site_s_address_when_set(client, referent_user, meeting, settings):
    settings.TREMPLIN_SITE_URL = "https://tremplin.departement.example.fr/"
    body = unfolded(feed(client, referent_user))
    site = "https://tremplin.departement.example.fr"
    episode = meeting.episode
    assert f"URL:{site}{episode.get_absolute_url()}\r\n" in body
    trial_review = reverse("support:deliverable", args=[episode.pk, "trial_review"])
    assert f"URL:{site}{trial_review}\r\n" in body
