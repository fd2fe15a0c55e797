"""A person can exist with what a list holds (identity, birth date, sex, contact); the
cerfa's other fields are asked when a convention is written (rule F1)."""

import datetime
import html

import pytest
from django.urls import reverse

from tests import factories
from tests.conventions.factories import ConventionFactory
from tremplin.conventions import services
from tremplin.registry.models import Beneficiary

pytestmark = pytest.mark.django_db

MINIMAL = {
    "civility": "M",
    "last_name": "Kieffer",
    "first_names": "Éric",
    "birth_date": "1979-11-02",
    "phone": "06 11 22 33 44",
}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def logged_referent(client, referent_user):
    client.force_login(referent_user)
    return client


def minimal_data(territory, operator, referent, **overrides):
    return {
        "territory": territory.pk,
        "operator": operator.pk,
        "referent": referent.pk,
        **MINIMAL,
        "earlier_rmi_api_months": "0",
        **overrides,
    }


def test_a_file_is_created_with_identity_birth_date_sex_and_contact(
    logged_referent, territory, operator, referent_user
):
    response = logged_referent.post(
        reverse("registry:beneficiary_create"), minimal_data(territory, operator, referent_user)
    )
    person = Beneficiary.objects.get()
    assert response.status_code == 302
    assert person.birth_place == "" and person.nationality == "" and person.street == ""
    assert person.name_key == "kieffer|eric"
    page = page_text(logged_referent.get(person.get_absolute_url()))
    assert "À compléter pour une convention :" in page
    for label in ("commune de naissance", "nationalité", "rue ou voie", "niveau de formation"):
        assert label in page


def test_a_complete_file_has_nothing_left_to_complete(logged_referent, territory, operator):
    person = factories.BeneficiaryFactory(territory=territory, operator=operator)
    assert person.missing_for_convention == []


def test_the_api_creates_a_minimal_file(client, referent_user, territory, operator):
    from tremplin.accounts.models import ApiToken

    _, key = ApiToken.issue(referent_user, "tests")
    response = client.post(
        "/api/v1/beneficiaries",
        {**MINIMAL, "territory": territory.pk, "operator": operator.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201, response.content
    assert response.json()["birth_place"] == ""


def test_a_homonym_asks_for_confirmation_with_a_link(
    logged_referent, territory, operator, referent_user
):
    existing = factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=referent_user,
        civility="M",
        last_name="KIEFFER",
        first_names="Eric",
        birth_date=datetime.date(1979, 11, 2),
    )
    url = reverse("registry:beneficiary_create")
    data = minimal_data(territory, operator, referent_user)
    response = logged_referent.post(url, data)
    page = page_text(response)
    assert response.status_code == 200
    assert "Une personne du même nom, née le même jour, a déjà un dossier" in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert 'name="confirm_homonym"' in page
    assert Beneficiary.objects.count() == 1
    response = logged_referent.post(url, {**data, "confirm_homonym": "on"})
    assert response.status_code == 302
    assert Beneficiary.objects.count() == 2


def test_a_homonym_outside_the_scope_is_not_revealed(
    logged_referent, territory, operator, other_operator, referent_user
):
    hidden = factories.BeneficiaryFactory(
        territory=territory,
        operator=other_operator,
        last_name="Kieffer",
        first_names="éric",
        birth_date=datetime.date(1979, 11, 2),
    )
    response = logged_referent.post(
        reverse("registry:beneficiary_create"), minimal_data(territory, operator, referent_user)
    )
    page = page_text(response)
    assert "suivi par une autre structure" in page
    assert hidden.get_absolute_url() not in page and "KIEFFER" not in page


def test_an_edit_never_asks_about_homonyms(logged_referent, territory, operator, referent_user):
    factories.BeneficiaryFactory(
        territory=territory,
        last_name="Kieffer",
        first_names="Eric",
        birth_date=datetime.date(1979, 11, 2),
    )
    mine = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user, identifiers=False
    )
    data = minimal_data(territory, operator, referent_user)
    response = logged_referent.post(reverse("registry:beneficiary_update", args=[mine.pk]), data)
    assert response.status_code == 302


# --- The convention asks for the rest (rule F1) ---------------------------------------------


@pytest.fixture
def listed_person(territory, operator, referent_user):
    """A person as a list gives them: no birth place, nationality, address or situation."""
    return factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=referent_user,
        birth_date=datetime.date(1990, 6, 1),
        birth_place="",
        birth_department="",
        nationality="",
        street_number="",
        street="",
        postal_code="",
        city="",
        education_level="",
        unemployed_for="",
        disabled_worker="",
        identifiers=False,
    )


def test_signing_is_blocked_while_the_file_lacks_the_cerfa_fields(territory, listed_person):
    convention = ConventionFactory(
        territory=territory,
        beneficiary=listed_person,
        education_level="",
        unemployed_for="",
        disabled_worker="",
    )
    findings = [f for f in services.findings_of(convention) if f.rule == "F1"]
    messages = " ".join(f.message for f in findings)
    assert all(f.blocking for f in findings) and len(findings) == 2
    assert "commune de naissance" in messages and "nationalité" in messages
    assert "niveau de formation" in messages


def test_the_situation_step_asks_prefilled_fields_and_completes_the_file(
    logged_referent, territory, listed_person
):
    listed_person.birth_place = "Colmar"
    listed_person.save()
    convention = ConventionFactory(territory=territory, beneficiary=listed_person)
    url = reverse("conventions:update", args=[convention.pk]) + "?etape=3"
    page = page_text(logged_referent.get(url))
    assert 'name="salarie-birth_place"' in page and 'value="Colmar"' in page
    base = {"etape": 3, "education_level": "50", "unemployed_for": "12_23"}
    response = logged_referent.post(url, {**base, "disabled_worker": ""})
    assert response.status_code == 200  # required at this step: nothing written
    assert "Ce champ est obligatoire" in page_text(response)
    listed_person.refresh_from_db()
    assert listed_person.nationality == ""
    response = logged_referent.post(
        url,
        {
            **base,
            "disabled_worker": "no",
            "salarie-birth_place": "Colmar",
            "salarie-birth_department": "68",
            "salarie-nationality": "FR",
            "salarie-street": "rue Vauban",
            "salarie-postal_code": "67000",
            "salarie-city": "Strasbourg",
        },
    )
    assert response.status_code == 302
    listed_person.refresh_from_db()
    assert listed_person.nationality == "FR" and listed_person.birth_department == "68"
    # The file's empty situation takes what the convention learnt.
    assert listed_person.education_level == "50" and listed_person.disabled_worker == "no"
    assert listed_person.missing_for_convention == []
    convention.refresh_from_db()
    assert not [f for f in services.findings_of(convention) if f.rule == "F1"]


def test_the_situation_step_checks_the_postal_code_against_the_territory(
    logged_referent, territory, listed_person
):
    convention = ConventionFactory(territory=territory, beneficiary=listed_person)
    url = reverse("conventions:update", args=[convention.pk]) + "?etape=3"
    response = logged_referent.post(
        url,
        {
            "etape": 3,
            "education_level": "50",
            "unemployed_for": "12_23",
            "disabled_worker": "no",
            "salarie-birth_place": "Colmar",
            "salarie-birth_department": "68",
            "salarie-nationality": "FR",
            "salarie-street": "rue Vauban",
            "salarie-postal_code": "75011",
            "salarie-city": "Paris",
        },
    )
    assert response.status_code == 200
    listed_person.refresh_from_db()
    assert listed_person.city == ""
