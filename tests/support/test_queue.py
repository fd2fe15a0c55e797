"""The referent's work queue on the home page: today, late, the next 7 days, the people not
met lately — both programmes, the same source as « Ma journée », each item one click from its
action, at a fixed number of queries; its count in the navigation."""

import datetime as dt
import html

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.professional.factories import interview, professional_episode
from tests.support.factories import MeetingFactory, episode_for, paris
from tremplin.support.models import Deadline, Meeting
from tremplin.web import queues

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(paris(2025, 3, 20, 8, 0), tick=False):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ")


def portfolio(referent, size):
    """``size`` in-employment supports, each with a meeting today at 10:00 and a deliverable
    late; one professional support with an interview tomorrow and one begun last week whose
    status is still to give (F8)."""
    made = []
    for _ in range(size):
        episode = episode_for(referent, contract_start=dt.date(2025, 3, 3))
        MeetingFactory(
            episode=episode, starts_at=paris(2025, 3, 20, 10, 0), status=Meeting.Status.PLANNED
        )
        Deadline.objects.create(
            episode=episode, code="retard", label="Bilan en retard", rule="A11",
            due_on=dt.date(2025, 3, 10),
        )  # fmt: skip
        made.append(episode)
    professional = professional_episode(referent)
    interview(professional, 2025, 3, 21, 14, status=Meeting.Status.PLANNED)
    interview(professional, 2025, 3, 13, 14, status=Meeting.Status.PLANNED)
    return made, professional


def home(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), text(response)


def test_the_referent_s_queue_lists_today_late_and_the_week(client, referent_user):
    made, professional = portfolio(referent_user, 2)
    client.force_login(referent_user)
    _, page = home(client)
    assert "Ma file de travail — mes accompagnements" in page
    assert "Aujourd'hui : 2 éléments" in page
    meeting = made[0].meetings.get()
    assert reverse("support:meeting_update", args=[made[0].pk, meeting.pk]) in page
    # Late: the 2 deliverables past due (« en retard », not « à faire ») and the interview
    # of last week whose status is still to give (F8).
    assert "3 éléments en retard" in page
    assert reverse("support:deliverable", args=[made[0].pk, "retard"]) in page
    late = professional.meetings.get(starts_at__date=dt.date(2025, 3, 13))
    assert reverse("support:meeting_status", args=[professional.pk, late.pk]) in page
    # The week: the professional interview of tomorrow — the home shows both programmes.
    assert "Les 7 prochains jours : 1 élément" in page
    tomorrow = professional.meetings.get(starts_at__date=dt.date(2025, 3, 21))
    assert reverse("professional:interview_update", args=[professional.pk, tomorrow.pk]) in page


def test_the_home_and_my_day_agree_on_the_week_s_meetings(client, referent_user):
    """One source: a professional interview this week shows on both pages (the home used to
    say « Aucune rencontre cette semaine » while « Ma journée » listed it)."""
    professional = professional_episode(referent_user)
    interview(professional, 2025, 3, 21, 14, status=Meeting.Status.PLANNED)
    client.force_login(referent_user)
    _, page = home(client)
    my_day = text(client.get(reverse("support:my_day")))
    assert "Aucune rencontre cette semaine" not in my_day
    assert "Les 7 prochains jours : 1 élément" in page
    assert "Aucune rencontre cette semaine" not in page


def test_the_queue_costs_the_same_queries_for_2_and_12_supports(client, referent_user):
    portfolio(referent_user, 2)
    client.force_login(referent_user)
    client.get(reverse("home"))  # warm the session
    small, _ = home(client)
    portfolio(referent_user, 10)
    large, page = home(client)
    assert small == large
    assert "Aujourd'hui : 12 éléments" in page


def test_the_navigation_counts_today_and_what_is_late(client, referent_user):
    portfolio(referent_user, 2)
    # today: 2 meetings; late: 2 deliverables and 1 interview to report
    assert queues.work_count(referent_user) == 5
    client.force_login(referent_user)
    _, page = home(client)
    assert 'Accueil <span class="badge rounded-pill text-bg-warning">5' in page
