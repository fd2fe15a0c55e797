"""The data migration that makes one rupture per event (``support.0009``): the in-employment
support's former rupture records become the one ``conventions.Rupture`` of their contract —
merged with the convention's when both exist (the earliest moment known, the convention's
money fields), the convention's when only the support had one, and a rupture without
convention for a contract signed outside Tremplin."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories
from tests.conventions.factories import ConventionFactory
from tests.support.factories import InEmploymentEpisodeFactory, paris

BEFORE = [("support", "0008_one_rupture_per_event")]
MERGED = [("support", "0009_merge_episode_ruptures")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_support_ruptures_become_the_one_rupture_of_their_contract():
    territory = factories.TerritoryFactory()
    operator = factories.OrganisationFactory(territory=territory)
    referent = factories.referent(operator)

    def person():
        return factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=referent
        )

    both = ConventionFactory(territory=territory, beneficiary=person(), signed=True)
    support_only = ConventionFactory(territory=territory, beneficiary=person(), signed=True)
    with_both = InEmploymentEpisodeFactory(beneficiary=both.beneficiary, convention=both)
    with_support_only = InEmploymentEpisodeFactory(
        beneficiary=support_only.beneficiary, convention=support_only
    )
    outside = InEmploymentEpisodeFactory(beneficiary=person())

    apps = migrate(BEFORE)
    Rupture = apps.get_model("conventions", "Rupture")
    EpisodeRupture = apps.get_model("support", "EpisodeRupture")
    Rupture.objects.create(
        convention_id=both.pk,
        beneficiary_id=both.beneficiary_id,
        known_at=paris(2025, 6, 12, 9, 0),
        last_day=dt.date(2025, 6, 13),
        initiative="employer",
        reason="",
        lawful_case=True,
        repayment_due=Decimal("0.00"),
        repayment_explanation="Aucun reversement (règle F13).",
    )
    EpisodeRupture.objects.create(
        episode_id=with_both.pk,
        known_at=paris(2025, 6, 10, 14, 0),
        last_day=dt.date(2025, 6, 30),
        initiative="employee",
        reason="Licenciement annoncé au référent",
        concertation_held=True,
    )
    EpisodeRupture.objects.create(
        episode_id=with_support_only.pk,
        known_at=paris(2025, 5, 5, 16, 30),
        initiative="mutual",
        reason="Commun accord",
    )
    EpisodeRupture.objects.create(
        episode_id=outside.pk,
        known_at=paris(2025, 7, 1, 23, 30),  # 21:30 UTC, the 1st in Paris
        initiative="employee",
        reason="Démission",
    )

    apps = migrate(MERGED)
    Rupture = apps.get_model("conventions", "Rupture")
    SupportEpisode = apps.get_model("support", "SupportEpisode")
    assert Rupture.objects.count() == 3
    merged = Rupture.objects.get(convention_id=both.pk)
    # The earliest moment known; the convention's money fields; the support's concertation
    # and, the convention's being empty, its reason.
    assert merged.known_at == paris(2025, 6, 10, 14, 0)
    assert merged.last_day == dt.date(2025, 6, 13) and merged.initiative == "employer"
    assert merged.lawful_case and merged.concertation_held
    assert merged.reason == "Licenciement annoncé au référent"
    carried = Rupture.objects.get(convention_id=support_only.pk)
    assert carried.last_day == dt.date(2025, 5, 5)  # empty: the day it was known
    assert carried.beneficiary_id == support_only.beneficiary_id
    assert "règle F13" in carried.repayment_explanation and carried.acknowledged_at is None
    alone = Rupture.objects.get(convention__isnull=True)
    assert alone.last_day == dt.date(2025, 7, 1)
    assert SupportEpisode.objects.get(pk=outside.pk).contract_rupture_id == alone.pk
    assert SupportEpisode.objects.get(pk=with_both.pk).contract_rupture_id is None

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
