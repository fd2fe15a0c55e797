"""The référents' active files against their capacity (P9, ``views.portfolios``)."""

import datetime as dt

import pytest

from tests import factories
from tests.professional.factories import professional_episode
from tests.support.factories import InEmploymentEpisodeFactory
from tremplin.professional.views.portfolios import portfolio_rows
from tremplin.support.models import SupportEpisode

pytestmark = pytest.mark.django_db


def test_the_active_file_counts_each_person_followed_once_and_only_open_supports(
    coordinator_user, operator
):
    referent = factories.referent(operator)
    idle = factories.referent(operator)
    both = professional_episode(referent)
    # The same person also supported in employment by the same référent: one person.
    InEmploymentEpisodeFactory(beneficiary=both.beneficiary, referent=referent, operator=operator)
    professional_episode(referent)  # a second person
    over = professional_episode(referent)  # a third, whose support ended: not counted
    SupportEpisode.objects.filter(pk=over.pk).update(ended_on=dt.date(2025, 6, 30))

    loads = {row["user"].pk: row["load"].active for row in portfolio_rows(coordinator_user)}

    # 3 people on open supports, minus the one counted twice: 2; the idle référent: 0.
    assert loads[referent.pk] == 2
    assert loads[idle.pk] == 0
