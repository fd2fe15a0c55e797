"""A referent's meetings and deadlines as iCalendar text (RFC 5545), written by hand.

Lines end with CRLF and are folded at 75 octets (3.1); TEXT values escape backslash,
semicolon, comma and newlines (3.3.11). Meetings carry their UTC start and end, their
status (a cancelled or rescheduled one is ``STATUS:CANCELLED``) and their ``SEQUENCE``,
raised at each change of time or status so that calendars take the change; a deadline
is an all-day event on its due day, or a 15-minute event at the due moment when it is counted
in hours (A14's 48 hours).

The feed goes to an outside calendar provider: an event says what it is (its kind, its
deadline's label, its state), when and where, and links to the page in Tremplin (behind the
login) for the rest. Nothing typed by an agent (participants, a status's reason, a
deadline's note) and no rule code goes out; the person is named by initials by default.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tremplin.web.dates import french_date, french_datetime

from .models import Deadline, Meeting

PRODID = "-//Tremplin//Accompagnements//FR"
# How far back the feed goes: calendars need the recent past, not every old meeting.
PAST_DAYS = 92


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = char
            limit = 74  # continuation lines start with one space
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(uid: str, stamp: str, fields: list[tuple[str, str]]) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}"]
    lines += [f"{name}:{value}" for name, value in fields]
    lines.append("END:VEVENT")
    return lines


# RFC 5545 3.8.1.11: a cancelled or rescheduled meeting stays in the feed, CANCELLED, so
# that subscribed calendars remove it (its replacement is a new event).
EVENT_STATUS = {
    Meeting.Status.CANCELLED: "CANCELLED",
    Meeting.Status.RESCHEDULED: "CANCELLED",
}


def person_in_feed(beneficiary) -> str:
    """The person as the outside calendar shows them: initials (« L. M. » for Léa MULLER),
    the full name only when the département sets ``TREMPLIN_ICAL_FULL_NAMES``."""
    if settings.TREMPLIN_ICAL_FULL_NAMES:
        return str(beneficiary)
    parts = [beneficiary.first_names.strip(), beneficiary.last_name.strip()]
    return " ".join(f"{part[0].upper()}." for part in parts if part) or "?"


def _link(site: str, path: str) -> str:
    """The page's absolute address in Tremplin (``site`` is the site's root)."""
    return f"{site.rstrip('/')}{path}"


def _description(*sentences: str, link: str) -> str:
    return "\n".join([*sentences, f"Détails dans Tremplin (connexion requise) : {link}"])


def meeting_event(meeting, stamp: str, host: str, site: str = "") -> list[str]:
    person = person_in_feed(meeting.episode.beneficiary)
    summary = f"{meeting.get_kind_display()} — {person}"
    if meeting.status != Meeting.Status.PLANNED and meeting.status != Meeting.Status.HELD:
        summary = f"[{meeting.get_status_display()}] {summary}"
    link = _link(site, meeting.episode.get_absolute_url())
    description = _description(
        f"{meeting.get_kind_display()} le {french_datetime(meeting.starts_at)} "
        f"({meeting.get_place_display().lower()}), {meeting.get_status_display().lower()}.",
        link=link,
    )
    return _event(
        f"meeting-{meeting.pk}@{host}",
        stamp,
        [
            ("DTSTART", _utc(meeting.starts_at)),
            ("DTEND", _utc(meeting.ends_at)),
            ("SUMMARY", escape_text(summary)),
            ("LOCATION", escape_text(meeting.get_place_display())),
            ("DESCRIPTION", escape_text(description)),
            ("URL", link),
            ("STATUS", EVENT_STATUS.get(meeting.status, "CONFIRMED")),
            # Raised at each change of time or status (tremplin.support.services).
            ("SEQUENCE", str(meeting.sequence)),
            ("LAST-MODIFIED", _utc(meeting.updated_at)),
        ],
    )


def deadline_event(deadline, stamp: str, host: str, site: str = "") -> list[str]:
    """An all-day event on the due day, or 15 minutes at the due moment (hours, A14)."""
    person = person_in_feed(deadline.episode.beneficiary)
    if deadline.due_at:
        when = [
            ("DTSTART", _utc(deadline.due_at)),
            ("DTEND", _utc(deadline.due_at + dt.timedelta(minutes=15))),
        ]
        due = french_datetime(deadline.due_at)
    else:
        when = [
            ("DTSTART;VALUE=DATE", deadline.due_on.strftime("%Y%m%d")),
            ("DTEND;VALUE=DATE", (deadline.due_on + dt.timedelta(days=1)).strftime("%Y%m%d")),
        ]
        due = french_date(deadline.due_on)
    link = _link(site, deadline.get_absolute_url())
    description = _description(
        f"Échéance : {deadline.label}, pour le {due} ({deadline.get_state_display().lower()}).",
        link=link,
    )
    return _event(
        f"deadline-{deadline.pk}@{host}",
        stamp,
        [
            *when,
            ("SUMMARY", escape_text(f"Échéance : {deadline.label} — {person}")),
            ("DESCRIPTION", escape_text(description)),
            ("URL", link),
            ("TRANSP", "TRANSPARENT"),
        ],
    )


def feed_for(user, now: dt.datetime | None = None, *, site: str = "") -> str:
    """The user's feed; ``site`` is the site's root for the links to Tremplin's pages
    (``TREMPLIN_SITE_URL``, or the address the feed was asked at)."""
    now = now or timezone.now()
    stamp = _utc(now)
    host = getattr(settings, "TREMPLIN_CALENDAR_UID_DOMAIN", "tremplin.local")
    since = now - dt.timedelta(days=PAST_DAYS)
    mine = Q(episode__referent=user) | Q(episode__beneficiary__referent=user)
    meetings = (
        Meeting.objects.filter(mine, starts_at__gte=since)
        .select_related("episode__beneficiary")
        .order_by("starts_at")
    )
    deadlines = (
        Deadline.objects.filter(
            mine,
            state__in=Deadline.OPEN_STATES,
            episode__ended_on__isnull=True,
            due_on__gte=since.date(),
        )
        .select_related("episode__beneficiary")
        .order_by("due_on")
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text('Tremplin — ' + user.get_full_name())}",
    ]
    for meeting in meetings:
        lines += meeting_event(meeting, stamp, host, site)
    for deadline in deadlines:
        lines += deadline_event(deadline, stamp, host, site)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
