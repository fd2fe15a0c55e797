"""Skills progression per operator and area (P10), computed by the database."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.progress.factories import evaluate, professional_episode_for
from tremplin.progress.indicators import skills_progression
from tremplin.progress.models import Evaluation
from tremplin.rules import work_areas
from tremplin.support.models import SupportEpisode

pytestmark = pytest.mark.django_db

JAN, MAR, MAY = dt.date(2025, 1, 6), dt.date(2025, 3, 3), dt.date(2025, 5, 5)


def rows_by_area(rows, operator_id):
    return {row["area"]: row for row in rows if row["operator_id"] == operator_id}


def test_share_of_people_whose_area_mean_rose(referent_user, operator, other_operator):
    # Three people of the operator, all scored on soft skills:
    #  - A: 2 then (intermediate 1) then 3 -> first 2, latest 3: rose;
    #  - B: 3 then 3: did not rise;
    #  - C: one evaluation only: not counted.
    a = professional_episode_for(referent_user)
    evaluate(a, JAN, {"soft_punctuality": 2, "mobility_search_area": 3})
    evaluate(a, MAR, {"soft_punctuality": 1})
    evaluate(a, MAY, {"soft_punctuality": 3, "mobility_search_area": 2})
    b = professional_episode_for(referent_user)
    evaluate(b, JAN, {"soft_punctuality": 3, "soft_motivation": 2})
    evaluate(b, MAY, {"soft_punctuality": 2, "soft_motivation": 3})  # mean 2.5 -> 2.5
    c = professional_episode_for(referent_user)
    evaluate(c, JAN, {"soft_punctuality": 1})
    # Another operator: D rose on soft skills.
    d = professional_episode_for(factories.referent(other_operator))
    evaluate(d, JAN, {"soft_motivation": 1})
    evaluate(d, MAR, {"soft_motivation": 4})

    rows = skills_progression(SupportEpisode.objects.all())

    mine = rows_by_area(rows, operator.pk)
    # soft skills: A and B have two evaluations scoring it, A rose -> 1 / 2 = 50.0 %.
    assert (mine["soft_skills"]["people"], mine["soft_skills"]["rose"]) == (2, 1)
    assert mine["soft_skills"]["share"] == Decimal("50.0")
    # mobility: A only, 3 -> 2, fell -> 0 / 1 = 0.0 %.
    assert (mine["mobility"]["people"], mine["mobility"]["rose"]) == (1, 0)
    assert mine["mobility"]["share"] == Decimal("0.0")
    # project: nobody scored it -> no share.
    assert mine["project"]["people"] == 0 and mine["project"]["share"] is None
    other = rows_by_area(rows, other_operator.pk)
    assert other["soft_skills"]["share"] == Decimal("100.0")
    assert len(mine) == 6


def test_one_query_and_the_queryset_restricts(referent_user, django_assert_num_queries):
    a = professional_episode_for(referent_user)
    evaluate(a, JAN, {"soft_punctuality": 2})
    evaluate(a, MAY, {"soft_punctuality": 4})
    with django_assert_num_queries(1):
        rows = skills_progression(SupportEpisode.objects.filter(pk=a.pk))
    assert [r["rose"] for r in rows if r["area"] == "soft_skills"] == [1]
    assert skills_progression(SupportEpisode.objects.exclude(pk=a.pk)) == []


ITEMS = ["soft_punctuality", "soft_motivation", "mobility_search_area", "project_known_job"]
SCORES = st.dictionaries(st.sampled_from(ITEMS), st.integers(1, 4), min_size=1)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(SCORES, min_size=1, max_size=3), min_size=1, max_size=4))
def test_the_database_agrees_with_the_rules(referent_user, people):
    """Whatever the scores, the SQL counts equal the pure rules' ``area_means`` and ``rose``
    applied to each person's first and latest evaluation (P10)."""
    Evaluation.objects.all().delete()
    SupportEpisode.objects.filter(programme="professional").delete()
    expected_people: dict[str, int] = {}
    expected_rose: dict[str, int] = {}
    for evaluations in people:
        episode = professional_episode_for(referent_user)
        days = [JAN + dt.timedelta(days=30 * i) for i in range(len(evaluations))]
        for day, scores in zip(days, evaluations, strict=True):
            evaluate(episode, day, scores)
        if len(evaluations) < 2:
            continue
        first = work_areas.area_means(evaluations[0], JAN)
        latest = work_areas.area_means(evaluations[-1], JAN)
        for area, rose in work_areas.rose(first, latest).items():
            if rose is not None:
                expected_people[area] = expected_people.get(area, 0) + 1
                expected_rose[area] = expected_rose.get(area, 0) + int(rose)
    rows = skills_progression(SupportEpisode.objects.all())
    got_people = {r["area"]: r["people"] for r in rows if r["people"]}
    got_rose = {r["area"]: r["rose"] for r in rows if r["people"]}
    assert got_people == expected_people
    assert got_rose == {area: expected_rose[area] for area in expected_people}
