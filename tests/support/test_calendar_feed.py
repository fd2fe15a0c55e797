"""The calendar feed goes to an outside provider: a person's initials by default, the full
name only when the département sets TREMPLIN_ICAL_FULL_NAMES."""

import datetime as dt

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
