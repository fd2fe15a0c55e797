"""Factories of the professional support: a support from 15 January 2025 with its first CER
of 6 months (P4: 15/01/2025 + 6 months - 1 day = 14/07/2025)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from tests import factories
from tremplin.professional.models import Cer, Contact, ProfessionalSupport
from tremplin.professional.services import sync_cer_deadlines
from tremplin.support.models import Meeting, SupportEpisode

START = dt.date(2025, 1, 15)


class ProfessionalEpisodeFactory(DjangoModelFactory):
    class Meta:
        model = SupportEpisode

    beneficiary = factory.SubFactory(factories.BeneficiaryFactory)
    programme = "professional"
    operator = factory.SelfAttribute("beneficiary.operator")
    referent = factory.SelfAttribute("beneficiary.referent")
    started_on = START


def professional_episode(follower, start=START, cers=1, **kwargs) -> SupportEpisode:
    """An open professional support of a person followed by ``follower``, with ``cers``
    consecutive CERs of 6 months (the third and later validated by nobody)."""
    operator = follower.memberships.first().organisation
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=follower
    )
    episode = ProfessionalEpisodeFactory(beneficiary=beneficiary, started_on=start, **kwargs)
    ProfessionalSupport.objects.create(episode=episode, project="employment")
    from tremplin.rules.programmes import first_cer_term, propose_cer_renewal

    terms = [first_cer_term(start)]
    while len(terms) < cers:
        terms.append(propose_cer_renewal(terms, support_start=start).term)
    for number, term in enumerate(terms, start=1):
        Cer.objects.create(
            episode=episode, number=number, start=term.start, end=term.end, objectives="Emploi"
        )
    sync_cer_deadlines(episode)
    return episode


def interview(episode, *moment, status=Meeting.Status.HELD) -> Meeting:
    """An individual interview, held unless ``status`` says otherwise (only held ones count
    in the cadence, P4)."""
    from tests.support.factories import paris

    return Meeting.objects.create(
        episode=episode,
        starts_at=paris(*moment),
        duration_minutes=45,
        place=Meeting.Place.OPERATOR,
        kind=Meeting.Kind.INDIVIDUAL,
        status=status,
    )


def contact(episode, on, channel="phone") -> Contact:
    return Contact.objects.create(episode=episode, on=on, channel=channel)
