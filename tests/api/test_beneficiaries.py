"""Beneficiaries through the API: scope, pagination, search, validation, audit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tremplin.accounts.models import AuditEntry
from tremplin.registry.models import Beneficiary

from .helpers import beneficiary_payload, valid_nir

pytestmark = pytest.mark.django_db

LIST = "/api/v1/beneficiaries"


def detail(beneficiary) -> str:
    return f"{LIST}/{beneficiary.pk}"


@pytest.fixture
def people(territory, operator, other_operator, referent_user):
    other_territory = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    return {
        "mine": factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=referent_user
        ),
        "colleague": factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=factories.referent(operator)
        ),
        "other_operator": factories.BeneficiaryFactory(
            territory=territory,
            operator=other_operator,
            referent=factories.referent(other_operator),
        ),
        "other_territory": factories.BeneficiaryFactory(
            territory=other_territory,
            operator=factories.OrganisationFactory(territory=other_territory),
            postal_code="68100",
            city="Mulhouse",
        ),
    }


# --- Access matrix: the same as the pages (tests/registry/test_access.py) --------------------

VISIBLE_BY_ROLE = {
    "referent_user": {"mine"},
    "coordinator_user": {"mine", "colleague"},
    "agent_user": {"mine", "colleague", "other_operator"},
    "admin_user": {"mine", "colleague", "other_operator", "other_territory"},
}


@pytest.mark.parametrize("role", VISIBLE_BY_ROLE)
def test_list_shows_exactly_the_users_scope(request, api_as, people, role):
    user = request.getfixturevalue(role)
    response = api_as(user).get(LIST)
    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    assert listed == {people[key].pk for key in VISIBLE_BY_ROLE[role]}
    assert response.json()["count"] == len(VISIBLE_BY_ROLE[role])


@pytest.mark.parametrize("role", VISIBLE_BY_ROLE)
@pytest.mark.parametrize("key", ["mine", "colleague", "other_operator", "other_territory"])
def test_detail_outside_the_scope_is_a_404(request, api_as, people, role, key):
    user = request.getfixturevalue(role)
    response = api_as(user).get(detail(people[key]))
    if key in VISIBLE_BY_ROLE[role]:
        assert response.status_code == 200
        assert response.json()["id"] == people[key].pk
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": "Introuvable ou hors de votre périmètre."}


def test_a_referent_cannot_update_a_colleagues_beneficiary(api_as, referent_user, people):
    colleague = people["colleague"]
    response = api_as(referent_user).patch(detail(colleague), {"phone": "06 99 99 99 99"})
    assert response.status_code == 404
    colleague.refresh_from_db()
    assert colleague.phone == ""


def test_user_without_membership_sees_an_empty_list(api_as, people):
    response = api_as(factories.UserFactory()).get(LIST)
    assert response.json()["count"] == 0


# --- Reading ------------------------------------------------------------------------------


def test_detail_masks_the_nir_and_the_rsa_number(api_as, referent_user, people):
    mine = people["mine"]
    response = api_as(referent_user).get(detail(mine))
    body = response.json()
    assert mine.nir not in response.content.decode()
    assert mine.rsa_number not in response.content.decode()
    assert "nir" not in body and "rsa_number" not in body
    assert body["nir_masked"] == mine.nir_masked
    assert body["rsa_number_masked"] == mine.rsa_number_masked
    assert body["civility"] == "MME"
    assert body["civility_label"] == "Mme"
    assert body["referent"] == referent_user.pk
    assert body["referent_name"] == referent_user.get_full_name()
    assert body["territory_code"] == "67"


def test_reading_a_file_is_audited(api_as, referent_user, people):
    mine = people["mine"]
    api_as(referent_user).get(detail(mine))
    entry = AuditEntry.objects.get(action="view")
    assert entry.object_type == "registry.beneficiary"
    assert entry.object_id == str(mine.pk)
    assert entry.actor == referent_user
    assert entry.source == "api"


def test_a_refused_read_is_not_audited_as_a_view(api_as, referent_user, people):
    api_as(referent_user).get(detail(people["colleague"]))
    assert not AuditEntry.objects.filter(action="view").exists()


def test_list_is_paginated(api_as, admin_user, territory, operator):
    factories.BeneficiaryFactory.create_batch(7, territory=territory, operator=operator)
    client = api_as(admin_user)
    first = client.get(LIST, {"page_size": 3}).json()
    last = client.get(LIST, {"page_size": 3, "page": 3}).json()
    assert (first["count"], first["page"], first["page_size"]) == (7, 1, 3)
    assert len(first["results"]) == 3
    assert len(last["results"]) == 1
    every_id = {
        row["id"]
        for page in (1, 2, 3)
        for row in client.get(LIST, {"page_size": 3, "page": page}).json()["results"]
    }
    assert len(every_id) == 7


def test_default_page_size_is_25(api_as, admin_user, territory, operator):
    factories.BeneficiaryFactory.create_batch(26, territory=territory, operator=operator)
    body = api_as(admin_user).get(LIST).json()
    assert (body["page"], body["page_size"], len(body["results"])) == (1, 25, 25)


def test_page_size_above_100_is_refused_in_french(api_as, admin_user):
    response = api_as(admin_user).get(LIST, {"page_size": 500})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "page_size": ["La valeur doit être inférieure ou égale à 100."]
    }


def test_list_searches_by_name_and_by_exact_nir(api_as, admin_user, territory, operator):
    elodie = factories.BeneficiaryFactory(
        territory=territory, operator=operator, last_name="Écuyer", first_names="Élodie"
    )
    factories.BeneficiaryFactory(territory=territory, operator=operator, last_name="Martin")
    client = api_as(admin_user)
    by_name = client.get(LIST, {"q": "ecuyer elo"}).json()
    by_nir = client.get(LIST, {"q": elodie.nir}).json()
    assert [row["id"] for row in by_name["results"]] == [elodie.pk]
    assert [row["id"] for row in by_nir["results"]] == [elodie.pk]


def test_search_stays_within_the_scope(api_as, referent_user, people):
    colleague = people["colleague"]
    response = api_as(referent_user).get(LIST, {"q": colleague.last_name})
    assert colleague.pk not in {row["id"] for row in response.json()["results"]}


def list_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"page_size": 100})
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def test_list_query_count_is_the_same_for_5_and_50_rows(
    api_as, coordinator_user, territory, operator
):
    referent = factories.referent(operator)

    def add(count):
        factories.BeneficiaryFactory.create_batch(
            count, territory=territory, operator=operator, referent=referent
        )

    client = api_as(coordinator_user)
    add(5)
    with_5 = list_queries(client)
    add(45)
    with_50 = list_queries(client)
    assert len(with_5) == len(with_50), with_50
    # Token, its last use, scope, count and page (plus the request's savepoint): no per-row
    # query for the operator, the referent or the territory.
    assert len(with_50) <= 7, with_50


# --- Creating -----------------------------------------------------------------------------


def test_referent_creates_a_beneficiary(api_as, referent_user, territory, operator):
    response = api_as(referent_user).post(
        LIST, beneficiary_payload(territory, operator, referent_user)
    )
    assert response.status_code == 201, response.json()
    beneficiary = Beneficiary.objects.get()
    body = response.json()
    assert body["id"] == beneficiary.pk
    assert beneficiary.nir == valid_nir()
    assert beneficiary.rsa_number == "1234567"
    assert body["nir_masked"] == beneficiary.nir_masked
    # Rule F3, computed by the form as on the page: RSA since 2009 plus RMI months.
    assert body["minimum_income_for"] == "24plus"
    assert body["phone"] == "06 12 34 56 78"
    assert AuditEntry.objects.filter(action="create", object_id=str(beneficiary.pk)).exists()


def test_absent_follow_up_fields_take_the_pages_defaults(
    api_as, referent_user, territory, operator
):
    payload = beneficiary_payload(territory, operator, referent_user)
    del payload["referent"], payload["operator"]
    response = api_as(referent_user).post(LIST, payload)
    assert response.status_code == 201, response.json()
    assert response.json()["referent"] == referent_user.pk
    assert response.json()["operator"] == operator.pk


def test_wrong_nir_key_is_explained_and_nothing_is_written(
    api_as, referent_user, territory, operator
):
    nir = valid_nir()
    wrong_key = f"{(int(nir[13:]) + 1) % 97:02d}"
    response = api_as(referent_user).post(
        LIST, beneficiary_payload(territory, operator, referent_user, nir=nir[:13] + wrong_key)
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == (
        "Les données envoyées contiennent des erreurs : rien n'a été enregistré."
    )
    assert list(body["errors"]) == ["nir"]
    (message,) = body["errors"]["nir"]
    assert f"La clé du NIR (2 derniers chiffres) vaut {wrong_key}" in message
    assert f"donnent la clé {nir[13:]}" in message
    assert Beneficiary.objects.count() == 0
    assert not AuditEntry.objects.filter(action="create").exists()


def test_duplicate_nir_is_refused_with_the_existing_file(
    api_as, referent_user, territory, operator
):
    existing = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )
    response = api_as(referent_user).post(
        LIST,
        beneficiary_payload(
            territory,
            operator,
            referent_user,
            nir=existing.nir,
            birth_date=existing.birth_date.isoformat(),
            rsa_number="7654321",
        ),
    )
    assert response.status_code == 422
    (message,) = response.json()["errors"]["nir"]
    # The page's link becomes plain text: no HTML in JSON.
    assert message.startswith(f"Ce NIR est déjà enregistré pour {existing} (")
    assert existing.get_absolute_url() in message
    assert "<a" not in message and "&#x27;" not in message
    assert Beneficiary.objects.count() == 1


def test_duplicate_outside_the_scope_does_not_leak_the_file(
    api_as, referent_user, territory, operator, other_operator
):
    hidden = factories.BeneficiaryFactory(territory=territory, operator=other_operator)
    response = api_as(referent_user).post(
        LIST,
        beneficiary_payload(
            territory,
            operator,
            referent_user,
            nir=hidden.nir,
            birth_date=hidden.birth_date.isoformat(),
        ),
    )
    (message,) = response.json()["errors"]["nir"]
    assert "suivi par une autre structure" in message
    assert hidden.get_absolute_url() not in message


def test_missing_required_fields_are_named(api_as, referent_user, territory, operator):
    payload = beneficiary_payload(territory, operator, referent_user)
    del payload["last_name"], payload["birth_date"]
    response = api_as(referent_user).post(LIST, payload)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "last_name": ["Ce champ est obligatoire."],
        "birth_date": ["Ce champ est obligatoire."],
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "17/04/1986", "Date attendue au format AAAA-MM-JJ."),
        ("birth_date", "1986-02-30", "Date attendue au format AAAA-MM-JJ."),
        ("earlier_rmi_api_months", "dix", "Nombre entier attendu."),
        ("receives_rsa", "peut-être", "Valeur booléenne attendue : true ou false."),
        ("last_name", 42, "Texte attendu."),
        ("territory", "Bas-Rhin", "Nombre entier attendu."),
        ("shoe_size", 42, "Ce champ n'existe pas : retirez-le de la requête."),
    ],
)
def test_a_payload_of_the_wrong_type_is_refused_in_french(
    api_as, referent_user, territory, operator, field, value, message
):
    payload = beneficiary_payload(territory, operator, referent_user)
    payload[field] = value
    response = api_as(referent_user).post(LIST, payload)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Les données envoyées contiennent des erreurs : rien n'a été enregistré.",
        "errors": {field: [message]},
    }
    assert Beneficiary.objects.count() == 0


def test_a_body_that_is_not_json_is_refused_in_french(client, referent_user):
    client.force_login(referent_user)
    response = client.post(LIST, "{pas du json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Le corps de la requête n'est pas un JSON valide."


def test_a_referent_cannot_assign_a_beneficiary_to_another_structure(
    api_as, referent_user, territory, other_operator
):
    payload = beneficiary_payload(territory, other_operator, factories.referent(other_operator))
    response = api_as(referent_user).post(LIST, payload)
    assert response.status_code == 422
    assert "operator" in response.json()["errors"]
    assert Beneficiary.objects.count() == 0


# --- Updating -----------------------------------------------------------------------------


def test_patch_changes_one_field_and_the_audit_log_names_it(api_as, referent_user, people):
    mine = people["mine"]
    nir_before = mine.nir
    response = api_as(referent_user).patch(detail(mine), {"phone": "0612345678"})
    assert response.status_code == 200, response.json()
    assert response.json()["phone"] == "06 12 34 56 78"
    mine.refresh_from_db()
    assert mine.phone == "06 12 34 56 78"
    assert mine.nir == nir_before  # the identifiers survive a partial update
    entry = AuditEntry.objects.get(action="update", object_id=str(mine.pk), source="api")
    assert entry.changes == {"phone": ["", "06 12 34 56 78"]}
    assert entry.actor == referent_user
    assert entry.source == "api"


def test_patch_with_an_invalid_value_writes_nothing(api_as, referent_user, people):
    mine = people["mine"]
    response = api_as(referent_user).patch(
        detail(mine), {"phone": "0612345678", "postal_code": "68100"}
    )
    assert response.status_code == 422
    assert "appartient au département 68" in response.json()["errors"]["postal_code"][0]
    mine.refresh_from_db()
    assert mine.phone == ""
    assert not AuditEntry.objects.filter(action="update", source="api").exists()


def test_patch_can_empty_an_optional_field_with_null(api_as, referent_user, people):
    mine = people["mine"]
    response = api_as(referent_user).patch(detail(mine), {"street_number": None})
    assert response.status_code == 200, response.json()
    mine.refresh_from_db()
    assert mine.street_number == ""


def test_patch_refuses_null_for_a_required_field(api_as, referent_user, people):
    response = api_as(referent_user).patch(detail(people["mine"]), {"last_name": None})
    assert response.status_code == 422
    assert response.json()["errors"] == {"last_name": ["Texte attendu."]}
