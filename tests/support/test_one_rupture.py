"""One rupture, one suspension: one row each, whichever side records it (rules A14, C9, F12,
F13), and every module reads it — each direction through the pages and the API.

The contract: the convention factory's CDD from 15/03/2025 to 14/09/2025, 26 h a week aided
at 47 % of the SMIC (11,88 € in 2025). A full month of aid is
0.47 × 11.88 × 26 × 52 / 12 = 629.0856 → 629,09 € (rules E6, F10).
"""

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.api.helpers import TokenClient
from tests.conventions.factories import END, HIRE, ConventionFactory
from tests.pages import cites
from tests.support.factories import InEmploymentEpisodeFactory, paris
from tremplin.accounts.models import ApiToken
from tremplin.conventions import payments
from tremplin.conventions.models import Convention, Rupture, Suspension
from tremplin.outcomes import indicators
from tremplin.support import services
from tremplin.support.models import Deadline, SupportEpisode

pytestmark = pytest.mark.django_db

FULL_MONTH = Decimal("629.09")


@pytest.fixture
def convention(territory, my_beneficiary):
    return ConventionFactory(territory=territory, beneficiary=my_beneficiary, signed=True)


@pytest.fixture
def episode(convention):
    """The in-employment support started from the signed convention (its contract's dates)."""
    return InEmploymentEpisodeFactory(
        beneficiary=convention.beneficiary,
        employer=convention.employer,
        tutor=convention.tutor,
        convention=convention,
        contract_start=HIRE,
        trial_end=HIRE + dt.timedelta(days=29),
        contract_end=END,
        started_on=HIRE,
    )


@pytest.fixture
def api_as():
    """``api_as(user)``: an API client of its own with a fresh personal token of ``user``."""

    def make(user) -> TokenClient:
        _, key = ApiToken.issue(user, "tests")
        return TokenClient(Client(), key)

    return make


@pytest.fixture
def my_beneficiary(territory, operator, referent_user):
    from tests import factories

    return factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=referent_user,
        birth_date=dt.date(1990, 6, 1),
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def aid_of(convention, month: str) -> Decimal:
    lines = payments.payment_lines(Convention.objects.filter(pk=convention.pk), month)
    return sum((line.amount for line in lines), Decimal("0.00"))


def forecast_of(convention, month: str) -> Decimal:
    rows = payments.forecast(Convention.objects.filter(pk=convention.pk), month, months=1)
    return rows[0].total


def due(episode, code):
    return Deadline.objects.get(episode=episode, code=code)


# --- support → convention ---------------------------------------------------------------------


def test_a_rupture_declared_on_the_support_page_ends_the_conventions_aid(
    client, referent_user, agent_user, episode, convention
):
    assert aid_of(convention, "2025-06") == FULL_MONTH
    client.force_login(referent_user)
    response = client.post(
        reverse("support:rupture", args=[episode.pk]),
        {
            "known_at": "2025-05-28T10:00",
            "last_day": "2025-05-31",
            "initiative": "employer",
            "reason": "Fin du chantier",
            "concertation_held": "on",
        },
        follow=True,
    )
    page = text(response)
    assert "L'aide de la convention" in page and "s'arrête au 31/05/2025" in page
    assert cites(page, "F12")
    # One row, the convention's.
    rupture = Rupture.objects.get()
    assert rupture.convention == convention and rupture.beneficiary == convention.beneficiary
    convention.refresh_from_db()
    assert convention.status == Convention.Status.RUPTURED
    # The aid month by month: May whole (the contract's last day is its last), nothing after.
    assert aid_of(convention, "2025-05") == FULL_MONTH
    assert aid_of(convention, "2025-06") == Decimal("0.00")
    assert forecast_of(convention, "2025-06") == Decimal("0.00")
    # Rule F13: the employer broke it, lawful case not established: all the aid received is
    # to repay — March 17 days 629.0856 × 17/31 = 344.98, April and May 629.09 each.
    assert rupture.repayment_due == Decimal("344.98") + 2 * FULL_MONTH
    # The convention's page, seen by the agent: ended, and the aid of June is gone.
    client.force_login(agent_user)
    detail = text(client.get(convention.get_absolute_url()))
    assert "Rompue" in detail and "Rupture du 31/05/2025" in detail
    assert "Prendre en compte la rupture" in detail
    assert "juin 2025" not in detail.split("L'aide mois par mois")[1]


def test_the_support_deadlines_follow_the_rupture_it_declared(client, referent_user, episode):
    client.force_login(referent_user)
    client.post(
        reverse("support:rupture", args=[episode.pk]),
        {
            "known_at": "2025-06-10T14:00",
            "initiative": "employee",
            "employee_ground": "cdi",
            "reason": "CDI ailleurs",
        },
    )
    # A14: 48 hours from the moment known; the post-rupture review 3 months after.
    assert due(episode, "rupture_notice").due_at == paris(2025, 6, 12, 14, 0)
    assert due(episode, "post_rupture_review").due_on == dt.date(2025, 9, 10)
    # The last day defaults to the day it is known.
    assert Rupture.objects.get().last_day == dt.date(2025, 6, 10)


def test_a_suspension_declared_on_the_support_page_cuts_the_conventions_aid(
    client, referent_user, episode, convention
):
    client.force_login(referent_user)
    response = client.post(
        reverse("support:suspension_create", args=[episode.pk]),
        {
            "start": "2025-05-01",
            "end": "2025-05-10",
            "reason": "work_evaluation",
            "employer_report_date": "2025-05-03",
        },
        follow=True,
    )
    assert "enregistrée sur la convention" in text(response)
    suspension = Suspension.objects.get()
    assert suspension.convention == convention and not suspension.paid
    # F12: no aid for the 10 unpaid days of May: 629.0856 × 21/31 = 426.1547 → 426,15 €.
    assert aid_of(convention, "2025-05") == Decimal("426.15")
    assert forecast_of(convention, "2025-05") == Decimal("426.15")
    assert aid_of(convention, "2025-06") == FULL_MONTH
    # Both pages show the one row.
    assert "Suspension du 01/05/2025 au 10/05/2025" in text(client.get(episode.get_absolute_url()))
    assert "Suspension du 01/05/2025 au 10/05/2025" in text(
        client.get(convention.get_absolute_url())
    )


def test_a_support_without_convention_has_no_suspension_to_record(
    client, referent_user, my_beneficiary
):
    episode = InEmploymentEpisodeFactory(beneficiary=my_beneficiary)
    client.force_login(referent_user)
    response = client.get(reverse("support:suspension_create", args=[episode.pk]), follow=True)
    assert "aucune aide n'est à suspendre" in text(response)
    assert not Suspension.objects.exists()


# --- convention → support ---------------------------------------------------------------------


def test_a_rupture_recorded_on_the_convention_page_moves_the_supports_deadlines(
    client, agent_user, referent_user, episode, convention
):
    assert due(episode, "synthesis_m4").state == Deadline.State.TO_DO
    client.force_login(agent_user)
    response = client.post(
        reverse("conventions:rupture_create", args=[convention.pk]),
        {
            "known_at": "2025-06-10T14:00",
            "last_day": "2025-06-13",
            "initiative": "employee",
            "employee_ground": "cdd_6_months",
            "reason": "CDD de 8 mois ailleurs",
        },
    )
    assert response.status_code == 302
    assert Rupture.objects.count() == 1
    # A14: the operator's 48 hours run from the moment known; the job search follows.
    notice = due(episode, "rupture_notice")
    assert notice.due_at == paris(2025, 6, 12, 14, 0)
    assert due(episode, "post_rupture_review").due_on == dt.date(2025, 9, 13)
    assert due(episode, "synthesis_m4").state == Deadline.State.DROPPED
    # The support's page shows the convention's rupture.
    client.force_login(referent_user)
    page = text(client.get(episode.get_absolute_url()))
    assert "connue le 10/06/2025 à 14:00" in page and "dernier jour le 13/06/2025" in page
    # The indicators read it too: one notice due within 48 hours, not sent (A14).
    june = indicators.Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    follow_up = indicators.follow_up(SupportEpisode.objects.all(), june, dt.date(2025, 6, 30))
    ruptures = next(row for row in follow_up if row.count.rule == "A14")
    assert (ruptures.due, ruptures.on_time) == (1, 0)


def test_the_daily_job_tells_the_cellule_of_a_rupture_recorded_on_the_convention(
    client, agent_user, episode, convention, settings
):
    from io import StringIO

    from django.core.management import call_command

    settings.TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL = "cellule@departement.example.fr"
    client.force_login(agent_user)
    client.post(
        reverse("conventions:rupture_create", args=[convention.pk]),
        {
            "known_at": "2025-06-10T14:00",
            "last_day": "2025-06-10",
            "initiative": "mutual",
            "reason": "Commun accord",
        },
    )
    assert mail.outbox == []  # recorded by the Cellule itself: no e-mail from the page
    call_command("deadlines", "--send", "--today", "2025-06-11", stdout=StringIO())
    cellule = [m for m in mail.outbox if m.to == ["cellule@departement.example.fr"]]
    assert len(cellule) == 1 and "12/06/2025 à 14:00" in cellule[0].body


def test_a_correction_on_either_side_keeps_one_row(
    client, agent_user, referent_user, episode, convention
):
    client.force_login(referent_user)
    client.post(
        reverse("support:rupture", args=[episode.pk]),
        {
            "known_at": "2025-05-28T10:00",
            "last_day": "2025-05-31",
            "initiative": "employer",
            "reason": "Licenciement",
        },
    )
    assert Rupture.objects.get().repayment_due > 0
    # The agent establishes the lawful case (R.5134-69/70): nothing to repay (F13).
    client.force_login(agent_user)
    client.post(
        reverse("conventions:rupture_create", args=[convention.pk]),
        {
            "known_at": "2025-05-28T10:00",
            "last_day": "2025-05-31",
            "initiative": "employer",
            "reason": "Licenciement pour inaptitude",
            "lawful_case": "on",
        },
    )
    rupture = Rupture.objects.get()
    assert rupture.lawful_case and rupture.repayment_due == 0
    assert "inaptitude" in text(client.get(episode.get_absolute_url()))


def test_a_withdrawn_rupture_gives_the_aid_and_the_plan_back(episode, convention):
    services.declare_rupture(
        episode,
        Rupture(
            known_at=paris(2025, 5, 28, 10, 0),
            last_day=dt.date(2025, 5, 31),
            initiative="mutual",
            reason="Erreur de saisie",
        ),
        user=None,
    )
    assert aid_of(convention, "2025-06") == 0
    services.withdraw_rupture(episode)
    assert not Rupture.objects.exists()
    convention = Convention.objects.get(pk=convention.pk)
    assert aid_of(convention, "2025-06") == FULL_MONTH
    assert due(episode, "rupture_notice").state == Deadline.State.DROPPED


def test_a_suspension_recorded_on_the_convention_shows_on_the_support_page_and_api(
    client, api_as, agent_user, referent_user, episode, convention, time_machine
):
    # Rule C9: recorded once, on the convention's page; the support reads that row.
    time_machine.move_to(dt.datetime(2025, 5, 5, 10, 0))
    client.force_login(agent_user)
    response = client.post(
        reverse("conventions:suspension_create", args=[convention.pk]),
        {
            "start": "2025-05-01",
            "end": "2025-05-10",
            "reason": "sickness",
            "employer_report_date": "2025-05-03",
        },
    )
    assert response.status_code == 302
    (suspension,) = Suspension.objects.all()
    client.force_login(referent_user)
    page = text(client.get(episode.get_absolute_url()))
    assert "Suspension du 01/05/2025 au 10/05/2025" in page
    # The convention's state of the day, derived from the suspension's dates.
    assert f"{convention}</a> (suspendue)" in page
    api = api_as(referent_user)
    listed = api.get(f"/api/v1/episodes/{episode.pk}/suspensions")
    assert listed.status_code == 200
    assert [
        (s["id"], s["convention_id"], s["start"], s["end"], s["paid"]) for s in listed.json()
    ] == [(suspension.pk, convention.pk, "2025-05-01", "2025-05-10", False)]
    # The same rows as the convention's, in the episode itself and in the list.
    assert api.get(f"/api/v1/conventions/{convention.pk}/suspensions").json() == listed.json()
    assert api.get(f"/api/v1/episodes/{episode.pk}").json()["suspensions"] == listed.json()
    (item,) = api.get("/api/v1/episodes").json()["items"]
    assert item["suspensions"] == listed.json()
    assert api.get(f"/api/v1/conventions/{convention.pk}").json()["status"] == "suspended"


def test_the_suspensions_of_a_support_without_convention_are_none(
    api_as, referent_user, my_beneficiary, agent_user
):
    episode = InEmploymentEpisodeFactory(beneficiary=my_beneficiary)
    api = api_as(referent_user)
    assert api.get(f"/api/v1/episodes/{episode.pk}/suspensions").json() == []
    assert api.get(f"/api/v1/episodes/{episode.pk}").json()["suspensions"] == []


def test_the_suspensions_of_a_support_outside_the_scope_are_404(api_as, episode, territory):
    from tests import factories

    stranger = factories.department_agent(factories.TerritoryFactory(code="68", name="Haut-Rhin"))
    response = api_as(stranger).get(f"/api/v1/episodes/{episode.pk}/suspensions")
    assert response.status_code == 404


# --- the API, both ways -----------------------------------------------------------------------


def test_api_support_to_convention(api_as, referent_user, episode, convention):
    api = api_as(referent_user)
    response = api.post(
        f"/api/v1/episodes/{episode.pk}/rupture",
        {
            "known_at": "2025-05-28T10:00:00+02:00",
            "last_day": "2025-05-31",
            "initiative": "employer",
            "reason": "Fin du chantier",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["convention_id"] == convention.pk
    read = api.get(f"/api/v1/conventions/{convention.pk}/rupture").json()
    assert read["id"] == response.json()["id"] and read["last_day"] == "2025-05-31"
    schedule = api.get(f"/api/v1/conventions/{convention.pk}/schedule").json()
    assert [m["month"] for m in schedule["months"]][-1] == "2025-05"
    # A suspension declared on the support is the convention's.
    suspension = api.post(
        f"/api/v1/episodes/{episode.pk}/suspensions",
        {"start": "2025-04-01", "end": "2025-04-10", "reason": "insertion_action"},
    )
    assert suspension.status_code == 201, suspension.json()
    listed = api.get(f"/api/v1/conventions/{convention.pk}/suspensions").json()
    assert [s["id"] for s in listed] == [suspension.json()["id"]]


def test_what_the_support_declares_reaches_the_agents_queue(
    client, api_as, referent_user, agent_user, episode, convention
):
    """A rupture and a suspension of a contract with its convention, declared from the
    support (page, then API), wait in the département agent's queue until taken into account."""
    client.force_login(agent_user)
    home = text(client.get(reverse("home")))
    assert "0 rupture à traiter" in home and "0 suspension à traiter" in home
    client.force_login(referent_user)
    client.post(
        reverse("support:suspension_create", args=[episode.pk]),
        {"start": "2025-05-01", "end": "2025-05-10", "reason": "work_evaluation"},
    )
    api = api_as(referent_user)
    response = api.post(
        f"/api/v1/episodes/{episode.pk}/rupture",
        {"known_at": "2025-06-10T14:00:00+02:00", "initiative": "mutual", "reason": "Accord"},
    )
    assert response.status_code == 201, response.json()
    client.force_login(agent_user)
    home = text(client.get(reverse("home")))
    assert "1 rupture à traiter" in home and "1 suspension à traiter" in home


def test_api_convention_to_support(api_as, agent_user, referent_user, episode, convention):
    response = api_as(agent_user).post(
        f"/api/v1/conventions/{convention.pk}/rupture",
        {
            "known_at": "2025-06-10T14:00:00+02:00",
            "last_day": "2025-06-10",
            "initiative": "mutual",
            "reason": "Rupture d'un commun accord",
        },
    )
    assert response.status_code == 201, response.json()
    deadlines = api_as(referent_user).get(f"/api/v1/episodes/{episode.pk}/deadlines")
    notice = next(d for d in deadlines.json() if d["code"] == "rupture_notice")
    assert notice["due"] == "2025-06-12T14:00:00+02:00"
    episode_out = api_as(referent_user).get(f"/api/v1/episodes/{episode.pk}").json()
    assert episode_out["rupture_known_at"].startswith("2025-06-10T")


def test_api_refuses_a_rupture_the_plan_refuses_in_french(api_as, referent_user, episode):
    response = api_as(referent_user).post(
        f"/api/v1/episodes/{episode.pk}/rupture",
        {"known_at": "2025-03-01T09:00:00+01:00", "initiative": "employer", "reason": "Erreur"},
    )
    assert response.status_code == 422
    messages = " ".join(m for ms in response.json()["errors"].values() for m in ms)
    assert "(A14)" in messages
    assert not Rupture.objects.exists()


def test_api_suspension_of_a_support_without_convention_is_refused(
    api_as, referent_user, my_beneficiary
):
    episode = InEmploymentEpisodeFactory(beneficiary=my_beneficiary)
    response = api_as(referent_user).post(
        f"/api/v1/episodes/{episode.pk}/suspensions",
        {"start": "2025-04-01", "end": "2025-04-10", "reason": "sickness"},
    )
    assert response.status_code == 422
    assert "aucune aide n'est à suspendre" in str(response.json())


# --- a contract signed outside Tremplin ---------------------------------------------------------


def test_the_rupture_of_a_contract_signed_outside_tremplin_has_no_convention(
    client, referent_user, agent_user, my_beneficiary, settings
):
    settings.TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL = "cellule@departement.example.fr"
    episode = InEmploymentEpisodeFactory(beneficiary=my_beneficiary)
    client.force_login(referent_user)
    client.post(
        reverse("support:rupture", args=[episode.pk]),
        {"known_at": "2025-06-10T14:00", "initiative": "mutual", "reason": "Commun accord"},
    )
    rupture = Rupture.objects.get()
    episode.refresh_from_db()
    assert rupture.convention is None and episode.contract_rupture == rupture
    assert rupture.repayment_due == 0  # F13: no convention, no aid to repay
    assert due(episode, "rupture_notice").due_at == paris(2025, 6, 12, 14, 0)
    assert [m.to for m in mail.outbox] == [["cellule@departement.example.fr"]]
    # The agent sees it in the queue and takes it into account on its own page.
    client.force_login(agent_user)
    assert "1 rupture à traiter" in text(client.get(reverse("home")))
    page = client.get(rupture.get_absolute_url())
    assert "signé hors Tremplin" in text(page)
    client.post(reverse("conventions:rupture_acknowledge", args=[rupture.pk]))
    rupture.refresh_from_db()
    assert rupture.acknowledged_by == agent_user
    assert "0 rupture à traiter" in text(client.get(reverse("home")))


# --- The contract is the convention's: an amendment reaches the support (C5, E6) ----------


def test_a_renewal_moves_the_end_of_the_supports_contract(
    client, referent_user, convention, episode
):
    """The factory's CDD ends on 14/09/2025; a renewal amendment carries it to 14/03/2026
    (C5). The support reads its contract from the convention: its end moves, and with it the
    plan's end (A13: « au terme du CDD »)."""
    client.force_login(referent_user)
    response = client.post(
        reverse("conventions:amendment_create", args=[convention.pk]),
        {
            "kind": "renewal",
            "effective_from": "2025-09-15",
            "new_aid_end": "2026-03-14",
            "new_planned_end": "2026-03-14",
            "employer_request_date": "2025-08-01",
            "evaluation_done": "on",
            "new_subsidised_weekly_minutes": "0",
            "new_contract_weekly_minutes": "0",
        },
    )
    assert response.status_code == 302, html.unescape(response.content.decode())
    assert response.url == convention.get_absolute_url()
    episode = SupportEpisode.objects.get(pk=episode.pk)
    assert episode.contract_end == dt.date(2026, 3, 14)
    assert episode.plan_facts().contract_end == dt.date(2026, 3, 14)


def test_the_support_form_shows_the_conventions_contract_and_keeps_it(
    client, referent_user, convention, episode
):
    """Typing another end on the support's form changes nothing: the field is the
    convention's, disabled, and the saved support keeps the convention's date."""
    client.force_login(referent_user)
    page = client.get(reverse("support:episode_update", args=[episode.pk]))
    assert "Repris de la convention" in page.content.decode()
    form = page.context["form"]
    data = {
        name: ("" if value is None else value.pk if hasattr(value, "pk") else value)
        for name, value in form.initial.items()
        if name in form.fields and not form.fields[name].disabled
    }
    data["contract_end"] = "2030-01-01"
    client.post(reverse("support:episode_update", args=[episode.pk]), data)
    assert SupportEpisode.objects.get(pk=episode.pk).contract_end == END
