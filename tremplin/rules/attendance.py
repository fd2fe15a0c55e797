"""Attendance at the support's meetings, and the invitations that bring people to them.

Pure Python (no Django). The seeds ask that the person attend the referent's interviews
(rule F8), at least twice a month in the professional support (rule P4), and budget 12 hours
of meetings in the in-employment support (rule A5). A meeting therefore carries one status,
and only a meeting **held** counts for the cadence (P4), the hour budget (A5) and the
indicators; planned, excused, missed (no-show), cancelled and rescheduled meetings do not.

- ``MeetingStatus``: the six statuses, ``counts(status)`` the ones that count;
- ``default_status``: what a meeting recorded without a status is (held once begun,
  planned before); ``check_status``: the French refusal of an impossible status (a meeting
  held in the future, a cancellation without a reason, a change of a closed meeting);
- the invitations' calendar, from dated parameters (``data/attendance.toml``): the reminder
  due on a day (``due_reminder``), the convocation after an unanswered invitation
  (``convocation_due``), the end of validity of a personal link (``link_expires_at``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path

from tremplin.rules.calendar import PARIS
from tremplin.rules.programmes import RuleError, load_parameters

PARAMETERS_FILE = Path(__file__).with_name("data") / "attendance.toml"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    EXCUSED = "excused"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"


LABELS = {
    MeetingStatus.PLANNED: "Prévue",
    MeetingStatus.HELD: "Tenue",
    MeetingStatus.EXCUSED: "Absence excusée",
    MeetingStatus.NO_SHOW: "Absence non excusée",
    MeetingStatus.CANCELLED: "Annulée",
    MeetingStatus.RESCHEDULED: "Reportée",
}

# Rules A5 and P4: only a meeting that took place uses the hour budget and counts as an
# interview of the month; the indicators read the cadence, hence the same statuses.
COUNTED = frozenset({MeetingStatus.HELD})
# Statuses that say what happened: they need the meeting to have begun.
ONCE_BEGUN = frozenset({MeetingStatus.HELD, MeetingStatus.NO_SHOW})
# A cancelled meeting stays cancelled; a rescheduled one lives on in its replacement.
CLOSED = frozenset({MeetingStatus.CANCELLED, MeetingStatus.RESCHEDULED})
# Statuses a person can be reminded of or invited to.
UPCOMING = frozenset({MeetingStatus.PLANNED})


def counts(status: str) -> bool:
    """Whether a meeting of this status counts for the cadence (P4) and the budget (A5)."""
    return MeetingStatus(status) in COUNTED


def default_status(starts_at: dt.datetime, now: dt.datetime) -> MeetingStatus:
    """A meeting recorded without a status: held once it has begun (recorded after the
    fact, as before statuses existed), planned before."""
    return MeetingStatus.HELD if starts_at <= now else MeetingStatus.PLANNED


def _moment(value: dt.datetime) -> str:
    local = value.astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H} h {local:%M}"


def check_status(
    status: str,
    *,
    starts_at: dt.datetime,
    now: dt.datetime,
    reason: str = "",
    previous: str | None = None,
) -> MeetingStatus:
    """``status`` for a meeting starting at ``starts_at``, or a ``RuleError`` in French.

    ``previous`` is the meeting's status before the change (None for a new meeting).
    """
    try:
        status = MeetingStatus(status)
    except ValueError:
        known = ", ".join(f"« {value} »" for value in MeetingStatus)
        raise RuleError(
            f"Statut de rencontre inconnu : « {status} ». Choisissez parmi {known} (F8).",
            rule="F8",
        ) from None
    if previous is not None and previous != status and MeetingStatus(previous) in CLOSED:
        raise RuleError(
            f"Cette rencontre est déjà {LABELS[MeetingStatus(previous)].lower()} : son statut "
            "ne change plus. Enregistrez une nouvelle rencontre (F8).",
            rule="F8",
        )
    if status in ONCE_BEGUN and starts_at > now:
        raise RuleError(
            f"La rencontre du {_moment(starts_at)} n'a pas encore commencé : elle ne peut pas "
            f"être « {LABELS[status].lower()} ». Laissez-la prévue et enregistrez la présence "
            "après le rendez-vous (F8, P4).",
            rule="F8",
        )
    if status == MeetingStatus.CANCELLED and not (reason or "").strip():
        raise RuleError(
            "Indiquez le motif de l'annulation : il reste au dossier de la personne (F8).",
            rule="F8",
        )
    return status


# --- invitations and reminders (dated parameters) ---------------------------------------


def parameter(name: str, on: dt.date):
    """The value of ``invitations.<name>`` in force on ``on`` (data/attendance.toml)."""
    return load_parameters(PARAMETERS_FILE)[f"invitations.{name}"].at(on).value


def reminder_days(on: dt.date) -> tuple[int, ...]:
    """The reminders in force on ``on``: days before the appointment, largest first."""
    return tuple(
        sorted({int(days) for days in parameter("reminder_days_before", on)}, reverse=True)
    )


def due_reminder(
    appointment_day: dt.date,
    today: dt.date,
    *,
    invited_on: dt.date,
    sent: frozenset[int] | set[int] = frozenset(),
) -> int | None:
    """The reminder to send ``today`` (its number of days before), or None.

    The reminder that applies on a day is the nearest one not yet passed: with reminders 3
    and 1 days before, from 3 days to 2 days before it is the 3-day one, the day before it is
    the 1-day one (a day the job did not run is caught up, never sent twice, and an older
    reminder is dropped once a nearer one applies). It is due if not already sent, and only
    if the invitation went out before that reminder's day (an invitation sent 2 days before
    is not followed by the 3-day reminder). Nothing on the day itself or after.
    """
    days_left = (appointment_day - today).days
    if days_left < 1:
        return None
    applying = [days for days in reminder_days(today) if days_left <= days]
    if not applying:
        return None
    days = min(applying)
    if days in sent or invited_on >= appointment_day - dt.timedelta(days=days):
        return None
    return days


def convocation_due(
    appointment_day: dt.date, today: dt.date, *, invited_on: dt.date, answered: bool
) -> bool:
    """Whether an invitation left unanswered calls for a convocation ``today`` (F8): no
    answer ``convocation_after_days`` days after it was sent, the appointment still ahead."""
    if answered or today >= appointment_day:
        return False
    return (today - invited_on).days >= int(parameter("convocation_after_days", invited_on))


def link_expires_at(issued_at: dt.datetime, appointment_start: dt.datetime) -> dt.datetime:
    """When a personal link issued at ``issued_at`` stops working: ``link_valid_days`` after
    it was issued, and in any case when the appointment begins."""
    days = int(parameter("link_valid_days", issued_at.astimezone(PARIS).date()))
    return min(issued_at + dt.timedelta(days=days), appointment_start)
