"""Dated law that cannot go stale silently (rules E1, F10): the SMIC entered on a page and
layered over the shipped series changes the next schedules without a release; the agent's
home warns when the SMIC or the region's order is more than 12 months old; the wizard warns
when it proposes an order outside its validity, and proposes the demonstration order of the
demo's region (Grand Est) for a Bas-Rhin person.
"""

import datetime
import html
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.conventions.factories import ConventionFactory
from tremplin.accounts.models import AuditEntry
from tremplin.conventions import services
from tremplin.conventions.models import SmicValue
from tremplin.rules.calendar import PARIS

pytestmark = pytest.mark.django_db

D = datetime.date


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ")


def at(year, month, day):
    """time_machine at noon, Paris time."""
    return time_machine.travel(datetime.datetime(year, month, day, 12, tzinfo=PARIS), tick=False)


@pytest.fixture
def agent_client(client, agent_user):
    client.force_login(agent_user)
    return client


@pytest.fixture
def convention_2027(territory, my_beneficiary):
    """A CDD from 01/12/2026 to 31/05/2027, 26 h a week at 47 % (the factory's terms)."""
    return ConventionFactory(
        territory=territory,
        beneficiary=my_beneficiary,
        signed=True,
        filing_date=D(2026, 11, 1),
        hire_date=D(2026, 12, 1),
        planned_end=D(2027, 5, 31),
        aid_start=D(2026, 12, 1),
        aid_end=D(2027, 5, 31),
    )


def smic_value(**changes):
    data = {
        "valid_from": "2027-01-01",
        "value": "12,50",
        "source": "Décret n° 2026-1234 du 18 décembre 2026 portant relèvement du SMIC",
    }
    data.update(changes)
    return data


# --- the SMIC page ------------------------------------------------------------------------------


def test_a_smic_value_typed_on_the_page_changes_the_next_schedule(agent_client, convention_2027):
    def february():
        schedule = services.schedule_of(convention_2027)
        return next(m for m in schedule.months if m.month == "2027-02")

    # Shipped series: 12.31 € since 01/06/2026. 0.47 × 12.31 × 26 × 52/12 = 651.8555 → 651.86.
    assert february().amount == Decimal("651.86")
    response = agent_client.post(reverse("conventions:smic_create"), smic_value(), follow=True)
    page = text(response)
    assert "SMIC horaire brut de 12,50 € enregistré à partir du 01/01/2027" in page
    assert "Décret n° 2026-1234" in page
    # 0.47 × 12.50 × 26 × 52/12 = 661.9166… → 661.92 € (rule F10: the SMIC of the month).
    assert february().amount == Decimal("661.92")
    assert february().smic_hourly == Decimal("12.50")
    # December 2026 keeps the value of its time.
    december = services.schedule_of(convention_2027).months[0]
    assert december.month == "2026-12" and december.smic_hourly == Decimal("12.31")
    # The convention's page and the payment list of the month say the same.
    assert "661,92 €" in text(agent_client.get(convention_2027.get_absolute_url()))
    payments = text(agent_client.get(reverse("conventions:payments") + "?mois=2027-02"))
    assert "661,92 €" in payments
    # Audited, as every write (who, what).
    entry = AuditEntry.objects.filter(object_type__icontains="smic").get()
    assert entry.action == AuditEntry.Action.CREATE


def test_the_newest_dated_value_wins_and_a_value_may_replace_a_shipped_one(agent_client):
    agent_client.post(
        reverse("conventions:smic_create"),
        smic_value(valid_from="2026-06-01", value="12.30", source="Correction de test"),
    )
    series = services.smic_series()
    assert series.value_at(D(2026, 7, 1)) == Decimal("12.30")  # replaces the shipped row
    assert series.value_at(D(2026, 5, 31)) == Decimal("12.02")
    page = text(agent_client.get(reverse("conventions:smic")))
    assert "remplace la valeur livrée" in page and "livrée avec Tremplin" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "1766,92"}, "value", "pas la valeur mensuelle"),
        ({"value": "-1"}, "value", "pas un SMIC horaire brut plausible"),
        ({"source": ""}, "source", "obligatoire"),
        ({"valid_from": "31/02/2027"}, "valid_from", "date"),
    ],
)
def test_a_bad_smic_value_is_refused_in_french_and_kept(agent_client, changes, field, message):
    response = agent_client.post(reverse("conventions:smic_create"), smic_value(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not SmicValue.objects.exists()
    # What was typed is kept.
    assert changes[field] in text(response) or changes[field] == ""


def test_a_smic_value_is_entered_once_per_date(agent_client):
    agent_client.post(reverse("conventions:smic_create"), smic_value())
    again = agent_client.post(reverse("conventions:smic_create"), smic_value(value="12.60"))
    assert "déjà saisie au 01/01/2027" in text(again)
    assert SmicValue.objects.get().value == Decimal("12.50")


def test_a_referent_reads_the_smic_but_enters_none(client, referent_user):
    client.force_login(referent_user)
    page = text(client.get(reverse("conventions:smic")))
    assert "Saisir une nouvelle valeur" not in page and "12,31 €" in page
    assert client.get(reverse("conventions:smic_create")).status_code == 403
    assert client.post(reverse("conventions:smic_create"), smic_value()).status_code == 403
    assert not SmicValue.objects.exists()


# --- the agent's home warns, citing E1 -----------------------------------------------------------


def test_the_agents_home_warns_when_the_smic_is_more_than_12_months_old(client, agent_user):
    with at(2027, 6, 1):  # 12.31 € since 01/06/2026: fresh up to 01/06/2027 included
        client.force_login(agent_user)
        assert "SMIC horaire brut (12,31 €" not in text(client.get(reverse("home")))
    with at(2027, 6, 2):
        agent_client = client
        client.force_login(agent_user)
        home = text(agent_client.get(reverse("home")))
        assert "La dernière valeur connue du SMIC horaire brut (12,31 € depuis le 01/06/2026" in (
            home
        )
        assert "(règle E1)" in home and reverse("conventions:smic") in home
        agent_client.post(reverse("conventions:smic_create"), smic_value())
        assert "La dernière valeur connue du SMIC" not in text(agent_client.get(reverse("home")))


def test_the_agents_home_warns_when_the_regions_order_is_past_its_validity(client, agent_user):
    # The Grand Est demonstration order is valid through 31/12/2026 (rule E1).
    with at(2026, 12, 31):
        client.force_login(agent_user)
        assert "n'est plus en vigueur" not in text(client.get(reverse("home")))
    with at(2027, 1, 2):
        client.force_login(agent_user)
        home = text(client.get(reverse("home")))
        assert "L'arrêté le plus récent connu pour la région Grand Est" in home
        assert "n'est plus en vigueur" in home and "(règle E1)" in home
        assert reverse("conventions:order_create") in home


def test_a_referents_home_has_no_work_queue(client, referent_user):
    with at(2027, 6, 2):
        client.force_login(referent_user)
        home = text(client.get(reverse("home")))
    assert 'id="file-de-travail"' not in home and "SMIC horaire brut" not in home


# --- the wizard ---------------------------------------------------------------------------------


def aid_step(client, convention):
    return text(client.get(reverse("conventions:update", args=[convention.pk]) + "?etape=6"))


def draft(territory, beneficiary, hire):
    return ConventionFactory(
        territory=territory,
        beneficiary=beneficiary,
        filing_date=hire - datetime.timedelta(days=30),
        hire_date=hire,
        planned_end=hire + datetime.timedelta(days=183),
        aid_start=None,
        aid_end=None,
        prefect_rate_percent=None,
        subsidised_weekly_hours=None,
    )


def test_the_wizard_proposes_the_demonstration_order_for_a_bas_rhin_person(
    referent_client, territory, my_beneficiary
):
    assert territory.code == "67" and territory.region_code == "44"
    page = aid_step(referent_client, draft(territory, my_beneficiary, D(2026, 3, 2)))
    assert "Arrêté en vigueur à l'embauche : Arrêté de démonstration Grand Est 2026" in page
    assert "donnée de démonstration, pas un arrêté réel (règle E1)" in page


def test_the_wizard_warns_when_the_order_it_proposes_is_outside_its_validity(
    referent_client, territory, my_beneficiary
):
    page = aid_step(referent_client, draft(territory, my_beneficiary, D(2027, 2, 1)))
    assert "Attention : aucun arrêté n'est connu en vigueur à l'embauche du 01/02/2027" in page
    assert "était valable du 01/01/2026 au 31/12/2026" in page
    assert "(règle E1)" in page
