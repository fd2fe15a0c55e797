"""``POST /outcomes/classify``: the same classification as the command, over HTTP (rules
A3, A4, P1, P10). The router is mounted on a NinjaAPI of the test's own, so this test does
not depend on how the project's API wires its routers or its authentication."""

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from tremplin.outcomes.api import outcomes_router


@pytest.fixture(scope="module")
def client():
    api = NinjaAPI(urls_namespace="outcomes-api-test")
    api.add_router("/", outcomes_router)
    return TestClient(api)


# In-employment support from 3 March 2025: the 6 months end on 2 September 2025 (A3). A CDI
# of 20 h a week, signed on 3 September, held on the evaluation date of 30 September:
# 20 h is at least half of the legal 35 h, positive under A4 (a).
CDI_AT_20_HOURS = {
    "programme": "in_employment",
    "support_start": "2025-03-03",
    "evaluation_date": "2025-09-30",
    "situations": [{"kind": "cdi", "start": "2025-09-03", "weekly_hours": 20}],
}


def test_a_cdi_of_at_least_half_time_is_a_durable_exit_a4_a(client):
    response = client.post("/outcomes/classify", json=CDI_AT_20_HOURS)

    assert response.status_code == 200
    body = response.json()
    assert body["category"] == "durable_cdi"
    assert body["positive"] is True
    assert body["rule"] == "A4 a"
    assert "CDI n°1 depuis le 03/09/2025" in body["explanation"]
    assert "au moins à mi-temps" in body["explanation"]
    assert body["deciding_situations"] == [1]
    assert body["indicators"] == {"durable_placement": True}
    assert body["category_label"] == "CDI au moins à mi-temps"


def test_a_cdi_under_half_time_is_not_durable(client):
    case = {**CDI_AT_20_HOURS, "situations": [{**CDI_AT_20_HOURS["situations"][0]}]}
    case["situations"][0]["weekly_hours"] = 17

    body = client.post("/outcomes/classify", json=case).json()

    assert (body["category"], body["positive"], body["rule"]) == ("not_durable", False, "A4")
    assert "sous le mi-temps de 17,5 h" in body["explanation"]


def test_professional_support_ended_by_a_cdi_is_an_exit_linked_to_employment(client):
    case = {
        "programme": "professional",
        "support_start": "2025-01-06",
        "support_end": "2025-07-05",
        "evaluation_date": "2025-07-31",
        "situations": [{"kind": "cdi", "start": "2025-05-12", "weekly_hours": 35}],
    }

    body = client.post("/outcomes/classify", json=case).json()

    assert body["category"] == "exit_linked_to_employment"
    assert body["rule"] == "P10, P1"
    assert body["indicators"] == {"return_to_activity": True, "exit_linked_to_employment": True}


def test_an_end_before_a_start_is_422_with_french_messages(client):
    case = {
        **CDI_AT_20_HOURS,
        "situations": [
            {"kind": "cdd", "start": "2025-09-03", "end": "2025-08-01", "weekly_hours": 20}
        ],
    }

    response = client.post("/outcomes/classify", json=case)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Impossible de classer la sortie")
    assert any("se termine le 01/08/2025, avant son début" in m for m in body["errors"])


def test_unknown_kind_missing_date_and_unknown_field_are_all_reported(client):
    case = {
        "programme": "in_employment",
        "evaluation_date": "30/09/2025",
        "situations": [{"kind": "pdg", "start": "2025-01-01", "salary": 2000}],
    }

    response = client.post("/outcomes/classify", json=case)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "Le champ « support_start » (début de l'accompagnement) manque." in errors
    assert any("n'est pas une date au format AAAA-MM-JJ" in m for m in errors)
    assert any("le type (kind) « pdg » est inconnu" in m for m in errors)
    assert any("champ inconnu « salary »" in m for m in errors)


def test_contradicting_situations_are_refused_citing_the_legal_maximum(client):
    case = {
        **CDI_AT_20_HOURS,
        "situations": [
            {"kind": "cdi", "start": "2025-09-03", "weekly_hours": 35},
            {"kind": "cdi", "start": "2025-09-03", "weekly_hours": 30},
        ],
    }

    response = client.post("/outcomes/classify", json=case)

    assert response.status_code == 422
    assert any("L3121-20" in message for message in response.json()["errors"])


@pytest.mark.parametrize("body", ["{not json", "", "[1, 2]"])
def test_a_body_that_is_not_the_expected_json_object_is_422_in_french(client, body):
    response = client.post(
        "/outcomes/classify", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    payload = response.json()
    assert payload["errors"]
    assert "JSON" in " ".join(payload["errors"])


def test_the_openapi_description_documents_the_body_and_both_answers(client):
    api = NinjaAPI(urls_namespace="outcomes-api-schema-test")
    api.add_router("/", outcomes_router)

    operation = api.get_openapi_schema(path_prefix="")["paths"]["/outcomes/classify"]["post"]

    body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body_schema["required"]) == {"programme", "support_start", "evaluation_date"}
    assert "kind" in body_schema["properties"]["situations"]["items"]["properties"]
    assert {200, 422} <= set(operation["responses"])


@pytest.mark.parametrize(
    "body",
    [
        '{"programme": "in_employment", "weekly_hours": ' + "9" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["an integer of 5,000 digits", "100,000 nested brackets"],
)
def test_what_json_cannot_read_beyond_syntax_is_422_in_french(client, body):
    response = client.post(
        "/outcomes/classify", data=body.encode(), content_type="application/json"
    )
    assert response.status_code == 422
    assert "ne peut pas être lu" in response.json()["detail"]
