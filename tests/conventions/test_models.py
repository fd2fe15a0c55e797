"""Database constraints of the conventions (both SQLite and PostgreSQL) and derived values."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories
from tests.conventions.factories import (
    AmendmentFactory,
    ConventionFactory,
    RuptureFactory,
    SuspensionFactory,
    shipped_order,
)
from tremplin.accounts.models import AuditEntry
from tremplin.conventions.models import AidOrder, Convention, validate_rome_code

pytestmark = pytest.mark.django_db


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionFactory(**fields)


def test_contract_end_before_hire_is_refused_by_the_database():
    refused(planned_end=datetime.date(2025, 3, 1))


def test_planned_end_only_for_a_cdd():
    refused(contract_type="CDI")


def test_aid_end_before_start_is_refused():
    refused(aid_end=datetime.date(2025, 3, 1))


def test_subsidised_hours_above_35_are_refused():
    refused(subsidised_weekly_hours=36)


def test_prefect_rate_above_47_is_refused():
    # Rule E6.
    refused(prefect_rate_percent=Decimal("47.01"))


def test_department_rate_above_100_is_refused():
    refused(department_rate_percent=Decimal("101"))


def test_the_department_fields_keep_their_columns_and_audit_keys():
    # The Python names are English; the columns, the constraint and the audit log's keys keep
    # the French spelling they were created with (no table rebuild, the log stays searchable).
    names = ["prescribed_for_department", "department_rate_percent", "department_funds_alone"]
    columns = [Convention._meta.get_field(name).column for name in names]
    assert columns == [
        "prescribed_for_departement",
        "departement_rate_percent",
        "departement_funds_alone",
    ]
    convention = ConventionFactory()
    convention.department_rate_percent = Decimal("60")
    convention.department_funds_alone = True
    convention.save()
    update = AuditEntry.objects.filter(
        object_id=str(convention.pk), action=AuditEntry.Action.UPDATE
    ).latest("pk")
    assert update.changes["departement_rate_percent"] == [None, "60"]
    assert update.changes["departement_funds_alone"] == [False, True]


def test_minutes_below_60():
    refused(weekly_minutes=60)


def test_signed_without_parties_is_refused():
    # Rule A10: the four parties are recorded at signature.
    refused(signed=True, rsa_adviser_present=False)


def test_suspension_dates_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        SuspensionFactory(start=datetime.date(2025, 5, 10), end=datetime.date(2025, 5, 1))


def test_amendment_kinds_need_their_values():
    with pytest.raises(IntegrityError), transaction.atomic():
        AmendmentFactory(kind="renewal", new_aid_end=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        AmendmentFactory(new_subsidised_weekly_hours=None)


def test_rupture_repayment_not_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        RuptureFactory(repayment_due=Decimal("-1"))


@pytest.mark.parametrize("code", ["K1302", "D1102", "A1101"])
def test_rome_code_accepted(code):
    validate_rome_code(code)


@pytest.mark.parametrize("code", ["k1302", "K130", "Z1302", "K13022", "1302K", " K1302"])
def test_rome_code_refused_in_french(code):
    with pytest.raises(ValidationError, match="code ROME"):
        validate_rome_code(code)


def test_rome_code_of_the_right_shape_but_no_fiche_is_refused_citing_f1():
    # K1399: the shape of a ROME code, but domaine K13 (aide à la personne) stops at K1305.
    with pytest.raises(ValidationError) as refused:
        validate_rome_code("K1399")
    message = refused.value.messages[0]
    assert "n'existe pas dans le répertoire ROME" in message
    assert "(règle F1)" in message
    assert "K1302 (Assistance auprès d'adultes)" in message


def test_status_is_derived_from_the_dates():
    convention = ConventionFactory()
    assert convention.status_on(datetime.date(2025, 4, 1)) == Convention.Status.DRAFT
    signed = ConventionFactory(signed=True)
    assert signed.status_on(datetime.date(2025, 3, 12)) == Convention.Status.SIGNED
    assert signed.status_on(datetime.date(2025, 4, 1)) == Convention.Status.ACTIVE
    assert signed.status_on(datetime.date(2025, 9, 15)) == Convention.Status.ENDED
    RuptureFactory(convention=signed)
    signed.refresh_from_db()
    assert signed.status_on(datetime.date(2025, 4, 1)) == Convention.Status.RUPTURED


def test_hours_and_minutes_are_decimal_hours():
    convention = ConventionFactory(weekly_hours=26, weekly_minutes=30)
    assert convention.contract_weekly_hours == Decimal("26.5")


def test_shipped_order_is_in_the_database_and_round_trips():
    # Seed 002's order, loaded by the data migration (rule E12).
    order = shipped_order()
    rule = order.to_rule()
    assert rule.category("cas_4").rate_percent == Decimal("47")
    assert rule.aid_months_cdi == 12
    in_force = AidOrder.objects.in_force("84", datetime.date(2017, 9, 15))
    assert in_force.reference == order.reference
    # Rule E1: valid through 2017 only; in 2025 it is the newest known, outside its validity.
    assert order.valid_until == datetime.date(2017, 12, 31)
    outside = AidOrder.objects.at("84", datetime.date(2025, 3, 15))
    assert outside.order.reference == order.reference and outside.outside_validity


def test_bad_order_is_refused_in_french():
    order = shipped_order()
    order.categories = [{**order.categories[0], "rate_percent": "50"}]
    with pytest.raises(ValidationError, match="E6"):
        order.clean()


def test_visible_through_the_beneficiary(territory, operator, referent_user, agent_user):
    mine = ConventionFactory(
        territory=territory,
        beneficiary=factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=referent_user
        ),
    )
    other = ConventionFactory(territory=territory)
    assert list(Convention.objects.visible_to(referent_user)) == [mine]
    assert set(Convention.objects.visible_to(agent_user)) == {mine, other}
    assert not Convention.objects.visible_to(factories.UserFactory()).exists()


def test_writes_are_audited():
    convention = ConventionFactory()
    assert AuditEntry.objects.filter(
        object_type="conventions.convention", object_id=str(convention.pk), action="create"
    ).exists()
