"""Factories of the progress app: a professional support episode and its evaluations."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from tests import factories
from tremplin.progress.models import Barrier, BarrierAction, Evaluation, EvaluationScore
from tremplin.rules import work_areas
from tremplin.support.models import SupportEpisode


class ProfessionalEpisodeFactory(DjangoModelFactory):
    """A professional support (seed 004) started on 6 January 2025."""

    class Meta:
        model = SupportEpisode

    beneficiary = factory.SubFactory(factories.BeneficiaryFactory)
    programme = "professional"
    operator = factory.SelfAttribute("beneficiary.operator")
    referent = factory.SelfAttribute("beneficiary.referent")
    started_on = dt.date(2025, 1, 6)


def professional_episode_for(follower, **kwargs) -> SupportEpisode:
    operator = follower.memberships.first().organisation
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=follower
    )
    return ProfessionalEpisodeFactory(beneficiary=beneficiary, **kwargs)


def evaluate(episode, on: dt.date, scores: dict[str, int], comment: str = "") -> Evaluation:
    """An evaluation with ``scores`` by item code, each stored with its area."""
    evaluation = Evaluation.objects.create(episode=episode, evaluated_on=on, comment=comment)
    items = work_areas.grid(on)
    EvaluationScore.objects.bulk_create(
        EvaluationScore(
            evaluation=evaluation, item_code=code, area=items.item(code).area, score=score
        )
        for code, score in scores.items()
    )
    return evaluation


class BarrierFactory(DjangoModelFactory):
    class Meta:
        model = Barrier

    episode = factory.SubFactory(ProfessionalEpisodeFactory)
    kind = "mobility"
    description = "Pas de permis B ; bus toutes les heures seulement"
    identified_on = dt.date(2025, 1, 6)


class BarrierActionFactory(DjangoModelFactory):
    class Meta:
        model = BarrierAction

    barrier = factory.SubFactory(BarrierFactory)
    done_on = dt.date(2025, 1, 20)
    description = "Demande d'aide au permis déposée"
