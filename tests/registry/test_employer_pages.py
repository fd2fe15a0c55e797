import html

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import cites
from tremplin.registry.models import Employer, Tutor

pytestmark = pytest.mark.django_db


def employer_data(territory, **overrides):
    data = {
        "territory": territory.pk,
        "name": "Menuiserie Kieffer",
        "street_number": "8",
        "street": "rue du Travail",
        "postal_code": "67200",
        "city": "Strasbourg",
        "siret": "732 829 320 00074",
        "naf_code": "1623Z",
        "idcc": "1499",
        "status": "99",
        "headcount_dec31": "14",
        "contributions_collector": "URSSAF",
        "unemployment_insurance": "unedic",
        "sector": "market",
    }
    data.update(overrides)
    return data


@pytest.fixture
def logged(client, coordinator_user):
    client.force_login(coordinator_user)
    return client


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_create_employer_derives_the_siren(logged, territory):
    response = logged.post(reverse("registry:employer_create"), employer_data(territory))
    employer = Employer.objects.get()
    assert response.status_code == 302
    assert employer.siret == "73282932000074"
    assert employer.siren == "732829320"
    assert employer.naf_code == "16.23Z"
    page = page_text(logged.get(employer.get_absolute_url()))
    assert "16.23Z — Fabrication de charpentes et d'autres menuiseries" in page


def test_wrong_siret_names_the_wrong_part(logged, territory):
    response = logged.post(
        reverse("registry:employer_create"), employer_data(territory, siret="73282932000075")
    )
    assert "Le NIC (5 derniers chiffres du SIRET : 00075)" in page_text(response)
    assert 'value="Menuiserie Kieffer"' in response.content.decode()
    assert not Employer.objects.exists()


def test_duplicate_siret_links_to_the_existing_employer(logged, territory):
    existing = factories.EmployerFactory(territory=territory, siret="73282932000074")
    response = logged.post(reverse("registry:employer_create"), employer_data(territory))
    assert f'href="{existing.get_absolute_url()}"' in response.content.decode()
    assert Employer.objects.count() == 1


def test_a_siret_saved_by_someone_else_meanwhile_is_refused_in_french(
    logged, territory, monkeypatch
):
    # Another agent saves the same SIRET between this form's checks and its insert: the
    # unique index refuses the insert, the page says so and keeps what was typed.
    from tremplin.registry import forms

    existing = factories.EmployerFactory(territory=territory, siret="73282932000074")
    monkeypatch.setattr(
        forms.EmployerForm,
        "clean_siret",
        lambda form: forms.clean_identifier(
            forms.identifiers.normalize_siret, form.cleaned_data["siret"]
        ),
    )
    monkeypatch.setattr(forms.EmployerForm, "validate_unique", lambda form: None)
    response = logged.post(reverse("registry:employer_create"), employer_data(territory))
    page = page_text(response)
    assert response.status_code == 200
    assert "vient d'être enregistré pendant votre saisie" in page
    assert "Rien n'a été enregistré" in page
    assert 'value="Menuiserie Kieffer"' in response.content.decode()
    assert list(Employer.objects.values_list("pk", flat=True)) == [existing.pk]


def test_unknown_naf_code_is_refused_citing_f1_and_the_form_is_kept(logged, territory):
    # 16.23 (menuiseries et charpentes) has one sub-class, Z: 16.23A names nothing.
    response = logged.post(
        reverse("registry:employer_create"), employer_data(territory, naf_code="1623A")
    )
    page = page_text(response)
    assert "Le code NAF « 1623A » n'existe pas dans la nomenclature NAF rév. 2" in page
    assert cites(page, "F1") and "16.23Z (" in page
    assert 'value="Menuiserie Kieffer"' in page
    assert not Employer.objects.exists()


def test_employer_form_proposes_the_naf_sub_classes(logged):
    page = page_text(logged.get(reverse("registry:employer_create")))
    assert '<datalist id="id_naf_code-codes">' in page
    assert '<option value="88.99B">88.99B — Action sociale sans hébergement n.c.a.</option>' in page


def test_aci_needs_its_annex_number(logged, territory):
    response = logged.post(
        reverse("registry:employer_create"),
        employer_data(territory, is_aci="on", status="50", sector="non_market"),
    )
    assert "numéro de l'annexe financière" in page_text(response)


def test_incomplete_administrative_address(logged, territory):
    response = logged.post(
        reverse("registry:employer_create"), employer_data(territory, admin_street="BP 12")
    )
    assert "L'adresse administrative est incomplète" in page_text(response)


def test_headcount_of_the_wrong_type(logged, territory):
    response = logged.post(
        reverse("registry:employer_create"), employer_data(territory, headcount_dec31="douze")
    )
    assert "Saisissez un nombre entier" in page_text(response)


def test_database_refuses_an_aci_without_annex(territory):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.EmployerFactory(territory=territory, is_aci=True, aci_annex_number="")


def test_tutor_with_little_experience_is_recorded_with_a_warning(logged, territory):
    employer = factories.EmployerFactory(territory=territory)
    response = logged.post(
        reverse("registry:tutor_create"),
        {
            "employer": employer.pk,
            "last_name": "Weber",
            "first_name": "Anne",
            "function": "Cheffe d'atelier",
            "experience_years": "1",
        },
        follow=True,
    )
    assert Tutor.objects.filter(employer=employer).count() == 1
    assert "moins de 2 ans d'expérience" in page_text(response)
    assert cites(page_text(response), "C12")


def test_employer_list_is_searchable_by_siren(logged, territory):
    wanted = factories.EmployerFactory(territory=territory)
    factories.EmployerFactory(territory=territory)
    page = logged.get(reverse("registry:employer_list"), {"q": wanted.siren})
    assert list(page.context["object_list"]) == [wanted]


def test_employer_detail_lists_tutors(logged, territory):
    tutor = factories.TutorFactory(employer__territory=territory, experience_years=1)
    page = page_text(logged.get(tutor.employer.get_absolute_url()))
    assert tutor.function in page
    assert 'moins de 2 ans <a class="rule-ref" href="/aide/regles/#regle-C12"' in page
