"""The conventions' router: the simulator's JSON contract and the read endpoints' scope."""

import datetime
from decimal import Decimal

import pytest
from ninja.testing import TestClient

from tests import factories
from tests.conventions.factories import ConventionFactory, RuptureFactory, SuspensionFactory
from tremplin.api.api import api as tremplin_api

pytestmark = pytest.mark.django_db

client = TestClient(tremplin_api)

EXAMPLE = {"rate": "47", "hours": "26", "start": "2025-03-15", "end": "2025-09-14"}


def test_simulate_gives_the_command_contract(referent_user):
    response = client.post("/aid/simulate", json=EXAMPLE, user=referent_user)
    assert response.status_code == 200
    body = response.json()
    first = body["months"][0]
    assert first == {
        "month": "2025-03",
        "days_covered": 17,
        "days_in_month": 31,
        "smic_hourly": "11.88",
        "rate": "47",
        "hours": "26",
        "amount": "344.98",
        "explanation": first["explanation"],
    }
    assert body["total"] == str(sum(Decimal(m["amount"]) for m in body["months"]))


def test_simulate_matches_the_command(referent_user):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "aid_schedule", "--rate", "47", "--hours", "26", "--start", "2025-03-15",
        "--end", "2025-09-14", "--suspension", "2025-05-01:2025-05-10", "--format", "json",
        stdout=out,
    )  # fmt: skip
    payload = {**EXAMPLE, "suspensions": [{"start": "2025-05-01", "end": "2025-05-10"}]}
    response = client.post("/aid/simulate", json=payload, user=referent_user)
    assert response.json() == json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        ({"rate": "48"}, "rate", "E6"),
        ({"hours": "40"}, "hours", "C8"),
        ({"end": "2025-03-01"}, "end", "C5"),
    ],
)
def test_simulate_refuses_bad_input_in_french(referent_user, change, field, rule):
    response = client.post("/aid/simulate", json={**EXAMPLE, **change}, user=referent_user)
    assert response.status_code == 422
    assert rule in response.json()["errors"][field][0]


@pytest.fixture
def mine(territory, operator, referent_user):
    beneficiary = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user,
        birth_date=datetime.date(1990, 6, 1),
    )  # fmt: skip
    return ConventionFactory(territory=territory, beneficiary=beneficiary, signed=True)


def test_read_endpoints_follow_visibility(referent_user, territory, mine):
    other = ConventionFactory(territory=territory, signed=True)
    listed = client.get("/conventions", user=referent_user).json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert listed["results"][0]["number"] == mine.number
    assert client.get(f"/conventions/{mine.pk}", user=referent_user).status_code == 200
    for suffix in ("", "/amendments", "/suspensions", "/rupture", "/schedule"):
        assert client.get(f"/conventions/{other.pk}{suffix}", user=referent_user).status_code == 404


def test_schedule_suspensions_and_rupture(referent_user, mine):
    SuspensionFactory(convention=mine)
    RuptureFactory(convention=mine, last_day=datetime.date(2025, 5, 31), employee_ground="cdi")
    schedule = client.get(f"/conventions/{mine.pk}/schedule", user=referent_user).json()
    assert [m["month"] for m in schedule["months"]] == ["2025-03", "2025-04", "2025-05"]
    assert schedule["funders"][0]["funder"] == "etat"
    suspensions = client.get(f"/conventions/{mine.pk}/suspensions", user=referent_user).json()
    assert suspensions[0]["paid"] is False
    rupture = client.get(f"/conventions/{mine.pk}/rupture", user=referent_user).json()
    assert rupture["last_day"] == "2025-05-31"
    # Rule E5's ground; F13's contributions (a CIE has none).
    assert (rupture["employee_ground"], rupture["exonerated_contributions"]) == ("cdi", None)
    convention = client.get(f"/conventions/{mine.pk}", user=referent_user).json()
    assert convention["continues_as_cdi"] is False


# The département fields have English names in the code; what the API publishes keeps the keys
# it was published with (a contract: extend, never rename).
DEPARTMENT_KEYS = {
    "prescribed_for_departement",
    "departement_rate_percent",
    "departement_funds_alone",
}


def test_a_convention_keeps_its_published_department_keys(referent_user, mine):
    mine.department_rate_percent = Decimal("60")
    mine.save()
    read = client.get(f"/conventions/{mine.pk}", user=referent_user).json()
    listed = client.get("/conventions", user=referent_user).json()["results"][0]
    for body in (read, listed):
        assert set(body) >= DEPARTMENT_KEYS
        assert not any("department" in key for key in body)
        assert (body["prescribed_for_departement"], body["departement_rate_percent"]) == (
            True,
            "60.00",
        )
        assert body["departement_funds_alone"] is False
        assert body["payer"] == "departement"


def test_the_openapi_document_keeps_the_published_department_keys():
    schemas = tremplin_api.get_openapi_schema()["components"]["schemas"]
    properties = set(schemas["ConventionOut"]["properties"])
    assert properties >= DEPARTMENT_KEYS
    assert not any("department" in name for name in properties)
    assert set(schemas["ConventionOut"]["required"]) >= DEPARTMENT_KEYS


def test_status_suspended_is_read_and_filtered(referent_user, mine, time_machine):
    # Rule C9: the status of the day, derived from the suspension's dates (extends the
    # values: draft, signed, active, ended, ruptured are unchanged).
    SuspensionFactory(convention=mine)  # 01/05/2025 to 10/05/2025, unpaid
    time_machine.move_to(datetime.datetime(2025, 5, 5, 10, 0))
    assert client.get(f"/conventions/{mine.pk}", user=referent_user).json()["status"] == (
        "suspended"
    )
    suspended = client.get("/conventions?status=suspended", user=referent_user).json()
    assert [row["id"] for row in suspended["results"]] == [mine.pk]
    assert suspended["results"][0]["status"] == "suspended"
    assert client.get("/conventions?status=active", user=referent_user).json()["count"] == 0
    time_machine.move_to(datetime.datetime(2025, 5, 11, 10, 0))
    assert client.get(f"/conventions/{mine.pk}", user=referent_user).json()["status"] == "active"
    active = client.get("/conventions?status=active", user=referent_user).json()
    assert [row["id"] for row in active["results"]] == [mine.pk]
    refused = client.get("/conventions?status=suspendue", user=referent_user)
    assert refused.status_code == 422


def test_the_openapi_document_lists_the_statuses():
    schemas = tremplin_api.get_openapi_schema()["components"]["schemas"]
    description = schemas["ConventionOut"]["properties"]["status"]["description"]
    for value in ("draft", "signed", "active", "suspended", "ended", "ruptured"):
        assert f"`{value}`" in description
