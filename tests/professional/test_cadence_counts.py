"""``compliance_counts``: the dashboard's two cadence numbers (P4) without a report per
support, always equal to counting ``cadences()``' reports — checked over hand-built supports
(each a case of the rule) and seeded random ones, on several days — in two queries whatever
the number of supports. The same for ``below_cadence_now``, the coordinator's count."""

import datetime as dt
import random

import pytest

from tests.professional.factories import interview, professional_episode
from tests.support.factories import paris
from tremplin.professional.cadence import (
    below_cadence_now,
    cadences,
    compliance_counts,
)
from tremplin.professional.models import Cer
from tremplin.support.models import Meeting, SupportEpisode

pytestmark = pytest.mark.django_db

DAYS = [
    dt.date(2025, 1, 10),  # before every support: nothing counted
    dt.date(2025, 2, 1),
    dt.date(2025, 3, 15),
    dt.date(2025, 4, 30),
    dt.date(2025, 5, 1),
    dt.date(2025, 7, 14),
    dt.date(2025, 7, 15),
    dt.date(2025, 12, 31),
    dt.date(2026, 6, 1),
]


def below_cadence_count(queryset, today) -> int:
    """How many supports ``below_cadence_now`` finds below the cadence this month."""
    return len(below_cadence_now(queryset, today))


def old_counts(queryset, today):
    """What the dashboard computed before: one report per support, then a count."""
    reports = cadences(queryset, today)
    return len(reports), sum(1 for row in reports if row.report.compliant)


def old_below(queryset, today):
    """What the badge computed before: the coordinator's queue, one report per support."""
    return len(reports_below(queryset, today))


def reports_below(queryset, today) -> dict[int, tuple[int, int]]:
    """The supports below the cadence this month by their whole reports (``cadences``)."""
    return {
        row.episode_id: (row.current.done, row.current.required)
        for row in cadences(queryset, today)
        if row.current is not None and row.current.done < row.current.required
    }


def new_counts(queryset, today):
    counts = compliance_counts(queryset, today)
    return counts.supports, counts.compliant


def twice_a_month(episode, months, year=2025, days=(3, 17)):
    for month in months:
        for day in days:
            interview(episode, year, month, day, 10)


def meeting(episode, moment, kind):
    return Meeting.objects.create(
        episode=episode,
        starts_at=moment,
        duration_minutes=45,
        place="operator",
        kind=kind,
        status=Meeting.Status.HELD,
    )


@pytest.fixture
def supports(referent_user):
    """One support per case of the rule (P4); the comment says what decides it."""
    # Compliant: starts mid-January (partial month: 1 interview), 2 a month after, CER to
    # 14/07 (partial last month: 1).
    compliant = professional_episode(referent_user, start=dt.date(2025, 1, 15))
    interview(compliant, 2025, 1, 20, 9)
    twice_a_month(compliant, range(2, 7))
    interview(compliant, 2025, 7, 1, 9)

    # Below cadence from April: only one interview then.
    below = professional_episode(referent_user, start=dt.date(2025, 1, 15))
    interview(below, 2025, 1, 20, 9)
    twice_a_month(below, (2, 3, 5, 6))
    interview(below, 2025, 4, 3, 9)

    # Starts on the 1st: March is a full month and needs 2; one only.
    full_first = professional_episode(referent_user, start=dt.date(2025, 3, 1))
    interview(full_first, 2025, 3, 5, 9)
    twice_a_month(full_first, range(4, 9))

    # Mid-month start with an interview before the start (same month): it does not count.
    before_start = professional_episode(referent_user, start=dt.date(2025, 2, 10))
    meeting(before_start, paris(2025, 2, 5, 10), Meeting.Kind.INDIVIDUAL)
    twice_a_month(before_start, range(3, 8))

    # The Paris day decides: 00:30 on 1 March in Paris is still 28 February in UTC.
    paris_day = professional_episode(referent_user, start=dt.date(2025, 2, 20))
    interview(paris_day, 2025, 3, 1, 0, 30)
    interview(paris_day, 2025, 3, 20, 10)
    twice_a_month(paris_day, range(4, 9))
    paris_day_too = professional_episode(referent_user, start=dt.date(2025, 2, 20))
    interview(paris_day_too, 2025, 2, 28, 23, 30)  # February in Paris and in UTC
    twice_a_month(paris_day_too, range(3, 9))

    # Ended before its CER's end (partial last month, 1 needed); interviews after the end,
    # and other kinds of meetings, do not count.
    ended = professional_episode(referent_user, start=dt.date(2025, 1, 15))
    interview(ended, 2025, 1, 16, 9)
    twice_a_month(ended, (2, 3))
    interview(ended, 2025, 5, 2, 9)  # after the end
    meeting(ended, paris(2025, 4, 10, 10), Meeting.Kind.TRIPARTITE)
    SupportEpisode.objects.filter(pk=ended.pk).update(ended_on=dt.date(2025, 4, 20))
    ended_ok = professional_episode(referent_user, start=dt.date(2025, 1, 15))
    interview(ended_ok, 2025, 1, 16, 9)
    twice_a_month(ended_ok, (2, 3))
    interview(ended_ok, 2025, 4, 20, 18)
    SupportEpisode.objects.filter(pk=ended_ok.pk).update(ended_on=dt.date(2025, 4, 20))

    # Closed after its CER's end: the CER's end is the last day (interviews after it are out).
    late_close = professional_episode(referent_user, start=dt.date(2025, 1, 1))
    twice_a_month(late_close, range(1, 7))
    interview(late_close, 2025, 7, 20, 9)
    SupportEpisode.objects.filter(pk=late_close.pk).update(ended_on=dt.date(2025, 8, 31))

    # No CER, closed: its end is the closing day. No CER, open: no report at all.
    no_cer_closed = professional_episode(referent_user, start=dt.date(2025, 2, 1))
    Cer.objects.filter(episode=no_cer_closed).delete()
    twice_a_month(no_cer_closed, (2, 3))
    SupportEpisode.objects.filter(pk=no_cer_closed.pk).update(ended_on=dt.date(2025, 3, 31))
    no_cer_open = professional_episode(referent_user, start=dt.date(2025, 2, 1))
    Cer.objects.filter(episode=no_cer_open).delete()

    # Intensive months (a new entrant: 3 first months, and one lifted barriers late): the
    # cadence is judged per month the same way.
    intensive = professional_episode(referent_user, start=dt.date(2025, 4, 7), cers=2)
    assert intensive.professional.new_entrant
    interview(intensive, 2025, 4, 8, 9)
    twice_a_month(intensive, range(5, 13))
    twice_a_month(intensive, range(1, 6), year=2026)
    long_pathway = professional_episode(referent_user, start=dt.date(2025, 4, 7))
    long_pathway.professional.new_entrant = False
    long_pathway.professional.pathway_start = dt.date(2020, 1, 1)
    long_pathway.professional.barriers_lifted_on = dt.date(2025, 5, 15)
    long_pathway.professional.save()
    interview(long_pathway, 2025, 4, 8, 9)
    twice_a_month(long_pathway, range(5, 10))

    # Starts in the future of some days of DAYS (no report before it begins).
    later = professional_episode(referent_user, start=dt.date(2025, 6, 16))
    twice_a_month(later, range(7, 12), days=(1, 2))
    return SupportEpisode.objects.filter(programme="professional")


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_counts_are_those_of_the_reports(supports, today):
    assert new_counts(supports, today) == old_counts(supports, today)
    assert below_cadence_count(supports, today) == old_below(supports, today)
    # The queue's list: the same supports, with the same interviews held and required.
    assert below_cadence_now(supports, today) == reports_below(supports, today)
    # The fields asked for come after the two numbers, read with them.
    names = dict(supports.values_list("pk", "beneficiary__last_name"))
    assert below_cadence_now(supports, today, also=("beneficiary__last_name",)) == {
        pk: (*numbers, names[pk]) for pk, numbers in reports_below(supports, today).items()
    }


def test_the_below_cadence_cases_are_told_apart(supports):
    march_15 = dt.date(2025, 3, 15)
    below = below_cadence_count(supports, march_15)
    assert 0 < below < supports.count()
    # « full_first »: 1 interview of the 2 a full March requires.
    assert below_cadence_count(supports.filter(started_on=dt.date(2025, 3, 1)), march_15) == 1
    # The Paris day decides: on 28 February (a partial month from the 20th: 1 required),
    # « paris_day »'s interview at 00:30 on 1 March in Paris (still 28 February in UTC) does
    # not count, « paris_day_too »'s at 23:30 on 28 February does.
    paris_day, paris_day_too = supports.filter(started_on=dt.date(2025, 2, 20)).order_by("pk")
    february_28 = dt.date(2025, 2, 28)
    assert below_cadence_count(supports.filter(pk=paris_day.pk), february_28) == 1
    assert below_cadence_count(supports.filter(pk=paris_day_too.pk), february_28) == 0


def test_the_cases_are_told_apart(supports):
    # The fixture decides something: on 31/12/2025 some supports are compliant, some not.
    supports_count, compliant = new_counts(supports, dt.date(2025, 12, 31))
    assert 0 < compliant < supports_count
    # A filtered queryset is counted as such.
    one = supports.filter(started_on=dt.date(2025, 3, 1))
    assert new_counts(one, dt.date(2025, 12, 31)) == (1, 0)


def test_seeded_random_supports_give_the_same_counts(referent_user):
    rng = random.Random(20251123)
    for _ in range(25):
        start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 200))
        episode = professional_episode(referent_user, start=start, cers=rng.choice((1, 1, 2)))
        day = start - dt.timedelta(days=10)
        while day < start + dt.timedelta(days=400):
            if rng.random() < 0.14:
                interview(episode, day.year, day.month, day.day, rng.choice((0, 9, 23)), 30)
            day += dt.timedelta(days=1)
        roll = rng.random()
        if roll < 0.3:
            ended_on = start + dt.timedelta(days=rng.randrange(20, 300))
            SupportEpisode.objects.filter(pk=episode.pk).update(ended_on=ended_on)
        elif roll < 0.4:
            Cer.objects.filter(episode=episode).delete()
    supports = SupportEpisode.objects.filter(programme="professional")
    for today in DAYS + [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(0, 500, 37)]:
        assert new_counts(supports, today) == old_counts(supports, today), today
        assert below_cadence_count(supports, today) == old_below(supports, today), today
        assert below_cadence_now(supports, today) == reports_below(supports, today), today


def test_two_queries_whatever_the_number_of_supports(referent_user, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            episode = professional_episode(referent_user, start=dt.date(2025, 1, 15))
            twice_a_month(episode, range(2, 7))

    today = dt.date(2025, 12, 31)
    add(1)
    with django_assert_num_queries(2):
        small = compliance_counts(SupportEpisode.objects.all(), today)
    add(6)
    with django_assert_num_queries(2):
        large = compliance_counts(SupportEpisode.objects.all(), today)
    assert (small.supports, large.supports) == (1, 7)
    with django_assert_num_queries(2):
        assert below_cadence_count(SupportEpisode.objects.all(), dt.date(2025, 3, 20)) == 0
    add(1)
    with django_assert_num_queries(2):
        assert below_cadence_count(SupportEpisode.objects.all(), dt.date(2025, 3, 20)) == 0
