"""The OpenAPI document and the interactive docs."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, referent_user):
    """The documentation needs a login: a signed-in referent reads it."""
    client.force_login(referent_user)
    return client


def test_the_documentation_needs_a_login(django_user_model):
    from django.test import Client

    anonymous = Client()
    for url in ("/api/v1/docs", "/api/v1/openapi.json", "/api/v1/docs/assets/swagger-ui.css"):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/compte/connexion/?next="), url


def test_the_openapi_document_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "API Tremplin"
    assert document["info"]["version"] == "1"
    paths = document["paths"]
    assert set(paths["/api/v1/beneficiaries"]) == {"get", "post"}
    assert set(paths["/api/v1/beneficiaries/{id}"]) == {"get", "patch"}
    assert set(paths["/api/v1/employers"]) == {"get", "post"}
    assert set(paths["/api/v1/employers/{id}"]) == {"get", "patch"}
    assert set(paths["/api/v1/tutors"]) == {"get"}
    assert set(paths["/api/v1/tutors/{id}"]) == {"get"}


def test_the_document_never_offers_the_raw_identifiers_in_output(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    output = schemas["BeneficiaryOut"]["properties"]
    assert "nir_masked" in output and "rsa_number_masked" in output
    assert "nir" not in output and "rsa_number" not in output
    # The input accepts them, to write them.
    assert "nir" in schemas["BeneficiaryIn"]["properties"]


def test_the_document_declares_both_authentications(client):
    document = client.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}


def test_the_interactive_docs_are_served(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "API Tremplin" in response.content.decode()


def test_the_docs_need_no_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in page.lower()
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in page
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_only_the_swagger_files_are_served(client):
    assert client.get("/api/v1/docs/assets/swagger.html").status_code == 404
    assert client.get("/api/v1/docs/assets/..%2F__init__.py").status_code == 404


def test_the_docs_page_carries_the_csrf_token_for_session_writes(client):
    page = client.get("/api/v1/docs").content.decode()
    assert 'data-api-csrf="true"' in page


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI document names each schema by its class name: two classes with one name
    (two ``MonthOut``) would silently document one operation with the other's fields."""
    from ninja import Schema

    import tremplin.api.api  # noqa: F401  (every router imported, every schema defined)

    seen: dict[str, str] = {}
    pending = list(Schema.__subclasses__())
    while pending:
        schema = pending.pop()
        pending.extend(schema.__subclasses__())
        if not schema.__module__.startswith("tremplin."):
            continue
        where = f"{schema.__module__}.{schema.__qualname__}"
        assert seen.setdefault(schema.__name__, where) == where, (schema.__name__, where)


def test_the_aid_schedule_and_the_cadence_have_their_own_months(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "amount" in schemas["AidMonthOut"]["properties"]
    assert "compliant" in schemas["CadenceMonthOut"]["properties"]


def test_the_qualitative_aims_are_documented(client):
    """A2: read in every episode's output, written one aim at a time."""
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]["/api/v1/episodes/{episode_id}/aims/{code}"]) == {"put"}
    schemas = document["components"]["schemas"]
    assert schemas["EpisodeOut"]["properties"]["aims"]["items"] == {
        "$ref": "#/components/schemas/AimOut"
    }
    assert schemas["AimIn"]["properties"]["status"]["enum"] == [
        "to_work",
        "in_progress",
        "achieved",
        "not_applicable",
    ]
