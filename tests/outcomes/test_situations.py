"""Situations of a person: database constraints, the form's French errors (the rules'
checks, rules A4, L3121-20), access (404 outside the scope), the pages and the audit."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests import factories
from tests.outcomes.factories import SituationFactory
from tremplin.accounts.models import AuditEntry
from tremplin.outcomes.models import Situation

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(territory, operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )


@pytest.fixture
def referent_client(client, referent_user):
    client.force_login(referent_user)
    return client


def form_data(**overrides):
    data = {
        "kind": "cdd",
        "start": "2025-09-03",
        "end": "2026-03-02",
        "weekly_hours": "24",
        "company_full_time_hours": "",
        "employer": "",
        "employer_name": "Boulangerie Schmitt",
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def create_url(person):
    return reverse("outcomes:situation_create", args=[person.pk])


# --- constraints in the database ----------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"kind": "cdd", "start": datetime.date(2025, 3, 1), "end": datetime.date(2025, 2, 1)},
        {"kind": "cdi", "weekly_hours": Decimal(0)},
        {"kind": "cdi", "weekly_hours": Decimal("48.5")},
        {"kind": "cdi", "weekly_hours": Decimal(20), "company_full_time_hours": Decimal(60)},
        {"kind": "training", "weekly_hours": Decimal(20)},
        {"kind": "cdd", "weekly_hours": Decimal(20), "end": None},
        {"kind": "cdi", "rncp_listed": True},
        {"kind": "cdi", "appointment": True},
        {"kind": "cdi", "supported_contract": True},
        {"kind": "training", "in_siae": True},
    ],
    ids=[
        "end-before-start",
        "zero-hours",
        "over-48-hours",
        "full-time-over-48",
        "hours-on-training",
        "cdd-without-end",
        "rncp-on-cdi",
        "appointment-on-cdi",
        "supported-cdi",
        "siae-training",
    ],
)
def test_the_database_refuses_a_row_the_rules_would_refuse(person, values):
    row = {"start": datetime.date(2025, 3, 1), **values}
    with pytest.raises(IntegrityError), transaction.atomic():
        Situation.objects.create(beneficiary=person, **row)


def test_the_database_accepts_a_permanent_subsidised_contract_without_end(person):
    situation = Situation.objects.create(
        beneficiary=person,
        kind="subsidised_contract",
        start=datetime.date(2025, 3, 3),
        weekly_hours=Decimal(26),
        permanent_contract=True,
        supported_contract=True,
    )
    assert situation.as_rules_situation().is_open_ended_contract


# --- the form -----------------------------------------------------------------------------


def test_a_valid_cdd_is_saved_and_audited(referent_client, person):
    response = referent_client.post(create_url(person), form_data())

    assert response.status_code == 302
    situation = person.situations.get()
    assert (situation.kind, situation.weekly_hours) == ("cdd", Decimal(24))
    assert response["Location"] == reverse("outcomes:beneficiary_situations", args=[person.pk])
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, object_type="outcomes.situation"
    ).exists()


def test_french_decimal_comma_is_read(referent_client, person):
    referent_client.post(create_url(person), form_data(weekly_hours="17,5"))

    assert person.situations.get().weekly_hours == Decimal("17.5")


def test_an_end_before_the_start_is_refused_under_the_end_field_keeping_what_was_typed(
    referent_client, person
):
    response = referent_client.post(create_url(person), form_data(end="2025-08-01"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["end"] == [
        "La fin (01/08/2025) précède le début (03/09/2025) : corrigez les dates."
    ]
    assert 'value="Boulangerie Schmitt"' in response.content.decode()
    assert 'value="2025-08-01"' in response.content.decode()
    assert not person.situations.exists()


def test_a_cdd_without_end_is_refused(referent_client, person):
    response = referent_client.post(create_url(person), form_data(end=""))

    assert (
        "est à durée déterminée : indiquez son terme" in response.context["form"].errors["end"][0]
    )


@pytest.mark.parametrize("hours", ["0", "60", "-3"])
def test_hours_out_of_the_legal_bounds_are_refused_citing_l3121_20(referent_client, person, hours):
    response = referent_client.post(create_url(person), form_data(weekly_hours=hours))

    [message] = response.context["form"].errors["weekly_hours"]
    assert "hors des bornes, plus de 0 h et au plus 48 h" in message
    assert "L3121-20" in message
    assert not person.situations.exists()


def test_an_indication_that_does_not_apply_is_refused_under_its_field(referent_client, person):
    response = referent_client.post(create_url(person), form_data(rncp_listed="on"))

    [message] = response.context["form"].errors["rncp_listed"]
    assert "ne s'applique qu'à une formation" in message


def test_inactivity_overlapping_a_recorded_job_is_a_contradiction(referent_client, person):
    SituationFactory(
        beneficiary=person, cdd=True, start=datetime.date(2025, 9, 3), end=datetime.date(2026, 3, 2)
    )

    response = referent_client.post(
        create_url(person),
        form_data(kind="inactivity", start="2025-12-01", end="", weekly_hours="", employer_name=""),
    )

    [message] = response.context["form"].non_field_errors()
    assert message.startswith("La situation n°2 (inactivité depuis le 01/12/2025) chevauche la")
    assert "situation n°1 (CDD du 03/09/2025 au 02/03/2026)" in message
    assert person.situations.count() == 1
    # The page lists the recorded situations with the numbers the message uses.
    assert "celle que vous saisissez porte le n°2" in response.content.decode()


def test_two_simultaneous_full_time_jobs_exceed_the_weekly_maximum(referent_client, person):
    SituationFactory(beneficiary=person, cdi=True, start=datetime.date(2025, 9, 1))

    response = referent_client.post(
        create_url(person), form_data(kind="cdi", start="2025-10-01", end="", weekly_hours="35")
    )

    [message] = response.context["form"].non_field_errors()
    assert "Emplois simultanés le 01/10/2025" in message
    assert "70 h par semaine" in message


def test_editing_a_situation_is_not_a_contradiction_with_itself(referent_client, person):
    situation = SituationFactory(beneficiary=person, cdi=True, start=datetime.date(2025, 9, 1))

    response = referent_client.post(
        reverse("outcomes:situation_update", args=[situation.pk]),
        form_data(kind="cdi", start="2025-09-01", end="", weekly_hours="30"),
    )

    assert response.status_code == 302
    situation.refresh_from_db()
    assert situation.weekly_hours == Decimal(30)


def test_an_old_contradiction_between_two_other_situations_does_not_block_a_new_one(
    referent_client, person
):
    # Stored before the checks existed (an import): the new situation is not blamed for it.
    SituationFactory(beneficiary=person, cdi=True, start=datetime.date(2024, 1, 1))
    SituationFactory(beneficiary=person, inactivity=True, start=datetime.date(2024, 6, 1))

    response = referent_client.post(
        create_url(person),
        form_data(
            kind="move", start="2020-01-01", end="2020-01-01", weekly_hours="", employer_name=""
        ),
    )

    assert response.status_code == 302


def test_the_supported_contract_of_an_earlier_support_does_not_block_a_new_one(
    referent_client, person
):
    SituationFactory(
        beneficiary=person,
        kind="subsidised_contract",
        start=datetime.date(2022, 1, 3),
        end=datetime.date(2022, 7, 2),
        weekly_hours=Decimal(26),
        supported_contract=True,
    )

    response = referent_client.post(
        create_url(person),
        form_data(
            kind="subsidised_contract",
            start="2025-03-03",
            end="2025-09-02",
            weekly_hours="26",
            supported_contract="on",
        ),
    )

    assert response.status_code == 302


# --- access -------------------------------------------------------------------------------


@pytest.fixture
def someone_else(territory, other_operator):
    return factories.BeneficiaryFactory(
        territory=territory,
        operator=other_operator,
        referent=factories.referent(other_operator),
    )


def test_a_referent_gets_404_on_every_page_of_a_person_they_do_not_follow(
    referent_client, someone_else
):
    situation = SituationFactory(beneficiary=someone_else)
    urls = [
        reverse("outcomes:beneficiary_situations", args=[someone_else.pk]),
        reverse("outcomes:situation_create", args=[someone_else.pk]),
        reverse("outcomes:classify_exit", args=[someone_else.pk]),
        reverse("outcomes:situation_update", args=[situation.pk]),
        reverse("outcomes:situation_delete", args=[situation.pk]),
    ]
    for url in urls:
        assert referent_client.get(url).status_code == 404, url
    assert referent_client.post(urls[1], form_data()).status_code == 404
    assert referent_client.post(urls[4]).status_code == 404
    assert Situation.objects.filter(pk=situation.pk).exists()


def test_situations_are_visible_to_whoever_sees_the_person(
    person, someone_else, referent_user, coordinator_user, agent_user
):
    mine = SituationFactory(beneficiary=person)
    theirs = SituationFactory(beneficiary=someone_else)

    assert set(Situation.objects.visible_to(referent_user)) == {mine}
    assert set(Situation.objects.visible_to(coordinator_user)) == {mine}
    assert set(Situation.objects.visible_to(agent_user)) == {mine, theirs}


def test_the_pages_need_a_login(client, person):
    response = client.get(reverse("outcomes:beneficiary_situations", args=[person.pk]))

    assert response.status_code == 302
    assert "connexion" in response["Location"] or "login" in response["Location"]


# --- the pages ----------------------------------------------------------------------------


def test_the_list_shows_the_situations_in_order_and_records_the_view(referent_client, person):
    SituationFactory(beneficiary=person, cdi=True, start=datetime.date(2025, 9, 1))
    SituationFactory(beneficiary=person, start=datetime.date(2025, 3, 3))

    response = referent_client.get(reverse("outcomes:beneficiary_situations", args=[person.pk]))

    page = response.content.decode()
    table = page[page.index("<table") :]
    assert table.index("Recherche d&#x27;emploi") < table.index("CDI")
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, object_id=str(person.pk)
    ).exists()


def test_delete_asks_for_confirmation_then_deletes(referent_client, person):
    situation = SituationFactory(beneficiary=person)
    url = reverse("outcomes:situation_delete", args=[situation.pk])

    confirmation = referent_client.get(url)
    assert "Oui, supprimer cette situation" in confirmation.content.decode()
    assert Situation.objects.filter(pk=situation.pk).exists()

    response = referent_client.post(url)
    assert response.status_code == 302
    assert not Situation.objects.filter(pk=situation.pk).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, object_type="outcomes.situation"
    ).exists()


def test_classify_page_a_cdi_recorded_after_an_in_employment_support_is_a4_a(
    referent_client, person
):
    SituationFactory(
        beneficiary=person,
        kind="subsidised_contract",
        start=datetime.date(2025, 3, 3),
        end=datetime.date(2025, 9, 2),
        weekly_hours=Decimal(26),
        supported_contract=True,
    )
    SituationFactory(
        beneficiary=person, cdi=True, start=datetime.date(2025, 9, 3), weekly_hours=Decimal(20)
    )

    response = referent_client.get(
        reverse("outcomes:classify_exit", args=[person.pk]),
        {
            "programme": "in_employment",
            "support_start": "2025-03-03",
            "support_end": "",
            "evaluation_date": "2025-09-30",
        },
    )

    result = response.context["result"]
    assert (result.category, result.rule, result.positive) == ("durable_cdi", "A4 a", True)
    assert response.context["deciding_numbers"] == {2}
    page = response.content.decode()
    assert "CDI au moins à mi-temps — sortie positive" in page
    assert "CDI n°2 depuis le 03/09/2025" in page


def test_classify_page_explains_an_evaluation_date_outside_the_a3_window(referent_client, person):
    SituationFactory(beneficiary=person, cdi=True, start=datetime.date(2025, 9, 3))

    response = referent_client.get(
        reverse("outcomes:classify_exit", args=[person.pk]),
        {
            "programme": "in_employment",
            "support_start": "2025-03-03",
            "evaluation_date": "2025-06-01",
        },
    )

    [message] = response.context["classification_errors"]
    assert "règle A3" in message
    assert "result" not in response.context


def test_classify_page_without_a_frame_shows_the_form_only(referent_client, person):
    response = referent_client.get(reverse("outcomes:classify_exit", args=[person.pk]))

    assert response.status_code == 200
    assert not response.context["form"].is_bound
    assert "result" not in response.context
