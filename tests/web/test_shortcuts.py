"""``visible_object_or_404``: a record is read through its model's ``visible_to``; a record
outside the user's scope answers 404 exactly like a record that does not exist."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from tests import factories
from tremplin.registry.models import Beneficiary
from tremplin.web.shortcuts import visible_object_or_404

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(territory, operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )


@pytest.fixture
def colleagues(territory, operator):
    return factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=factories.referent(operator)
    )


def as_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_record_in_scope_is_read_from_a_model_a_manager_or_a_queryset(referent_user, mine):
    for source in (Beneficiary, Beneficiary.objects, Beneficiary.objects.all()):
        assert visible_object_or_404(source, referent_user, mine.pk) == mine


def test_the_request_stands_for_its_user_and_select_related_is_kept(
    referent_user, mine, django_assert_num_queries
):
    queryset = Beneficiary.objects.select_related("referent", "operator")
    found = visible_object_or_404(queryset, as_request(referent_user), mine.pk)
    with django_assert_num_queries(0):
        assert found.referent == referent_user and found.operator.name


def test_a_record_outside_the_scope_is_a_404_like_a_missing_one(referent_user, colleagues):
    with pytest.raises(Http404):
        visible_object_or_404(Beneficiary, referent_user, colleagues.pk)
    with pytest.raises(Http404):
        visible_object_or_404(Beneficiary, referent_user, colleagues.pk + 1000)


def test_the_coordinator_of_the_structure_sees_it(coordinator_user, colleagues):
    assert visible_object_or_404(Beneficiary, coordinator_user, colleagues.pk) == colleagues


def test_other_lookups_narrow_the_search(referent_user, mine):
    assert visible_object_or_404(Beneficiary, referent_user, mine.pk, last_name=mine.last_name)
    with pytest.raises(Http404):
        visible_object_or_404(Beneficiary, referent_user, mine.pk, last_name="Autre")
