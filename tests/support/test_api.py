"""The support router, tested through the real API mounted on /api/v1/."""

import pytest
from ninja.testing import TestClient

from tests import factories
from tests.support.factories import episode_for
from tremplin.api.api import api as tremplin_api

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api():
    return TestClient(tremplin_api)


def test_episodes_are_listed_through_visible_to(api, referent_user, operator):
    mine = episode_for(referent_user)
    episode_for(factories.referent(operator))
    body = api.get("/episodes", user=referent_user).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == mine.pk


def test_another_referent_s_episode_is_a_404(api, referent_user, operator):
    other = episode_for(factories.referent(operator))
    assert api.get(f"/episodes/{other.pk}", user=referent_user).status_code == 404
    assert api.get(f"/episodes/{other.pk}/plan", user=referent_user).status_code == 404


def test_the_plan_and_the_deadlines(api, referent_user):
    episode = episode_for(referent_user)
    plan = api.get(f"/episodes/{episode.pk}/plan", user=referent_user).json()
    assert {"code": "trial_review", "due": "2025-04-02", "rule": "A11"}.items() <= plan[
        "deliverables"
    ][0].items()
    deadlines = api.get(f"/episodes/{episode.pk}/deadlines", user=referent_user).json()
    assert {d["code"] for d in deadlines} >= {"trial_review", "synthesis_m4"}


def test_a_meeting_through_the_api_obeys_the_page_s_checks(api, referent_user):
    episode = episode_for(referent_user)
    url = f"/episodes/{episode.pk}/meetings"
    payload = {
        "starts_at": "2025-02-10T10:00:00+01:00",
        "duration_minutes": 60,
        "place": "company",
        "kind": "individual",
        "report": "Point d'étape",
    }
    response = api.post(url, json=payload, user=referent_user)
    assert response.status_code == 422
    assert "précède le début du contrat" in response.json()["errors"]["starts_at"][0]
    payload["starts_at"] = "2025-03-10T10:00:00+01:00"
    response = api.post(url, json=payload, user=referent_user)
    assert response.status_code == 201
    assert response.json()["report"] == "Point d'étape"
    assert len(api.get(url, user=referent_user).json()) == 1


def test_after_a_rupture_the_api_gives_the_48_hours_with_their_offset(api, referent_user):
    from tests.support.factories import RuptureFactory

    episode = episode_for(referent_user)
    RuptureFactory(episode=episode)  # known 10/06/2025 at 14:00, Paris (summer time, +02:00)
    plan = api.get(f"/episodes/{episode.pk}/plan", user=referent_user).json()
    notice = next(d for d in plan["deliverables"] if d["code"] == "rupture_notice")
    assert notice["due"] == "2025-06-12T14:00:00+02:00"  # 48 hours later, A14
    assert api.get(f"/episodes/{episode.pk}", user=referent_user).json()["convention"] is None
