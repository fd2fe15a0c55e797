"""API of company relations (P7): offers and PMSMP immersions, French errors, scope."""

import datetime as dt

import pytest

from tests import factories
from tests.companies.factories import ImmersionFactory, JobOfferFactory, JobSearchProfileFactory
from tremplin.companies.models import Immersion, JobOffer

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(territory):
    return factories.EmployerFactory(territory=territory, name="Nettoyage Alsacien")


@pytest.fixture
def person(territory, operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )


def offer_payload(employer, **overrides):
    payload = {
        "employer": employer.pk,
        "title": "Agent d'entretien",
        "rome_code": "k2204",
        "postal_code": "67000",
        "city": "Strasbourg",
        "weekly_hours": 24,
        "contract_type": "cdd",
        "contract_months": 6,
        "starts_on": "2025-04-01",
    }
    payload.update(overrides)
    return payload


def test_create_offer_takes_the_callers_operator(api_as, referent_user, operator, employer):
    response = api_as(referent_user).post("/api/v1/offers", offer_payload(employer))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rome_code"] == "K2204"
    assert body["operator"] == operator.pk
    assert body["employer_name"] == "Nettoyage Alsacien"
    assert JobOffer.objects.get().created_by == referent_user


def test_offer_without_employer_answers_422_citing_p7(api_as, referent_user, employer):
    payload = offer_payload(employer)
    del payload["employer"]
    response = api_as(referent_user).post("/api/v1/offers", payload)
    assert response.status_code == 422
    body = response.json()
    assert (
        body["detail"] == "Les données envoyées contiennent des erreurs : rien n'a été enregistré."
    )
    assert "(règle P7)" in body["errors"]["employer"][0]
    assert not JobOffer.objects.exists()


def test_offer_with_bad_rome_code_and_unknown_field(api_as, referent_user, employer):
    client = api_as(referent_user)
    response = client.post("/api/v1/offers", offer_payload(employer, rome_code="Z12"))
    assert "Le code ROME « Z12 » n'est pas valide" in response.json()["errors"]["rome_code"][0]
    # The shape of a code, but no fiche: the API answers like the page, citing P7.
    response = client.post("/api/v1/offers", offer_payload(employer, rome_code="k2299"))
    assert response.status_code == 422
    message = response.json()["errors"]["rome_code"][0]
    assert "« k2299 » n'existe pas dans le répertoire ROME" in message and "(règle P7)" in message
    assert not JobOffer.objects.exists()
    response = client.post("/api/v1/offers", offer_payload(employer, salaire=1800))
    assert response.json()["errors"]["salaire"] == [
        "Ce champ n'existe pas : retirez-le de la requête."
    ]


def test_offers_list_is_the_operators(api_as, referent_user, operator, other_operator, employer):
    JobOfferFactory(employer=employer, operator=operator, title="Agent d'entretien")
    JobOfferFactory(
        employer=employer, operator=operator, title="Vendeur", rome_code="D1214", status="closed"
    )
    theirs = JobOfferFactory(employer=employer, operator=other_operator, title="Concurrente")
    client = api_as(referent_user)
    body = client.get("/api/v1/offers").json()
    assert body["count"] == 2
    assert {o["title"] for o in body["results"]} == {"Agent d'entretien", "Vendeur"}
    assert client.get("/api/v1/offers", {"status": "closed"}).json()["count"] == 1
    assert client.get("/api/v1/offers", {"q": "d1214"}).json()["count"] == 1
    assert client.get(f"/api/v1/offers/{theirs.pk}").status_code == 404


def immersion_payload(person, employer, **overrides):
    payload = {
        "beneficiary": person.pk,
        "employer": employer.pk,
        "purpose": "confirm",
        "objectives": "Tenir un poste d'entretien.",
        "starts_on": "2025-03-03",
        "ends_on": "2025-03-28",
    }
    payload.update(overrides)
    return payload


def test_create_immersion_and_refuse_a_too_long_one(api_as, referent_user, person, employer):
    client = api_as(referent_user)
    response = client.post("/api/v1/immersions", immersion_payload(person, employer))
    assert response.status_code == 201, response.json()
    assert response.json()["purpose"] == "confirm"
    # 3 March + one month "de date à date" ends on 2 April (D5135-3 al. 1).
    response = client.post(
        "/api/v1/immersions",
        immersion_payload(
            person, employer, starts_on="2025-06-02", ends_on="2025-07-02", purpose="recruit"
        ),
    )
    assert response.status_code == 422
    (message,) = response.json()["errors"]["__all__"]
    assert "finit au plus tard le 01/07/2025 (Code du travail, art. D5135-3)" in message
    assert Immersion.objects.count() == 1


def test_immersion_of_someone_else_is_not_reachable(
    api_as, referent_user, territory, operator, employer
):
    stranger = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=factories.referent(operator)
    )
    hidden = ImmersionFactory(beneficiary=stranger, employer=employer)
    client = api_as(referent_user)
    assert client.get(f"/api/v1/immersions/{hidden.pk}").status_code == 404
    assert client.get("/api/v1/immersions").json()["count"] == 0
    response = client.post("/api/v1/immersions", immersion_payload(stranger, employer))
    assert response.status_code == 422
    assert "beneficiary" in response.json()["errors"]


def test_immersions_list_for_a_person(api_as, referent_user, person, employer):
    ImmersionFactory(
        beneficiary=person,
        employer=employer,
        starts_on=dt.date(2025, 3, 3),
        ends_on=dt.date(2025, 3, 7),
    )
    body = api_as(referent_user).get("/api/v1/immersions", {"beneficiary": person.pk}).json()
    assert body["count"] == 1
    assert body["results"][0]["ends_on"] == "2025-03-07"


def test_offer_matches_with_reasons(api_as, referent_user, operator, employer, person):
    offer = JobOfferFactory(employer=employer, operator=operator)
    JobSearchProfileFactory(beneficiary=person)
    (row,) = api_as(referent_user).get(f"/api/v1/offers/{offer.pk}/matches").json()
    # K2204 = K2204 (50) + 67000 wished (30) + 24 h within 20–30 h (20) = 100
    assert row["beneficiary"] == person.pk
    assert row["score"] == 100
    assert row["reasons"][0] == "Même métier (code ROME K2204)"


def test_routes_are_in_the_openapi_document(client, referent_user):
    client.force_login(referent_user)  # the OpenAPI document needs a login
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/offers",
        "/api/v1/offers/{id}",
        "/api/v1/immersions",
        "/api/v1/immersions/{id}",
    } <= set(paths)
