"""The professional router, tested through the real API (mounted on /api/v1/ with the prefix "")."""

import datetime as dt

import pytest
from ninja.testing import TestClient

from tests import factories
from tests.professional.factories import interview, professional_episode
from tests.support.factories import episode_for
from tremplin.api.api import api as tremplin_api

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api():
    return TestClient(tremplin_api)


def test_cadence_per_month_with_the_rule(api, referent_user):
    episode = professional_episode(referent_user)
    interview(episode, 2025, 1, 20, 10, 0)
    interview(episode, 2025, 2, 3, 10, 0)
    body = api.get(f"/episodes/{episode.pk}/cadence", user=referent_user).json()
    assert body["rule"] == "P4" and "(P4)" in body["rule_text"]
    assert body["support_start"] == "2025-01-15" and body["support_end"] == "2025-07-14"
    first, second = body["months"][:2]
    # January 15–31: partial, 1 required, 1 done; February: full, 2 required, 1 done.
    assert (first["full"], first["required"], first["done"], first["compliant"]) == (
        False, 1, 1, True,
    )  # fmt: skip
    assert (second["required"], second["done"], second["missing"], second["compliant"]) == (
        2, 1, 1, False,
    )  # fmt: skip
    # 12 required in all (1 + 5 x 2 + 1), 2 done: 10 missing.
    assert body["missing"] == 10 and body["compliant"] is False
    assert len(body["months"]) == 7


def test_outside_the_scope_or_another_programme_is_a_404(api, referent_user, operator):
    other = professional_episode(factories.referent(operator))
    in_employment = episode_for(referent_user)
    for path in ("cadence", "cers", "interviews", "contacts"):
        assert api.get(f"/episodes/{other.pk}/{path}", user=referent_user).status_code == 404
        assert (
            api.get(f"/episodes/{in_employment.pk}/{path}", user=referent_user).status_code == 404
        )


def test_cers_and_renewals(api, referent_user):
    episode = professional_episode(referent_user, cers=2)
    cers = api.get(f"/episodes/{episode.pk}/cers", user=referent_user).json()
    assert [(c["number"], c["requires_validation"]) for c in cers] == [(1, False), (2, False)]
    response = api.post(
        f"/episodes/{episode.pk}/cers", json={"objectives": "Exception"}, user=referent_user
    )
    assert response.status_code == 201
    # P5: beyond 12 months, the third CER needs the département's validation.
    assert response.json()["requires_validation"] is True
    refused = api.post(
        f"/episodes/{episode.pk}/cers", json={"objectives": "Encore"}, user=referent_user
    )
    assert refused.status_code == 422 and "(P5)" in refused.json()["detail"]


def test_interviews_and_contacts(api, referent_user):
    episode = professional_episode(referent_user)
    outside = api.post(
        f"/episodes/{episode.pk}/interviews",
        json={"starts_at": "2025-08-01T10:00:00", "duration_minutes": 45, "place": "operator"},
        user=referent_user,
    )
    assert outside.status_code == 422 and "(P4)" in outside.json()["errors"]["starts_at"][0]
    created = api.post(
        f"/episodes/{episode.pk}/interviews",
        json={"starts_at": "2025-03-03T10:00:00", "duration_minutes": 45, "place": "operator"},
        user=referent_user,
    )
    assert created.status_code == 201
    listed = api.get(f"/episodes/{episode.pk}/interviews", user=referent_user).json()
    assert [item["id"] for item in listed] == [created.json()["id"]]
    contact = api.post(
        f"/episodes/{episode.pk}/contacts",
        json={"on": "2025-03-04", "channel": "phone", "note": "Relance"},
        user=referent_user,
    )
    assert contact.status_code == 201
    assert api.get(f"/episodes/{episode.pk}/contacts", user=referent_user).json()[0]["on"] == str(
        dt.date(2025, 3, 4)
    )


def test_the_cadence_is_at_its_exact_path_of_the_api(client, referent_user):
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    response = client.get(f"/api/v1/episodes/{episode.pk}/cadence")
    assert response.status_code == 200 and response.json()["episode"] == episode.pk
