"""``queues.counted_first``: a queue's count and its first few, from one reading of its keys
(then the few by key), in the same order as ``ORDER BY … LIMIT`` would give."""

import pytest

from tests import factories
from tremplin.registry.models import Beneficiary
from tremplin.web.queues import counted_first

pytestmark = pytest.mark.django_db


def test_the_count_and_the_first_few_in_order_ties_by_key(django_assert_num_queries):
    territory = factories.TerritoryFactory()
    operator = factories.OrganisationFactory(territory=territory)
    for name in ("MARTIN", "BERNARD", "DURAND", "BERNARD", "PETIT", "ADAM", "MOREAU"):
        factories.BeneficiaryFactory(last_name=name, territory=territory, operator=operator)
    people = Beneficiary.objects.filter(territory=territory)

    with django_assert_num_queries(2):  # the keys, then the three by key
        count, first = counted_first(people, ("last_name",), shown=3)

    expected = list(people.order_by("last_name", "pk")[:3])
    assert count == 7
    assert first == expected
    assert [person.last_name for person in first] == ["ADAM", "BERNARD", "BERNARD"]


def test_an_empty_queue_reads_its_keys_only(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert counted_first(Beneficiary.objects.filter(last_name="PERSONNE"), ("last_name",)) == (
            0,
            [],
        )
