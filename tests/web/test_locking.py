"""Concurrent edits (optimistic locking): two agents open the same record, both save; the
second save is refused with what changed, the typed input kept; saved again, it goes
through knowingly. Pages (person, convention, support) and the API (409)."""

import html

import pytest
from django.urls import reverse

from tests import factories
from tests.api.helpers import TokenClient
from tests.conventions.factories import ConventionFactory
from tests.support.factories import episode_for
from tremplin.accounts.models import ApiToken
from tremplin.registry.models import Beneficiary
from tremplin.web.locking import BASE_FIELD, VERSION_FIELD

pytestmark = pytest.mark.django_db


def post_data(response, prefix_fields=None) -> dict:
    """What the browser sends back for the form of ``response``, unchanged."""
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        if isinstance(value, list):
            value = [str(item) for item in value]
        data[bound.html_name] = value
    return data


def logged(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def two_agents(client, referent_user, coordinator_user):
    """The referent and the coordinator of the same structure: both see the same files."""
    return logged(type(client), referent_user), logged(type(client), coordinator_user)


def page(response) -> str:
    return html.unescape(response.content.decode())


# --- The person's file --------------------------------------------------------------------


@pytest.fixture
def person(territory, operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user, city="Strasbourg"
    )


def test_the_second_save_of_a_person_is_refused_and_shows_what_changed(two_agents, person):
    first, second = two_agents
    url = reverse("registry:beneficiary_update", args=[person.pk])
    first_data = post_data(first.get(url))
    second_data = post_data(second.get(url))
    assert first_data[VERSION_FIELD] and first_data[BASE_FIELD]

    first_data["city"] = "Illkirch-Graffenstaden"
    assert first.post(url, first_data).status_code == 302

    second_data["city"] = "Strasbourg Cedex"
    response = second.post(url, second_data)
    assert response.status_code == 200
    text = page(response)
    assert "a été modifié par quelqu'un d'autre pendant votre saisie" in text
    assert (
        "« Illkirch-Graffenstaden » est enregistré ; vous avez saisi « Strasbourg Cedex »" in text
    )
    assert 'value="Strasbourg Cedex"' in text  # the typed input is kept
    person.refresh_from_db()
    assert person.city == "Illkirch-Graffenstaden"  # the first save survives

    # Saved again from the refused page, the second agent's input wins, knowingly.
    again = second.post(url, post_data(response))
    assert again.status_code == 302
    person.refresh_from_db()
    assert person.city == "Strasbourg Cedex"


def test_a_change_of_a_field_the_form_does_not_show_refuses_nothing(two_agents, person):
    first, second = two_agents
    url = reverse("registry:beneficiary_update", args=[person.pk])
    data = post_data(second.get(url))
    # Another save of the record, on a field that is not in the form: erases nothing.
    Beneficiary.objects.get(pk=person.pk).save()
    data["phone"] = "06 12 34 56 78"
    assert second.post(url, data).status_code == 302


def test_the_nir_changed_meanwhile_is_named_but_never_written(two_agents, person):
    first, second = two_agents
    url = reverse("registry:beneficiary_update", args=[person.pk])
    second_data = post_data(second.get(url))
    changed = Beneficiary.objects.get(pk=person.pk)
    changed.set_rsa_number("CAF", "7654321")
    changed.save()
    second_data["city"] = "Strasbourg Cedex"
    response = second.post(url, second_data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["rsa_number"] == [
        "Modifié pendant votre saisie (valeur non reprise ici : consultez le dossier)."
    ]
    assert "7654321" not in str(errors)


def test_two_saves_passing_the_check_together_only_one_is_written(two_agents, person):
    """Both checks pass, then the first save commits before the second's: the second's
    conditional claim of the version finds it taken (EditConflict) and writes nothing."""
    first, second = two_agents
    url = reverse("registry:beneficiary_update", args=[person.pk])
    data = post_data(second.get(url))
    data["city"] = "Strasbourg Cedex"

    from tremplin.web import locking

    real_claim = locking.EditVersionMixin.claim_version

    def claim_after_another_save(self):
        Beneficiary.objects.filter(pk=person.pk).update(city="Illkirch-Graffenstaden")
        Beneficiary.objects.get(pk=person.pk).save()  # a new version
        return real_claim(self)

    locking.EditVersionMixin.claim_version = claim_after_another_save
    try:
        response = second.post(url, data)
    finally:
        locking.EditVersionMixin.claim_version = real_claim
    assert response.status_code == 200
    assert "au moment même de votre enregistrement" in page(response)
    person.refresh_from_db()
    # the savepoint rolled back everything of the refused save (the simulated other save,
    # made inside it here, too); in any case the typed city was not written
    assert person.city != "Strasbourg Cedex"


# --- The convention (a step of the wizard) ------------------------------------------------


def test_the_second_save_of_a_convention_step_is_refused(two_agents, territory, person):
    convention = ConventionFactory(territory=territory, beneficiary=person)
    first, second = two_agents
    url = reverse("conventions:update", args=[convention.pk]) + "?etape=4"
    first_data = post_data(first.get(url))
    second_data = post_data(second.get(url))
    first_data["job_title"] = "Pâtissier"
    assert first.post(url, first_data).status_code == 302

    second_data["job_title"] = "Vendeur en boulangerie"
    response = second.post(url, second_data)
    assert response.status_code == 200
    text = page(response)
    assert "« Pâtissier » est enregistré ; vous avez saisi « Vendeur en boulangerie »" in text
    assert 'value="Vendeur en boulangerie"' in text
    convention.refresh_from_db()
    assert convention.job_title == "Pâtissier"


# --- The in-employment support ------------------------------------------------------------


def test_the_second_save_of_a_support_is_refused(two_agents, referent_user):
    episode = episode_for(referent_user)
    first, second = two_agents
    url = reverse("support:episode_update", args=[episode.pk])
    first_data = post_data(first.get(url))
    second_data = post_data(second.get(url))
    first_data["rsa_adviser_name"] = "Paul Weber"
    assert first.post(url, first_data).status_code == 302

    second_data["rsa_adviser_name"] = "Anne Klein"
    response = second.post(url, second_data)
    assert response.status_code == 200
    assert "« Paul Weber » est enregistré ; vous avez saisi « Anne Klein »" in page(response)
    episode.refresh_from_db()
    assert episode.rsa_adviser_name == "Paul Weber"


# --- The API ------------------------------------------------------------------------------


@pytest.fixture
def api_as(client):
    def make(user) -> TokenClient:
        _, key = ApiToken.issue(user, "tests")
        return TokenClient(client, key)

    return make


def test_api_patch_with_a_stale_version_is_refused_with_409(api_as, person, referent_user):
    api = api_as(referent_user)
    detail = f"/api/v1/beneficiaries/{person.pk}"
    read_first = api.get(detail).json()
    read_second = api.get(detail).json()
    assert read_first["version"] == read_second["version"]

    ok = api.patch(detail, {"city": "Illkirch-Graffenstaden", "version": read_first["version"]})
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] != read_first["version"]

    refused = api.patch(detail, {"city": "Strasbourg Cedex", "version": read_second["version"]})
    assert refused.status_code == 409
    body = refused.json()
    assert "modifié depuis votre lecture" in body["detail"]
    assert body["errors"]["city"] == [
        "Modifié pendant votre saisie : « Illkirch-Graffenstaden » est enregistré ; vous avez "
        "saisi « Strasbourg Cedex »."
    ]
    person.refresh_from_db()
    assert person.city == "Illkirch-Graffenstaden"

    # With the version read again, the change goes through.
    fresh = api.get(detail).json()["version"]
    assert api.patch(detail, {"city": "Strasbourg Cedex", "version": fresh}).status_code == 200


def test_api_patch_without_version_is_not_checked(api_as, person, referent_user):
    api = api_as(referent_user)
    detail = f"/api/v1/beneficiaries/{person.pk}"
    Beneficiary.objects.get(pk=person.pk).save()
    assert api.patch(detail, {"city": "Strasbourg Cedex"}).status_code == 200


def test_the_edit_version_is_a_hidden_field_outside_the_fieldsets(two_agents, person):
    first, _ = two_agents
    response = first.get(reverse("registry:beneficiary_update", args=[person.pk]))
    text = page(response)
    assert f'type="hidden" name="{VERSION_FIELD}"' in text
    assert "Autres informations" not in text
    assert person.nir not in response.context["form"].initial[BASE_FIELD]
