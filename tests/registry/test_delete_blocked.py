"""Deleting a person, an employer or a tutor that other records depend on: a French page
(409) saying what is attached, by kind and count; nothing deleted, never a server error."""

import pytest
from django.urls import reverse

from tests.conventions.factories import ConventionFactory
from tests.support.factories import episode_for
from tremplin.registry.models import Beneficiary, Employer, Tutor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("route", "model", "attribute"),
    [
        ("registry:beneficiary_delete", Beneficiary, "beneficiary"),
        ("registry:employer_delete", Employer, "employer"),
        ("registry:tutor_delete", Tutor, "tutor"),
    ],
)
def test_a_delete_blocked_by_related_records_lists_them(
    client, admin_user, territory, route, model, attribute
):
    convention = ConventionFactory(territory=territory)
    record = getattr(convention, attribute)
    client.force_login(admin_user)
    response = client.post(reverse(route, args=[record.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Suppression impossible : rien n'a été supprimé." in page
    assert "1 convention CUI" in page
    if attribute != "beneficiary":
        assert str(convention.beneficiary) not in page  # counted, never named
    assert model._base_manager.filter(pk=record.pk).exists()


def test_a_file_without_related_records_is_deleted(client, admin_user, referent_user):
    episode = episode_for(referent_user)
    person = episode.beneficiary
    episode.delete()
    client.force_login(admin_user)
    response = client.post(reverse("registry:beneficiary_delete", args=[person.pk]))
    assert response.status_code == 302
    assert not Beneficiary.objects.filter(pk=person.pk).exists()


def test_several_attached_records_are_counted_in_the_plural(client, admin_user, territory):
    first = ConventionFactory(territory=territory)
    ConventionFactory(territory=territory, employer=first.employer)
    ConventionFactory(territory=territory, employer=first.employer)
    client.force_login(admin_user)
    response = client.post(reverse("registry:employer_delete", args=[first.employer.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "3 conventions CUI" in page
