"""The dashboard's monthly facts (tremplin.outcomes.facts): summed, they give the figures the
rows give, for any period and any user the page sums them for; a write through a service
shows at once; the nightly run follows the people who moved; the page's queries stay few."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.outcomes.factories import SituationFactory
from tests.support.factories import InEmploymentEpisodeFactory
from tremplin.outcomes import services as outcomes_services
from tremplin.outcomes.exits import classify_all
from tremplin.outcomes.facts import rebuild_facts, split_period
from tremplin.outcomes.indicators import (
    Period,
    count_exits,
    deliverables_of_period,
    monthly_exit_rates,
    monthly_starts,
)
from tremplin.outcomes.models import MonthlyFact
from tremplin.outcomes.views.indicators import IndicatorPage
from tremplin.rules.outcomes import add_months
from tremplin.support import services as support_services
from tremplin.support.models import SupportEpisode

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:indicators")
YEAR_2025 = {"du": "2025-01-01", "au": "2025-12-31"}
# The cadence: one count over the supports' kept states (they are all written by the services).
# The session is read from the cache (cached_db), not counted.
QUERIES_OF_THE_AGENTS_DASHBOARD = 23
SITUATION_TRAITS = [
    {"cdi": True},
    {"cdd": True},
    {"qualifying_training": True},
    {"kind": "cape"},
    {"kind": "job_search"},
    {"kind": "competitive_exam", "appointment": True},
]


def day(month, day_of_month, year=2025):
    return datetime.date(year, month, day_of_month)


def in_employment(beneficiary, start: datetime.date, ended: bool) -> SupportEpisode:
    end = add_months(start, 6) - datetime.timedelta(days=1)
    return InEmploymentEpisodeFactory(
        beneficiary=beneficiary,
        contract_start=start,
        trial_end=start + datetime.timedelta(days=29),
        contract_end=end,
        ended_on=end if ended else None,
    )


def professional(beneficiary, start: datetime.date, end: datetime.date | None):
    return support_services.save_episode(
        SupportEpisode(
            beneficiary=beneficiary,
            programme="professional",
            operator=beneficiary.operator,
            referent=beneficiary.referent,
            started_on=start,
            ended_on=end,
        )
    )


def random_population(randomness: random.Random, operators, territories, size: int):
    """People of random operators, some living in another territory than their operator's,
    each with a support (either programme, ended or not) and 0 to 3 situations, all written
    through the services, as the pages do."""
    for index in range(size):
        operator = randomness.choice(operators)
        person = factories.BeneficiaryFactory(
            territory=randomness.choice(territories), operator=operator, referent=None
        )
        start = day(1, 6) + datetime.timedelta(days=randomness.randrange(0, 300))
        if index % 2:
            in_employment(person, start, ended=randomness.random() < 0.8)
        else:
            end = start + datetime.timedelta(days=randomness.randrange(20, 250))
            professional(person, start, end if randomness.random() < 0.8 else None)
        for _ in range(randomness.randrange(0, 4)):
            SituationFactory(
                beneficiary=person,
                start=day(1, 1) + datetime.timedelta(days=randomness.randrange(0, 420)),
                **randomness.choice(SITUATION_TRAITS),
            )


def page_for(user, **params) -> IndicatorPage:
    request = RequestFactory().get(URL, params)
    request.user = user
    view = IndicatorPage()
    view.setup(request)
    assert view.filter_form.is_valid(), view.filter_form.errors
    return view


@pytest.fixture
def departement():
    """Two territories, three operators, and the users who read their dashboards."""
    north = factories.TerritoryFactory()
    south = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    operators = [
        factories.OrganisationFactory(territory=north),
        factories.OrganisationFactory(territory=north),
        factories.OrganisationFactory(territory=south),
    ]
    users = {
        "administrateur": factories.admin(operators[0]),
        "agent": factories.department_agent(north),
        "coordinateur": factories.coordinator(operators[1]),
    }
    return operators, [north, south], users


def test_summed_facts_give_the_figures_of_the_rows_for_any_period(departement):
    operators, territories, users = departement
    random_population(random.Random(2026), operators, territories, size=36)
    # Every write went through a service: the facts it touched are already in step.
    assert MonthlyFact.objects.exists()
    assert rebuild_facts(apply=False).changed == 0

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        first=st.dates(datetime.date(2024, 11, 1), datetime.date(2026, 2, 28)),
        days=st.integers(0, 500),
        role=st.sampled_from(sorted(users)),
        programme=st.sampled_from(["", "in_employment", "professional"]),
    )
    def facts_equal_rows(first, days, role, programme):
        last = min(first + datetime.timedelta(days=days), datetime.date(2026, 12, 31))
        view = page_for(users[role], du=first, au=last, programme=programme)
        counts = view.dashboard_counts
        assert counts is not None  # these users' dashboards sum the facts
        period = view.period
        assert counts.exit_counts() == count_exits(view.exits(), period)
        assert counts.month_rates() == monthly_exit_rates(view.exits(), period)
        assert counts.months() == monthly_starts(view.people(), period)
        today = timezone.localdate()
        assert counts.deliverables(view.episodes(), today) == deliverables_of_period(
            view.episodes(), period, today
        )

    facts_equal_rows()


def test_mixed_roles_and_a_chosen_referent_count_the_rows(departement):
    operators, territories, users = departement
    random_population(random.Random(11), operators, territories, size=12)
    # An agent who is also a referent of an operator of the other territory sees that
    # referent's people too, which the facts' keys do not carry: the page counts the rows.
    agent_and_referent = users["agent"]
    factories.MembershipFactory(user=agent_and_referent, organisation=operators[2])
    referent = factories.referent(operators[0])
    cases = [
        (agent_and_referent, {}),
        (users["administrateur"], {"structure": operators[0].pk, "referent": referent.pk}),
    ]
    for user, params in cases:
        view = page_for(user, **YEAR_2025, **params)
        assert view.dashboard_counts is None
        assert view.exit_counts() == count_exits(view.exits(), view.period)


def test_a_period_splits_into_whole_months_and_the_days_at_its_edges():
    whole, partial = split_period(Period(day(1, 15), day(4, 10)))
    assert whole == [day(2, 1), day(3, 1)]
    assert partial == [Period(day(1, 15), day(1, 31)), Period(day(4, 1), day(4, 10))]
    assert split_period(Period(day(2, 1), day(2, 28))) == ([day(2, 1)], [])
    assert split_period(Period(day(2, 3), day(2, 5))) == ([], [Period(day(2, 3), day(2, 5))])


def test_a_write_through_a_service_shows_at_once_on_the_dashboard(
    client, operator, coordinator_user, referent_user
):
    client.force_login(coordinator_user)
    person = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )

    def figures():
        response = client.get(URL, YEAR_2025)
        assert response.status_code == 200
        june = next(month for month in response.context["months"] if month.month == day(6, 1))
        return response.context["exit_counts"]["sorties-professionnel"], june.employment

    assert figures() == (0, 0)
    # A professional support ended on 30 April: one exit measured in 2025.
    episode = professional(person, day(1, 6), None)
    episode.ended_on = day(4, 30)
    support_services.save_episode(episode)
    assert figures() == (1, 0)
    # A CDI started in June: one person started a job in June.
    cdi = SituationFactory(beneficiary=person, cdi=True, start=day(6, 2))
    assert figures() == (1, 1)
    # The CDI moved to July, then removed: June counts nobody again.
    cdi.start = day(7, 1)
    outcomes_services.save_situation(cdi)
    assert figures() == (1, 0)
    outcomes_services.delete_situation(cdi)
    # The support going on again: no exit any more.
    episode.ended_on = None
    support_services.save_episode(episode)
    assert figures() == (0, 0)
    assert rebuild_facts(apply=False).changed == 0


def test_the_nightly_run_follows_a_person_moved_to_another_operator(
    operator, other_operator, referent_user
):
    person = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    SituationFactory(beneficiary=person, cdi=True, start=day(6, 2))
    facts = MonthlyFact.objects.filter(measure="debut-emploi")
    assert list(facts.values_list("operator", "value")) == [(operator.pk, 1)]
    # The person's file moved (the person's form saves the person, nothing else): the facts
    # keep the old operator until the nightly run rebuilds them.
    person.operator = other_operator
    person.save()
    # A CDI is a job and an activity: two facts under the old operator, two under the new.
    assert rebuild_facts(apply=False).changed == 4
    classify_all(only_provisional=True)
    assert list(facts.values_list("operator", "value")) == [(other_operator.pk, 1)]
    assert rebuild_facts(apply=False).changed == 0


def test_the_rebuild_command_is_a_dry_run_unless_applied(operator, referent_user):
    person = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    professional(person, day(1, 6), day(4, 30))
    MonthlyFact.objects.all().delete()  # as after rows written in bulk
    call_command("rebuild_facts", stdout=(out := _Text()))
    assert "1 chiffre mensuel différent des lignes (à blanc" in out.text
    assert not MonthlyFact.objects.exists()
    call_command("rebuild_facts", "--apply", stdout=(out := _Text()))
    assert "1 chiffre mensuel enregistré" in out.text
    assert MonthlyFact.objects.get().value == 1


class _Text:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text


def test_the_agents_dashboard_sums_facts_in_a_constant_number_of_queries(
    client, territory, operator, agent_user
):
    client.force_login(agent_user)
    randomness = random.Random(7)
    counts = []
    for size in (4, 24):
        random_population(randomness, [operator], [territory], size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, YEAR_2025)
        assert response.status_code == 200
        # A year of whole months: the exits are summed from the facts, not read row by row.
        assert not [q for q in queries if 'FROM "outcomes_supportexit"' in q["sql"]]
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_agents_dashboard_makes_a_known_number_of_queries(
    client, territory, operator, agent_user, django_assert_num_queries
):
    """The page's queries, counted once warm (session, user): a fixed number whatever the
    population, each part in one or two queries (the exits summed from the facts, the
    deadlines, the cadence's supports and interviews, the skills, the funnel, the
    navigation's counters)."""
    client.force_login(agent_user)
    random_population(random.Random(11), [operator], [territory], 12)
    client.get(URL, YEAR_2025)
    with django_assert_num_queries(QUERIES_OF_THE_AGENTS_DASHBOARD):
        response = client.get(URL, YEAR_2025)
    assert response.status_code == 200
    assert response.context["cadence"]["supports"] > 0


def test_deliverables_sent_through_the_services_show_at_once_on_the_dashboard(
    client, operator, coordinator_user, referent_user
):
    """The deliverables on time (A12) are summed from the monthly facts: a plan written, a
    deliverable sent, the support moved to another programme's operator — each through a
    service — and the facts are already in step with the rows."""
    client.force_login(coordinator_user)
    person = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )

    def deliverables():
        response = client.get(URL, YEAR_2025)
        assert response.status_code == 200
        row = next(r for r in response.context["follow_up"] if r.count.code.startswith("livr"))
        return row.due, row.on_time

    assert deliverables() == (0, 0)
    # A CUI from 2 June 2025 (6 months): its plan's deliverables are all due by now.
    episode = in_employment(person, day(6, 2), ended=True)
    due = episode.deadlines.exclude(state="dropped").exclude(code="rupture_notice").count()
    assert due > 0 and deliverables() == (due, 0)
    # The end-of-trial review sent on its due day: on time (A11, A12).
    review = episode.deadlines.get(code="trial_review")
    items = {"difficulties_met": "Aucune", "answers_built": "Tutorat renforcé"}
    items |= {"training_needs": "CACES", "professional_behaviour": "Ponctuel"}
    support_services.save_and_send_deliverable(
        review, items, sent_to="Cellule contrats aidés", sent_at=review.due_on, user=referent_user
    )
    assert deliverables() == (due, 1)
    assert rebuild_facts(apply=False).changed == 0


def test_a_support_moved_to_another_operator_moves_its_deliverables_facts(
    operator, other_operator, referent_user
):
    """The deliverables' facts are keyed by the support's operator: a support moved to
    another operator through the service counts there at once, in every month its
    deliverables are due, not only the month it ended in (no stale key until the nightly
    rebuild)."""
    person = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    episode = in_employment(person, day(6, 2), ended=True)
    keys = set(MonthlyFact.objects.values_list("operator_id", flat=True))
    assert keys == {operator.pk}
    episode = SupportEpisode.objects.get(pk=episode.pk)
    episode.operator = other_operator
    support_services.save_episode(episode)
    assert set(MonthlyFact.objects.values_list("operator_id", flat=True)) == {other_operator.pk}
    assert rebuild_facts(apply=False).changed == 0
