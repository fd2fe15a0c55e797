"""API reads of personal data are in the audit log (issue 12, point 5): every record a list
or a detail answer gives out is a view, with the token's user and the source "api"; a
page of 6 records costs the same number of queries as a page of 2."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.invitations.factories import planned, running_support
from tests.support.factories import episode_for
from tremplin.accounts.models import AuditEntry
from tremplin.invitations import services as invitations

pytestmark = pytest.mark.django_db


def views(object_type: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.VIEW, object_type=object_type))


def assert_viewed_by(user, object_type: str, records) -> None:
    entries = views(object_type)
    assert sorted(e.object_id for e in entries) == sorted(str(r.pk) for r in records)
    assert {(e.actor_id, e.actor_email, e.source) for e in entries} == {
        (user.pk, user.email, "api")
    }


def people_of(user, operator, count: int) -> list:
    return [
        factories.BeneficiaryFactory(territory=operator.territory, operator=operator, referent=user)
        for _ in range(count)
    ]


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200
    return len(queries)


def test_listing_beneficiaries_records_a_view_of_each_file_given(api_as, referent_user, operator):
    mine = people_of(referent_user, operator, 2)
    factories.BeneficiaryFactory(  # not in the referent's scope: not read, not recorded
        territory=operator.territory, operator=operator, referent=factories.referent(operator)
    )
    response = api_as(referent_user).get("/api/v1/beneficiaries")
    assert response.status_code == 200 and response.json()["count"] == 2
    assert_viewed_by(referent_user, "registry.beneficiary", mine)
    assert all(e.path == "/api/v1/beneficiaries" for e in views("registry.beneficiary"))


def test_only_the_page_given_is_recorded(api_as, referent_user, operator):
    people_of(referent_user, operator, 3)
    api_as(referent_user).get("/api/v1/beneficiaries", {"page_size": 2, "page": 2})
    assert len(views("registry.beneficiary")) == 1


def test_listing_beneficiaries_costs_the_same_queries_for_more_files(
    api_as, referent_user, operator
):
    client = api_as(referent_user)
    people_of(referent_user, operator, 2)
    two = queries_of(lambda: client.get("/api/v1/beneficiaries"))
    people_of(referent_user, operator, 4)
    six = queries_of(lambda: client.get("/api/v1/beneficiaries"))
    assert six == two
    assert len(views("registry.beneficiary")) == 2 + 6


def invitations_of(referent_user, count: int) -> list:
    return [
        invitations.invite_to_meeting(planned(running_support(referent_user)), ["email"])
        for _ in range(count)
    ]


def test_listing_and_reading_invitations_is_recorded(api_as, referent_user):
    sent = invitations_of(referent_user, 2)
    client = api_as(referent_user)
    body = client.get("/api/v1/invitations").json()
    assert body["results"][0]["messages"][0]["recipient"] == "lea.muller@exemple.fr"
    assert_viewed_by(referent_user, "invitations.invitation", sent)
    assert client.get(f"/api/v1/invitations/{sent[0].pk}").status_code == 200
    assert len(views("invitations.invitation")) == 3


def test_listing_invitations_costs_the_same_queries_for_more(api_as, referent_user):
    client = api_as(referent_user)
    invitations_of(referent_user, 2)
    two = queries_of(lambda: client.get("/api/v1/invitations"))
    invitations_of(referent_user, 3)
    five = queries_of(lambda: client.get("/api/v1/invitations"))
    assert five == two


def test_listing_episodes_is_recorded_in_constant_queries(api_as, referent_user):
    client = api_as(referent_user)
    first = [episode_for(referent_user) for _ in range(2)]
    two = queries_of(lambda: client.get("/api/v1/episodes"))
    assert_viewed_by(referent_user, "support.supportepisode", first)
    [episode_for(referent_user) for _ in range(3)]
    five = queries_of(lambda: client.get("/api/v1/episodes"))
    assert five == two
    assert len(views("support.supportepisode")) == 2 + 5


def test_listing_and_reading_meetings_is_recorded_in_constant_queries(api_as, referent_user):
    client = api_as(referent_user)
    episode = running_support(referent_user)
    first = [planned(episode, days=day) for day in (3, 4)]
    two = queries_of(lambda: client.get("/api/v1/meetings"))
    assert_viewed_by(referent_user, "support.meeting", first)
    [planned(episode, days=day) for day in (5, 6, 7)]
    five = queries_of(lambda: client.get("/api/v1/meetings"))
    assert five == two
    assert client.get(f"/api/v1/meetings/{first[0].pk}").status_code == 200
    assert client.get(f"/api/v1/episodes/{episode.pk}/meetings").status_code == 200
    assert len(views("support.meeting")) == 2 + 5 + 1 + 5
