"""The count of the people a user sees is kept (tremplin/registry/counts.py) and read again
as soon as people are written: by a page, by a factory's save, by an import in bulk.

Real transactions: a new generation is announced when the write's transaction commits."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tremplin.registry.models import Beneficiary

from .import_helpers import person_row, write_list
from .test_import import run

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE_LIST = reverse("registry:beneficiary_list")


@pytest.fixture
def kept_for_ten_minutes(settings):
    settings.TREMPLIN_QUEUE_CACHE_SECONDS = 600


@pytest.fixture
def three_people(operator, territory, referent_user):
    return [
        factories.BeneficiaryFactory(territory=territory, operator=operator, referent=referent_user)
        for _ in range(3)
    ]


def people_counts(client, url) -> tuple[int, str]:
    """How many times the page counted people, and its text."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    counted = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT COUNT(*)") and 'FROM "registry_beneficiary"' in q["sql"]
    ]
    return len(counted), page.content.decode()


def caption(text: str) -> str:
    return re.search(r"<caption>(.*?)</caption>", text, re.S).group(1).strip()


def test_the_home_and_the_list_count_once_then_read_the_kept_count(
    client, referent_user, three_people, kept_for_ten_minutes
):
    client.force_login(referent_user)
    counted, _ = people_counts(client, reverse("home"))
    assert counted == 1
    counted, text = people_counts(client, PEOPLE_LIST)
    assert counted == 0  # the home's count, kept
    assert caption(text) == "3 bénéficiaires"
    assert people_counts(client, reverse("home"))[0] == 0


def test_a_person_saved_is_counted_at_once(
    client, referent_user, three_people, operator, territory, kept_for_ten_minutes
):
    client.force_login(referent_user)
    people_counts(client, PEOPLE_LIST)
    factories.BeneficiaryFactory(territory=territory, operator=operator, referent=referent_user)
    counted, text = people_counts(client, PEOPLE_LIST)
    assert counted == 1
    assert caption(text) == "4 bénéficiaires"
    Beneficiary.objects.filter(pk=three_people[0].pk).delete()
    assert caption(people_counts(client, PEOPLE_LIST)[1]) == "3 bénéficiaires"


def test_a_list_imported_in_bulk_is_counted_at_once(
    client, referent_user, three_people, tmp_path, kept_for_ten_minutes
):
    client.force_login(referent_user)
    people_counts(client, PEOPLE_LIST)
    result = run(write_list(tmp_path / "liste.csv", [person_row()]), referent_user)
    assert result["created"] == 1
    assert caption(people_counts(client, PEOPLE_LIST)[1]) == "4 bénéficiaires"


def test_a_search_counts_what_it_finds(client, referent_user, three_people, kept_for_ten_minutes):
    client.force_login(referent_user)
    people_counts(client, PEOPLE_LIST)
    name = three_people[0].last_name
    counted, text = people_counts(client, f"{PEOPLE_LIST}?q={name}")
    assert counted == 1
    found = Beneficiary.objects.filter(last_name=name).count()
    assert caption(text).startswith(f"{found} bénéficiaire")


def test_another_user_has_their_own_count(
    client, referent_user, three_people, operator, territory, kept_for_ten_minutes
):
    other = factories.referent(operator)
    factories.BeneficiaryFactory(territory=territory, operator=operator, referent=other)
    client.force_login(referent_user)
    assert caption(people_counts(client, PEOPLE_LIST)[1]) == "3 bénéficiaires"
    client.force_login(other)
    assert caption(people_counts(client, PEOPLE_LIST)[1]) == "1 bénéficiaire"
