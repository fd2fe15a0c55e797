"""Invitations, their messages, the daily reminders and the no-shows' follow-up: one path
for every change (pages, API and the ``tremplin reminders`` job call these functions).

Sending works by batches, never a query per message: the messages of a batch are prepared
as ``SentMessage`` rows, inserted at once (``ignore_conflicts``: a row the unique constraint
refuses was claimed by another run, so a message is never sent twice), read back by the
batch's mark, sent over one connection per channel (one SMTP connection, one SMS backend),
then their statuses written in one update. A letter is not sent: it waits "to print".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from tremplin.professional.models import Invitation as Participation
from tremplin.registry.models import Beneficiary, ContactChannel, SmsConsent
from tremplin.rules.attendance import convocation_due, due_reminder
from tremplin.rules.calendar import PARIS, to_paris
from tremplin.support import services as meetings
from tremplin.support.models import Meeting, SupportEpisode
from tremplin.web import sms
from tremplin.web.french import plural
from tremplin.web.sms.phone import PhoneError, mobile_e164

from . import texts
from .models import Invitation, NoShowFollowUp, SentMessage

Channel = ContactChannel
Kind = SentMessage.Kind
Status = SentMessage.Status
MAX_ATTEMPTS = 3
RETRY_DAYS = 2  # a failed message is retried for two days, no longer
# A message still "pending" this long after its claim was left by a run that stopped on the
# way (a crash between the claim and the statuses' update): the next run sends it.
STALE_CLAIM = dt.timedelta(hours=1)


# --- channels ------------------------------------------------------------------------------


@dataclass
class ChannelCheck:
    usable: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # channel -> why, in French


def sms_number(beneficiary) -> str:
    """The person's mobile in E.164, or a ``PhoneError`` saying why no SMS can go: no SMS
    without the person's consent (recorded on their file)."""
    if beneficiary.sms_consent == SmsConsent.REFUSED:
        raise PhoneError("La personne a refusé les SMS (voir son dossier).")
    if beneficiary.sms_consent != SmsConsent.GIVEN:
        raise PhoneError(
            "Le consentement de la personne aux SMS n'est pas recueilli : indiquez-le sur son "
            "dossier avant de lui écrire par SMS."
        )
    if not beneficiary.phone:
        raise PhoneError("Aucun numéro de portable au dossier de la personne.")
    return mobile_e164(beneficiary.phone)


def check_channels(beneficiary, wanted: Iterable[str]) -> ChannelCheck:
    """Which of ``wanted`` can reach the person, and why the others cannot."""
    check = ChannelCheck()
    for channel in dict.fromkeys(wanted):
        reason = ""
        if channel == Channel.EMAIL and not beneficiary.email:
            reason = "Aucune adresse électronique au dossier de la personne."
        elif channel == Channel.SMS:
            try:
                sms_number(beneficiary)
            except PhoneError as error:
                reason = str(error)
        elif channel == Channel.LETTER and not (beneficiary.street and beneficiary.city):
            reason = "Adresse postale incomplète au dossier de la personne."
        elif channel not in Channel.values:
            reason = f"Moyen inconnu : « {channel} »."
        if reason:
            check.refused[channel] = reason
        else:
            check.usable.append(channel)
    return check


def default_channels(beneficiary) -> list[str]:
    """The person's preferred channel when it reaches them, else the first that does among
    e-mail, SMS and letter."""
    order = [beneficiary.preferred_channel] if beneficiary.preferred_channel else []
    order += [Channel.EMAIL, Channel.SMS, Channel.LETTER]
    usable = check_channels(beneficiary, order).usable
    return usable[:1]


def _refused_error(check: ChannelCheck) -> ValidationError:
    reasons = " ".join(
        f"{Channel(channel).label} : {reason}" for channel, reason in check.refused.items()
    )
    return ValidationError(
        {"channels": f"Aucun moyen choisi ne permet de joindre la personne. {reasons}".strip()}
    )


# --- preparing and sending messages ------------------------------------------------------


def _recipient(invitation: Invitation, channel: str) -> str:
    person = invitation.beneficiary
    if channel == Channel.EMAIL:
        return person.email
    if channel == Channel.SMS:
        return sms_number(person)
    return ", ".join(person.address_lines)


def prepare(
    invitation: Invitation, kind: str, number: int, channels: Iterable[str], now: dt.datetime
) -> list[SentMessage]:
    """The rows of one message of ``invitation`` on each of ``channels`` (not saved); a
    channel that no longer reaches the person (consent withdrawn) gets a failed row saying
    why, so that the refusal is kept too."""
    link = texts.site_url(invitation.link_path(now))
    rows = []
    for channel in channels:
        row = SentMessage(
            invitation=invitation, channel=channel, kind=kind, number=number, created_at=now
        )
        try:
            row.recipient = _recipient(invitation, channel)
        except PhoneError as error:
            row.recipient = invitation.beneficiary.phone or "—"
            row.status, row.error, row.attempts = Status.FAILED, str(error), MAX_ATTEMPTS
            row.body = ""
            rows.append(row)
            continue
        if channel == Channel.EMAIL:
            text = texts.email_text(invitation, kind, number, link)
            row.subject, row.body = text.subject, text.body
        elif channel == Channel.SMS:
            row.body = texts.sms_text(invitation, kind, number, link)
        else:
            row.subject = "Convocation" if kind == Kind.CONVOCATION else "Invitation"
            row.body = texts.letter_text(invitation, kind)
        row.status = Status.TO_PRINT if channel == Channel.LETTER else Status.PENDING
        rows.append(row)
    return rows


def _send_emails(rows: list[SentMessage], now: dt.datetime) -> None:
    if not rows:
        return
    with get_connection() as connection:
        for row in rows:
            row.attempts += 1
            email = EmailMessage(
                row.subject,
                row.body,
                settings.DEFAULT_FROM_EMAIL,
                [row.recipient],
                connection=connection,
            )
            try:
                email.send()
            except Exception as error:  # the mail server's refusal, whatever its class
                row.status = Status.FAILED
                row.error = f"Le serveur de courriel a refusé l'envoi ({error})."
            else:
                row.status, row.sent_at, row.error = Status.SENT, now, ""


def _send_sms(rows: list[SentMessage], now: dt.datetime) -> None:
    if not rows:
        return
    batch = [sms.SmsMessage(row.recipient, row.body, f"tremplin-{row.pk}") for row in rows]
    for row, result in zip(rows, sms.send_messages(batch), strict=True):
        row.attempts += 1
        if result.sent:
            row.status, row.sent_at, row.error = Status.SENT, now, ""
            row.provider_id = result.provider_id
        else:
            row.status, row.error = Status.FAILED, result.error


def deliver(rows: list[SentMessage], now: dt.datetime) -> None:
    """Send claimed rows (one connection per channel) and write their statuses at once."""
    pending = [row for row in rows if row.status == Status.PENDING]
    _send_emails([row for row in pending if row.channel == Channel.EMAIL], now)
    _send_sms([row for row in pending if row.channel == Channel.SMS], now)
    if pending:
        SentMessage.objects.bulk_update(
            pending, ["status", "sent_at", "error", "attempts", "provider_id"]
        )


def send(items: list[tuple[Invitation, str, int, list[str]]], now: dt.datetime):
    """Prepare, claim and send the messages of ``items`` (invitation, kind, number,
    channels) as one batch; gives the rows this run sent (a row another run had already
    claimed is left to it)."""
    rows = [row for item in items for row in prepare(*item, now=now)]
    if not rows:
        return []
    batch = uuid.uuid4().hex
    for row in rows:
        row.batch, row.claimed_at = batch, now
    SentMessage.objects.bulk_create(rows, ignore_conflicts=True)
    claimed = list(SentMessage.objects.filter(batch=batch).order_by("pk"))
    deliver(claimed, now)
    return claimed


def retry_failed(now: dt.datetime) -> list[SentMessage]:
    """Send again the e-mails and SMS that failed in the last days (a mail server or a
    provider down), each at most ``MAX_ATTEMPTS`` times, and those left "pending" by a run
    that stopped on the way (claimed over ``STALE_CLAIM`` ago).

    The claim is one UPDATE whose WHERE reads the claim's time and whose SET moves it to
    now: a second run at the same time finds the rows claimed a moment ago and leaves them
    (PostgreSQL re-reads the WHERE on the row the first UPDATE wrote; SQLite runs the two
    one after the other), so a message is never sent twice by overlapping runs."""
    batch = uuid.uuid4().hex
    SentMessage.objects.filter(
        # Not this run's own failures (claimed at this run's time): the next run's.
        Q(status=Status.FAILED, claimed_at__lt=now)
        | Q(status=Status.PENDING, claimed_at__lt=now - STALE_CLAIM),
        channel__in=[Channel.EMAIL, Channel.SMS],
        attempts__lt=MAX_ATTEMPTS,
        created_at__gte=now - dt.timedelta(days=RETRY_DAYS),
    ).update(batch=batch, status=Status.PENDING, claimed_at=now)
    claimed = list(SentMessage.objects.filter(batch=batch).order_by("pk"))
    deliver(claimed, now)
    return claimed


# --- inviting ------------------------------------------------------------------------------


def _create(beneficiary, channels: list[str], user, now, **appointment) -> Invitation:
    return Invitation.objects.create(
        beneficiary=beneficiary,
        by_email=Channel.EMAIL in channels,
        by_sms=Channel.SMS in channels,
        by_letter=Channel.LETTER in channels,
        sent_at=now,
        sent_by=user,
        **appointment,
    )


@transaction.atomic
def invite_to_meeting(
    meeting: Meeting, channels: Iterable[str], *, user=None, now: dt.datetime | None = None
) -> Invitation:
    """Invite the person to a planned meeting of their support, and send the invitation."""
    now = now or timezone.now()
    beneficiary = meeting.episode.beneficiary
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= now:
        raise ValidationError({"meeting": "On n'invite qu'à une rencontre prévue et à venir (F8)."})
    check = check_channels(beneficiary, channels)
    if not check.usable:
        raise _refused_error(check)
    invitation = _create(beneficiary, check.usable, user, now, meeting=meeting)
    send([(invitation, Kind.INVITATION, 0, check.usable)], now)
    return invitation


@transaction.atomic
def invite_to_interview(
    episode,
    *,
    starts_at: dt.datetime,
    duration_minutes: int,
    place: str,
    channels: Iterable[str],
    user=None,
    now: dt.datetime | None = None,
) -> Invitation:
    """A new individual interview, planned, and the person invited to it (F8, P4)."""
    now = now or timezone.now()
    check = check_channels(episode.beneficiary, channels)
    if not check.usable:
        raise _refused_error(check)
    meeting = meetings.plan_meeting(
        episode,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        user=user,
        now=now,
    )
    return invite_to_meeting(meeting, check.usable, user=user, now=now)


@dataclass
class BulkResult:
    invitations: list[Invitation]
    skipped: dict[int, str]  # beneficiary pk -> why nobody could be reached


@transaction.atomic
def invite_to_action(
    action,
    beneficiaries: Iterable,
    *,
    channels: Iterable[str] | None = None,
    user=None,
    now: dt.datetime | None = None,
) -> BulkResult:
    """Invite each person to a collective action (P2): on ``channels`` where they reach
    the person, or on each person's preferred channel (``channels`` None). The people are
    added to the action's invited list; the messages go as one batch."""
    now = now or timezone.now()
    if action.starts_at.date() < to_paris(now).date():
        raise ValidationError(
            {"action": "Cette action collective est passée : choisissez-en une à venir."}
        )
    wanted = list(channels) if channels is not None else None
    people = list(beneficiaries)
    listed = set(
        Participation.objects.filter(action=action, beneficiary__in=people).values_list(
            "beneficiary_id", flat=True
        )
    )
    for person in people:  # one by one: each addition is in the audit log
        if person.pk not in listed:
            Participation.objects.create(action=action, beneficiary=person)
    items, created, skipped = [], [], {}
    for person in people:
        usable = (
            check_channels(person, wanted).usable
            if wanted is not None
            else default_channels(person)
        )
        if not usable:
            check = check_channels(person, wanted or [Channel.EMAIL, Channel.SMS, Channel.LETTER])
            skipped[person.pk] = " ".join(check.refused.values()) or "Aucun moyen de la joindre."
            continue
        invitation = _create(person, usable, user, now, action=action)
        created.append(invitation)
        items.append((invitation, Kind.INVITATION, 0, usable))
    send(items, now)
    return BulkResult(created, skipped)


# --- several people to individual interviews, at successive slots -------------------------


@dataclass
class PlannedInterview:
    """One person of a bulk invitation to interviews: the support the interview belongs to,
    the proposed slot and the channels, or why the person cannot be invited."""

    person: object
    episode: object | None = None
    starts_at: dt.datetime | None = None
    channels: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def channels_display(self) -> str:
        return ", ".join(str(Channel(channel).label).lower() for channel in self.channels)


def _interview_episodes(people: list, user) -> dict[int, object]:
    """For each person, the open support (visible to ``user``) the interview belongs to: the
    one ``user`` runs, else the most recent."""
    episodes = SupportEpisode.objects.filter(
        beneficiary__in=[person.pk for person in people], ended_on__isnull=True
    )
    if user is not None:
        episodes = episodes.visible_to(user)
    chosen: dict[int, object] = {}
    for episode in episodes.select_related("referent", "operator").order_by("-started_on", "-pk"):
        current = chosen.get(episode.beneficiary_id)
        mine = user is not None and episode.referent_id == user.pk
        if current is None or (mine and current.referent_id != user.pk):
            chosen[episode.beneficiary_id] = episode
    return chosen


def plan_interviews(
    beneficiaries: Iterable,
    *,
    first_slot: dt.datetime,
    interval_minutes: int,
    duration_minutes: int,
    channels: Iterable[str] | None = None,
    user=None,
    now: dt.datetime | None = None,
) -> list[PlannedInterview]:
    """Who gets which slot (F8, P4): the people, in the order given, each at the next slot —
    ``first_slot``, then every ``interval_minutes`` the same day — on ``channels`` where
    they reach the person (each person's preferred channel when ``channels`` is None).
    A person no channel reaches, or without an open support, gets no slot. Someone
    ``user`` may not see is refused (``PermissionDenied``), never silently skipped."""
    now = now or timezone.now()
    people = list(dict.fromkeys(beneficiaries))
    if user is not None:
        visible = set(
            Beneficiary.objects.visible_to(user)
            .filter(pk__in=[person.pk for person in people])
            .values_list("pk", flat=True)
        )
        if any(person.pk not in visible for person in people):
            raise PermissionDenied("Une des personnes choisies n'est pas dans votre périmètre.")
    errors = {}
    if first_slot <= now:
        errors["starts_at"] = "Le premier rendez-vous doit être à venir : choisissez une date."
    if interval_minutes < duration_minutes:
        errors["interval_minutes"] = (
            "L'intervalle entre deux rendez-vous doit être au moins égal à leur durée "
            f"({plural(duration_minutes, '%(count)d minute', '%(count)d minutes')})."
        )
    if errors:
        raise ValidationError(errors)
    wanted = list(channels) if channels is not None else None
    episodes = _interview_episodes(people, user)
    plan, slot = [], first_slot
    for person in people:
        row = PlannedInterview(person, episodes.get(person.pk))
        if row.episode is None:
            row.refused.append("Aucun accompagnement en cours dans votre périmètre.")
        else:
            row.channels = (
                check_channels(person, wanted).usable
                if wanted is not None
                else default_channels(person)
            )
            if not row.channels:
                everything = wanted or [Channel.EMAIL, Channel.SMS, Channel.LETTER]
                row.refused = list(check_channels(person, everything).refused.values())
                row.refused = row.refused or ["Aucun moyen de la joindre."]
        if not row.refused:
            row.starts_at, slot = slot, slot + dt.timedelta(minutes=interval_minutes)
        plan.append(row)
    slots = [row.starts_at for row in plan if row.starts_at]
    last_end = slots[-1] + dt.timedelta(minutes=duration_minutes) if slots else None
    if last_end and to_paris(last_end).date() != to_paris(first_slot).date():
        raise ValidationError(
            {
                "interval_minutes": (
                    f"La série de {len(slots)} rendez-vous toutes les {interval_minutes} "
                    "minutes dépasse la journée (le dernier finirait le "
                    f"{to_paris(last_end):%d/%m/%Y à %H:%M}) : commencez plus tôt, réduisez "
                    "l'intervalle ou la sélection."
                )
            }
        )
    return plan


@transaction.atomic
def invite_many_to_interviews(
    beneficiaries: Iterable,
    *,
    first_slot: dt.datetime,
    interval_minutes: int,
    duration_minutes: int,
    place: str,
    channels: Iterable[str] | None = None,
    user=None,
    now: dt.datetime | None = None,
) -> BulkResult:
    """Invite several people to individual interviews (F8, P4), at successive slots of one
    day (``plan_interviews``), in one transaction: for each, a planned interview in their
    open support and its invitation; the messages go as one batch. The people no channel
    reaches are in ``skipped``, with why."""
    now = now or timezone.now()
    plan = plan_interviews(
        beneficiaries,
        first_slot=first_slot,
        interval_minutes=interval_minutes,
        duration_minutes=duration_minutes,
        channels=channels,
        user=user,
        now=now,
    )
    items, created, skipped = [], [], {}
    for row in plan:
        if row.starts_at is None:
            skipped[row.person.pk] = " ".join(row.refused)
            continue
        meeting = meetings.plan_meeting(
            row.episode,
            starts_at=row.starts_at,
            duration_minutes=duration_minutes,
            place=place,
            user=user,
            now=now,
        )
        invitation = _create(row.person, row.channels, user, now, meeting=meeting)
        created.append(invitation)
        items.append((invitation, Kind.INVITATION, 0, row.channels))
    send(items, now)
    return BulkResult(created, skipped)


@transaction.atomic
def respond(
    invitation: Invitation, answer: str, note: str = "", *, now: dt.datetime | None = None
) -> Invitation:
    """The person's answer through their personal link: confirmed, or another slot asked
    (the referent is told by e-mail). Once for each date of the appointment: a meeting
    moved since the last answer (F8) is answered again, the new answer replacing it."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answer_stands:
        raise ValidationError("Vous avez déjà répondu à cette invitation.")
    if answer not in (Invitation.Answer.CONFIRMED, Invitation.Answer.OTHER_SLOT):
        raise ValidationError("Réponse inconnue.")
    if answer == Invitation.Answer.OTHER_SLOT and not (note or "").strip():
        raise ValidationError(
            {
                "note": "Indiquez vos disponibilités (jours, heures) pour qu'un autre créneau vous soit proposé."
            }
        )
    invitation.answer, invitation.answered_at = answer, now
    invitation.answer_note = (note or "").strip()
    invitation.answered_for = invitation.starts_at
    invitation.save(update_fields=["answer", "answered_at", "answer_note", "answered_for"])
    referent = invitation.referent
    if answer == Invitation.Answer.OTHER_SLOT and referent is not None and referent.email:
        EmailMessage(
            f"Tremplin — {invitation.beneficiary} demande un autre créneau",
            f"Bonjour {referent.first_name},\n\n{invitation.beneficiary} ne peut pas venir au "
            f"rendez-vous du {texts.when(invitation)} ({invitation.what}) et demande un autre "
            "créneau.\n\n"
            f"Disponibilités indiquées : {invitation.answer_note}\n\n"
            f"{texts.site_url(invitation.get_absolute_url())}\n",
            settings.DEFAULT_FROM_EMAIL,
            [referent.email],
        ).send()
    return invitation


# --- the daily job ----------------------------------------------------------------------------


def _candidates(today: dt.date):
    """Invitations whose appointment is today or later (the meeting itself, or its
    replacement), with what their messages need, in two queries."""
    day_start = dt.datetime.combine(today, dt.time(0, 0), tzinfo=PARIS)
    return (
        Invitation.objects.filter(
            Q(action__on__gte=today)
            | Q(meeting__starts_at__gte=day_start)
            | Q(meeting__replaced_by__starts_at__gte=day_start)
            | Q(meeting__replaced_by__replaced_by__starts_at__gte=day_start)
        )
        .select_related(
            "beneficiary__operator",
            "beneficiary__referent",
            "action__operator",
            "meeting__episode__operator",
            "meeting__episode__referent",
            "meeting__replaced_by__replaced_by",
        )
        .prefetch_related(
            Prefetch(
                "messages", queryset=SentMessage.objects.only("invitation_id", "kind", "number")
            )
        )
        .order_by("pk")
    )


def _change_number(invitation: Invitation) -> int | None:
    """The change of the appointment to tell the person about, as a number unique to it (the
    meeting it moved to, cancelled or not), or None when nothing changed."""
    current = invitation.current_meeting
    if current is None or (
        current.pk == invitation.meeting_id and current.status == Meeting.Status.PLANNED
    ):
        return None
    if current.status == Meeting.Status.CANCELLED:
        return current.pk * 2 + 1
    if current.status == Meeting.Status.PLANNED and current.pk != invitation.meeting_id:
        return current.pk * 2
    return None


def reminder_number(invitation: Invitation, days: int) -> int:
    """A reminder's number: its days before, for the meeting it is about (a meeting moved
    to another date gets its own reminders)."""
    if invitation.action_id:
        return days
    return invitation.current_meeting.pk * 100 + days


def reminders_sent(invitation: Invitation, numbers: set[int]) -> set[int]:
    """The days before of the reminders already sent for the appointment as it stands."""
    if invitation.action_id:
        return numbers
    meeting = invitation.current_meeting.pk
    return {number % 100 for number in numbers if number // 100 == meeting}


@dataclass
class DueMessage:
    invitation: Invitation
    kind: str
    number: int
    channels: list[str]

    def as_item(self):
        return (self.invitation, self.kind, self.number, self.channels)


def due_messages(today: dt.date, now: dt.datetime) -> list[DueMessage]:
    """What the daily job sends ``today``: changes of appointments (cancelled, moved),
    reminders (dated parameters, 3 days and 1 day before by default) and convocations
    after an invitation left unanswered (F8)."""
    due = []
    for invitation in _candidates(today):
        sent = defaultdict(set)
        for message in invitation.messages.all():
            sent[message.kind].add(message.number)
        instant = [c for c in invitation.channels if c != Channel.LETTER]
        change = _change_number(invitation) if invitation.meeting_id else None
        if change is not None:
            if change not in sent[Kind.UPDATE] and instant:
                due.append(DueMessage(invitation, Kind.UPDATE, change, instant))
            if invitation.current_meeting.status != Meeting.Status.PLANNED:
                continue
        if invitation.appointment_status != Meeting.Status.PLANNED:
            continue
        day = to_paris(invitation.starts_at).date()
        invited_on = to_paris(invitation.sent_at).date()
        already = reminders_sent(invitation, sent[Kind.REMINDER])
        days = due_reminder(day, today, invited_on=invited_on, sent=already)
        if days is not None and instant:
            number = reminder_number(invitation, days)
            due.append(DueMessage(invitation, Kind.REMINDER, number, instant))
        if not sent[Kind.CONVOCATION] and convocation_due(
            # Any answer, even about an earlier date: the person did answer (F8), the
            # meeting was moved since (often at their request); no convocation for that.
            day,
            today,
            invited_on=invited_on,
            answered=bool(invitation.answer),
        ):
            due.append(DueMessage(invitation, Kind.CONVOCATION, 0, invitation.channels))
    return due


@dataclass
class DailyRun:
    due: list[DueMessage]
    sent: list[SentMessage]
    retried: list[SentMessage]


def run_daily(today: dt.date, now: dt.datetime, *, send_them: bool) -> DailyRun:
    """The daily job: what is due (and, with ``send_them``, sends it as one batch, then
    retries the recent failures). Running it twice sends nothing the second time."""
    due = due_messages(today, now)
    if not send_them:
        return DailyRun(due, [], [])
    with transaction.atomic():
        sent = send([message.as_item() for message in due], now)
    with transaction.atomic():
        retried = retry_failed(now)
    return DailyRun(due, sent, retried)


# --- letters, reports, no-shows ------------------------------------------------------------


def mark_printed(message: SentMessage, now: dt.datetime | None = None) -> None:
    if message.status == Status.TO_PRINT:
        message.status, message.sent_at = Status.PRINTED, now or timezone.now()
        message.save(update_fields=["status", "sent_at"])


def letters_to_print(user, up_to: int | None = None):
    """The letters waiting to be printed and posted that ``user`` may see, oldest first;
    ``up_to``: only those prepared up to that message (the ones a PDF was made of)."""
    letters = SentMessage.objects.visible_to(user).filter(
        channel=Channel.LETTER, status=Status.TO_PRINT
    )
    if up_to is not None:
        letters = letters.filter(pk__lte=up_to)
    return letters.order_by("created_at", "pk")


@transaction.atomic
def mark_letters_printed(user, up_to: int, now: dt.datetime | None = None) -> int:
    """The letters of the PDF made up to the message ``up_to`` noted as printed and posted
    (those prepared since are not: they were not in it); how many."""
    now = now or timezone.now()
    return letters_to_print(user, up_to).order_by().update(status=Status.PRINTED, sent_at=now)


def apply_delivery_report(report: sms.DeliveryReport, payload: dict, now=None) -> int:
    """The provider's delivery report on the SMS it concerns; gives how many it updated."""
    now = now or timezone.now()
    status = {"delivered": Status.DELIVERED, "failed": Status.FAILED}.get(report.status)
    changes = {"status_at": now, "delivery_report": payload}
    if status is not None:
        changes["status"] = status
        if status == Status.FAILED:
            changes["error"] = f"Non remis par l'opérateur téléphonique : {report.detail}."
    return SentMessage.objects.filter(channel=Channel.SMS, provider_id=report.provider_id).update(
        **changes
    )


def _check_no_show(absence: Meeting | Participation, on: dt.date) -> None:
    """A follow-up is given to an absence: an interview's no-show, or an absence at a held
    collective action (read from ``present``, F8)."""
    if isinstance(absence, Participation):
        if absence.present:
            raise ValidationError(
                "Une suite se donne à une absence : cette personne est notée présente à "
                "l'action collective."
            )
        if not absence.action.is_held(timezone.localdate()):
            raise ValidationError(
                "Une suite se donne à une absence : les présences de cette action collective "
                "ne sont pas encore relevées."
            )
    elif absence.status != Meeting.Status.NO_SHOW:
        raise ValidationError(
            "Une suite se donne à une absence non excusée : cette rencontre est "
            f"« {absence.get_status_display().lower()} »."
        )
    if on > timezone.localdate():
        raise ValidationError({"on": "La date de la suite donnée est dans le futur : corrigez-la."})


def _absence(absence: Meeting | Participation) -> dict:
    """The follow-up's link to its absence."""
    if isinstance(absence, Participation):
        return {"participation": absence}
    return {"meeting": absence}


def _episode_after(absence: Meeting | Participation, user):
    """The support a new interview after ``absence`` belongs to: the meeting's own; after a
    collective action, the person's running support (the action's operator's first)."""
    if isinstance(absence, Meeting):
        return absence.episode
    running = SupportEpisode.objects.filter(beneficiary=absence.beneficiary, ended_on__isnull=True)
    if user is not None:
        running = running.filter(pk__in=SupportEpisode.objects.visible_to(user).values("pk"))
    ordered = sorted(
        running,
        key=lambda e: (
            e.operator_id != absence.action.operator_id,
            -e.started_on.toordinal(),
            -e.pk,
        ),
    )
    if not ordered:
        raise ValidationError(
            {
                "kind": "La personne n'a pas d'accompagnement en cours : un entretien ne peut "
                "pas être proposé. Enregistrez un courrier ou une saisine de l'équipe "
                "pluridisciplinaire."
            }
        )
    return ordered[0]


@transaction.atomic
def record_follow_up(
    absence: Meeting | Participation, kind: str, on: dt.date, note: str = "", *, user=None
) -> NoShowFollowUp:
    """A letter sent or the équipe pluridisciplinaire seized after a no-show (F8), dated."""
    _check_no_show(absence, on)
    if kind == NoShowFollowUp.Kind.NEW_INVITATION:
        raise ValidationError(
            {"kind": "Une nouvelle invitation se donne avec sa date de rendez-vous."}
        )
    return NoShowFollowUp.objects.create(
        **_absence(absence), kind=kind, on=on, note=(note or "").strip(), recorded_by=user
    )


@transaction.atomic
def reinvite_after_no_show(
    absence: Meeting | Participation,
    *,
    starts_at: dt.datetime,
    duration_minutes: int,
    place: str,
    channels: Iterable[str],
    note: str = "",
    user=None,
    now: dt.datetime | None = None,
) -> NoShowFollowUp:
    """A new interview and its invitation after a no-show, recorded as its follow-up."""
    now = now or timezone.now()
    _check_no_show(absence, to_paris(now).date())
    invitation = invite_to_interview(
        _episode_after(absence, user),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        channels=channels,
        user=user,
        now=now,
    )
    return NoShowFollowUp.objects.create(
        **_absence(absence),
        kind=NoShowFollowUp.Kind.NEW_INVITATION,
        on=to_paris(now).date(),
        note=(note or "").strip(),
        invitation=invitation,
        recorded_by=user,
    )
