"""bench/outcomes.py's data: ended supports with their exits, as the pages would store them."""

import pytest

from bench.core import BenchContext
from bench.outcomes import ensure_supports
from tests import factories
from tremplin.outcomes.exits import classify_all
from tremplin.outcomes.models import SupportExit
from tremplin.support.models import Deadline, SupportEpisode

pytestmark = pytest.mark.django_db


def test_the_bench_adds_one_ended_support_for_five_people_once(operator, referent_user):
    for _ in range(10):
        factories.BeneficiaryFactory(
            territory=operator.territory, operator=operator, referent=referent_user
        )
    context = BenchContext(runs=1, beneficiaries=10)
    assert ensure_supports(context) == 2
    assert ensure_supports(context) == 2  # reused, not added again
    assert SupportEpisode.objects.filter(ended_on__isnull=False).count() == 2
    stored = {e.episode_id: (e.category, e.errors) for e in SupportExit.objects.all()}
    # The pages' own classification gives the same exits.
    classify_all(only_provisional=False)
    assert {e.episode_id: (e.category, e.errors) for e in SupportExit.objects.all()} == stored
    assert all(category and not errors for category, errors in stored.values())
    # Supports n°0 and n°1 are in-employment ones (three of every five), each with the
    # plan's trial review and month-5 review: 2 x 2 = 4.
    assert Deadline.objects.filter(code__in=["trial_review", "pathway_review_m5"]).count() == 4


def test_the_bench_gives_the_professional_supports_interviews_once(operator, referent_user):
    from bench.outcomes import ensure_interviews
    from tremplin.rules.calendar import to_paris
    from tremplin.support.models import Meeting

    for _ in range(25):
        factories.BeneficiaryFactory(
            territory=operator.territory, operator=operator, referent=referent_user
        )
    ensure_supports(BenchContext(runs=1, beneficiaries=25))
    count = ensure_interviews()
    assert count == Meeting.objects.count() > 0
    assert ensure_interviews() == count  # reused, not added again
    # Supports n°3 and n°4 are the professional ones; every interview lies inside its support.
    for meeting in Meeting.objects.select_related("episode"):
        assert meeting.episode.programme == "professional"
        day = to_paris(meeting.starts_at).date()
        assert meeting.episode.started_on <= day <= meeting.episode.ended_on
