"""A list to import has its own upload limit (``TREMPLIN_IMPORT_UPLOAD_MAX_BYTES``, 50 MB):
the 100,000 people of the bench make a CSV of 15 MB, over the 10 MB of the other files.
Over it, the page and the API say so in French, with what to do."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.registry.import_helpers import person_row, write_list
from tremplin.accounts.models import ApiToken
from tremplin.registry.models import Beneficiary, BeneficiaryImport
from tremplin.web import request_limits

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
IMPORT_PAGE = "registry:import_start"
API = "/api/v1/imports/beneficiaries"


def a_list_of(tmp_path, size: int) -> bytes:
    """A valid list of one person, padded with empty lines to ``size`` bytes."""
    content = write_list(tmp_path / "liste.csv", [person_row()]).read_bytes()
    return content + b"\r\n" * ((size - len(content)) // 2)


def test_the_default_limits_take_the_benchs_list_of_100000_people(settings):
    assert settings.TREMPLIN_UPLOAD_MAX_BYTES == 10 * MB
    assert settings.TREMPLIN_IMPORT_UPLOAD_MAX_BYTES == 50 * MB
    factory = RequestFactory()
    assert request_limits.upload_max_bytes(factory.post(reverse(IMPORT_PAGE))) == 50 * MB
    assert request_limits.upload_max_bytes(factory.post(API)) == 50 * MB
    # Every other upload keeps the common limit.
    assert request_limits.upload_max_bytes(factory.post("/ailleurs/")) == 10 * MB
    mapping = reverse("registry:import_mapping", args=[1])
    assert request_limits.upload_max_bytes(factory.post(mapping)) == 10 * MB


def announced(path: str, size: int):
    """What the size guard answers to a multipart request announcing ``size`` bytes."""
    request = RequestFactory().generic(
        "POST",
        path,
        CONTENT_TYPE="multipart/form-data; boundary=limite",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": io.BytesIO(b"")},
    )
    middleware = request_limits.UploadSizeLimitMiddleware(lambda request: HttpResponse("vu"))
    return middleware(request)


def test_a_15_mb_list_reaches_the_import_but_not_another_upload():
    assert announced(reverse(IMPORT_PAGE), 15 * MB).content == b"vu"
    assert announced(API, 15 * MB).content == b"vu"
    assert announced("/support/1/documents/ajouter/", 15 * MB).status_code == 413


def test_a_list_over_the_limit_is_refused_before_its_body_is_read(client, coordinator_user):
    client.force_login(coordinator_user)
    response = client.generic(
        "POST",
        reverse(IMPORT_PAGE),
        CONTENT_TYPE="multipart/form-data; boundary=limite",
        CONTENT_LENGTH=str(60 * MB),
        **{"wsgi.input": io.BytesIO(b"")},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "L'envoi pèse 60 Mo : une liste à importer ne peut dépasser 50 Mo." in page.replace(
        "&#x27;", "'"
    )
    assert "Découpez la liste en plusieurs fichiers" in page


def test_the_api_says_so_in_json(client):
    response = client.generic(
        "POST",
        API,
        CONTENT_TYPE="multipart/form-data; boundary=limite",
        CONTENT_LENGTH=str(60 * MB),
        **{"wsgi.input": io.BytesIO(b"")},
    )
    assert (response.status_code, response["Content-Type"]) == (413, "application/json")
    assert response.json() == {
        "detail": "L'envoi pèse 60 Mo : une liste à importer ne peut dépasser 50 Mo. Rien n'a "
        "été enregistré ; découpez la liste en plusieurs fichiers, ou envoyez-la en XLSX "
        "(plus compact)."
    }


def test_a_list_over_the_common_limit_is_imported_through_the_page(
    client, coordinator_user, operator, tmp_path, settings
):
    # Limits made small: a list of 5 kB is over the common limit, under the import's.
    settings.TREMPLIN_UPLOAD_MAX_BYTES = 1_000
    settings.TREMPLIN_IMPORT_UPLOAD_MAX_BYTES = 20_000
    content = a_list_of(tmp_path, 5_000)
    client.force_login(coordinator_user)
    response = client.post(
        reverse(IMPORT_PAGE),
        {
            "file": SimpleUploadedFile("liste.csv", content),
            "operator": operator.pk,
            "rsa_payer": "CAF",
        },
    )
    beneficiary_import = BeneficiaryImport.objects.get()
    assert response["Location"] == reverse("registry:import_mapping", args=[beneficiary_import.pk])
    with beneficiary_import.file.open("rb") as stored:
        assert stored.read() == content  # whole, not cut at the common limit


def test_a_list_over_its_limit_is_refused_by_the_page_in_french(
    client, coordinator_user, operator, tmp_path, settings
):
    # Under the request's allowance (limit + the other fields' 2.5 MB) but over the list's
    # limit: the upload handler cuts it and the form says why.
    settings.TREMPLIN_IMPORT_UPLOAD_MAX_BYTES = 2 * MB
    client.force_login(coordinator_user)
    response = client.post(
        reverse(IMPORT_PAGE),
        {
            "file": SimpleUploadedFile("liste-caf.csv", a_list_of(tmp_path, 3 * MB)),
            "operator": operator.pk,
            "rsa_payer": "CAF",
        },
    )
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert (
        "Le fichier « liste-caf.csv » pèse plus de 2 Mo, la taille maximale d'une liste : "
        "découpez-la en plusieurs fichiers"
    ) in page
    assert "2 Mo au plus." in page  # the field's help says the limit beforehand
    assert not BeneficiaryImport.objects.exists()


def test_a_list_over_its_limit_is_refused_by_the_api_in_french(
    client, coordinator_user, tmp_path, settings
):
    settings.TREMPLIN_IMPORT_UPLOAD_MAX_BYTES = 2 * MB
    _, key = ApiToken.issue(coordinator_user, "tests")
    response = client.post(
        API,
        {"file": SimpleUploadedFile("liste.csv", a_list_of(tmp_path, 3 * MB))},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith(
        "Le fichier « liste.csv » pèse plus de 2 Mo, la taille maximale d'une liste"
    )
    assert not Beneficiary.objects.exists()


def test_a_list_over_the_common_limit_is_imported_through_the_api(
    client, coordinator_user, tmp_path, settings
):
    settings.TREMPLIN_UPLOAD_MAX_BYTES = 1_000
    settings.TREMPLIN_IMPORT_UPLOAD_MAX_BYTES = 20_000
    _, key = ApiToken.issue(coordinator_user, "tests")
    response = client.post(
        API,
        {"file": SimpleUploadedFile("liste.csv", a_list_of(tmp_path, 5_000))},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
