"""Attendance statuses (F8, P4, A5) and the invitations' calendar (dated parameters)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules import attendance
from tremplin.rules.attendance import (
    MeetingStatus,
    check_status,
    convocation_due,
    counts,
    default_status,
    due_reminder,
    link_expires_at,
    reminder_days,
)
from tremplin.rules.calendar import PARIS
from tremplin.rules.programmes import RuleError

D = dt.date
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=PARIS)


def test_only_a_meeting_held_counts():
    # Rules P4 and A5: the cadence and the hour budget count meetings that took place.
    assert [s for s in MeetingStatus if counts(s)] == [MeetingStatus.HELD]
    assert not counts("no_show") and not counts("planned") and not counts("cancelled")


def test_a_meeting_without_status_is_held_once_begun_planned_before():
    assert default_status(NOW - dt.timedelta(minutes=1), NOW) == MeetingStatus.HELD
    assert default_status(NOW, NOW) == MeetingStatus.HELD
    assert default_status(NOW + dt.timedelta(minutes=1), NOW) == MeetingStatus.PLANNED


@pytest.mark.parametrize("status", ["held", "no_show"])
def test_what_happened_needs_the_meeting_to_have_begun(status):
    tomorrow = NOW + dt.timedelta(days=1)
    with pytest.raises(RuleError, match="n'a pas encore commencé") as error:
        check_status(status, starts_at=tomorrow, now=NOW)
    assert "11/03/2026 à 12 h 00" in error.value.message
    assert check_status(status, starts_at=NOW, now=NOW) == MeetingStatus(status)


def test_an_absence_may_be_excused_in_advance():
    tomorrow = NOW + dt.timedelta(days=1)
    assert check_status("excused", starts_at=tomorrow, now=NOW) == MeetingStatus.EXCUSED


def test_a_cancellation_needs_its_reason():
    with pytest.raises(RuleError, match="motif de l'annulation"):
        check_status("cancelled", starts_at=NOW, now=NOW, reason="  ")
    assert check_status("cancelled", starts_at=NOW, now=NOW, reason="Malade") == "cancelled"


@pytest.mark.parametrize("closed", ["cancelled", "rescheduled"])
def test_a_closed_meeting_keeps_its_status(closed):
    with pytest.raises(RuleError, match="ne change plus"):
        check_status("held", starts_at=NOW, now=NOW, previous=closed)
    # Saving it again unchanged is no change.
    assert check_status(closed, starts_at=NOW, now=NOW, reason="x", previous=closed) == closed


def test_an_unknown_status_is_refused_in_french():
    with pytest.raises(RuleError, match="Statut de rencontre inconnu : « absent »"):
        check_status("absent", starts_at=NOW, now=NOW)


# --- reminders: 3 days and 1 day before by default (data/attendance.toml) ---------------


def test_the_default_reminders_are_three_days_and_one_day_before():
    assert reminder_days(D(2026, 3, 1)) == (3, 1)


def test_reminders_day_by_day():
    # Appointment on Friday 20 March 2026, invitation sent on Monday 9 March.
    day, invited = D(2026, 3, 20), D(2026, 3, 9)
    expected = {
        D(2026, 3, 16): None,  # 4 days before: nothing yet
        D(2026, 3, 17): 3,  # 3 days before
        D(2026, 3, 18): 3,  # 2 days before: the 3-day reminder if the job missed the 17th
        D(2026, 3, 19): 1,  # the day before
        D(2026, 3, 20): None,  # the day itself
        D(2026, 3, 21): None,
    }
    assert {today: due_reminder(day, today, invited_on=invited) for today in expected} == expected


def test_a_reminder_is_sent_once_and_an_older_one_is_dropped():
    day, invited = D(2026, 3, 20), D(2026, 3, 9)
    assert due_reminder(day, D(2026, 3, 18), invited_on=invited, sent={3}) is None
    # The job did not run from the 17th to the 18th: on the 19th only the 1-day reminder.
    assert due_reminder(day, D(2026, 3, 19), invited_on=invited, sent=set()) == 1
    assert due_reminder(day, D(2026, 3, 19), invited_on=invited, sent={1}) is None


def test_no_reminder_for_an_invitation_sent_after_its_day():
    day = D(2026, 3, 20)
    # Invited 2 days before: the 3-day reminder would repeat the invitation.
    assert due_reminder(day, D(2026, 3, 18), invited_on=D(2026, 3, 18)) is None
    assert due_reminder(day, D(2026, 3, 19), invited_on=D(2026, 3, 18)) == 1
    # Invited the day before: no reminder at all.
    assert due_reminder(day, D(2026, 3, 19), invited_on=D(2026, 3, 19)) is None


@given(
    st.dates(D(2026, 1, 1), D(2027, 12, 31)),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=30),
)
def test_a_reminder_is_never_due_twice_nor_on_or_after_the_day(day, before, invited_before):
    today = day - dt.timedelta(days=before)
    invited = day - dt.timedelta(days=invited_before)
    first = due_reminder(day, today, invited_on=invited)
    if first is None:
        return
    assert today < day and first in reminder_days(today)
    assert due_reminder(day, today, invited_on=invited, sent={first}) is None


def test_convocation_after_four_days_without_answer():
    day = D(2026, 3, 20)
    invited = D(2026, 3, 9)
    # 9 March + 4 days = 13 March (convocation_after_days, data/attendance.toml).
    assert not convocation_due(day, D(2026, 3, 12), invited_on=invited, answered=False)
    assert convocation_due(day, D(2026, 3, 13), invited_on=invited, answered=False)
    assert not convocation_due(day, D(2026, 3, 13), invited_on=invited, answered=True)
    assert not convocation_due(day, day, invited_on=invited, answered=False)


def test_a_personal_link_lasts_thirty_days_and_never_beyond_the_appointment():
    issued = dt.datetime(2026, 3, 1, 9, 0, tzinfo=PARIS)
    far = dt.datetime(2026, 6, 1, 9, 0, tzinfo=PARIS)
    assert link_expires_at(issued, far) == issued + dt.timedelta(days=30)
    near = dt.datetime(2026, 3, 5, 9, 0, tzinfo=PARIS)
    assert link_expires_at(issued, near) == near


def test_every_parameter_cites_its_source():
    parameters = attendance.load_parameters(attendance.PARAMETERS_FILE)
    assert set(parameters) == {
        "invitations.reminder_days_before",
        "invitations.convocation_after_days",
        "invitations.link_valid_days",
    }
    for item in parameters.values():
        assert all(value.source for value in item.values)
