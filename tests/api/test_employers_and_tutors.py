"""Employers and tutors through the API: shared within the territory, checked like the pages."""

import pytest

from tests import factories
from tremplin.accounts.models import AuditEntry
from tremplin.registry.models import Employer

from .helpers import employer_payload

pytestmark = pytest.mark.django_db

EMPLOYERS = "/api/v1/employers"
TUTORS = "/api/v1/tutors"
NOTHING_SAVED = "Les données envoyées contiennent des erreurs : rien n'a été enregistré."


@pytest.fixture
def remote_employer():
    haut_rhin = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    return factories.EmployerFactory(territory=haut_rhin, postal_code="68100", city="Mulhouse")


def test_employers_are_listed_within_the_territory(
    api_as, referent_user, territory, remote_employer
):
    local = factories.EmployerFactory(territory=territory)
    body = api_as(referent_user).get(EMPLOYERS).json()
    assert [row["id"] for row in body["results"]] == [local.pk]
    assert body["results"][0]["siren"] == local.siret[:9]
    assert body["results"][0]["status_label"] == "99 — Autre entreprise"


def test_an_employer_of_another_territory_is_a_404(api_as, referent_user, remote_employer):
    response = api_as(referent_user).get(f"{EMPLOYERS}/{remote_employer.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Introuvable ou hors de votre périmètre."


def test_admin_sees_every_employer(api_as, admin_user, territory, remote_employer):
    factories.EmployerFactory(territory=territory)
    assert api_as(admin_user).get(EMPLOYERS).json()["count"] == 2


def test_employers_are_searched_by_siren(api_as, agent_user, territory):
    wanted = factories.EmployerFactory(territory=territory)
    factories.EmployerFactory(territory=territory)
    body = api_as(agent_user).get(EMPLOYERS, {"q": wanted.siret[:9]}).json()
    assert [row["id"] for row in body["results"]] == [wanted.pk]


def test_agent_creates_an_employer(api_as, agent_user, territory):
    response = api_as(agent_user).post(
        EMPLOYERS, employer_payload(territory, naf_code="1071 c", idcc="843")
    )
    assert response.status_code == 201, response.json()
    employer = Employer.objects.get()
    assert response.json()["id"] == employer.pk
    # Normalised by the page's form, as typed on the page.
    assert (employer.naf_code, employer.idcc) == ("10.71C", "0843")


def test_wrong_siret_key_is_explained_and_nothing_is_written(api_as, agent_user, territory):
    siret = employer_payload(territory)["siret"]
    wrong = siret[:13] + str((int(siret[13]) + 1) % 10)
    response = api_as(agent_user).post(EMPLOYERS, employer_payload(territory, siret=wrong))
    assert response.status_code == 422
    assert response.json()["detail"] == NOTHING_SAVED
    assert "SIRET" in response.json()["errors"]["siret"][0]
    assert Employer.objects.count() == 0


def test_duplicate_siret_is_refused(api_as, agent_user, territory):
    existing = factories.EmployerFactory(territory=territory)
    response = api_as(agent_user).post(EMPLOYERS, employer_payload(territory, siret=existing.siret))
    assert response.status_code == 422
    assert response.json()["errors"]["siret"][0].startswith("Ce SIRET est déjà enregistré")
    assert Employer.objects.count() == 1


def test_headcount_as_text_is_refused_in_french(api_as, agent_user, territory):
    response = api_as(agent_user).post(
        EMPLOYERS, employer_payload(territory, headcount_dec31="douze")
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": NOTHING_SAVED,
        "errors": {"headcount_dec31": ["Nombre entier attendu."]},
    }


def test_aci_without_annex_number_gets_the_pages_message(api_as, agent_user, territory):
    response = api_as(agent_user).post(EMPLOYERS, employer_payload(territory, is_aci=True))
    assert response.status_code == 422
    assert response.json()["errors"]["aci_annex_number"] == [
        "Un atelier et chantier d'insertion doit indiquer le numéro de l'annexe financière "
        "de sa convention avec l'État."
    ]


def test_patch_an_employer_changes_one_field_and_is_audited(api_as, agent_user, territory):
    employer = factories.EmployerFactory(territory=territory, headcount_dec31=12)
    response = api_as(agent_user).patch(f"{EMPLOYERS}/{employer.pk}", {"headcount_dec31": 14})
    assert response.status_code == 200, response.json()
    employer.refresh_from_db()
    assert employer.headcount_dec31 == 14
    entry = AuditEntry.objects.get(action="update", object_id=str(employer.pk), source="api")
    assert entry.changes == {"headcount_dec31": [12, 14]}


def test_patch_an_employer_out_of_scope_is_a_404(api_as, referent_user, remote_employer):
    response = api_as(referent_user).patch(
        f"{EMPLOYERS}/{remote_employer.pk}", {"headcount_dec31": 1}
    )
    assert response.status_code == 404


# --- Tutors -------------------------------------------------------------------------------


def test_tutors_are_filtered_by_employer(api_as, referent_user, territory):
    bakery, garage = factories.EmployerFactory.create_batch(2, territory=territory)
    baker = factories.TutorFactory(employer=bakery)
    factories.TutorFactory(employer=garage)
    client = api_as(referent_user)
    assert client.get(TUTORS).json()["count"] == 2
    body = client.get(TUTORS, {"employer": bakery.pk}).json()
    assert [row["id"] for row in body["results"]] == [baker.pk]
    assert body["results"][0]["employer_name"] == bakery.name


def test_tutors_of_another_territory_are_hidden(api_as, referent_user, remote_employer):
    remote_tutor = factories.TutorFactory(employer=remote_employer)
    client = api_as(referent_user)
    assert client.get(TUTORS, {"employer": remote_employer.pk}).json()["count"] == 0
    assert client.get(f"{TUTORS}/{remote_tutor.pk}").status_code == 404


def test_tutors_are_read_only(api_as, agent_user, territory):
    employer = factories.EmployerFactory(territory=territory)
    response = api_as(agent_user).post(TUTORS, {"employer": employer.pk})
    assert response.status_code == 405
