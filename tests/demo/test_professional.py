"""The demo's professional supports: built with the rules, one below cadence (P4, P5)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from tremplin.outcomes.facts import rebuild_facts
from tremplin.professional.cadence import cadences
from tremplin.professional.cadence_states import rebuild_states
from tremplin.professional.models import CadenceState, Cer, awaiting_validation
from tremplin.support.models import SupportEpisode

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_professional_supports_with_their_cers_and_interviews():
    call_command("seed_demo", "--date", "2026-06-15", stdout=io.StringIO())
    episodes = SupportEpisode.objects.filter(programme="professional")
    assert episodes.count() == 5
    for episode in episodes:
        assert episode.cers.exists() and not awaiting_validation(episode)
        assert episode.deadlines.filter(code__startswith="cer_end_").exists()
    # The support started 13 months before 15/06/2026 has its third CER, validated (P5).
    assert Cer.objects.filter(number=3, validated_by__email="agent@tremplin.demo").count() == 1
    rows = cadences(episodes, today=dt.date(2026, 6, 15))
    assert any(row.below and row.behind_months for row in rows)
    # The kept cadence states follow the interviews written in bulk (the dashboard reads
    # them): a rebuild finds nothing to change.
    assert CadenceState.objects.count() == 5
    assert rebuild_states(apply=False).changed == 0
    # So do the dashboard's monthly facts (the deliverables' among them).
    assert rebuild_facts(apply=False).changed == 0
