"""Invitations to the support's appointments, the messages they send, and the follow-up of
the no-shows (rules F8, P2, P4).

- ``Invitation``: a person invited to an individual interview (a ``support.Meeting``) or to
  a collective action (``professional.CollectiveAction``, P2), by e-mail, SMS and/or letter;
  the person answers through a personal link (confirm, or ask for another slot), without an
  account. The meeting's status stays on the meeting (``support.Meeting.status``): the
  invitation reads it.
- ``SentMessage``: every message sent (invitation, reminder, convocation, change of the
  appointment), one row per channel, kept with its time, status, the provider's identifier
  and delivery report. Unique per (invitation, kind, days, channel): the daily job sends
  each once, however often it runs.
- ``NoShowFollowUp``: what was done after a no-show (a new invitation, a letter, a referral
  to the équipe pluridisciplinaire), dated: a no-show at an interview (a meeting whose
  status says so) or an absence at a held collective action (an invitation of the action
  not marked present, ``professional.Invitation.absent``).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.professional.models import CollectiveAction
from tremplin.professional.models import Invitation as Participation
from tremplin.registry.models import Beneficiary, ContactChannel
from tremplin.rules.attendance import link_expires_at
from tremplin.support.models import Meeting, SupportEpisode
from tremplin.web.french import of
from tremplin.web.links import reverse

LINK_SALT = "tremplin.invitations.link"


def _nonce() -> str:
    return secrets.token_hex(4)  # the signature protects the link; the nonce revokes it


# The meetings as the person reads them (every one masculine: « votre … est annulé »).
MEETING_WHAT = {
    Meeting.Kind.INDIVIDUAL: "entretien individuel",
    Meeting.Kind.WITH_EMPLOYER: "rendez-vous avec votre employeur ou votre tuteur",
    Meeting.Kind.TRIPARTITE: "rendez-vous tripartite (employeur, conseiller RSA)",
    Meeting.Kind.CONCERTATION: "temps de concertation",
}


def _current_start():
    """The start of an invitation's meeting as it stands, through two reschedulings."""
    return Coalesce(
        "meeting__replaced_by__replaced_by__starts_at",
        "meeting__replaced_by__starts_at",
        "meeting__starts_at",
    )


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The invitations of the people ``user`` may see."""
        return self.filter(beneficiary__in=Beneficiary.objects.visible_to(user).values("pk"))

    def awaiting_answer(self):
        """No answer about the appointment as it stands: none at all, or one given about an
        earlier date of a meeting moved since (``Invitation.answer_stands``, followed here
        through two reschedulings, as the daily job's candidates)."""
        return self.alias(current_starts_at=_current_start()).filter(
            Q(answer="") | (Q(meeting__isnull=False) & ~Q(answered_for=F("current_starts_at")))
        )

    def asking_another_slot(self):
        """Another slot asked for the appointment as it stands: a request already dealt with
        by moving the meeting (the answer given about its earlier date) is not one."""
        return (
            self.alias(current_starts_at=_current_start())
            .filter(answer=Invitation.Answer.OTHER_SLOT)
            .filter(Q(meeting__isnull=True) | Q(answered_for=F("current_starts_at")))
        )


class Invitation(models.Model):
    class Answer(models.TextChoices):
        NONE = "", "Sans réponse"
        CONFIRMED = "confirmed", "Présence confirmée"
        OTHER_SLOT = "other_slot", "Demande un autre créneau"

    beneficiary = models.ForeignKey(
        Beneficiary, models.PROTECT, related_name="invitations", verbose_name="personne"
    )
    meeting = models.ForeignKey(
        Meeting,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="entretien",
    )
    action = models.ForeignKey(
        CollectiveAction,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_invitations",
        verbose_name="action collective",
    )
    by_email = models.BooleanField("par courriel", default=False)
    by_sms = models.BooleanField("par SMS", default=False)
    by_letter = models.BooleanField("par courrier", default=False)
    answer = models.CharField(
        "réponse", max_length=10, choices=Answer.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    answer_note = models.TextField("disponibilités indiquées par la personne", blank=True)
    # The appointment's date and time the answer was given about: when the meeting moves
    # (rescheduled, F8), the answer no longer stands for the new date and the link serves
    # again for it (``answer_stands``); the answer itself is kept until the person answers
    # again (the audit log keeps the earlier one).
    answered_for = models.DateTimeField(
        "réponse donnée pour le rendez-vous du", null=True, blank=True
    )
    # Part of the personal link: a new nonce makes every earlier link of the invitation void.
    link_nonce = models.CharField(max_length=24, default=_nonce, editable=False)
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["answer", "sent_at"], name="invitation_answer_sent")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(meeting__isnull=False) & Q(action__isnull=True))
                | (Q(meeting__isnull=True) & Q(action__isnull=False)),
                name="invitation_one_appointment",
            ),
            models.CheckConstraint(
                condition=Q(answer__in=["", "confirmed", "other_slot"]),
                name="invitation_known_answer",
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answered_at__isnull=False),
                name="invitation_answer_has_date",
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answered_for__isnull=False),
                name="invitation_answer_has_appointment",
            ),
            models.CheckConstraint(
                condition=Q(by_email=True) | Q(by_sms=True) | Q(by_letter=True),
                name="invitation_has_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {of(self.beneficiary)} — {self.what}"

    def get_absolute_url(self) -> str:
        return reverse("invitations:detail", args=[self.pk])

    # --- the appointment ---------------------------------------------------------------

    @property
    def current_meeting(self) -> Meeting | None:
        """The interview as it stands: a rescheduled one lives on in its replacement."""
        meeting = self.meeting
        seen = 0
        while meeting is not None and meeting.replaced_by_id and seen < 20:
            meeting = meeting.replaced_by
            seen += 1
        return meeting

    @property
    def what(self) -> str:
        """What the person is invited to, as they read it (no article)."""
        if self.action_id:
            return f"{self.action.get_kind_display().lower()} « {self.action.theme} »"
        return MEETING_WHAT.get(self.meeting.kind, "rendez-vous")

    @property
    def a_what(self) -> str:
        """The same with its article: « un entretien individuel », « une réunion … »."""
        feminine = self.action_id and self.action.kind == CollectiveAction.Kind.INFORMATION
        return f"{'une' if feminine else 'un'} {self.what}"

    @property
    def starts_at(self) -> dt.datetime:
        if self.action_id:
            return self.action.starts_at
        return self.current_meeting.starts_at

    @property
    def has_time(self) -> bool:
        return not self.action_id or self.action.start_time is not None

    @property
    def place(self) -> str:
        if self.action_id:
            return self.action.place
        return self.current_meeting.get_place_display()

    @property
    def operator(self):
        if self.action_id:
            return self.action.operator
        return self.meeting.episode.operator or self.beneficiary.operator

    @property
    def referent(self):
        if self.meeting_id:
            return self.meeting.episode.referent or self.beneficiary.referent
        return self.beneficiary.referent

    @property
    def appointment_status(self) -> str:
        """The meeting's status (F8; planned for a collective action)."""
        if self.action_id:
            return Meeting.Status.PLANNED
        return self.current_meeting.status

    @property
    def is_upcoming(self) -> bool:
        """Still to come and still planned: the person can answer, reminders go out."""
        return self.appointment_status == Meeting.Status.PLANNED and (
            self.starts_at > timezone.now()
        )

    @property
    def answer_stands(self) -> bool:
        """The person answered about the appointment as it stands (its date and time): a
        meeting moved since calls for a new answer, through the same link (F8)."""
        return bool(self.answer) and self.answered_for == self.starts_at

    @property
    def answer_is_earlier(self) -> bool:
        """An answer given about an earlier date of the appointment (moved since)."""
        return bool(self.answer) and not self.answer_stands

    def answer_display(self) -> str:
        """The answer as the référent reads it; one given about an earlier date says so."""
        label = self.get_answer_display()
        if self.answer_is_earlier and self.answered_for is not None:
            earlier = timezone.localtime(self.answered_for)
            return f"{label} (pour le rendez-vous du {earlier:%d/%m/%Y à %H:%M}, déplacé depuis)"
        return label

    @property
    def channels(self) -> list[str]:
        return [
            channel
            for channel, chosen in (
                (ContactChannel.EMAIL, self.by_email),
                (ContactChannel.SMS, self.by_sms),
                (ContactChannel.LETTER, self.by_letter),
            )
            if chosen
        ]

    def channels_display(self) -> str:
        labels = dict(ContactChannel.choices)
        return ", ".join(str(labels[channel]).lower() for channel in self.channels)

    # --- the personal link -------------------------------------------------------------

    def link_token(self, now: dt.datetime | None = None) -> str:
        """The signed token of the personal link: this invitation, this person, this nonce,
        and when it was issued (its validity runs from there, ``link_expires_at``), short
        enough for a text message: ``12.34.nonce.issued:signature``."""
        issued = int((now or timezone.now()).timestamp())
        value = f"{self.pk}.{self.beneficiary_id}.{self.link_nonce}.{issued:x}"
        return signing.Signer(salt=LINK_SALT).sign(value)

    @staticmethod
    def read_link_token(token: str) -> dict:
        """What a token says (``i``, ``p``, ``n``, ``t``); ``signing.BadSignature`` when it
        was not signed here, ``ValueError`` when it is malformed."""
        pk, person, nonce, issued = signing.Signer(salt=LINK_SALT).unsign(token).split(".")
        return {"i": int(pk), "p": int(person), "n": nonce, "t": int(issued, 16)}

    def link_path(self, now: dt.datetime | None = None) -> str:
        return reverse("invitation_link:answer", args=[self.pk, self.link_token(now)])

    def link_expiry(self, issued_at: dt.datetime) -> dt.datetime:
        return link_expires_at(issued_at, self.starts_at)


class SentMessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(invitation__in=Invitation.objects.visible_to(user).values("pk"))


class SentMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = ContactChannel.EMAIL.value, "Courriel"
        SMS = ContactChannel.SMS.value, "SMS"
        LETTER = ContactChannel.LETTER.value, "Courrier"

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        REMINDER = "reminder", "Rappel"
        CONVOCATION = "convocation", "Convocation"
        UPDATE = "update", "Changement du rendez-vous"

    class Status(models.TextChoices):
        PENDING = "pending", "En cours d'envoi"
        SENT = "sent", "Envoyé"
        DELIVERED = "delivered", "Remis"
        FAILED = "failed", "Échec"
        TO_PRINT = "to_print", "À imprimer et poster"
        PRINTED = "printed", "Imprimé"

    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="messages")
    channel = models.CharField("canal", max_length=6, choices=Channel.choices)
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    # The reminder's number of days before; for a change, the meeting's revision; else 0.
    number = models.PositiveIntegerField("numéro", default=0)
    recipient = models.CharField("destinataire", max_length=254)
    subject = models.CharField("objet", max_length=200, blank=True)
    body = models.TextField("texte")
    status = models.CharField("statut", max_length=10, choices=Status.choices)
    error = models.TextField("erreur", blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    provider_id = models.CharField("identifiant chez le fournisseur", max_length=100, blank=True)
    delivery_report = models.JSONField("rapport de remise", null=True, blank=True)
    # The run that claimed the row for sending (two runs at once never send it twice), and
    # when: a retry claims a row whose claim is old, in the same UPDATE that claims it.
    batch = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField("pris en charge le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("préparé le", default=timezone.now)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    status_at = models.DateTimeField("statut reçu le", null=True, blank=True)

    objects = SentMessageQuerySet.as_manager()

    class Meta:
        verbose_name = "message envoyé"
        verbose_name_plural = "messages envoyés"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["provider_id"], name="sent_message_provider_id"),
            models.Index(fields=["status", "created_at"], name="sent_message_status"),
            models.Index(fields=["batch"], name="sent_message_batch"),
            models.Index(fields=["status", "claimed_at"], name="sent_message_claimed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind", "number", "channel"],
                name="sent_message_once",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms", "letter"])
                & Q(kind__in=["invitation", "reminder", "convocation", "update"])
                & Q(status__in=["pending", "sent", "delivered", "failed", "to_print", "printed"]),
                name="sent_message_known_values",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} par {self.get_channel_display().lower()} à {self.recipient}"
        )


class NoShowFollowUp(models.Model):
    """What was done after a no-show (F8), dated: the sanction process reads it. The
    absence is an interview's (``meeting``) or a collective action's (``participation``)."""

    class Kind(models.TextChoices):
        NEW_INVITATION = "new_invitation", "Nouvelle invitation"
        LETTER = "letter", "Courrier à la personne"
        TEAM_REFERRAL = "team_referral", "Saisine de l'équipe pluridisciplinaire"

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, null=True, blank=True, related_name="no_show_follow_ups"
    )
    participation = models.ForeignKey(
        Participation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="no_show_follow_ups",
        verbose_name="absence à une action collective",
    )
    kind = models.CharField("suite donnée", max_length=15, choices=Kind.choices)
    on = models.DateField("date")
    note = models.TextField("précisions", blank=True)
    invitation = models.ForeignKey(
        Invitation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="nouvelle invitation",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "suite d'une absence"
        verbose_name_plural = "suites des absences"
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["new_invitation", "letter", "team_referral"]),
                name="no_show_follow_up_known_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="new_invitation") | Q(invitation__isnull=False),
                name="no_show_follow_up_invitation",
            ),
            models.CheckConstraint(
                condition=(Q(meeting__isnull=False) & Q(participation__isnull=True))
                | (Q(meeting__isnull=True) & Q(participation__isnull=False)),
                name="no_show_follow_up_one_absence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} le {self.on:%d/%m/%Y}"


def open_episodes_of(beneficiary, user):
    """The person's open supports ``user`` may see, for an interview to invite to."""
    return (
        SupportEpisode.objects.visible_to(user)
        .filter(beneficiary=beneficiary, ended_on__isnull=True)
        .select_related("operator", "referent")
    )


audit.register(Invitation, secret_fields={"link_nonce"})
audit.register(NoShowFollowUp)
