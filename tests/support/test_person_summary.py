"""The person at a glance: a summary on every tab of the person's file — supports running,
referent, last meeting held and next planned, deliverables late (« en retard »), the hour
gauge (A5) as a ``<meter>`` that turns red past the budget, the cadence of the month (P4) —
at a fixed number of queries."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.professional.factories import interview, professional_episode
from tests.support.factories import MeetingFactory, episode_for, paris
from tremplin.support.models import Deadline, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(paris(2025, 3, 20, 12, 0), tick=False):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ")


def tabs(person):
    return [
        person.get_absolute_url(),
        reverse("registry:pathway", args=[person.pk]),
        reverse("outcomes:beneficiary_situations", args=[person.pk]),
        reverse("companies:profile", args=[person.pk]),
    ]


def test_every_tab_of_the_file_shows_the_person_at_a_glance(client, referent_user):
    episode = episode_for(referent_user, contract_start=dt.date(2025, 3, 3))
    person = episode.beneficiary
    MeetingFactory(episode=episode, starts_at=paris(2025, 3, 10, 10, 0))
    MeetingFactory(
        episode=episode, starts_at=paris(2025, 3, 27, 14, 30), status=Meeting.Status.PLANNED
    )
    Deadline.objects.create(
        episode=episode, code="retard", label="Bilan à rendre", rule="A11",
        due_on=dt.date(2025, 3, 15),
    )  # fmt: skip
    client.force_login(referent_user)
    for url in tabs(person):
        page = text(client.get(url))
        assert f"{person} en bref" in page, url
        assert "Accompagnement dans l'emploi (CUI-CIE)" in page
        assert "le 10/03/2025 (entretien individuel)" in page
        assert "le 27/03/2025 à 14:30" in page
        assert "Bilan à rendre" in page and "échéance" in page
        assert referent_user.get_full_name() in page


def test_the_hour_gauge_turns_red_past_the_budget(client, referent_user):
    """A5: 12 hours; 13 h 12 used (110 %) is beyond ``high``, with the optimum low: red."""
    episode = episode_for(referent_user, contract_start=dt.date(2025, 3, 3))
    MeetingFactory(episode=episode, starts_at=paris(2025, 3, 10, 8, 0), duration_minutes=792)
    client.force_login(referent_user)
    page = text(client.get(episode.beneficiary.get_absolute_url()))
    meter = re.search(r"<meter[^>]*>", page).group(0)
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', meter))
    assert attrs["high"] == "720" and attrs["optimum"] == "0"
    assert int(attrs["value"]) == 792 > int(attrs["high"])
    assert int(attrs["max"]) > int(attrs["high"])  # 110 % is not a full bar
    assert "110 %" in page


def test_the_cadence_of_the_month_of_a_professional_support(client, referent_user):
    episode = professional_episode(referent_user)
    interview(episode, 2025, 3, 4, 10)
    client.force_login(referent_user)
    page = text(client.get(episode.beneficiary.get_absolute_url()))
    assert "Cadence du mois" in page and "#regle-P4" in page
    assert "Mars 2025 : 1 entretien tenu sur 2 exigés" in page
    assert "1 manquant" in page


def test_the_summary_costs_the_same_queries_with_more_meetings(client, referent_user):
    episode = episode_for(referent_user, contract_start=dt.date(2025, 3, 3))
    person = episode.beneficiary
    client.force_login(referent_user)
    url = reverse("registry:pathway", args=[person.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(4, 19):
        MeetingFactory(episode=episode, starts_at=paris(2025, 3, day, 9, 0))
        Deadline.objects.create(
            episode=episode, code=f"x{day}", label="Bilan", rule="A11", due_on=dt.date(2025, 3, day)
        )
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(url))
    assert len(few) == len(many)
    assert "Bilan" in page


def test_the_last_meeting_held_and_the_next_planned_among_many_in_one_query(client, referent_user):
    episode = episode_for(referent_user, contract_start=dt.date(2025, 3, 3))
    person = episode.beneficiary
    for moment, status in [
        (paris(2025, 3, 10, 10, 0), Meeting.Status.HELD),
        (paris(2025, 3, 14, 9, 0), Meeting.Status.HELD),  # the last held
        (paris(2025, 3, 18, 9, 0), Meeting.Status.CANCELLED),  # later, but not held (F8)
        (paris(2025, 3, 20, 10, 0), Meeting.Status.PLANNED),  # begun two hours ago
        (paris(2025, 3, 27, 14, 30), Meeting.Status.PLANNED),
        (paris(2025, 3, 25, 16, 15), Meeting.Status.PLANNED),  # the next one
    ]:
        reason = "Empêchement de la tutrice" if status == Meeting.Status.CANCELLED else ""
        MeetingFactory(episode=episode, starts_at=moment, status=status, status_reason=reason)
    client.force_login(referent_user)
    url = reverse("registry:pathway", args=[person.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = text(client.get(url))

    def shown(term: str) -> str:
        return re.search(rf"{term}</dt>\s*<dd[^>]*>(.*?)</dd>", page).group(1)

    assert shown("Dernière rencontre tenue") == "le 14/03/2025 (entretien individuel)"
    assert shown("Prochaine rencontre") == "le 25/03/2025 à 16:15 (entretien individuel)"
    # The summary reads the day, the kind and the status of the two (the timeline, below,
    # reads every meeting of the person).
    columns = '"support_meeting"."starts_at", "support_meeting"."kind", "support_meeting"."status"'
    summary = [q["sql"] for q in queries if f'"support_meeting"."id", {columns} FROM' in q["sql"]]
    assert len(summary) == 1, summary
