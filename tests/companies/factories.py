"""Factories of company relations (P7), built on tests/factories.py."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests import factories
from tremplin.companies.models import (
    Application,
    CompanyEvent,
    EmployerContact,
    Immersion,
    JobOffer,
    JobSearchProfile,
    ProspectingAction,
)


class EmployerContactFactory(DjangoModelFactory):
    class Meta:
        model = EmployerContact

    employer = factory.SubFactory(factories.EmployerFactory)
    operator = factory.SubFactory(
        factories.OrganisationFactory, territory=factory.SelfAttribute("..employer.territory")
    )
    name = "Sandrine Koenig"
    function = "Responsable des ressources humaines"
    phone = "03 88 12 34 56"
    email = "s.koenig@exemple.fr"


class ProspectingActionFactory(DjangoModelFactory):
    class Meta:
        model = ProspectingAction

    employer = factory.SubFactory(factories.EmployerFactory)
    operator = factory.SubFactory(
        factories.OrganisationFactory, territory=factory.SelfAttribute("..employer.territory")
    )
    date = dt.date(2025, 3, 4)
    kind = ProspectingAction.Kind.VISIT
    done_by = factory.LazyAttribute(lambda o: factories.referent(o.operator))
    outcome = "Deux postes d'agent d'entretien à pourvoir en avril."
    next_step = "Envoyer deux profils"


class JobOfferFactory(DjangoModelFactory):
    class Meta:
        model = JobOffer

    employer = factory.SubFactory(factories.EmployerFactory)
    operator = factory.SubFactory(
        factories.OrganisationFactory, territory=factory.SelfAttribute("..employer.territory")
    )
    title = "Agent·e d'entretien des locaux"
    rome_code = "K2204"
    postal_code = "67000"
    city = "Strasbourg"
    weekly_hours = Decimal("24")
    contract_type = JobOffer.ContractType.CDD
    contract_months = 6
    starts_on = dt.date(2025, 4, 1)
    description = "Entretien de bureaux, horaires du matin."


class JobSearchProfileFactory(DjangoModelFactory):
    class Meta:
        model = JobSearchProfile

    beneficiary = factory.SubFactory(factories.BeneficiaryFactory)
    rome_codes = "K2204"
    areas = "67000"
    min_weekly_hours = Decimal("20")
    max_weekly_hours = Decimal("30")


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    beneficiary = factory.SubFactory(factories.BeneficiaryFactory)
    offer = factory.SubFactory(JobOfferFactory)
    sent_on = dt.date(2025, 3, 10)


class ImmersionFactory(DjangoModelFactory):
    class Meta:
        model = Immersion

    beneficiary = factory.SubFactory(factories.BeneficiaryFactory)
    employer = factory.SubFactory(
        factories.EmployerFactory, territory=factory.SelfAttribute("..beneficiary.territory")
    )
    tutor = factory.SubFactory(factories.TutorFactory, employer=factory.SelfAttribute("..employer"))
    purpose = "confirm"
    objectives = "Vérifier l'aisance avec la vente au comptoir."
    starts_on = dt.date(2025, 3, 3)
    ends_on = dt.date(2025, 3, 14)


class CompanyEventFactory(DjangoModelFactory):
    class Meta:
        model = CompanyEvent

    operator = factory.SubFactory(factories.OrganisationFactory)
    kind = CompanyEvent.Kind.JOB_DATING
    title = "Job dating de la propreté"
    date = dt.date(2025, 3, 20)
    place = "Maison de l'emploi, Strasbourg"
