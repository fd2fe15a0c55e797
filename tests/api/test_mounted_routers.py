"""The programmes' routers are mounted on /api/v1/ with the API's authentication."""

import json

import pytest

from tremplin.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

CDI_CASE = {
    # Rule A4 (a): a CDI of at least half time (24 h >= 17.5 h, half of the legal 35 h).
    "programme": "in_employment",
    "support_start": "2025-03-03",
    "evaluation_date": "2025-09-02",
    "situations": [{"kind": "cdi", "start": "2025-09-01", "weekly_hours": 24}],
}


def test_classify_needs_authentication(client):
    response = client.post(
        "/api/v1/outcomes/classify", json.dumps(CDI_CASE), content_type="application/json"
    )
    assert response.status_code == 401


def test_classify_with_a_token(client, referent_user):
    _, key = ApiToken.issue(referent_user, "test")
    response = client.post(
        "/api/v1/outcomes/classify",
        json.dumps(CDI_CASE),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["positive"] is True
    assert body["rule"].startswith("A4")


def test_classify_is_in_the_openapi_document(client, referent_user):
    client.force_login(referent_user)  # the OpenAPI document needs a login
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/outcomes/classify" in paths


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/aid/simulate",
        "/api/v1/conventions",
        "/api/v1/conventions/{id}/schedule",
        "/api/v1/episodes",
        "/api/v1/episodes/{episode_id}/plan",
    ],
)
def test_programme_routes_are_mounted(client, referent_user, path):
    client.force_login(referent_user)
    assert path in client.get("/api/v1/openapi.json").json()["paths"]


def test_aid_simulation_over_http(client, referent_user):
    # The aid simulator's worked example: 47 % × 11.88 € × 26 h × 52 / 12 = 629.0866 -> 629.09 € a full month;
    # March 2025 from the 15th: 17 of 31 days -> 629.0866 × 17 / 31 = 344.98 €.
    _, key = ApiToken.issue(referent_user, "test")
    response = client.post(
        "/api/v1/aid/simulate",
        json.dumps({"rate": "47", "hours": "26", "start": "2025-03-15", "end": "2025-09-14"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    months = response.json()["months"]
    assert months[0]["month"] == "2025-03"
    assert months[0]["amount"] == "344.98"
    assert months[1]["amount"] == "629.09"
