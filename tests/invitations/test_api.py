"""POST /api/v1/invitations and the invitations' read endpoints, through visible_to."""

import pytest
from ninja.testing import TestClient

from tests import factories
from tests.invitations.factories import collective_action, in_days, planned, running_support
from tremplin.api.api import api as tremplin_api
from tremplin.invitations.models import Invitation
from tremplin.web import sms

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api():
    return TestClient(tremplin_api)


def test_inviting_to_a_new_interview(api, referent_user):
    episode = running_support(referent_user)
    response = api.post(
        "/invitations",
        json={"episode": episode.pk, "starts_at": in_days(6).isoformat(), "channels": ["sms"]},
        user=referent_user,
    )
    assert response.status_code == 201, response.json()
    [created] = response.json()["invitations"]
    assert created["channels"] == ["sms"] and created["appointment_status"] == "planned"
    assert created["messages"][0]["status"] == "sent"
    assert created["messages"][0]["recipient"] == "+33612345678"
    assert len(sms.outbox) == 1


def test_inviting_to_a_planned_meeting_on_the_preferred_channel(api, referent_user):
    meeting = planned(running_support(referent_user))
    response = api.post("/invitations", json={"meeting": meeting.pk}, user=referent_user)
    assert response.status_code == 201
    assert response.json()["invitations"][0]["channels"] == ["sms"]


def test_inviting_several_people_to_a_collective_action(api, referent_user, operator):
    action = collective_action(operator)
    people = [running_support(referent_user).beneficiary for _ in range(2)]
    silent = running_support(
        referent_user, email="", phone="", sms_consent="refused", preferred_channel=""
    ).beneficiary
    silent.street = ""
    silent.save()
    response = api.post(
        "/invitations",
        json={"action": action.pk, "beneficiaries": [p.pk for p in [*people, silent]]},
        user=referent_user,
    )
    assert response.status_code == 201
    body = response.json()
    assert len(body["invitations"]) == 2
    assert "refusé les SMS" in body["skipped"][str(silent.pk)]


def test_refusals_are_french_and_save_nothing(api, referent_user, operator):
    episode = running_support(referent_user, sms_consent="refused", preferred_channel="email")
    refused = api.post(
        "/invitations",
        json={"episode": episode.pk, "starts_at": in_days(3).isoformat(), "channels": ["sms"]},
        user=referent_user,
    )
    assert refused.status_code == 422
    assert "La personne a refusé les SMS" in refused.json()["errors"]["channels"][0]
    two = api.post("/invitations", json={"episode": episode.pk, "meeting": 1}, user=referent_user)
    assert two.status_code == 422 and "une seule cible" in two.json()["errors"]["__all__"][0]
    past = api.post(
        "/invitations",
        json={"episode": episode.pk, "starts_at": in_days(-1).isoformat()},
        user=referent_user,
    )
    assert past.status_code == 422 and "doit être à venir" in past.json()["errors"]["starts_at"][0]
    assert not Invitation.objects.exists()
    wrong = api.post(
        "/invitations", json={"episode": episode.pk, "canal": "sms"}, user=referent_user
    )
    assert wrong.status_code == 422


def test_outside_the_scope_is_a_404(api, referent_user, operator):
    episode = running_support(referent_user)
    outsider = factories.referent(operator)
    response = api.post(
        "/invitations",
        json={"episode": episode.pk, "starts_at": in_days(3).isoformat()},
        user=outsider,
    )
    assert response.status_code == 404
    mine = api.post(
        "/invitations",
        json={"episode": episode.pk, "starts_at": in_days(3).isoformat()},
        user=referent_user,
    ).json()["invitations"][0]
    assert api.get(f"/invitations/{mine['id']}", user=outsider).status_code == 404
    assert api.get("/invitations", user=outsider).json()["count"] == 0
    listed = api.get("/invitations?answer=none", user=referent_user).json()
    assert [item["id"] for item in listed["results"]] == [mine["id"]]
