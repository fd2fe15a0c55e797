"""E-mails of the support: deadlines coming and overdue, ruptures (A14), refusals (A9).

Each e-mail is recorded as ``Notification`` rows, unique per (deadline or refusal, kind,
recipient): whatever sends it (the page at once, or the daily ``tremplin deadlines`` job),
an e-mail already recorded is never sent again. Rows and e-mail go together in one
transaction: if the mail server refuses, nothing is recorded and the next run retries.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tremplin.accounts.models import Membership, Role
from tremplin.web.dates import french_date, french_datetime
from tremplin.web.french import of

from .models import Deadline, Document, Notification, Refusal, SupportEpisode

Kind = Notification.Kind


@dataclass
class Message:
    kind: str
    recipient: str
    subject: str
    body: str
    deadlines: list[Deadline] = field(default_factory=list)
    refusal: Refusal | None = None
    # (file name, content, MIME type): the supporting documents of a rupture (A14).
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)

    def email(self, connection=None) -> EmailMessage:
        email = EmailMessage(
            self.subject,
            self.body,
            settings.DEFAULT_FROM_EMAIL,
            [self.recipient],
            connection=connection,
        )
        for name, content, mimetype in self.attachments:
            email.attach(name, content, mimetype)
        return email

    def rows(self) -> list[Notification]:
        if self.refusal is not None:
            return [Notification(kind=self.kind, refusal=self.refusal, recipient=self.recipient)]
        return [
            Notification(kind=self.kind, deadline=deadline, recipient=self.recipient)
            for deadline in self.deadlines
        ]


def cellule_recipients(territory_id: int) -> list[str]:
    """The Cellule contrats aidés (SAF/DIES) of a territory.

    ``TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL`` (one address or several, comma-separated) when
    the département has a shared mailbox; otherwise the active département agents of the
    territory, who include the Cellule's members.
    """
    configured = getattr(settings, "TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL", "")
    if configured:
        if isinstance(configured, str):
            configured = configured.split(",")
        return sorted({address.strip().lower() for address in configured if address.strip()})
    agents = Membership.objects.active().filter(
        role=Role.DEPARTMENT_AGENT,
        organisation__territory_id=territory_id,
        user__is_active=True,
    )
    return sorted(set(agents.values_list("user__email", flat=True)))


def _site_url(path: str) -> str:
    base = getattr(settings, "TREMPLIN_SITE_URL", "").rstrip("/")
    return f"{base}{path}"


# The fields ``_line`` reads, for ``.only()`` on large listings.
DEADLINE_LINE_FIELDS = (
    "code",
    "label",
    "rule",
    "due_on",
    "due_at",
    "state",
    "episode__id",
    "episode__beneficiary__last_name",
    "episode__beneficiary__first_names",
)


def _line(deadline: Deadline) -> str:
    episode = deadline.episode
    # One reverse() per e-mail batch, not per line: the daily job lists thousands of lines.
    url = _episode_url_pattern().replace(str(_URL_SENTINEL), str(episode.pk), 1)
    return (
        f"- {deadline.due_display} : {deadline.label} ({deadline.rule}) — "
        f"{episode.beneficiary} — {_site_url(url)}"
    )


_URL_SENTINEL = 918273645


@functools.lru_cache(maxsize=1)
def _episode_url_pattern() -> str:
    from django.urls import reverse

    return reverse("support:episode_detail", args=[_URL_SENTINEL])


def refusal_message(refusal: Refusal) -> Message | None:
    episode = refusal.episode
    address = episode.rsa_adviser_address
    if not address:
        return None
    return Message(
        kind=Kind.REFUSAL,
        recipient=address.lower(),
        subject=f"Refus de l'accompagnement dans l'emploi — {episode.beneficiary}",
        body=(
            f"Bonjour {episode.rsa_adviser_display},\n\n"
            f"{refusal.get_by_display()} a refusé l'accompagnement dans l'emploi de "
            f"{episode.beneficiary} (employeur : {episode.employer or '—'}) le "
            f"{french_date(refusal.on)}.\n\nMotif : {refusal.reason}\n\n"
            "Nous vous le signalons dans les plus brefs délais, comme le prévoit l'annexe "
            "technique de l'accompagnement (A9).\n\n"
            f"{episode.referent.get_full_name() if episode.referent else ''}\n"
            f"{episode.operator or ''}\n"
        ),
        refusal=refusal,
    )


def rupture_messages(
    rupture, evidence: Document | None = None, *, episode: SupportEpisode
) -> list[Message]:
    """To the Cellule contrats aidés (A14) about the rupture (``conventions.Rupture``) of the
    contract of ``episode``; ``evidence``, a document of the livret just uploaded with the
    declaration, is attached."""
    notice = episode.deadlines.filter(code="rupture_notice").first()
    if notice is None:
        return []
    attachments = []
    if evidence is not None:
        with evidence.file.open("rb") as handle:
            name = f"{evidence.title[:80]}.{evidence.extension}".replace("/", "-")
            attachments.append((name, handle.read(), evidence.content_type))
    body = (
        f"Bonjour,\n\nL'opérateur {episode.operator or ''} vous informe de la rupture du "
        f"contrat {of(episode.beneficiary)} (employeur : {episode.employer or '—'}), connue le "
        f"{french_datetime(rupture.known_at)}, {rupture.initiative_phrase}.\n\nMotif : {rupture.reason}\n"
        f"Concertation préalable : {'oui' if rupture.concertation_held else 'non'}.\n"
        + (f"Pièce jointe : {evidence.title}.\n" if evidence is not None else "")
        + "\n"
        f"Le signalement complet avec les pièces justificatives est dû au plus tard le "
        f"{notice.due_display} (48 heures, A14).\n\n"
        f"Référent·e : {episode.referent.get_full_name() if episode.referent else '—'}\n"
    )
    return [
        Message(
            kind=Kind.RUPTURE,
            recipient=address,
            subject=f"Rupture de contrat CUI-CIE — {episode.beneficiary}",
            body=body,
            deadlines=[notice],
            attachments=attachments,
        )
        for address in cellule_recipients(episode.beneficiary.territory_id)
    ]


def _already(kind: str):
    return Exists(
        Notification.objects.filter(deadline=OuterRef("pk"), kind=kind).filter(
            recipient=OuterRef("episode__referent__email")
        )
    )


def deadline_messages(
    today: dt.date, days_before: int, now: dt.datetime | None = None
) -> list[Message]:
    """Deadlines coming within ``days_before`` days and overdue ones, one e-mail per referent
    and kind listing what was not notified yet. ``now`` judges the deadlines with an hour."""
    now = now or timezone.now()
    open_deadlines = (
        Deadline.objects.filter(
            state__in=Deadline.OPEN_STATES,
            episode__ended_on__isnull=True,
            episode__referent__isnull=False,
            episode__referent__is_active=True,
        )
        .exclude(episode__referent__email="")
        .select_related("episode__beneficiary", "episode__referent")
        # Only what the e-mail says: the person's other (encrypted) fields are not read.
        .only(*DEADLINE_LINE_FIELDS, "episode__referent__email", "episode__referent__first_name")
        .order_by("due_on", "due_at", "episode_id", "code")
    )
    coming = open_deadlines.filter(
        due_on__gte=today, due_on__lte=today + dt.timedelta(days=days_before)
    ).exclude(Q(due_at__isnull=False) & Q(due_at__lt=now))
    overdue = open_deadlines.filter(Q(due_on__lt=today) | Q(due_at__lt=now))
    messages: list[Message] = []
    for kind, queryset, subject, intro in (
        (
            Kind.OVERDUE,
            overdue.filter(~_already(Kind.OVERDUE)),
            "Échéances dépassées",
            "Ces livrables ont dépassé leur échéance :",
        ),
        (
            Kind.COMING,
            coming.filter(~_already(Kind.COMING)),
            f"Échéances des {days_before} prochains jours",
            f"Ces livrables arrivent à échéance dans les {days_before} prochains jours :",
        ),
    ):
        by_referent: dict[str, list[Deadline]] = defaultdict(list)
        for deadline in queryset:
            by_referent[deadline.episode.referent.email.lower()].append(deadline)
        for address, items in by_referent.items():
            referent = items[0].episode.referent
            messages.append(
                Message(
                    kind=kind,
                    recipient=address,
                    subject=f"Tremplin — {subject} ({len(items)})",
                    body=(
                        f"Bonjour {referent.first_name},\n\n{intro}\n\n"
                        + "\n".join(_line(d) for d in items)
                        + "\n\nCe message est envoyé une seule fois par échéance.\n"
                    ),
                    deadlines=items,
                )
            )
    return messages


def pending_rupture_messages() -> list[Message]:
    """Ruptures no Cellule address has been told about yet, whichever page or API recorded
    them (one query when there is none, whatever the number of past ruptures)."""
    told = Notification.objects.filter(kind=Kind.RUPTURE, deadline__episode=OuterRef("pk"))
    episodes = (
        SupportEpisode.objects.select_related(
            "beneficiary",
            "employer",
            "operator",
            "referent",
            "convention__rupture",
            "contract_rupture",
        )
        # Not when the report is already marked sent (the Cellule has it, A14).
        .filter(
            deadlines__code="rupture_notice",
            deadlines__state__in=Deadline.OPEN_STATES,
            ended_on__isnull=True,
        )
        .filter(~Exists(told))
    )
    messages = []
    for episode in episodes:
        rupture = episode.current_rupture()
        if rupture is None:
            continue
        sent = set(
            Notification.objects.filter(kind=Kind.RUPTURE, deadline__episode=episode).values_list(
                "recipient", flat=True
            )
        )
        messages += [
            m for m in rupture_messages(rupture, episode=episode) if m.recipient not in sent
        ]
    return messages


def pending_refusal_messages() -> list[Message]:
    refusals = Refusal.objects.select_related(
        "episode__beneficiary", "episode__employer", "episode__rsa_adviser", "episode__referent"
    ).filter(~Exists(Notification.objects.filter(refusal=OuterRef("pk"), kind=Kind.REFUSAL)))
    return [m for m in map(refusal_message, refusals) if m is not None]


def deliver(message: Message) -> bool:
    """Send and record; False when it was already recorded (nothing sent)."""
    with transaction.atomic():
        rows = message.rows()
        if message.refusal is not None:
            done = Notification.objects.filter(
                refusal=message.refusal, kind=message.kind, recipient=message.recipient
            ).exists()
            if done:
                return False
        else:
            done = set(
                Notification.objects.filter(
                    deadline__in=message.deadlines, kind=message.kind, recipient=message.recipient
                ).values_list("deadline_id", flat=True)
            )
            rows = [row for row in rows if row.deadline_id not in done]
            if not rows:
                return False
        Notification.objects.bulk_create(rows)
        message.email().send(fail_silently=False)
    return True


# Mails sent per transaction by the daily job: one read of what was already recorded and one
# insert per batch, whatever the number of mails in it.
BATCH = 200


def deliver_all(messages: list[Message], batch: int = BATCH) -> list[Message]:
    """Send and record ``messages`` by batches (the daily job); the messages sent.

    Per batch, in one transaction: one query reads what was already recorded, one inserts
    the rows of the mails to send, and the mails go through one connection to the mail
    server. As with ``deliver``, the rows are written before the mails leave (a concurrent
    sender of the same mail fails on the unique rows instead of sending it twice); if the
    mail server refuses one, the rows of the mails not sent are removed, those sent are
    kept, and the error is raised: the next run retries the rest."""
    sent: list[Message] = []
    for start in range(0, len(messages), batch):
        sent += _deliver_batch(messages[start : start + batch])
    return sent


def _deliver_batch(messages: list[Message]) -> list[Message]:
    deadline_ids = {d.pk for m in messages for d in m.deadlines}
    refusal_ids = {m.refusal.pk for m in messages if m.refusal is not None}
    failure: Exception | None = None
    sent: list[Message] = []
    with transaction.atomic():
        done = set(
            Notification.objects.filter(
                Q(deadline_id__in=deadline_ids) | Q(refusal_id__in=refusal_ids),
                recipient__in={m.recipient for m in messages},
            ).values_list("deadline_id", "refusal_id", "kind", "recipient")
        )
        todo: list[tuple[Message, list[Notification]]] = []
        for message in messages:
            rows = [
                row
                for row in message.rows()
                if (row.deadline_id, row.refusal_id, row.kind, row.recipient) not in done
            ]
            if rows:
                todo.append((message, rows))
                done.update((r.deadline_id, r.refusal_id, r.kind, r.recipient) for r in rows)
        if not todo:
            return []
        Notification.objects.bulk_create([row for _message, rows in todo for row in rows])
        connection = get_connection(fail_silently=False)
        with connection:
            for index, (message, _rows) in enumerate(todo):
                try:
                    message.email(connection).send(fail_silently=False)
                except Exception as error:  # the mail server refused: keep what left
                    failure = error
                    unsent = [row.pk for _m, rows in todo[index:] for row in rows]
                    Notification.objects.filter(pk__in=unsent).delete()
                    break
                sent.append(message)
    if failure is not None:
        raise failure
    return sent
