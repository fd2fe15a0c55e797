"""Changes of a support's meetings that touch other facts, each in one transaction.

A meeting's status (F8, P4, A5) is one fact on the meeting: the cadence, the hour budget,
the indicators, the agenda and the invitations all read it from there. Pages, the API and
the jobs change it only through these functions:

- ``save_meeting``: a meeting recorded or corrected through its form (status by default
  from the date, the calendar revision raised when the time or the status changes);
- ``plan_meeting``: a meeting to come, planned (an invitation's interview);
- ``change_status``: what happened (held, excused, no-show), or back to planned;
- ``cancel_meeting``: cancelled, with its reason;
- ``reschedule_meeting``: a new planned meeting at the new date, the old one rescheduled
  and linked to it;
- ``delete_meeting``: a meeting recorded by mistake, removed (the audit log keeps it).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tremplin.rules.attendance import MeetingStatus, check_status
from tremplin.rules.programmes import RuleError

from .models import Meeting

# Fields whose change a calendar must see (RFC 5545 SEQUENCE).
CALENDAR_FIELDS = ("starts_at", "duration_minutes", "place", "status")


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("episode").get(pk=meeting.pk)


def _stored_values(meeting: Meeting) -> dict | None:
    if meeting.pk is None:
        return None
    return Meeting.objects.filter(pk=meeting.pk).values(*CALENDAR_FIELDS, "status_reason").first()


@transaction.atomic
def save_meeting(form, *, user=None, now: dt.datetime | None = None) -> Meeting:
    """Save a valid meeting form (``MeetingForm``, ``InterviewForm``): the model's checks,
    the status's date and the calendar's revision when what a calendar shows changed."""
    now = now or timezone.now()
    meeting = form.instance
    stored = _stored_values(meeting)
    if stored is None and user is not None and meeting.created_by_id is None:
        meeting.created_by = user
    if stored is None or stored["status"] != meeting.status:
        meeting.status_changed_at = now
    if stored is not None and any(
        stored[name] != getattr(meeting, name) for name in CALENDAR_FIELDS
    ):
        meeting.sequence += 1
    meeting.full_clean()
    return form.save()


@transaction.atomic
def plan_meeting(
    episode,
    *,
    starts_at: dt.datetime,
    duration_minutes: int,
    place: str,
    kind: str = Meeting.Kind.INDIVIDUAL,
    participants: str = "",
    user=None,
    now: dt.datetime | None = None,
) -> Meeting:
    """A meeting to come, planned (an invitation's interview): a ``ValidationError`` in
    French when it is not in the future or the model refuses it."""
    now = now or timezone.now()
    if starts_at <= now:
        raise ValidationError(
            {"starts_at": "Le rendez-vous doit être à venir : choisissez une date et une heure."}
        )
    meeting = Meeting(
        episode=episode,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        kind=kind,
        participants=participants,
        status=MeetingStatus.PLANNED.value,
        status_changed_at=now,
        created_by=user,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def change_status(
    meeting: Meeting,
    status: str,
    *,
    reason: str = "",
    over_budget_reason: str | None = None,
    user=None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Record what happened to ``meeting`` (F8): held (its hours then count, A5), excused,
    no-show, planned again, or cancelled with ``reason``. A ``ValidationError`` in French
    when the rules refuse it; nothing is saved then."""
    now = now or timezone.now()
    meeting = _locked(meeting)
    try:
        status = check_status(
            status, starts_at=meeting.starts_at, now=now, reason=reason, previous=meeting.status
        )
    except RuleError as error:
        raise ValidationError({"status": error.message}) from None
    if status == MeetingStatus.RESCHEDULED:
        raise ValidationError(
            {"status": "Pour reporter une rencontre, indiquez sa nouvelle date (F8)."}
        )
    if over_budget_reason is not None:
        meeting.over_budget_reason = over_budget_reason
    if status == MeetingStatus.HELD:
        error = meeting.episode.budget_error(_as_held(meeting), meeting.over_budget_reason)
        if error:
            raise ValidationError({"over_budget_reason": error})
    if status != meeting.status:
        meeting.status = status.value
        meeting.status_changed_at = now
        meeting.sequence += 1
    meeting.status_reason = (reason or "").strip()
    meeting.full_clean()
    meeting.save()
    return meeting


def _as_held(meeting: Meeting) -> Meeting:
    meeting.status = MeetingStatus.HELD.value
    return meeting


def cancel_meeting(
    meeting: Meeting, reason: str, *, user=None, now: dt.datetime | None = None
) -> Meeting:
    """Cancel ``meeting`` with its reason (F8); it no longer counts, and calendars show it
    cancelled."""
    return change_status(meeting, MeetingStatus.CANCELLED, reason=reason, user=user, now=now)


@transaction.atomic
def reschedule_meeting(
    meeting: Meeting,
    starts_at: dt.datetime,
    *,
    reason: str = "",
    user=None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Move ``meeting`` to ``starts_at``: a new planned meeting (same kind, place, duration
    and participants), the old one "rescheduled" and linked to it. Gives the new one."""
    now = now or timezone.now()
    meeting = _locked(meeting)
    if meeting.is_closed:
        raise ValidationError(
            {
                "starts_at": f"Cette rencontre est déjà {meeting.get_status_display().lower()} : "
                "elle ne peut plus être reportée (F8)."
            }
        )
    if starts_at <= now:
        raise ValidationError(
            {"starts_at": "La nouvelle date doit être à venir : choisissez un autre créneau."}
        )
    replacement = Meeting(
        episode=meeting.episode,
        starts_at=starts_at,
        duration_minutes=meeting.duration_minutes,
        place=meeting.place,
        kind=meeting.kind,
        participants=meeting.participants,
        status=MeetingStatus.PLANNED.value,
        status_changed_at=now,
        created_by=user,
    )
    replacement.full_clean()
    replacement.save()
    meeting.status = MeetingStatus.RESCHEDULED.value
    meeting.status_reason = (reason or "").strip()
    meeting.status_changed_at = now
    meeting.replaced_by = replacement
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    return replacement


@transaction.atomic
def delete_meeting(meeting: Meeting) -> None:
    """Delete a meeting recorded by mistake (the audit log records the deletion). Refused
    in French when other records depend on it (an invitation was sent, it replaced another
    one): cancel it instead."""
    try:
        with transaction.atomic():
            meeting.delete()
    except ProtectedError:
        raise ValidationError(
            "Cette rencontre ne peut pas être supprimée : d'autres enregistrements en "
            "dépendent (une invitation envoyée à la personne, un report). Annulez-la plutôt "
            "en indiquant le motif : elle restera au dossier sans compter (F8)."
        ) from None
