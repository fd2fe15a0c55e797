"""The words of the invitations: e-mails, text messages and letters, in French.

Everything a person reads about an appointment is written here from the invitation (the
appointment as it stands, the operator, the referent) and the kind of message; the letter's
layout is a template (``invitations/pdf/letter.html``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import dateformat, translation
from django.utils.translation import ngettext

from tremplin.rules.calendar import to_paris
from tremplin.support.models import Meeting

from .models import Invitation, SentMessage

Kind = SentMessage.Kind


def plural(singular: str, several: str, count: int) -> str:
    """``ngettext`` with the French rule: 0 and 1 take the singular ("0 message envoyé";
    without a catalogue, gettext would apply the English rule to 0)."""
    return ngettext(singular, several, 1 if count <= 1 else count) % {"count": count}


def site_url(path: str) -> str:
    """An absolute address for a message (``TREMPLIN_SITE_URL``; relative without it)."""
    return f"{getattr(settings, 'TREMPLIN_SITE_URL', '').rstrip('/')}{path}"


def long_date(moment: dt.datetime | dt.date) -> str:
    """``mardi 17 mars 2026``."""
    day = to_paris(moment) if isinstance(moment, dt.datetime) else moment
    with translation.override("fr"):
        return dateformat.format(day, "l j F Y")


def hour(moment: dt.datetime) -> str:
    """``9 h 30``, ``14 h``."""
    local = to_paris(moment)
    return f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"


def when(invitation: Invitation) -> str:
    """``mardi 17 mars 2026 à 9 h 30`` (the day alone for an action without a time)."""
    moment = invitation.starts_at
    if not invitation.has_time:
        return long_date(moment)
    return f"{long_date(moment)} à {hour(moment)}"


def short_when(invitation: Invitation) -> str:
    """``17/03 à 9h30`` for a text message."""
    local = to_paris(invitation.starts_at)
    text = f"{local:%d/%m}"
    if invitation.has_time:
        text += f" à {local.hour}h{local.minute:02d}" if local.minute else f" à {local.hour}h"
    return text


def place(invitation: Invitation) -> str:
    """Where the person goes, as they read it."""
    if invitation.action_id:
        return invitation.action.place
    meeting = invitation.current_meeting
    operator = invitation.operator
    if meeting.place == Meeting.Place.OPERATOR and operator is not None:
        return ", ".join([operator.name, *operator.address_lines])
    if meeting.place == Meeting.Place.PHONE:
        return "par téléphone : nous vous appellerons"
    if meeting.place == Meeting.Place.VIDEO:
        return "en visioconférence : le lien vous sera envoyé"
    return meeting.get_place_display().lower()


def salutation(person) -> str:
    """``Madame`` or ``Monsieur``."""
    return "Madame" if person.civility == "MME" else "Monsieur"


def greeting(invitation: Invitation) -> str:
    person = invitation.beneficiary
    return f"Bonjour {salutation(person)} {person.last_name},"


def contact_line(invitation: Invitation) -> str:
    operator = invitation.operator
    if operator is None:
        return ""
    ways = [value for value in (operator.phone, operator.email) if value]
    return f"En cas d'empêchement, prévenez-nous : {' ou '.join(ways)}." if ways else ""


def signature(invitation: Invitation) -> str:
    referent = invitation.referent
    lines = [referent.get_full_name() if referent else "", str(invitation.operator or "")]
    return "\n".join(line for line in lines if line)


def days_phrase(days: int) -> str:
    if days == 1:
        return "demain"
    return f"dans {days} jours"


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def email_text(invitation: Invitation, kind: str, number: int, link: str) -> Text:
    what, moment, where = invitation.what, when(invitation), place(invitation)
    operator = invitation.operator or "Votre structure d'accompagnement"
    answer = (
        "Merci de confirmer votre présence, ou de demander un autre créneau, en suivant ce "
        f"lien personnel (il ne sert qu'une fois) :\n{link}\n"
    )
    if kind == Kind.INVITATION:
        subject = f"Invitation : {what} le {moment}"
        intro = f"{operator} vous invite à {invitation.a_what} le {moment}."
    elif kind == Kind.REMINDER:
        days = number % 100  # services.reminder_number: the meeting, then the days
        subject = f"Rappel : {what} {days_phrase(days)}, le {moment}"
        intro = f"Nous vous rappelons votre {what} {days_phrase(days)}, le {moment}."
    elif kind == Kind.CONVOCATION:
        subject = f"Convocation : {what} le {moment}"
        intro = (
            f"Nous n'avons pas reçu votre réponse à notre invitation du "
            f"{long_date(invitation.sent_at)}. Vous êtes convoqué·e à {invitation.a_what} le "
            f"{moment}. "
            "Votre présence est obligatoire : elle fait partie des engagements de votre "
            "accompagnement."
        )
    else:
        return update_text(invitation, link)
    body = "\n".join(
        part
        for part in (
            greeting(invitation),
            "",
            intro,
            f"Lieu : {where}.",
            "",
            "Votre présence est attendue : elle fait partie des engagements de votre "
            "accompagnement."
            if kind != Kind.CONVOCATION
            else "",
            "" if invitation.answer_stands else answer,
            contact_line(invitation),
            "",
            signature(invitation),
        )
        if part is not None
    )
    return Text(subject, _tidy(body))


def update_text(invitation: Invitation, link: str) -> Text:
    """The appointment changed: cancelled, or moved (a new date)."""
    meeting = invitation.meeting
    first = f"{long_date(meeting.starts_at)} à {hour(meeting.starts_at)}"
    current = invitation.current_meeting
    if current.status == Meeting.Status.CANCELLED:
        subject = f"Annulation de votre rendez-vous du {first}"
        intro = f"Votre {invitation.what} du {first} est annulé."
        reason = f"Motif : {current.status_reason}" if current.status_reason else ""
        body = "\n".join([greeting(invitation), "", intro, reason, "", signature(invitation)])
        return Text(subject, _tidy(body))
    moment = when(invitation)
    subject = f"Nouvelle date de votre rendez-vous : le {moment}"
    body = "\n".join(
        [
            greeting(invitation),
            "",
            f"Votre {invitation.what} du {first} est déplacé au {moment}.",
            f"Lieu : {place(invitation)}.",
            "",
            "Merci de confirmer votre présence, ou de demander un autre créneau, en suivant ce "
            f"lien personnel :\n{link}",
            contact_line(invitation),
            "",
            signature(invitation),
        ]
    )
    return Text(subject, _tidy(body))


def sms_text(invitation: Invitation, kind: str, number: int, link: str) -> str:
    """Short: the operator, the appointment, the link."""
    operator = str(invitation.operator or "Tremplin")
    moment, where = short_when(invitation), place(invitation)
    if kind == Kind.UPDATE:
        current = invitation.current_meeting
        if current.status == Meeting.Status.CANCELLED:
            first = invitation.meeting.starts_at
            return f"{operator} : votre RDV du {to_paris(first):%d/%m} est annulé."
        return f"{operator} : votre RDV est déplacé au {moment}, {where}. Répondez : {link}"
    if kind == Kind.REMINDER:
        return f"Rappel {operator} : RDV {days_phrase(number % 100)} ({moment}), {where}."
    if kind == Kind.CONVOCATION:
        return (
            f"{operator} : vous êtes convoqué·e le {moment}, {where}. Présence obligatoire. "
            f"Répondez : {link}"
        )
    return f"{operator} : RDV le {moment}, {where}. Confirmez ou changez : {link}"


def letter_text(invitation: Invitation, kind: str) -> str:
    """The letter's text, kept with the message (the PDF lays it out)."""
    if kind == Kind.CONVOCATION:
        return (
            f"Convocation à {invitation.a_what} le {when(invitation)}, lieu : {place(invitation)}."
        )
    return f"Invitation à {invitation.a_what} le {when(invitation)}, lieu : {place(invitation)}."


def _tidy(body: str) -> str:
    """No run of more than one empty line."""
    lines: list[str] = []
    for line in body.splitlines():
        if line == "" and lines and lines[-1] == "":
            continue
        lines.append(line)
    return "\n".join(lines).strip() + "\n"
