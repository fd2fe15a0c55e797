"""Factories of the outcomes, built on tests/factories.py."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests.factories import BeneficiaryFactory
from tremplin.outcomes import services
from tremplin.outcomes.models import Situation


class SituationFactory(DjangoModelFactory):
    """A job search by default; traits for the situations the rules classify."""

    class Meta:
        model = Situation

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    kind = Situation.Kind.JOB_SEARCH
    start = datetime.date(2025, 3, 3)

    class Params:
        cdi = factory.Trait(kind=Situation.Kind.CDI, weekly_hours=Decimal(35))
        cdd = factory.Trait(
            kind=Situation.Kind.CDD,
            weekly_hours=Decimal(24),
            end=factory.LazyAttribute(lambda s: s.start + datetime.timedelta(days=180)),
        )
        qualifying_training = factory.Trait(
            kind=Situation.Kind.TRAINING, qualifying=True, rncp_listed=True
        )
        inactivity = factory.Trait(kind=Situation.Kind.INACTIVITY)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the pages do: the service writes it and the person's exits are reclassified.
        return services.save_situation(model_class(*args, **kwargs))
