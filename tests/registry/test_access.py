"""Record-level access: one function per model decides, pages and API obey it (DESIGN.md)."""

import pytest
from django.urls import reverse

from tests import factories
from tremplin.registry.models import Beneficiary, Employer

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(territory, operator, other_operator, referent_user):
    other_referent = factories.referent(other_operator)
    other_territory = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    return {
        "mine": factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=referent_user
        ),
        "colleague": factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=factories.referent(operator)
        ),
        "other_operator": factories.BeneficiaryFactory(
            territory=territory, operator=other_operator, referent=other_referent
        ),
        "other_territory": factories.BeneficiaryFactory(
            territory=other_territory,
            operator=factories.OrganisationFactory(territory=other_territory),
            postal_code="68100",
            city="Mulhouse",
        ),
    }


def visible_keys(user, people):
    visible = set(Beneficiary.objects.visible_to(user).values_list("pk", flat=True))
    return {key for key, person in people.items() if person.pk in visible}


def test_referent_sees_only_the_people_they_follow(referent_user, people):
    assert visible_keys(referent_user, people) == {"mine"}


def test_coordinator_sees_their_organisation(coordinator_user, people):
    assert visible_keys(coordinator_user, people) == {"mine", "colleague"}


def test_department_agent_sees_their_territory(agent_user, people):
    assert visible_keys(agent_user, people) == {"mine", "colleague", "other_operator"}


def test_admin_sees_everything(admin_user, people):
    assert visible_keys(admin_user, people) == set(people)


def test_user_without_membership_sees_nothing(people):
    assert visible_keys(factories.UserFactory(), people) == set()


def test_ended_membership_gives_no_access(operator, people):
    import datetime

    former = factories.MembershipFactory(
        organisation=operator, coordinator=True, end_date=datetime.date(2021, 1, 1)
    ).user
    assert visible_keys(former, people) == set()


@pytest.mark.parametrize(
    ("page", "key"),
    [
        ("registry:beneficiary_detail", "colleague"),
        ("registry:beneficiary_update", "colleague"),
        ("registry:beneficiary_detail", "other_territory"),
    ],
)
def test_forbidden_file_is_a_404_for_a_referent(client, referent_user, people, page, key):
    client.force_login(referent_user)
    response = client.get(reverse(page, args=[people[key].pk]))
    assert response.status_code == 404


def test_own_file_opens_for_a_referent(client, referent_user, people):
    client.force_login(referent_user)
    response = client.get(reverse("registry:beneficiary_detail", args=[people["mine"].pk]))
    assert response.status_code == 200
    assert str(people["mine"]) in response.content.decode()


def test_employers_are_shared_within_the_territory(referent_user, territory):
    local = factories.EmployerFactory(territory=territory)
    other = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    remote = factories.EmployerFactory(territory=other, postal_code="68100", city="Mulhouse")
    visible = set(Employer.objects.visible_to(referent_user))
    assert local in visible
    assert remote not in visible


def test_delete_is_refused_to_a_coordinator(client, coordinator_user, people):
    client.force_login(coordinator_user)
    response = client.post(reverse("registry:beneficiary_delete", args=[people["mine"].pk]))
    assert response.status_code == 403
    assert Beneficiary.objects.filter(pk=people["mine"].pk).exists()
