"""The navigation's badge kept a short while per user (``queues.kept_work_count``): the other
pages reuse the count, the home page counts again, and the user's own write drops the copy
so that what they did shows at once."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.conventions.factories import ConventionFactory, RuptureFactory
from tremplin.conventions.models import Rupture
from tremplin.rules.calendar import PARIS

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'Accueil <span class="badge rounded-pill text-bg-warning">(\d+)')


@pytest.fixture(autouse=True)
def june_2025():
    with time_machine.travel(datetime.datetime(2025, 6, 20, 12, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def kept(settings):
    settings.TREMPLIN_BADGE_CACHE_SECONDS = 60


def person(territory):
    operator = factories.OrganisationFactory(territory=territory)
    return factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=factories.referent(operator)
    )


def draft(territory):
    return ConventionFactory(territory=territory, beneficiary=person(territory))


def badge(client, url: str) -> int | None:
    page = client.get(url).content.decode()
    found = BADGE.search(page)
    return int(found.group(1)) if found else None


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_other_pages_reuse_the_count_and_the_home_counts_again(
    client, agent_user, territory, kept, settings
):
    draft(territory)
    client.force_login(agent_user)
    conventions = reverse("conventions:list")
    assert badge(client, conventions) == 1
    counted_again = queries_of(client, reverse("conventions:smic"))
    # Someone else writes a draft: the kept copy still says 1 on the other pages...
    draft(territory)
    assert badge(client, conventions) == 1
    # ...the home page, which shows the queue itself, counts again and keeps the new count.
    assert badge(client, reverse("home")) == 2
    assert badge(client, conventions) == 2
    # The agent's three counters (to sign, ruptures, suspensions) are not read again.
    settings.TREMPLIN_BADGE_CACHE_SECONDS = 0
    counted_every_time = queries_of(client, reverse("conventions:smic"))
    assert counted_again == counted_every_time - 3


def test_the_users_own_write_shows_at_once(client, agent_user, territory, kept):
    convention = ConventionFactory(territory=territory, beneficiary=person(territory), signed=True)
    rupture = RuptureFactory(
        convention=convention,
        last_day=datetime.date(2025, 6, 10),
        initiative=Rupture.Initiative.EMPLOYER,
        lawful_case=False,
    )
    client.force_login(agent_user)
    conventions = reverse("conventions:list")
    assert badge(client, conventions) == 1
    answer = client.post(reverse("conventions:rupture_acknowledge", args=[rupture.pk]))
    assert answer.status_code == 302
    assert badge(client, conventions) is None  # nothing left: no badge


def test_without_the_delay_every_page_counts(client, agent_user, territory):
    draft(territory)
    client.force_login(agent_user)
    conventions = reverse("conventions:list")
    assert badge(client, conventions) == 1
    draft(territory)
    assert badge(client, conventions) == 2
