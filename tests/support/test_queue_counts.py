"""The referent's badge off the home page: ``waiting_now_count`` counts in the database what
the queue lists (``referent_queue(...).waiting_now``: due today and late), without loading a
row — the same number on hand-built and random portfolios, at a fixed number of queries."""

import datetime as dt
import random

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.professional.factories import interview, professional_episode
from tests.support.factories import MeetingFactory, episode_for, paris
from tremplin.accounts.models import User
from tremplin.support.models import Deadline, Meeting, SupportEpisode
from tremplin.support.queue import referent_queue, waiting_now_count
from tremplin.web import queues

pytestmark = pytest.mark.django_db

NOW = paris(2025, 3, 20, 8, 0)  # a Thursday, 8:00 in Paris


def fresh(user) -> User:
    """The user as a new request sees them: no queue kept on the object."""
    return User.objects.get(pk=user.pk)


def queue_count(user) -> int:
    return referent_queue(fresh(user)).waiting_now


def deadline(episode, code, due_on, due_at=None, state=Deadline.State.TO_DO):
    sent = state == Deadline.State.SENT
    return Deadline.objects.create(
        episode=episode, code=code, label=code, rule="A11", due_on=due_on, due_at=due_at,
        state=state, sent_to="France Travail" if sent else "", sent_at=due_on if sent else None,
    )  # fmt: skip


def meeting(episode, *moment, status=Meeting.Status.PLANNED):
    return closable(MeetingFactory.build(episode=episode, starts_at=paris(*moment), status=status))


def closable(meeting):
    """Saved with what its status requires (F8): a reason, a replacement (held, far away)."""
    meeting.status_reason = "Empêchement"
    if meeting.status == Meeting.Status.RESCHEDULED:
        meeting.replaced_by = MeetingFactory(
            episode=meeting.episode, starts_at=meeting.starts_at + dt.timedelta(days=200)
        )
    meeting.save()
    return meeting


@pytest.fixture
def hand_built(referent_user):
    """One support of each kind; the plan's own deadlines removed, so that only these count."""
    mine = episode_for(referent_user, contract_start=dt.date(2025, 1, 6))
    professional = professional_episode(referent_user, start=dt.date(2025, 1, 6))
    other = episode_for(factories.referent(), contract_start=dt.date(2025, 1, 6))
    ended = episode_for(referent_user, contract_start=dt.date(2025, 1, 6))
    SupportEpisode.objects.filter(pk=ended.pk).update(ended_on=dt.date(2025, 3, 1))
    Deadline.objects.all().delete()
    march_20, march_19, march_21 = dt.date(2025, 3, 20), dt.date(2025, 3, 19), dt.date(2025, 3, 21)
    # Deadlines (now: 20 March, 8:00).
    deadline(mine, "today", march_20)  # 1: due today
    deadline(mine, "today-9h", march_20, paris(2025, 3, 20, 9, 0))  # 2: due today at 9:00
    deadline(mine, "today-7h", march_20, paris(2025, 3, 20, 7, 0))  # 3: late since 7:00
    deadline(professional, "yesterday", march_19)  # 4: late
    deadline(mine, "draft", dt.date(2025, 2, 1), state=Deadline.State.DRAFT)  # 5: late
    deadline(mine, "sent", march_19, state=Deadline.State.SENT)  # no: sent
    deadline(mine, "dropped", march_19, state=Deadline.State.DROPPED)  # no: without object
    deadline(mine, "tomorrow", march_21)  # no: this week, not today
    deadline(mine, "tomorrow-0h30", march_21, paris(2025, 3, 21, 0, 30))  # no
    deadline(other, "other", march_19)  # no: another referent's person
    deadline(ended, "ended", march_19)  # no: the support is over
    # Meetings.
    meeting(mine, 2025, 3, 20, 10, 0)  # 6: today, to come
    meeting(mine, 2025, 3, 20, 0, 0)  # 7: today, its first minute
    meeting(mine, 2025, 3, 20, 23, 30, status=Meeting.Status.HELD)  # 8: today (any status)
    meeting(mine, 2025, 3, 20, 11, 0, status=Meeting.Status.CANCELLED)  # no: cancelled
    meeting(mine, 2025, 3, 20, 12, 0, status=Meeting.Status.RESCHEDULED)  # no: rescheduled
    interview(professional, 2025, 3, 19, 23, 30, status=Meeting.Status.PLANNED)  # 9: to report
    meeting(mine, 2025, 1, 19, 0, 0)  # 10: 60 days ago at midnight, status to give
    meeting(mine, 2025, 1, 18, 23, 59)  # no: older than 60 days
    meeting(mine, 2025, 3, 19, 10, 0, status=Meeting.Status.HELD)  # no: status given
    meeting(mine, 2025, 3, 19, 10, 0, status=Meeting.Status.NO_SHOW)  # no: status given
    meeting(mine, 2025, 3, 21, 0, 0)  # no: tomorrow
    meeting(other, 2025, 3, 20, 10, 0)  # no: another referent's person
    meeting(ended, 2025, 3, 20, 10, 0)  # no: the support is over
    return referent_user


def test_the_hand_built_portfolio_counts_10(hand_built):
    with time_machine.travel(NOW, tick=False):
        assert waiting_now_count(fresh(hand_built)) == 10
        assert queue_count(hand_built) == 10


def test_the_hour_of_a_deadline_and_the_day_of_a_meeting_decide(hand_built):
    # At 9:30, the deadline due today at 9:00 is late instead of due today: still 10.
    with time_machine.travel(paris(2025, 3, 20, 9, 30), tick=False):
        assert waiting_now_count(fresh(hand_built)) == queue_count(hand_built) == 10
    # On the 21st at 0:15: due today, « tomorrow » and « tomorrow-0h30 » (2); late, the 5
    # deadlines of the 19th–20th and February; the meetings of the 20th, begun and planned
    # (6 and 7; 8 is held), the interview of the 19th, the one of 60 days before the 20th
    # now 61 days before (no), the one at 0:00 on the 21st (today): 2 + 5 + 2 + 1 + 1 = 11.
    with time_machine.travel(paris(2025, 3, 21, 0, 15), tick=False):
        assert waiting_now_count(fresh(hand_built)) == queue_count(hand_built) == 11


def test_random_portfolios_give_the_queue_s_count(referent_user):
    rng = random.Random(20251203)
    other = factories.referent()
    states = [Deadline.State.TO_DO, Deadline.State.DRAFT, Deadline.State.SENT]
    statuses = list(Meeting.Status)
    episodes = []
    for _ in range(8):
        follower = referent_user if rng.random() < 0.8 else other
        if rng.random() < 0.5:
            episode = episode_for(follower, contract_start=dt.date(2025, 1, 6))
        else:
            episode = professional_episode(follower, start=dt.date(2025, 1, 6))
        if rng.random() < 0.1:
            SupportEpisode.objects.filter(pk=episode.pk).update(ended_on=dt.date(2025, 3, 1))
        episodes.append(episode)
    for number in range(120):
        episode = rng.choice(episodes)
        day = NOW.date() + dt.timedelta(days=rng.randrange(-70, 70))
        moment = paris(day.year, day.month, day.day, rng.choice((0, 7, 8, 9, 23)), 30)
        if rng.random() < 0.5:
            due_at = moment if rng.random() < 0.4 else None
            deadline(episode, f"d{number}", day, due_at, rng.choice(states))
        else:
            status = rng.choice(statuses)
            closable(MeetingFactory.build(episode=episode, starts_at=moment, status=status))
    checked = set()
    for hours in range(-30 * 24, 30 * 24, 37):
        with time_machine.travel(NOW + dt.timedelta(hours=hours), tick=False):
            count = queue_count(referent_user)
            assert waiting_now_count(fresh(referent_user)) == count, hours
            checked.add(count)
    assert len(checked) > 3  # the moments told the cases apart


def test_the_count_costs_3_queries_whatever_the_portfolio(referent_user):
    with time_machine.travel(NOW, tick=False):
        for size in (2, 10):
            for _ in range(size):
                episode = episode_for(referent_user, contract_start=dt.date(2025, 3, 3))
                meeting(episode, 2025, 3, 20, 10, 0)
            user = fresh(referent_user)
            queues.work_count(user)  # the scope
            with CaptureQueriesContext(connection) as queries:
                count = queues.work_count(user)
            assert len(queries) == 3  # the supports followed, 2 counts
            assert not hasattr(user, "_tremplin_referent_queue")
        assert count == 12


def test_a_page_other_than_the_home_counts_without_loading_rows(client, referent_user):
    """The people's list: the same queries for 2 and 12 supports, none reading a meeting or a
    deadline row; the badge shows the queue's count."""
    with time_machine.travel(NOW, tick=False):
        client.force_login(referent_user)
        client.get(reverse("registry:beneficiary_list"))  # warm the session
        sizes = []
        for size in (2, 10):
            for _ in range(size):
                episode = episode_for(referent_user, contract_start=dt.date(2025, 3, 3))
                meeting(episode, 2025, 3, 20, 10, 0)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("registry:beneficiary_list"))
            assert response.status_code == 200
            sizes.append(len(queries))
            sql = [query["sql"] for query in queries]
            assert not [q for q in sql if 'FROM "support_meeting"' in q and "COUNT(" not in q]
            assert not [q for q in sql if 'FROM "support_deadline"' in q and "COUNT(" not in q]
        assert sizes[0] == sizes[1]
        expected = queue_count(referent_user)
        assert f'Accueil <span class="badge rounded-pill text-bg-warning">{expected}<' in (
            response.content.decode()
        )


def test_the_home_reads_the_badge_from_its_queue(client, referent_user):
    with time_machine.travel(NOW, tick=False):
        episode = episode_for(referent_user, contract_start=dt.date(2025, 3, 3))
        meeting(episode, 2025, 3, 20, 10, 0)
        client.force_login(referent_user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "support_" in q["sql"]]
        assert not [q for q in counts if 'FROM "support_meeting"' in q]
        expected = queue_count(referent_user)
        assert expected > 0
        assert f'Accueil <span class="badge rounded-pill text-bg-warning">{expected}<' in (
            response.content.decode()
        )
