"""API reads of the records about a person are in the audit log too (issue 12, point 5;
decision « Edit forms and API reads are views in the audit log »): conventions and their
amendments, suspensions, rupture and aid; an episode's plan, deadlines and suspensions; the
professional support's CERs, interviews and contacts; the evaluations and barriers; the
immersions and the people an offer matches; the tutors. Every record given is a view with
the token's user and the source "api"; a list under a convention or an episode records its
parent too, in the same statement; the number of queries does not grow with the records."""

import datetime as dt

import pytest

from tests import factories
from tests.api.test_read_audit import assert_viewed_by, queries_of, views
from tests.companies.factories import ImmersionFactory, JobOfferFactory, JobSearchProfileFactory
from tests.conventions.factories import (
    AmendmentFactory,
    ConventionFactory,
    RuptureFactory,
    SuspensionFactory,
)
from tests.professional.factories import contact, interview, professional_episode
from tests.progress.factories import BarrierActionFactory, BarrierFactory, evaluate
from tests.support.factories import episode_for
from tremplin.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db


def person_of(user, operator):
    return factories.BeneficiaryFactory(
        territory=operator.territory,
        operator=operator,
        referent=user,
        birth_date=dt.date(1990, 6, 1),  # no age derogation (C5, E4)
    )


def conventions_of(user, operator, count: int) -> list:
    return [
        ConventionFactory(
            territory=operator.territory, beneficiary=person_of(user, operator), signed=True
        )
        for _ in range(count)
    ]


# --- Conventions ----------------------------------------------------------------------------


def test_listing_conventions_records_each_one_given_in_constant_queries(
    api_as, referent_user, operator
):
    client = api_as(referent_user)
    first = conventions_of(referent_user, operator, 2)
    ConventionFactory(territory=operator.territory, signed=True)  # someone else's: not read
    two = queries_of(lambda: client.get("/api/v1/conventions"))
    assert_viewed_by(referent_user, "conventions.convention", first)
    assert {e.path for e in views("conventions.convention")} == {"/api/v1/conventions"}
    conventions_of(referent_user, operator, 4)
    six = queries_of(lambda: client.get("/api/v1/conventions"))
    assert six == two
    assert len(views("conventions.convention")) == 2 + 6


def test_only_the_page_of_conventions_given_is_recorded(api_as, referent_user, operator):
    conventions_of(referent_user, operator, 3)
    response = api_as(referent_user).get("/api/v1/conventions", {"page_size": 2, "page": 2})
    assert len(response.json()["results"]) == 1
    assert len(views("conventions.convention")) == 1


def test_a_conventions_events_and_aid_are_recorded_with_the_convention(
    api_as, referent_user, operator
):
    (convention,) = conventions_of(referent_user, operator, 1)
    amendments = [
        AmendmentFactory(
            convention=convention,
            modification_number=number,
            effective_from=dt.date(2025, 5 + number, 1),
        )
        for number in (1, 2)
    ]
    suspensions = [
        SuspensionFactory(
            convention=convention,
            start=dt.date(2025, 5, day),
            end=dt.date(2025, 5, day + 2),
            employer_report_date=dt.date(2025, 5, day + 1),
        )
        for day in (1, 12)
    ]
    rupture = RuptureFactory(convention=convention, last_day=dt.date(2025, 7, 31))
    client = api_as(referent_user)
    for suffix in ("amendments", "suspensions", "rupture", "schedule"):
        response = client.get(f"/api/v1/conventions/{convention.pk}/{suffix}")
        assert response.status_code == 200, response.json()
    assert_viewed_by(referent_user, "conventions.amendment", amendments)
    assert_viewed_by(referent_user, "conventions.suspension", suspensions)
    assert_viewed_by(referent_user, "conventions.rupture", [rupture])
    # The convention once per read: its row says whose amendments and suspensions they were.
    assert_viewed_by(referent_user, "conventions.convention", [convention] * 4)


def test_a_conventions_amendments_cost_the_same_queries_for_more(api_as, referent_user, operator):
    client = api_as(referent_user)
    few, many = conventions_of(referent_user, operator, 2)
    for number in (1, 2):
        AmendmentFactory(convention=few, modification_number=number)
    for number in range(1, 7):
        AmendmentFactory(convention=many, modification_number=number)
    two = queries_of(lambda: client.get(f"/api/v1/conventions/{few.pk}/amendments"))
    six = queries_of(lambda: client.get(f"/api/v1/conventions/{many.pk}/amendments"))
    assert six == two
    assert len(views("conventions.amendment")) == 2 + 6


def test_a_convention_outside_the_scope_records_nothing(api_as, referent_user, operator):
    other = ConventionFactory(territory=operator.territory, signed=True)
    SuspensionFactory(convention=other)
    client = api_as(referent_user)
    for suffix in ("", "/amendments", "/suspensions", "/schedule"):
        assert client.get(f"/api/v1/conventions/{other.pk}{suffix}").status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


# --- In-employment support: plan, deadlines, suspensions, meetings ----------------------------


def test_an_episodes_plan_deadlines_and_suspensions_are_recorded(api_as, referent_user, operator):
    episode = episode_for(referent_user)
    convention = ConventionFactory(
        territory=operator.territory, beneficiary=episode.beneficiary, signed=True
    )
    type(episode).objects.filter(pk=episode.pk).update(convention=convention)
    suspension = SuspensionFactory(convention=convention)
    client = api_as(referent_user)
    for what in ("plan", "deadlines", "suspensions", "meetings"):
        assert client.get(f"/api/v1/episodes/{episode.pk}/{what}").status_code == 200
    assert_viewed_by(referent_user, "support.deadline", list(episode.deadlines.all()))
    assert episode.deadlines.count() > 2
    assert_viewed_by(referent_user, "conventions.suspension", [suspension])
    assert_viewed_by(referent_user, "support.supportepisode", [episode] * 4)
    assert {e.object_repr for e in views("support.supportepisode")} == {str(episode)}


def test_an_episodes_deadlines_cost_the_same_queries_as_another_with_fewer(api_as, referent_user):
    client = api_as(referent_user)
    few, many = episode_for(referent_user), episode_for(referent_user)
    keep = list(few.deadlines.values_list("pk", flat=True)[:2])
    few.deadlines.exclude(pk__in=keep).delete()
    assert many.deadlines.count() >= 6
    two = queries_of(lambda: client.get(f"/api/v1/episodes/{few.pk}/deadlines"))
    more = queries_of(lambda: client.get(f"/api/v1/episodes/{many.pk}/deadlines"))
    assert more == two
    assert len(views("support.deadline")) == 2 + many.deadlines.count()


# --- Professional support and progress -------------------------------------------------------


def with_records(what: str, episode, count: int) -> list:
    """``count`` records of the kind ``what`` lists on ``episode``."""
    if what == "interviews":
        return [interview(episode, 2025, 2, day, 10, 0) for day in range(3, 3 + count)]
    if what == "contacts":
        return [contact(episode, dt.date(2025, 2, day)) for day in range(3, 3 + count)]
    if what == "evaluations":
        return [
            evaluate(episode, dt.date(2025, 2, day), {"soft_motivation": 2, "soft_punctuality": 3})
            for day in range(3, 3 + count)
        ]
    barriers = [BarrierFactory(episode=episode) for _ in range(count)]
    for barrier in barriers:
        BarrierActionFactory(barrier=barrier)
    return barriers


OBJECT_TYPES = {
    "interviews": "support.meeting",
    "contacts": "professional.contact",
    "evaluations": "progress.evaluation",
    "barriers": "progress.barrier",
}


@pytest.mark.parametrize("what", sorted(OBJECT_TYPES))
def test_an_episodes_records_are_recorded_in_constant_queries(api_as, referent_user, what):
    client = api_as(referent_user)
    few, many = professional_episode(referent_user), professional_episode(referent_user)
    first = with_records(what, few, 2)
    with_records(what, many, 6)
    two = queries_of(lambda: client.get(f"/api/v1/episodes/{few.pk}/{what}"))
    assert_viewed_by(referent_user, OBJECT_TYPES[what], first)
    six = queries_of(lambda: client.get(f"/api/v1/episodes/{many.pk}/{what}"))
    assert six == two
    assert len(views(OBJECT_TYPES[what])) == 2 + 6
    assert_viewed_by(referent_user, "support.supportepisode", [few, many])


def test_the_cers_are_recorded_with_the_episode(api_as, referent_user):
    client = api_as(referent_user)
    few, many = professional_episode(referent_user), professional_episode(referent_user, cers=3)
    one = queries_of(lambda: client.get(f"/api/v1/episodes/{few.pk}/cers"))
    three = queries_of(lambda: client.get(f"/api/v1/episodes/{many.pk}/cers"))
    assert three == one
    assert_viewed_by(referent_user, "professional.cer", [*few.cers.all(), *many.cers.all()])
    assert_viewed_by(referent_user, "support.supportepisode", [few, many])


def test_an_empty_list_still_records_the_episode_read(api_as, referent_user):
    episode = professional_episode(referent_user)
    assert api_as(referent_user).get(f"/api/v1/episodes/{episode.pk}/barriers").json() == []
    assert_viewed_by(referent_user, "support.supportepisode", [episode])


def test_a_barriers_description_stays_out_of_the_log(api_as, referent_user):
    episode = professional_episode(referent_user)
    BarrierFactory(episode=episode, kind="health", description="Suivi psychiatrique en cours")
    body = api_as(referent_user).get(f"/api/v1/episodes/{episode.pk}/barriers").json()
    assert body[0]["description"] == "Suivi psychiatrique en cours"
    (entry,) = views("progress.barrier")
    assert entry.object_repr == "Frein : Santé"
    assert "psychiatrique" not in entry.object_repr


# --- Company relations and tutors -------------------------------------------------------------


def immersions_of(user, operator, count: int) -> list:
    return [ImmersionFactory(beneficiary=person_of(user, operator)) for _ in range(count)]


def test_listing_immersions_records_the_page_given_in_constant_queries(
    api_as, referent_user, operator
):
    client = api_as(referent_user)
    first = immersions_of(referent_user, operator, 2)
    ImmersionFactory(beneficiary=person_of(factories.referent(operator), operator))  # not mine
    two = queries_of(lambda: client.get("/api/v1/immersions"))
    assert_viewed_by(referent_user, "companies.immersion", first)
    # Named by the person and the employer joined, not a query each.
    assert {e.object_repr for e in views("companies.immersion")} == {str(i) for i in first}
    immersions_of(referent_user, operator, 4)
    six = queries_of(lambda: client.get("/api/v1/immersions"))
    assert six == two
    client.get("/api/v1/immersions", {"page_size": 2, "page": 3})
    assert len(views("companies.immersion")) == 2 + 6 + 2


def test_the_people_an_offer_matches_are_recorded(api_as, referent_user, operator):
    client = api_as(referent_user)
    offer = JobOfferFactory(
        operator=operator, employer=factories.EmployerFactory(territory=operator.territory)
    )
    people = [person_of(referent_user, operator) for _ in range(2)]
    for person in people:
        JobSearchProfileFactory(beneficiary=person)
    two = queries_of(lambda: client.get(f"/api/v1/offers/{offer.pk}/matches"))
    assert_viewed_by(referent_user, "registry.beneficiary", people)
    for _ in range(4):
        JobSearchProfileFactory(beneficiary=person_of(referent_user, operator))
    six = queries_of(lambda: client.get(f"/api/v1/offers/{offer.pk}/matches"))
    assert six == two
    assert len(views("registry.beneficiary")) == 2 + 6
    # An offer names no one: reading it records nothing.
    assert client.get(f"/api/v1/offers/{offer.pk}").status_code == 200
    assert not views("companies.joboffer")


def test_tutors_given_are_recorded_in_constant_queries(api_as, referent_user, territory):
    client = api_as(referent_user)
    bakery = factories.EmployerFactory(territory=territory)
    first = [factories.TutorFactory(employer=bakery) for _ in range(2)]
    two = queries_of(lambda: client.get("/api/v1/tutors"))
    assert_viewed_by(referent_user, "registry.tutor", first)
    [factories.TutorFactory(employer=bakery) for _ in range(4)]
    six = queries_of(lambda: client.get("/api/v1/tutors"))
    assert six == two
    assert client.get(f"/api/v1/tutors/{first[0].pk}").status_code == 200
    assert len(views("registry.tutor")) == 2 + 6 + 1
