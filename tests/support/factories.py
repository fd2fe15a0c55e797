"""Factories of the support app, built on tests/factories.py."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from tests import factories
from tremplin.conventions.models import Rupture
from tremplin.rules.calendar import PARIS
from tremplin.support import services
from tremplin.support.models import (
    Meeting,
    Refusal,
    SupportEpisode,
)


class InEmploymentEpisodeFactory(DjangoModelFactory):
    """A CDD of six months from 3 March 2025, trial period to 2 April (the in-employment support's worked example)."""

    class Meta:
        model = SupportEpisode

    beneficiary = factory.SubFactory(factories.BeneficiaryFactory)
    programme = "in_employment"
    operator = factory.SelfAttribute("beneficiary.operator")
    referent = factory.SelfAttribute("beneficiary.referent")
    employer = factory.SubFactory(
        factories.EmployerFactory, territory=factory.SelfAttribute("..beneficiary.territory")
    )
    tutor = factory.SubFactory(factories.TutorFactory, employer=factory.SelfAttribute("..employer"))
    rsa_adviser_name = "Claire Muller"
    rsa_adviser_email = "claire.muller@departement.example.fr"
    contract_type = "CDD"
    contract_start = dt.date(2025, 3, 3)
    trial_end = dt.date(2025, 4, 2)
    contract_end = dt.date(2025, 9, 2)
    started_on = factory.SelfAttribute("contract_start")

    class Params:
        cdi = factory.Trait(contract_type="CDI", contract_end=None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the pages do: the service writes the support and its plan's deadlines.
        return services.save_episode(model_class(*args, **kwargs))


def episode_for(follower, **kwargs) -> SupportEpisode:
    """An episode of a person followed by ``follower`` in the follower's operator."""
    operator = follower.memberships.first().organisation
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=follower
    )
    return InEmploymentEpisodeFactory(beneficiary=beneficiary, **kwargs)


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    episode = factory.SubFactory(InEmploymentEpisodeFactory)
    starts_at = factory.LazyFunction(lambda: paris(2025, 3, 10, 10, 0))
    duration_minutes = 60
    place = Meeting.Place.COMPANY
    kind = Meeting.Kind.INDIVIDUAL
    # Recorded after the fact, as every meeting was before statuses (F8): held.
    status = Meeting.Status.HELD
    participants = "Le salarié, la tutrice"
    report = "Prise de poste sans difficulté ; horaires à confirmer."


class RuptureFactory(DjangoModelFactory):
    """The rupture of an episode's contract (A14), recorded as the pages record it: the one
    row of ``conventions.Rupture`` (the episode's convention's, or its own)."""

    class Meta:
        model = Rupture

    episode = factory.SubFactory(InEmploymentEpisodeFactory)
    known_at = factory.LazyFunction(lambda: paris(2025, 6, 10, 14, 0))
    initiative = Rupture.Initiative.EMPLOYEE
    employee_ground = "cdi"  # rule E5: the employee leaves the CDD for a CDI
    reason = "Démission pour un CDI dans une autre entreprise."
    concertation_held = True

    @classmethod
    def _create(cls, model_class, *args, episode, **kwargs):
        return services.record_episode_rupture(episode, model_class(*args, **kwargs), user=None)


class RefusalFactory(DjangoModelFactory):
    class Meta:
        model = Refusal

    episode = factory.SubFactory(InEmploymentEpisodeFactory)
    by = Refusal.By.EMPLOYER
    on = dt.date(2025, 3, 5)
    reason = "L'employeur ne souhaite pas de visites en entreprise."
