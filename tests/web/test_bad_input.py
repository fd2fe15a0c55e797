"""Bad input answers a French 4xx, never a server error: dates outside 1900–2100, control
characters in a name, « ² » taken for a digit, a JSON object where a code is expected."""

import pytest
from django.urls import reverse

from tests import factories
from tests.api.helpers import TokenClient
from tremplin.accounts.models import ApiToken
from tremplin.rules.calendar import DAY_OUT_OF_BOUNDS
from tremplin.rules.identifiers import ascii_digits
from tremplin.rules.outcomes import ExitInputError, exit_case_from_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(territory, operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )


@pytest.fixture
def logged(client, referent_user):
    client.force_login(referent_user)
    return client


@pytest.fixture
def api(client, referent_user):
    _, key = ApiToken.issue(referent_user, "tests")
    return TokenClient(client, key)


def test_only_ascii_digits_are_digits():
    assert ascii_digits("0123")
    assert not ascii_digits("²")
    assert not ascii_digits("٣")
    assert not ascii_digits("")


@pytest.mark.parametrize("bad", ["²", "١٢", "1²"])
def test_a_superscript_digit_in_a_page_parameter_is_ignored(logged, bad):
    response = logged.get(reverse("conventions:create"), {"beneficiaire": bad, "employeur": bad})
    assert response.status_code == 200


def test_a_superscript_digit_in_an_api_id_is_a_french_422(api):
    response = api.get("/api/v1/beneficiaries/%C2%B2")
    assert response.status_code in (404, 422)
    assert response.json()["detail"]


@pytest.mark.parametrize("name", ["Dupont\nMartin", "Dupont\tMartin", "Du\x07pont"])
def test_a_name_with_a_control_character_is_refused(api, person, name):
    response = api.patch(f"/api/v1/beneficiaries/{person.pk}", {"last_name": name})
    assert response.status_code == 422
    assert "tient sur une ligne" in response.json()["errors"]["last_name"][0]
    person.refresh_from_db()
    assert person.last_name != name


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_a_date_outside_1900_2100_is_refused_by_the_forms(api, person, day):
    response = api.patch(f"/api/v1/beneficiaries/{person.pk}", {"rsa_start_date": day})
    assert response.status_code == 422
    assert response.json()["errors"]["rsa_start_date"] == [DAY_OUT_OF_BOUNDS]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_1900_2100_is_refused_by_the_api_types(api, day):
    """A parameter checked by pydantic alone (no form behind it): the API's decorator."""
    response = api.get("/api/v1/meetings", {"since": day})
    assert response.status_code == 422
    assert response.json()["errors"] == {"since": [DAY_OUT_OF_BOUNDS]}


def test_a_date_at_the_bounds_is_accepted(api):
    assert api.get("/api/v1/meetings", {"since": "1900-01-01"}).status_code == 200
    assert api.get("/api/v1/meetings", {"until": "2100-12-31"}).status_code == 200


def test_a_json_object_as_a_situation_kind_is_a_french_error():
    case = {
        "programme": {},
        "support_start": "2025-01-01",
        "evaluation_date": "9999-01-01",
        "situations": [{"kind": {}, "start": "2025-01-01"}],
    }
    with pytest.raises(ExitInputError) as refused:
        exit_case_from_mapping(case)
    text = " ".join(refused.value.messages)
    assert "le type (kind) « {} » est inconnu" in text
    assert "Le programme « {} » est inconnu" in text
    assert "date hors des limites" in text


def test_classify_answers_422_to_a_json_object_as_kind(api):
    response = api.post(
        "/api/v1/outcomes/classify",
        {
            "programme": "in_employment",
            "support_start": "2025-01-01",
            "evaluation_date": "2025-06-01",
            "situations": [{"kind": {}, "start": "2025-01-01"}],
        },
    )
    assert response.status_code == 422


def test_an_api_body_that_is_not_form_data_skips_the_one_time_token(api):
    """A malformed multipart body on an API route: a 4xx from the API, not the middleware's
    parse error."""
    response = api.client.post(
        "/api/v1/outcomes/classify",
        data=b"\x00\x01",
        content_type="multipart/form-data",
        headers=api.headers,
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    "path", ["/api/v1/beneficiaries", "/api/v1/conventions", "/api/v1/meetings"]
)
def test_a_page_far_past_the_end_is_empty(api, person, path):
    # 2**62 pages of 25: an offset beyond the databases' integers, never sent to them.
    response = api.get(path, {"page": 2**62})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert api.get(path, {"page": 10**20}).status_code == 422


def test_an_integer_beyond_64_bits_is_a_french_422(api):
    response = api.get("/api/v1/meetings", {"episode": 10**20})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "episode": ["Nombre trop grand : aucune valeur de Tremplin n'atteint ce nombre."]
    }
