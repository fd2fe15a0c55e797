"""The data migration ``invitations.0002``: each answer given so far is dated with the
appointment it was given about — the meeting's date at the time of the answer, not a date it
was moved to afterwards (F8), so that a person who answered before a move can answer again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.invitations.factories import in_days, planned, running_support
from tremplin.invitations import services
from tremplin.invitations.models import Invitation
from tremplin.support import services as meetings

BEFORE = [("invitations", "0001_initial")]
AFTER = [("invitations", "0002_invitation_answered_for")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_answers_are_dated_with_the_meeting_they_were_about(referent_user):
    now = in_days(0, hour=8)
    moved_after = services.invite_to_meeting(
        planned(running_support(referent_user), days=7), ["email"], now=now
    )
    services.respond(moved_after, "other_slot", "Mardi matin", now=now + dt.timedelta(hours=1))
    later = meetings.reschedule_meeting(
        moved_after.meeting, in_days(12), now=now + dt.timedelta(hours=2)
    )
    moved_before = services.invite_to_meeting(
        planned(running_support(referent_user), days=8), ["email"], now=now
    )
    replacement = meetings.reschedule_meeting(
        moved_before.meeting, in_days(10), now=now + dt.timedelta(hours=1)
    )
    services.respond(moved_before, "confirmed", now=now + dt.timedelta(hours=2))
    unanswered = services.invite_to_meeting(
        planned(running_support(referent_user), days=9), ["email"], now=now
    )

    migrate(BEFORE)
    apps = migrate(AFTER)
    Historical = apps.get_model("invitations", "Invitation")
    dates = dict(Historical.objects.values_list("pk", "answered_for"))
    assert dates[moved_after.pk] == moved_after.meeting.starts_at != later.starts_at
    assert dates[moved_before.pk] == replacement.starts_at
    assert dates[unanswered.pk] is None
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert not Invitation.objects.get(pk=moved_after.pk).answer_stands
    assert Invitation.objects.get(pk=moved_before.pk).answer_stands
