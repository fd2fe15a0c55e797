"""Showing the edit form of a saved record is a view in the audit log (issue 12, point 5):
the person's form shows the full NIR and allocation number, a convention's steps and a
support's form the person's situation. A form for a new record records no view."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conventions.factories import ConventionFactory
from tests.support.factories import episode_for
from tremplin.accounts.models import AuditEntry
from tremplin.conventions.forms import CONVENTION_STEPS, SITUATION_STEP

pytestmark = pytest.mark.django_db


def views_of(record) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=AuditEntry.Action.VIEW,
            object_type=record._meta.label_lower,
            object_id=str(record.pk),
        )
    )


@pytest.fixture
def person(operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )


def test_the_person_s_edit_form_records_a_view(client, referent_user, person):
    client.force_login(referent_user)
    url = reverse("registry:beneficiary_update", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert person.nir in page.content.decode().replace(" ", "")  # what makes it a view
    [entry] = views_of(person)
    assert entry.actor == referent_user and entry.source == "web" and entry.path == url


def test_an_invalid_post_records_no_second_view(client, referent_user, person):
    client.force_login(referent_user)
    url = reverse("registry:beneficiary_update", args=[person.pk])
    client.post(url, {"last_name": ""})
    assert views_of(person) == []


def test_a_form_for_a_new_person_records_no_view(client, referent_user):
    client.force_login(referent_user)
    assert client.get(reverse("registry:beneficiary_create")).status_code == 200
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


def test_an_employer_s_edit_form_records_a_view(client, referent_user, operator):
    employer = factories.EmployerFactory(territory=operator.territory)
    client.force_login(referent_user)
    assert client.get(reverse("registry:employer_update", args=[employer.pk])).status_code == 200
    assert len(views_of(employer)) == 1


@pytest.mark.parametrize("step", range(1, len(CONVENTION_STEPS) + 1))
def test_each_convention_step_records_a_view(client, referent_user, person, step):
    convention = ConventionFactory(territory=person.territory, beneficiary=person)
    client.force_login(referent_user)
    url = reverse("conventions:update", args=[convention.pk]) + f"?etape={step}"
    assert client.get(url).status_code == 200
    [entry] = views_of(convention)
    assert entry.actor == referent_user
    # The situation step (F1) also shows the person's file, address and birth place.
    assert len(views_of(person)) == (1 if step == SITUATION_STEP else 0)


def test_the_whole_convention_form_records_a_view(client, referent_user, person):
    convention = ConventionFactory(territory=person.territory, beneficiary=person)
    client.force_login(referent_user)
    assert client.get(reverse("conventions:update", args=[convention.pk])).status_code == 200
    assert len(views_of(convention)) == 1


def test_the_support_s_edit_form_records_a_view(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    url = reverse("support:episode_update", args=[episode.pk])
    assert client.get(url).status_code == 200
    [entry] = views_of(episode)
    assert entry.actor == referent_user and entry.path == url


def test_a_refused_page_records_nothing(client, referent_user, operator):
    stranger = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=factories.referent(operator)
    )
    client.force_login(referent_user)
    assert client.get(reverse("registry:beneficiary_update", args=[stranger.pk])).status_code == 404
    assert views_of(stranger) == []
