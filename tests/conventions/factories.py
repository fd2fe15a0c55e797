"""Factories of conventions with traits (``signed``, ``cae``, ``cdi``), on tests/factories.py.

The default is a draft CIE that passes every blocking check: a 6-month CDD (hire
2025-03-15, end 2025-09-14) at 26 h a week paid above the SMIC, 47 % (RSA case), a tutor
with 5 years of experience.
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests import factories
from tremplin.conventions.models import (
    AidOrder,
    Amendment,
    Convention,
    ConventionNumberSequence,
    Rupture,
    Suspension,
)
from tremplin.rules import parameters
from tremplin.rules.calendar import PARIS

HIRE = datetime.date(2025, 3, 15)
END = datetime.date(2025, 9, 14)


class ConventionFactory(DjangoModelFactory):
    class Meta:
        model = Convention

    sector = Convention.Sector.CIE
    territory = factory.SubFactory(factories.TerritoryFactory)
    # Aged 34 at the hire: no age derogation (rules C5, E4) unless a test asks for one.
    beneficiary = factory.SubFactory(
        factories.BeneficiaryFactory,
        territory=factory.SelfAttribute("..territory"),
        birth_date=datetime.date(1990, 6, 1),
    )
    employer = factory.SubFactory(
        factories.EmployerFactory, territory=factory.SelfAttribute("..territory")
    )
    tutor = factory.SubFactory(factories.TutorFactory, employer=factory.SelfAttribute("..employer"))
    referent = factory.SelfAttribute("beneficiary.referent")
    operator = factory.SelfAttribute("beneficiary.operator")
    prescribed_for_department = True
    filing_date = datetime.date(2025, 3, 1)
    prescriber_code = "067RSA"
    education_level = "50"
    unemployed_for = "12_23"
    receives_rsa = True
    minimum_income_for = "12_23"
    disabled_worker = "no"
    contract_type = Convention.ContractType.CDD
    hire_date = HIRE
    planned_end = END
    rome_code = "D1102"
    job_title = "Boulanger"
    gross_monthly_pay = Decimal("1400.00")
    weekly_hours = 26
    collective_weekly_hours = 35
    support_taking_up_post = "1"
    training_adaptation = "1"
    aid_start = HIRE
    aid_end = END
    subsidised_weekly_hours = 26
    prefect_rate_percent = Decimal("47")
    payer = Convention.Payer.DEPARTMENT

    class Params:
        cae = factory.Trait(
            sector=Convention.Sector.CAE,
            employer=factory.SubFactory(
                factories.EmployerFactory,
                association=True,
                territory=factory.SelfAttribute("..territory"),
            ),
        )
        cdi = factory.Trait(contract_type=Convention.ContractType.CDI, planned_end=None)
        signed = factory.Trait(
            signed_on=datetime.date(2025, 3, 10),
            number_department=factory.SelfAttribute("territory.code"),
            number_year=2025,
            number_order=factory.LazyAttribute(
                lambda o: ConventionNumberSequence.allocate(o.territory.code, 2025)
            ),
            employee_present=True,
            employer_present=True,
            operator_present=True,
            rsa_adviser_present=True,
        )


class SuspensionFactory(DjangoModelFactory):
    class Meta:
        model = Suspension

    convention = factory.SubFactory(ConventionFactory, signed=True)
    start = datetime.date(2025, 5, 1)
    end = datetime.date(2025, 5, 10)
    paid = False
    reason = Suspension.Reason.WORK_EVALUATION
    employer_report_date = datetime.date(2025, 5, 3)


class RuptureFactory(DjangoModelFactory):
    """A rupture row as stored (the database's constraints); the pages and the API record it
    through ``services.record_rupture``."""

    class Meta:
        model = Rupture

    convention = factory.SubFactory(ConventionFactory, signed=True)
    beneficiary = factory.SelfAttribute("convention.beneficiary")
    known_at = factory.LazyAttribute(
        lambda r: datetime.datetime.combine(r.last_day, datetime.time(9), PARIS)
    )
    last_day = datetime.date(2025, 6, 30)
    initiative = Rupture.Initiative.EMPLOYEE
    reason = "Embauche en CDI ailleurs"
    lawful_case = True


class AmendmentFactory(DjangoModelFactory):
    class Meta:
        model = Amendment

    convention = factory.SubFactory(ConventionFactory, signed=True)
    kind = Amendment.Kind.MODIFICATION
    effective_from = datetime.date(2025, 6, 1)
    new_subsidised_weekly_hours = 20
    renewal_number = 0
    modification_number = 1


def shipped_order() -> AidOrder:
    """Seed 002's order (rule E12) as a database row: loaded by the data migration, created
    again here when a transactional test (the browser tests) has flushed the tables."""
    rule = next(order for order in parameters.aid_orders() if order.region_code == "84")
    row = AidOrder.objects.row_of(rule)
    if row is not None:
        return row
    return AidOrder.objects.create(**{**rule.to_mapping(), "valid_from": rule.valid_from})
