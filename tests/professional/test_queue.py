"""The coordinator's work queue on the home page: supports below the cadence this month (P4),
overloaded referents (P9), deliverables late across the team (A11–A14) — each item one click
from its action, at a fixed number of queries; its count in the navigation."""

import datetime as dt
import html
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.professional.factories import interview, professional_episode
from tremplin.rules.calendar import PARIS
from tremplin.support import services as support_services
from tremplin.support.models import Deadline, SupportEpisode
from tremplin.web import queues

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 3, 20, 12, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ")


def team(operator, size):
    """``size`` supports below the cadence in March (1 interview of 2, P4), one compliant, an
    overloaded referent (0.1 FTE: capacity 6, P9) and ``size`` late deliverables."""
    busy = factories.referent(operator, full_time_equivalent=Decimal("0.1"))
    for _ in range(7):
        professional_episode(busy)
    compliant = professional_episode(factories.referent(operator))
    interview(compliant, 2025, 3, 3, 10)
    interview(compliant, 2025, 3, 17, 10)
    below = []
    for _ in range(size):
        episode = professional_episode(factories.referent(operator))
        interview(episode, 2025, 3, 10, 10)
        Deadline.objects.create(
            episode=episode, code="bilan", label="Bilan intermédiaire", rule="P4",
            due_on=dt.date(2025, 3, 1),
        )  # fmt: skip
        below.append(episode)
    return busy, compliant, below


def home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), text(response)


def test_the_coordinator_s_queue_lists_what_waits_one_click_from_its_action(
    client, coordinator_user, operator
):
    busy, compliant, below = team(operator, 2)
    client.force_login(coordinator_user)
    _, page = home_queries(client)
    assert "Ma file de travail — coordination" in page
    # P4: the 7 supports of the busy referent had no interview in March either.
    assert "9 accompagnements sous la cadence ce mois" in page
    # The 5 furthest below first (no interview held), each one click from a new interview.
    shown = [e.pk for e in busy.support_episodes.all() if f"/{e.pk}/entretiens/nouveau/" in page]
    assert len(shown) == 5
    assert reverse("professional:interview_create", args=[compliant.pk]) not in page
    assert "1 référent·e surchargé·e" in page
    assert reverse("professional:transfer", args=[busy.pk]) in page
    assert "2 livrables en retard dans l'équipe" in page
    assert reverse("support:deliverable", args=[below[0].pk, "bilan"]) in page
    # The rules behind the sections are help markers, never raw numbers in the text.
    assert "(P4)" not in page and "(règle P4)" not in page and "(règle P9)" not in page
    assert 'href="/aide/regles/#regle-P4"' in page and 'href="/aide/regles/#regle-P9"' in page


def test_the_queue_costs_the_same_queries_for_2_and_8_late_supports(
    client, coordinator_user, operator
):
    team(operator, 2)
    client.force_login(coordinator_user)
    client.get(reverse("home"))  # warm the session
    small, _ = home_queries(client)
    for _ in range(6):
        episode = professional_episode(factories.referent(operator))
        Deadline.objects.create(
            episode=episode, code="bilan", label="Bilan", rule="P4", due_on=dt.date(2025, 3, 1)
        )
    large, page = home_queries(client)
    assert small == large
    assert "8 livrables en retard dans l'équipe" in page


def test_the_navigation_counts_the_coordinator_s_items(client, coordinator_user, operator):
    team(operator, 2)
    # 9 below the cadence, 1 overloaded referent, 2 late deliverables
    assert queues.work_count(coordinator_user) == 12
    client.force_login(coordinator_user)
    _, page = home_queries(client)
    assert 'Accueil <span class="badge rounded-pill text-bg-warning">12' in page


def test_a_referent_has_no_coordination_queue(client, referent_user, operator):
    team(operator, 1)
    client.force_login(referent_user)
    _, page = home_queries(client)
    assert "Ma file de travail — coordination" not in page


def page_queries(client, url) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries], text(response)


def test_a_coordinator_who_follows_nobody_gets_no_referent_block(
    rf, coordinator_user, referent_user, operator, django_assert_num_queries
):
    """The référent's block (CERs ending, people below the cadence) is built only for a
    user who follows supports: a coordinator's home builds nothing for it, and reads
    nothing (the user's scope is read once per request, by the navigation already)."""
    from tremplin.accounts.access import scope_of
    from tremplin.professional import panels

    busy, _, _ = team(operator, 2)
    request = rf.get("/")
    request.user = coordinator_user
    scope_of(coordinator_user)
    with django_assert_num_queries(0):
        assert panels.home(request, None) is None
    request.user = busy
    assert len(panels.home(request, None)["below"]) == 7  # the busy référent's 7, P4


def test_the_referent_s_home_shows_the_first_five_below_the_cadence(client, operator):
    """P4: the busy référent's 7 supports have no interview in March; the home names the
    count, lists 5 and leads to the whole list."""
    busy, _, _ = team(operator, 1)
    client.force_login(busy)
    page = text(client.get(reverse("home")))
    assert "7 personnes sous la cadence d'entretiens" in page
    section = page[page.index("7 personnes sous la cadence") :]
    assert section.count("/cadence/") == 5
    assert "Toutes les personnes sous la cadence" in section


def test_another_page_counts_the_badge_from_this_month_s_interviews_only(
    client, coordinator_user, operator
):
    """On any page but the home, the badge reads counts only: a fixed number of queries
    whatever the team's size, and of the team's interviews only those of the month (not
    every support's whole history)."""
    busy, compliant, below = team(operator, 2)
    for episode in [compliant, *below]:
        for month in (1, 2):  # held in January and February: not read for March's badge
            interview(episode, 2025, month, 6, 10)
            interview(episode, 2025, month, 20, 10)
    client.force_login(coordinator_user)
    client.get(reverse("home"))  # warm the session
    url = reverse("registry:beneficiary_list")
    sqls, page = page_queries(client, url)
    # 9 below the cadence, 1 overloaded referent, 2 late deliverables (as the home says).
    assert 'Accueil <span class="badge rounded-pill text-bg-warning">12' in page
    # The user, their memberships, the list's referents (3; the session is read from the
    # cache); the list's count and rows (2); the badge (5: the team's supports, this month's
    # interviews, the portfolios' two, the count of late deliverables).
    assert len(sqls) == 10, "\n".join(sqls)
    interviews = [sql for sql in sqls if '"support_meeting"' in sql and "starts_at" in sql]
    assert len(interviews) == 1
    with connection.cursor() as cursor:
        cursor.execute(interviews[0])
        read = cursor.fetchall()
    # March's held interviews: the compliant support's 2 and one per support below.
    assert len(read) == 2 + len(below)
    for _ in range(5):
        professional_episode(factories.referent(operator))
    cache.clear()  # the list's referent filter is kept per user: read it again, as the first time
    sqls, page = page_queries(client, url)
    assert len(sqls) == 10 + 1  # the cache emptied: the session read from the database once
    assert 'text-bg-warning">17' in page


def test_the_home_counts_the_badge_from_its_queue(client, coordinator_user, operator):
    """The home builds the queue before the page: the badge reads it, no count again."""
    team(operator, 2)
    client.force_login(coordinator_user)
    client.get(reverse("home"))  # warm the session
    sqls, page = page_queries(client, reverse("home"))
    assert 'Accueil <span class="badge rounded-pill text-bg-warning">12' in page
    # The queue's interviews of the month and its late deliverables, read once each: the
    # badge reads neither again. The late ones are counted from their keys, read once; the
    # first few are then read by key.
    meetings = [sql for sql in sqls if '"support_meeting"' in sql]
    assert len(meetings) == 1 and '"starts_at" >=' in meetings[0]
    deadlines = [sql for sql in sqls if '"support_deadline"' in sql.split(" WHERE ")[0]]
    keys = [sql for sql in deadlines if '"support_deadline"."id" AS "pk"' in sql]
    assert len(keys) == 1 and not any("COUNT(" in sql for sql in deadlines)
    assert len(deadlines) == 2  # the keys, then the first few


def test_the_cadence_section_shows_the_furthest_below_first_then_by_name(
    coordinator_user, operator
):
    """Of the 9 supports below the cadence, the 7 with no interview in March (0 of 2) come
    before the 2 with one; among them, by the person's name (« NAME First names »)."""
    from tremplin.professional.queue import _below_cadence

    busy, _, below = team(operator, 2)
    section = _below_cadence(coordinator_user, [operator.pk], TODAY.date())

    none_held = sorted(
        f"{e.beneficiary.last_name.upper()} {e.beneficiary.first_names}"
        for e in busy.support_episodes.all()
    )
    assert section.count == 9
    assert [item.label for item in section.items] == none_held[:5]
    assert all("0 entretien tenu ce mois sur 2 exigés" in item.detail for item in section.items)
    assert not {e.pk for e in below} & {int(i.url.split("/")[-4]) for i in section.items}


def cadence_section(page: str) -> str:
    """The cadence section of the coordinator's home (other sections list people too)."""
    start = page.index('id="file-coordination-cadence"')
    return page[start : page.index("</section>", start)]


@pytest.mark.django_db(transaction=True)
def test_the_cadence_section_is_kept_until_the_team_s_facts_change(
    client, coordinator_user, operator, settings
):
    """Counting a team of 2,000 supports costs some 25 ms: the count and the first rows are
    kept (``web.kept``) per coordinator and day, and read again once an interview, a
    support or a person of the team is written (real transactions: the copy moves on when
    the write commits)."""
    settings.TREMPLIN_QUEUE_CACHE_SECONDS = 600
    busy, compliant, below = team(operator, 2)
    client.force_login(coordinator_user)
    first, page = home_queries(client)
    assert "9 accompagnements sous la cadence ce mois" in page
    # The supports with their dates and the month's interviews, and the count of the people
    # the coordinator sees (``registry.counts``): not read again.
    assert home_queries(client)[0] == first - 3

    # P4: a second interview held in March puts a support at 2 of 2; the page records it
    # through the service, whose hook moves the team's copy on.
    referent = below[0].referent
    referent_client = Client()
    referent_client.force_login(referent)
    answer = referent_client.post(
        reverse("professional:interview_create", args=[below[0].pk]),
        {"starts_at": "2025-03-18T10:00", "duration_minutes": 45, "place": "operator"},
    )
    assert answer.status_code == 302
    assert "8 accompagnements sous la cadence ce mois" in home_queries(client)[1]

    # A person renamed: the name shown is the new one.
    person = busy.support_episodes.order_by("beneficiary__last_name").first().beneficiary
    person.last_name = "AAAAB"
    person.save()
    assert "AAAAB" in cadence_section(home_queries(client)[1])


@pytest.mark.django_db(transaction=True)
def test_another_operator_s_write_keeps_the_team_s_copy(
    client, coordinator_user, operator, other_operator, settings
):
    settings.TREMPLIN_QUEUE_CACHE_SECONDS = 600
    team(operator, 2)
    elsewhere = professional_episode(factories.referent(other_operator))
    client.force_login(coordinator_user)
    first, _ = home_queries(client)
    kept_queries, _ = home_queries(client)
    assert kept_queries == first - 3  # the team's two readings, the people count
    support_services.delete_meeting(interview(elsewhere, 2025, 3, 11, 10))
    assert home_queries(client)[0] == kept_queries
    # A person saved anywhere has the people count read again (one generation for all the
    # people, ``registry.counts``); the team's copy stays.
    elsewhere.beneficiary.save()
    assert home_queries(client)[0] == kept_queries + 1


@pytest.mark.django_db(transaction=True)
def test_a_support_moved_to_another_operator_leaves_the_team_s_count_at_once(
    client, coordinator_user, operator, other_operator, settings
):
    settings.TREMPLIN_QUEUE_CACHE_SECONDS = 600
    _, _, below = team(operator, 2)
    client.force_login(coordinator_user)
    assert "9 accompagnements sous la cadence ce mois" in home_queries(client)[1]
    # The person and the support go to another operator's team (saved, as the admin does).
    other = other_operator
    moved = SupportEpisode.objects.get(pk=below[0].pk)
    person = moved.beneficiary
    person.operator = other
    person.save()
    moved.operator = other
    moved.referent = factories.referent(other)
    moved.save()
    assert "8 accompagnements sous la cadence ce mois" in home_queries(client)[1]
