"""The département agent's work queue on the home page: conventions to sign, ruptures and
suspensions to take into account (with who and when), missing quarterly proofs (E6, F10),
the payments of the month, the law to review (E1) — each item one click from its action,
counted in French, at a fixed number of queries whatever the territory's size."""

import datetime
import html

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.conventions.factories import ConventionFactory, RuptureFactory, SuspensionFactory
from tremplin.conventions import queue
from tremplin.conventions.models import Convention, Rupture, Suspension
from tremplin.rules.calendar import PARIS

pytestmark = pytest.mark.django_db

# Inside the factory's conventions (15/03/2025 – 14/09/2025): the payments of June 2025.
TODAY = datetime.datetime(2025, 6, 20, 12, tzinfo=PARIS)


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ")


@pytest.fixture(autouse=True)
def june_2025():
    with time_machine.travel(TODAY, tick=False):
        yield


def person(territory):
    operator = factories.OrganisationFactory(territory=territory)
    return factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=factories.referent(operator),
        birth_date=datetime.date(1990, 6, 1),
    )


def fill(territory, n: int) -> None:
    """n of each: drafts, signed conventions with a rupture, with a suspension, plain ones."""
    for _ in range(n):
        ConventionFactory(territory=territory, beneficiary=person(territory))
        ruptured = ConventionFactory(
            territory=territory, beneficiary=person(territory), signed=True
        )
        RuptureFactory(
            convention=ruptured,
            last_day=datetime.date(2025, 6, 10),
            initiative=Rupture.Initiative.EMPLOYER,
            lawful_case=False,
        )
        suspended = ConventionFactory(
            territory=territory, beneficiary=person(territory), signed=True
        )
        SuspensionFactory(convention=suspended)
        ConventionFactory(territory=territory, beneficiary=person(territory), signed=True)


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_queue_lists_what_waits_with_french_counts(client, agent_user, territory):
    fill(territory, 1)
    client.force_login(agent_user)
    home = text(client.get(reverse("home")))
    assert "Ma file de travail" in home
    assert "1 convention à signer" in home
    assert "1 rupture à traiter" in home and "reversement de l'aide à vérifier" in home
    # F13 behind a help marker, not as a raw number.
    assert "(règle F13)" not in home and "#regle-F13" in home
    assert "1 suspension à traiter" in home
    # Three signed conventions paid in June 2025, no proof of the first quarter received
    # (due 15/06/2025, rules E6, F10): three flagged.
    assert "Paiements de juin 2025 : 3 conventions" in home
    assert "3 conventions payées ce mois sans leurs justificatifs trimestriels" in home
    # Each item is one click from its action.
    draft = home.split("convention à signer")[1]
    assert "/signer/" in draft and ">Signer<" in draft
    assert "/justificatifs/" in home and reverse("conventions:payments") + "?mois=2025-06" in home


def test_zero_takes_the_singular_in_french(client, agent_user, territory):
    client.force_login(agent_user)
    home = text(client.get(reverse("home")))
    assert "0 convention à signer" in home and "0 rupture à traiter" in home
    assert "0 suspension à traiter" in home


def test_the_queue_costs_the_same_queries_whatever_the_territorys_size(
    client, agent_user, territory
):
    fill(territory, 2)
    client.force_login(agent_user)
    small = home_queries(client)
    fill(territory, 6)
    assert home_queries(client) == small
    assert "8 ruptures à traiter" in text(client.get(reverse("home")))


def test_the_queue_keeps_to_the_agents_territory(client, agent_user, territory):
    fill(territory, 1)
    elsewhere = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    fill(elsewhere, 2)
    client.force_login(agent_user)
    home = text(client.get(reverse("home")))
    assert "1 rupture à traiter" in home and "1 convention à signer" in home


def test_acknowledging_a_rupture_records_who_and_when_and_leaves_the_queue(
    client, agent_user, territory
):
    fill(territory, 1)
    rupture = Rupture.objects.get()
    client.force_login(agent_user)
    page = text(client.get(rupture.convention.get_absolute_url()))
    assert "Prendre en compte la rupture" in page
    response = client.post(
        reverse("conventions:rupture_acknowledge", args=[rupture.pk]),
        {"next": rupture.convention.get_absolute_url()},
        follow=True,
    )
    assert "prise en compte le 20/06/2025" in text(response)
    rupture.refresh_from_db()
    assert rupture.acknowledged_by == agent_user
    assert rupture.acknowledged_at == TODAY
    assert f"par {agent_user.get_full_name()}" in text(response)
    assert "0 rupture à traiter" in text(client.get(reverse("home")))


def test_acknowledging_a_suspension(client, agent_user, territory):
    fill(territory, 1)
    suspension = Suspension.objects.get()
    client.force_login(agent_user)
    client.post(
        reverse(
            "conventions:suspension_acknowledge", args=[suspension.convention_id, suspension.pk]
        )
    )
    suspension.refresh_from_db()
    assert suspension.acknowledged_by == agent_user
    assert "0 suspension à traiter" in text(client.get(reverse("home")))


def test_a_changed_rupture_comes_back_to_the_queue(client, agent_user, territory):
    fill(territory, 1)
    rupture = Rupture.objects.get()
    client.force_login(agent_user)
    client.post(reverse("conventions:rupture_acknowledge", args=[rupture.pk]))
    client.post(
        reverse("conventions:rupture_create", args=[rupture.convention_id]),
        {
            "known_at": "2025-06-10T09:00",
            "last_day": "2025-06-12",
            "initiative": "employer",
            "reason": "Date corrigée",
        },
    )
    rupture.refresh_from_db()
    assert rupture.last_day == datetime.date(2025, 6, 12) and rupture.acknowledged_at is None
    assert "1 rupture à traiter" in text(client.get(reverse("home")))


def test_a_referent_neither_sees_the_queue_nor_acknowledges(client, referent_user, territory):
    convention = ConventionFactory(
        territory=territory,
        beneficiary=factories.BeneficiaryFactory(
            territory=territory,
            operator=referent_user.memberships.first().organisation,
            referent=referent_user,
        ),
        signed=True,
    )
    rupture = RuptureFactory(convention=convention)
    client.force_login(referent_user)
    home = text(client.get(reverse("home")))
    assert 'id="file-de-travail"' not in home and "à signer" not in home
    assert "Prendre en compte" not in text(client.get(convention.get_absolute_url()))
    response = client.post(reverse("conventions:rupture_acknowledge", args=[rupture.pk]))
    assert response.status_code == 403
    rupture.refresh_from_db()
    assert rupture.acknowledged_at is None


def test_the_api_acknowledges_for_agents_only(client, agent_user, referent_user, territory):
    from tests.api.helpers import TokenClient
    from tremplin.accounts.models import ApiToken

    fill(territory, 1)
    rupture = Rupture.objects.get()
    url = f"/api/v1/conventions/{rupture.convention_id}/rupture/acknowledge"
    _, key = ApiToken.issue(agent_user, "tests")
    response = TokenClient(client, key).post(url, {})
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    suspension = Suspension.objects.get()
    other_url = (
        f"/api/v1/conventions/{suspension.convention_id}/suspensions/{suspension.pk}/acknowledge"
    )
    referent = factories.referent(suspension.convention.beneficiary.operator)
    _, referent_key = ApiToken.issue(referent, "tests")
    refused = TokenClient(client, referent_key).post(other_url, {})
    assert refused.status_code in (403, 404)
    suspension.refresh_from_db()
    assert suspension.acknowledged_at is None


def test_counted_says_french_plurals():
    assert queue.counted(0, "%(count)d rupture", "%(count)d ruptures") == "0 rupture"
    assert queue.counted(1, "%(count)d rupture", "%(count)d ruptures") == "1 rupture"
    assert queue.counted(2, "%(count)d rupture", "%(count)d ruptures") == "2 ruptures"


def test_the_navigation_counts_what_waits_for_the_agent(client, agent_user, territory):
    """The badge beside « Accueil »: to sign, ruptures and suspensions to take into account
    (A10, A14, C9) — 2 of each here, at the same queries whatever their number."""
    from tremplin.web import queues

    fill(territory, 2)
    assert queues.work_count(agent_user) == 6
    client.force_login(agent_user)
    page = text(client.get(reverse("home")))
    assert 'Accueil <span class="badge rounded-pill text-bg-warning">6' in page


def test_the_home_counts_each_section_once_for_the_queue_and_the_badge(
    client, agent_user, territory
):
    """The home page shows the queue and, in the navigation, its badge: the badge reads the
    queue's counts instead of counting the drafts, the ruptures and the suspensions again.
    Each section is read twice: its count (drafts) or its keys (ruptures and suspensions,
    ``queues.counted_first``), then its first few."""
    fill(territory, 2)
    client.force_login(agent_user)
    with CaptureQueriesContext(connection) as queries:
        page = text(client.get(reverse("home")))

    def readings(table: str) -> list[str]:
        """The queries that read ``table`` itself: its rows, keys or count (not a
        subquery of another table's reading)."""
        name = f'"conventions_{table}"'
        return [
            query["sql"]
            for query in queries
            if query["sql"].startswith(
                (f"SELECT {name}.", f'SELECT COUNT(*) AS "__count" FROM {name}')
            )
        ]

    drafts = [sql for sql in readings("convention") if '"signed_on" IS NULL' in sql]
    assert len(drafts) == 2, drafts  # the count and the first few
    assert len(readings("rupture")) == 2
    assert len(readings("suspension")) == 2
    assert 'Accueil <span class="badge rounded-pill text-bg-warning">6' in page


@pytest.mark.django_db(transaction=True)
def test_the_months_proofs_are_kept_until_a_proof_is_recorded(
    client, agent_user, territory, settings
):
    """At 20,000 conventions running, reading the month's proofs takes hundreds of
    milliseconds: the reading is kept (``web.kept``), and a proof recorded shows at once
    (its transaction commits: a test with real transactions)."""
    settings.TREMPLIN_QUEUE_CACHE_SECONDS = 600
    fill(territory, 1)  # 3 signed conventions paid in June 2025, no proof received (E6, F10)
    client.force_login(agent_user)
    first = home_queries(client)
    # The month's rows and their proofs, and the count of the people the agent sees: kept.
    assert home_queries(client) == first - 3
    convention = Convention.objects.filter(signed_on__isnull=False).first()
    answer = client.post(
        reverse("conventions:proof_create", args=[convention.pk]),
        {"quarter": 1, "received_on": "2025-06-18", "note": ""},
    )
    assert answer.status_code == 302
    home = text(client.get(reverse("home")))
    assert "2 conventions payées ce mois sans leurs justificatifs trimestriels" in home


def test_a_queue_asked_for_another_day_is_not_kept_for_today(agent_user, territory):
    """The queue is kept on the user for the badge of the same request: only today's."""
    assert queue.work_queue(agent_user, datetime.date(2025, 3, 10)).month_label == "mars 2025"
    assert queue.work_queue(agent_user).month_label == "juin 2025"
