"""Changes of the support that touch several facts, each in one transaction (docs/decisions.md,
"One path for side effects"). Pages, API, commands, the demo and the tests call these; the
models only persist, and no ``save()`` or signal reacts behind their back.

- ``save_episode``: start or change a support; its plan's deadlines follow its dates (A11–A14,
  C10, E6) and the exits are told (``hooks.EPISODE_CHANGED``);
- ``declare_rupture`` / ``withdraw_rupture``: the rupture of the contract (A14) is the one row of
  ``conventions.Rupture``, recorded through ``conventions.services.record_rupture``: the
  convention's aid and state follow (F12, F13), and the deadlines of every support of that
  contract are recomputed by ``on_rupture_changed`` (registered on ``hooks.RUPTURE_CHANGED``),
  whichever page or API recorded it; the Cellule contrats aidés is e-mailed (A14);
- ``record_suspension``: a suspension of the contract of a support with a convention, the one
  row of ``conventions.Suspension`` (C9, F12);
- ``record_refusal``: a refusal of the support, told to the conseiller RSA (A9);
- ``add_document``, ``save_deliverable_draft``: the livret (A6) and the deliverables' drafts;
- ``record_aims``: where the five qualitative aims stand for the person (A2), all or none;
- the meetings (F8, P4, A5): a meeting's status is one fact on the meeting — the cadence, the
  hour budget, the indicators, the agenda and the invitations all read it from there:
  ``save_meeting`` (recorded or corrected through its form: status by default from the date,
  the calendar's revision raised when the time or the status changes), ``plan_meeting`` (a
  meeting to come, an invitation's interview), ``change_status`` (held, excused, no-show, or
  back to planned), ``cancel_meeting``, ``reschedule_meeting`` (a new planned meeting, the
  old one rescheduled and linked to it), ``delete_meeting`` (recorded by mistake).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from tremplin.conventions import services as conventions_services
from tremplin.conventions.models import Rupture, Suspension
from tremplin.rules import ruptures
from tremplin.rules.attendance import MeetingStatus, check_status
from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import Programme, RuleError, in_employment_plan
from tremplin.web import hooks

from . import notifications
from .models import (
    Deadline,
    DeliverableContent,
    Document,
    Meeting,
    QualitativeAim,
    Refusal,
    SupportEpisode,
)

logger = logging.getLogger(__name__)

# --- The plan's deadlines (A11–A14, C10, E6) ------------------------------------------------


@transaction.atomic
def refresh_deadlines(episode: SupportEpisode, *, rupture=True) -> None:
    """Recompute the stored deadlines from the rules: changing a date — trial end, contract
    end, a rupture — recomputes the plan at once. ``rupture``: True reads the stored one,
    None ignores it (being withdrawn), a ``Rupture`` is the one just recorded.

    One row per deliverable code and episode. A row the plan no longer asks for is never
    deleted: it becomes "sans objet" with the reason (its content and sending stay), and
    comes back to life if a later change asks for it again. Sent rows keep their state.
    """
    if not episode.is_in_employment:
        return  # the professional programme's deadlines follow its CER chain
    plan = in_employment_plan(episode.plan_facts(rupture=rupture))
    existing = {deadline.code: deadline for deadline in episode.deadlines.all()}
    before = deadline_marks(existing.values())
    seen = set()
    for item in plan.deliverables:
        seen.add(item.code)
        deadline = existing.get(item.code) or Deadline(episode=episode, code=item.code)
        deadline.fill_from_rule(item)
        if deadline.state == Deadline.State.DROPPED:
            has_content = hasattr(deadline, "content") and deadline.content.items
            deadline.state = Deadline.State.DRAFT if has_content else Deadline.State.TO_DO
        deadline.dropped_reason = ""
        deadline.save()
    for dropped in plan.dropped:
        seen.add(dropped.deliverable.code)
        deadline = existing.get(dropped.deliverable.code)
        if deadline is None:
            continue  # never asked for: nothing to keep
        deadline.fill_from_rule(dropped.deliverable)
        deadline.drop(dropped.reason)
    for code, deadline in existing.items():
        if code not in seen:
            deadline.drop("N'est plus prévu par le plan après la modification des dates.")
    announce_deadlines(before, episode.deadlines.all())


def deadline_marks(deadlines) -> dict[str, tuple]:
    """What the dashboard counts of each deadline (its due day, its state, its sending),
    by code: compared before and after a write, to announce only the months that moved."""
    return {d.code: (d.due_on, d.state, d.sent_at) for d in deadlines}


def announce_deadlines(before: dict[str, tuple], after) -> None:
    """``hooks.DEADLINES_CHANGED`` with the months of the deadlines that changed (their due
    day before and after), when some did."""
    after = deadline_marks(after)
    months = set()
    for code in before.keys() | after.keys():
        if before.get(code) != after.get(code):
            months |= {mark[0] for mark in (before.get(code), after.get(code)) if mark}
    if months:
        hooks.notify(hooks.DEADLINES_CHANGED, months=months)


@transaction.atomic
def save_episode(episode: SupportEpisode) -> SupportEpisode:
    """Start or change a support (already validated by its form or the caller): written,
    its plan recomputed when a date it depends on changed (or it is new), and the apps above
    told (``hooks.EPISODE_CHANGED``: the exit is reclassified)."""
    follow_the_convention(episode)
    plan_changed = episode.pk is None or episode.plan_changed
    facts_key_changed = episode.facts_key_changed
    episode.save()
    if plan_changed:
        refresh_deadlines(episode)
    if facts_key_changed:
        # Another operator or programme: its deliverables move to another key of the
        # dashboard's facts, in every month they are due (the exit's month is recounted by
        # EPISODE_CHANGED).
        months = set(episode.deadlines.values_list("due_on", flat=True))
        if months:
            hooks.notify(hooks.DEADLINES_CHANGED, months=months)
    episode.mark_plan_stored()
    hooks.notify(hooks.EPISODE_CHANGED, episode=episode)
    return episode


def follow_the_convention(episode: SupportEpisode) -> None:
    """A support of a convention keeps the convention's contract in its columns (lists and
    filters read them), never another one: the convention, as amended, is the fact."""
    if episode.convention_id is not None:
        for name, value in episode.contract_terms().items():
            setattr(episode, name, value)


def on_convention_amended(convention) -> None:
    """``hooks.CONVENTION_AMENDED``: the support of the convention follows its contract as
    amended (C5: a renewal moves the CDD's end; E6: a CDD gone on as a CDI) and its plan's
    deadlines are recomputed."""
    for episode in SupportEpisode.objects.filter(
        convention=convention, programme=Programme.IN_EMPLOYMENT.value
    ):
        episode.convention = convention
        save_episode(episode)


# --- The rupture of the contract (A14, E5, F12, F13) ------------------------------------------


@dataclass
class RuptureDeclared:
    """What ``declare_rupture`` did: the rupture, the document added to the livret, the
    e-mails to the Cellule contrats aidés and the addresses actually reached (A14)."""

    rupture: Rupture
    evidence: Document | None = None
    outgoing: list = field(default_factory=list)
    sent: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Upload:
    """A file checked by its content (``support.uploads``), ready for the livret."""

    name: str
    content_type: str
    extension: str
    content: bytes


def episodes_of(rupture: Rupture):
    """The in-employment supports of the contract that ``rupture`` ended."""
    if rupture.convention_id is not None:
        condition = Q(convention_id=rupture.convention_id)
    elif rupture.pk is not None:
        condition = Q(contract_rupture_id=rupture.pk)
    else:
        return SupportEpisode.objects.none()
    return SupportEpisode.objects.filter(condition, programme=Programme.IN_EMPLOYMENT.value)


def on_rupture_changed(rupture: Rupture, withdrawn: bool) -> None:
    """``hooks.RUPTURE_CHANGED``: the deadlines of the supports of that contract follow the
    rupture (A14: the notice 48 hours after the moment it is known, the job search and the
    post-rupture review 3 months after), whichever page or API recorded it."""
    for episode in episodes_of(rupture):
        refresh_deadlines(episode, rupture=None if withdrawn else rupture)


def check_against_the_plan(episode: SupportEpisode, rupture: Rupture) -> None:
    """The support's plan must accept the rupture (A14): not before the hire, not after the
    contract's end. A French ``ValidationError`` on the field concerned otherwise."""
    if not episode.is_in_employment:
        raise ValidationError("Une rupture concerne un accompagnement dans l'emploi (A14).")
    try:
        in_employment_plan(episode.plan_facts(rupture=rupture))
    except RuleError as error:
        field_name = "last_day" if rupture.last_day and "rupture (" in error.message else "known_at"
        raise ValidationError({field_name: error.message}) from None


def _check_employee_ground(episode: SupportEpisode, rupture: Rupture) -> None:
    """Rule E5 for a contract signed outside Tremplin (a convention's rupture checks it on
    the convention)."""
    by_employee = rupture.initiative == Rupture.Initiative.EMPLOYEE
    early_end = ruptures.employee_early_end(
        episode.contract_type, by_employee, rupture.employee_ground, rupture.last_day
    )
    if early_end.severity == "blocking":
        raise ValidationError({"employee_ground": early_end.message})


@transaction.atomic
def record_episode_rupture(episode: SupportEpisode, rupture: Rupture, *, user) -> Rupture:
    """The rupture of the support's contract written once (``declare_rupture`` without its
    e-mail and document): the convention's rupture when the support has a convention, the
    support's own otherwise; the deadlines follow."""
    if rupture.known_at and not rupture.last_day:
        rupture.last_day = to_paris(rupture.known_at).date()  # empty: the day it is known
    check_against_the_plan(episode, rupture)
    if episode.convention_id is not None:
        return conventions_services.record_rupture(
            rupture, convention=episode.convention, user=user
        )
    _check_employee_ground(episode, rupture)
    conventions_services.record_rupture(rupture, beneficiary=episode.beneficiary, user=user)
    if episode.contract_rupture_id != rupture.pk:
        episode.contract_rupture = rupture
        episode.save(update_fields=["contract_rupture", "updated_at"])
        refresh_deadlines(episode, rupture=rupture)
    return rupture


@transaction.atomic
def declare_rupture(
    episode: SupportEpisode,
    rupture: Rupture,
    *,
    user,
    evidence: Upload | None = None,
    evidence_title: str = "",
) -> RuptureDeclared:
    """The référent declares (or corrects) the rupture of the support's contract (A14).

    One row, ``conventions.Rupture``: the convention's when the support has one (its aid
    stops, F12; the repayment check of F13 opens for an employer's rupture outside the
    lawful cases), the support's own otherwise. The deadlines follow (``on_rupture_changed``),
    the supporting document joins the livret and the Cellule contrats aidés is e-mailed
    with it. Refused in French (``ValidationError``), nothing written."""
    record_episode_rupture(episode, rupture, user=user)
    declared = RuptureDeclared(rupture)
    if evidence is not None:
        title = evidence_title.strip() or f"Pièce justificative de la rupture — {evidence.name}"
        declared.evidence = add_document(
            episode,
            category=Document.Category.RUPTURE_EVIDENCE,
            title=title[:200],
            upload=evidence,
            user=user,
        )
    # A14: the Cellule contrats aidés is told at once, with the document.
    declared.outgoing = notifications.rupture_messages(rupture, declared.evidence, episode=episode)
    declared.sent = [m.recipient for m in declared.outgoing if _deliver(m)]
    return declared


def _deliver(message) -> bool:
    """Send one e-mail now; a mail server that refuses loses nothing: the daily job
    (``tremplin deadlines --send``) sends what was not recorded as sent."""
    try:
        return notifications.deliver(message)
    except OSError:
        logger.exception("E-mail to %s not sent; the daily job will retry", message.recipient)
        return False


@transaction.atomic
def withdraw_rupture(episode: SupportEpisode) -> None:
    """A rupture declared by mistake: withdrawn for every module (the plan and the aid come
    back)."""
    rupture = episode.current_rupture()
    if rupture is not None:
        conventions_services.withdraw_rupture(rupture)
        episode.refresh_from_db()


# --- Suspension (C9, F12) and refusal (A9) ----------------------------------------------------


def record_suspension(episode: SupportEpisode, suspension: Suspension, *, user) -> Suspension:
    """A suspension declared from the support's page: the one row of the convention's
    suspensions (C9), whose unpaid days cut the aid (F12)."""
    if episode.convention_id is None:
        raise ValidationError(
            "Cet accompagnement ne suit pas une convention enregistrée dans Tremplin : aucune "
            "aide n'est à suspendre. Signalez la suspension à l'employeur et au payeur de "
            "l'aide (règle F12)."
        )
    return conventions_services.record_suspension(
        suspension, convention=episode.convention, user=user
    )


@dataclass
class RefusalRecorded:
    refusal: Refusal
    recipient: str = ""  # the conseiller RSA's address, empty when unknown
    sent: bool = False


@transaction.atomic
def record_refusal(episode: SupportEpisode, refusal: Refusal, *, user) -> RefusalRecorded:
    """A9: the refusal is recorded and the conseiller RSA told « dans les plus brefs
    délais » — at once, by e-mail."""
    refusal.episode = episode
    refusal.recorded_by = user
    refusal.full_clean()
    refusal.save()
    result = RefusalRecorded(refusal)
    message = notifications.refusal_message(refusal)
    if message is not None:
        result.recipient = message.recipient
        result.sent = _deliver(message)
    return result


# --- The livret (A6) and the deliverables (A11–A14) -------------------------------------------


def add_document(
    episode: SupportEpisode, *, category: str, title: str, upload: Upload, user
) -> Document:
    """A piece of the livret, stored under a random name (``Document``)."""
    document = Document(
        episode=episode,
        category=category,
        title=title,
        original_name=upload.name[:255],
        content_type=upload.content_type,
        extension=upload.extension,
        size=len(upload.content),
        uploaded_by=user,
    )
    document.file.save("document", ContentFile(upload.content), save=False)
    document.save()
    return document


@transaction.atomic
def delete_document(document: Document) -> None:
    """A document taken out of the livret: the row (its deletion is audited, as every
    write of ``Document``) and, once the deletion is committed, the stored file."""
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def save_deliverable_draft(deadline: Deadline, items: dict, *, user) -> DeliverableContent:
    """The deliverable's answers kept as a draft; a deliverable to do becomes a draft."""
    draft = DeliverableContent.objects.filter(deadline=deadline).first() or DeliverableContent(
        deadline=deadline
    )
    draft.items = {key: value for key, value in items.items() if value}
    draft.updated_by = user
    draft.save()
    if deadline.state == Deadline.State.TO_DO:
        deadline.state = Deadline.State.DRAFT
        deadline.save()
    return draft


def save_and_send_deliverable(
    deadline: Deadline, items: dict | None, *, sent_to: str, sent_at: dt.date, user
) -> None:
    """What was typed is saved as the draft, then the deliverable is marked sent (A11–A14),
    from one form: the typed content is never lost. When the sending is refused (an item
    missing, A11–A14) the ``ValidationError`` comes back and the draft stays saved.
    ``items`` is None for a deliverable without items (produced by the employer)."""
    if items is not None:
        deadline.content = save_deliverable_draft(deadline, items, user=user)
    with transaction.atomic():
        deadline.mark_sent(sent_to, sent_at)
        hooks.notify(hooks.DEADLINES_CHANGED, months={deadline.due_on})


# --- The qualitative aims (A2) -----------------------------------------------------------------


@dataclass(frozen=True)
class AimPoint:
    """A point on one aim as typed: its state, the day it was made, what was observed."""

    code: str
    status: str
    assessed_on: dt.date | None
    note: str = ""


NOT_IN_EMPLOYMENT = (
    "Les objectifs qualitatifs sont ceux de l'accompagnement dans l'emploi d'un CUI-CIE "
    "(règle A2) : l'accompagnement professionnel suit ses propres domaines de travail."
)


@dataclass
class AimsRecorded:
    """What ``record_aims`` did: every point sent, as stored; those it created; those it
    wrote (created or changed)."""

    rows: list[QualitativeAim] = field(default_factory=list)
    created: list[QualitativeAim] = field(default_factory=list)
    written: list[QualitativeAim] = field(default_factory=list)


@transaction.atomic
def record_aims(episode: SupportEpisode, points: list[AimPoint], *, user) -> AimsRecorded:
    """Record where aims of the in-employment support stand for the person (A2): one row
    per aim and support, created or corrected. All or none: a point the rules refuse raises
    a French ``ValidationError`` keyed ``<code>-<field>`` and nothing is written. A point
    identical to the stored one writes nothing (the audit trail keeps real changes only)."""
    if not episode.is_in_employment:
        raise ValidationError(NOT_IN_EMPLOYMENT)
    stored = {row.code: row for row in episode.qualitative_aims.select_for_update()}
    errors: dict[str, list[str]] = {}
    recorded = AimsRecorded()
    for point in points:
        row = stored.get(point.code) or QualitativeAim(episode=episode, code=point.code)
        note = (point.note or "").strip()
        if row.pk is None:
            recorded.created.append(row)
        elif (row.status, row.assessed_on, row.note) == (point.status, point.assessed_on, note):
            recorded.rows.append(row)
            continue
        row.episode = episode
        row.status, row.assessed_on, row.note = point.status, point.assessed_on, note
        try:
            row.clean()  # every check is the rules' (A2): the code, the state, the day, the note
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"{point.code}-{name}", []).extend(messages)
            continue
        recorded.rows.append(row)
        recorded.written.append(row)
    if errors:
        raise ValidationError(errors)
    for row in recorded.written:
        row.updated_by = user
        row.save()
    return recorded


# --- Meetings (F8, P4, A5) -------------------------------------------------------------------

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
    saved = form.save()
    hooks.notify(hooks.MEETING_CHANGED, episode=saved.episode)
    return saved


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
    hooks.notify(hooks.MEETING_CHANGED, episode=episode)
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
    hooks.notify(hooks.MEETING_CHANGED, episode=meeting.episode)
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
    hooks.notify(hooks.MEETING_CHANGED, episode=meeting.episode)
    return replacement


@transaction.atomic
def delete_meeting(meeting: Meeting) -> None:
    """Delete a meeting recorded by mistake (the audit log records the deletion). Refused
    in French when other records depend on it (an invitation was sent, it replaced another
    one): cancel it instead."""
    episode = meeting.episode
    try:
        with transaction.atomic():
            meeting.delete()
    except ProtectedError:
        raise ValidationError(
            "Cette rencontre ne peut pas être supprimée : d'autres enregistrements en "
            "dépendent (une invitation envoyée à la personne, un report). Annulez-la plutôt "
            "en indiquant le motif : elle restera au dossier sans compter (F8)."
        ) from None
    hooks.notify(hooks.MEETING_CHANGED, episode=episode)


def register_hooks() -> None:
    hooks.after(hooks.RUPTURE_CHANGED, "support.deadlines", on_rupture_changed)
    hooks.after(hooks.CONVENTION_AMENDED, "support.contract", on_convention_amended)
