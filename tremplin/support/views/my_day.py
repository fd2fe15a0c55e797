"""The referent's day: deadlines overdue, this week and later, the week's meetings, and the
people without a meeting for too long (also on the home page, ``support.panels``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.shortcuts import render
from django.utils import timezone

from ..models import Deadline, Meeting, SupportEpisode


def meeting_gap_days() -> int:
    # How long without a meeting before a person shows on the home page: a product setting
    # (the seed gives no cadence for in-employment support; P4 gives 2 a month for the professional support).
    return getattr(settings, "TREMPLIN_MEETING_GAP_DAYS", 30)


# What « Ma journée » and the référent's home show (``deadline_table.html``,
# ``my_day_sections.html``, the work queue's items): a deadline's own columns, a meeting's,
# and of their support only its programme (its page's address) and its person's name, not
# every column of the support and its person.
_PERSON = ("beneficiary__last_name", "beneficiary__first_names")
DEADLINE_COLUMNS = (
    "episode_id", "code", "label", "rule", "due_on", "due_at", "recipient", "note", "state",
    "dropped_reason", "sent_to", "sent_at", "episode__programme",
    *(f"episode__{name}" for name in _PERSON),
)  # fmt: skip
MEETING_COLUMNS = (
    "starts_at", "duration_minutes", "place", "kind", "status", "episode__programme",
    *(f"episode__{name}" for name in _PERSON),
)  # fmt: skip
QUIET_COLUMNS = ("programme", *_PERSON)


def followed_episode_ids(user, programme: str | None = None) -> list[int]:
    return SupportEpisode.objects.followed_by(user, programme)


def open_deadlines(episode_ids, today: dt.date, *, columns: tuple[str, ...] = ()) -> list[Deadline]:
    """The open deadlines of the next 60 days (and the late ones), by due day and hour, with
    their support and person. ``columns``: only these are read (a page that shows less than
    the whole rows)."""
    deadlines = (
        Deadline.objects.filter(episode_id__in=episode_ids, state__in=Deadline.OPEN_STATES)
        .select_related("episode__beneficiary")
        .order_by("due_on", "due_at", "id")
        .filter(due_on__lte=today + dt.timedelta(days=60))
    )
    return list(deadlines.only(*columns) if columns else deadlines)


def by_urgency(deadlines: list[Deadline], today: dt.date, now: dt.datetime) -> dict:
    """``open_deadlines`` sorted out: overdue, this week, later."""
    week_end = today + dt.timedelta(days=7)
    return {
        "overdue": [d for d in deadlines if d.is_overdue(now)],
        "this_week": [d for d in deadlines if not d.is_overdue(now) and d.due_on <= week_end],
        "later": [d for d in deadlines if d.due_on > week_end],
    }


def deadlines_by_urgency(
    episode_ids, today: dt.date, now: dt.datetime, *, columns: tuple[str, ...] = ()
) -> dict:
    """The open deadlines of the next 60 days: overdue, this week, later."""
    return by_urgency(open_deadlines(episode_ids, today, columns=columns), today, now)


def week_meetings(episode_ids, today: dt.date) -> list[Meeting]:
    monday = today - dt.timedelta(days=today.weekday())
    week_start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    return list(
        Meeting.objects.filter(
            episode_id__in=episode_ids,
            starts_at__gte=week_start,
            starts_at__lt=week_start + dt.timedelta(days=7),
        )
        .select_related("episode__beneficiary")
        .only(*MEETING_COLUMNS)
        .order_by("starts_at")
    )


def quiet_episodes(
    episode_ids, since: dt.datetime, *, columns: tuple[str, ...] = ()
) -> list[SupportEpisode]:
    """The supports whose last meeting held is older than ``since``, or without one (a
    missed or cancelled meeting is no meeting, F8). ``columns``: only these are read."""
    episodes = (
        SupportEpisode.objects.filter(pk__in=episode_ids)
        .annotate(
            last_meeting=Max("meetings__starts_at", filter=Q(meetings__status=Meeting.Status.HELD))
        )
        .filter(Q(last_meeting__lt=since) | Q(last_meeting__isnull=True))
        .select_related("beneficiary")
        .order_by("last_meeting", "beneficiary__last_name")
    )
    return list(episodes.only(*columns) if columns else episodes)


def my_day_context(user, today: dt.date | None = None, programme: str | None = None) -> dict:
    """Overdue / this week / later deadlines, the week's meetings, the people without a
    meeting for too long: a fixed number of queries whatever the portfolio's size.
    ``programme`` narrows to one programme (None: both)."""
    today = today or timezone.localdate()
    now = timezone.now()
    episode_ids = followed_episode_ids(user, programme)
    gap = meeting_gap_days()
    return {
        **deadlines_by_urgency(episode_ids, today, now, columns=DEADLINE_COLUMNS),
        "week_meetings": week_meetings(episode_ids, today),
        "quiet_episodes": quiet_episodes(
            episode_ids, now - dt.timedelta(days=gap), columns=QUIET_COLUMNS
        ),
        "meeting_gap_days": gap,
        "today": today,
    }


@login_required
def my_day(request):
    return render(request, "support/my_day.html", my_day_context(request.user))
