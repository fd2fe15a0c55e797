"""The referent's work queue, on the home page (``panels``): what is due today, what is late,
what comes this week — each item one click from its action.

- today: the meetings of the day (their status to give once begun, F8) and the deliverables
  due today (A11–A14, P4);
- late: the deliverables past due (« en retard », not « à faire ») and the meetings begun on
  an earlier day whose status is still to give (F8: only a held meeting counts, P4 and A5);
- this week: the deliverables and the meetings of the next 7 days.

Both programmes (in-employment and professional support): the same supports as « Ma journée »
(``my_day.followed_episode_ids``) and the same deadlines (``my_day.deadlines_by_urgency``),
so that the home and « Ma journée » never disagree; read once (``portfolio``) for the queue
and the professional section of the home. Four queries whatever the portfolio's
size (the supports, their deadlines, their meetings, the people without a recent meeting).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db.models import Q
from django.utils import timezone

from tremplin.accounts.access import scope_of
from tremplin.rules.attendance import CLOSED
from tremplin.rules.programmes import Programme
from tremplin.web.dates import french_date
from tremplin.web.links import reverse
from tremplin.web.queues import SHOWN, QueueItem, QueueSection, WorkQueue, counted

from .models import Deadline, Meeting, SupportEpisode
from .views.my_day import (
    DEADLINE_COLUMNS,
    MEETING_COLUMNS,
    QUIET_COLUMNS,
    by_urgency,
    followed_episode_ids,
    meeting_gap_days,
    open_deadlines,
    quiet_episodes,
)

LOOK_BACK_DAYS = 60  # meetings whose status is still to give, at most this old
WEEK_DAYS = 7


def _meeting_url(meeting: Meeting) -> str:
    episode = meeting.episode
    if episode.programme == Programme.PROFESSIONAL.value and meeting.kind == "individual":
        return reverse("professional:interview_update", args=[episode.pk, meeting.pk])
    return reverse("support:meeting_update", args=[episode.pk, meeting.pk])


def _new_meeting_url(episode) -> str:
    if episode.programme == Programme.PROFESSIONAL.value:
        return reverse("professional:interview_create", args=[episode.pk])
    return reverse("support:meeting_create", args=[episode.pk])


def _meeting_item(meeting: Meeting, day_shown: bool) -> QueueItem:
    moment = timezone.localtime(meeting.starts_at)
    when = f"{french_date(moment.date())} à {moment:%H:%M}" if day_shown else f"{moment:%H:%M}"
    detail = (
        f"{meeting.get_kind_display()}, {meeting.get_place_display().lower()}, "
        f"{meeting.duration_minutes} min"
    )
    if meeting.awaits_status:
        status_url = reverse("support:meeting_status", args=[meeting.episode_id, meeting.pk])
        return QueueItem(
            label=f"{when} — {meeting.episode.beneficiary}",
            url=f"{status_url}?next={reverse('home')}",
            action="Dire si elle a eu lieu",
            detail=detail + " — présence à renseigner (seule une rencontre tenue compte)",
        )
    return QueueItem(
        label=f"{when} — {meeting.episode.beneficiary}",
        url=_meeting_url(meeting),
        action="Ouvrir la rencontre",
        detail=detail,
    )


def _deadline_item(deadline: Deadline, late: bool) -> QueueItem:
    return QueueItem(
        label=f"{deadline.label} — {deadline.episode.beneficiary}",
        url=deadline.get_absolute_url(),
        action="Rédiger le livrable" if deadline.has_items else "Enregistrer l'envoi",
        detail=("en retard, échéance " if late else "échéance ") + deadline.due_display,
    )


@dataclass(frozen=True)
class Portfolio:
    """What a référent follows, as their home reads it: the open supports they run or whose
    person they follow ({key: programme}, ``followed_programmes``) and the open deadlines of
    those supports in the next 60 days, late ones included (``my_day.open_deadlines``, the
    ``DEADLINE_COLUMNS``). The work queue and the professional section of the home read the
    same one (the CERs ending are among these deadlines), instead of two queries each."""

    programmes: dict[int, str]
    deadlines: list[Deadline]

    def of(self, programme: str) -> list[int]:
        return [pk for pk, its in self.programmes.items() if its == programme]


def portfolio(user, today: dt.date | None = None) -> Portfolio:
    """``user``'s ``Portfolio`` on ``today``: read once per user object (a request's) for
    today, read again when another day is asked."""
    if today is None:
        kept = getattr(user, "_tremplin_portfolio", None)
        if kept is not None:
            return kept
    day = today or timezone.localdate()
    programmes = SupportEpisode.objects.followed_programmes(user)
    reading = Portfolio(programmes, open_deadlines(list(programmes), day, columns=DEADLINE_COLUMNS))
    if today is None:
        user._tremplin_portfolio = reading
    return reading


def _meetings(episode_ids, today: dt.date) -> list[Meeting]:
    """The meetings of today and of the week to come, not cancelled nor rescheduled, and
    those of the ``LOOK_BACK_DAYS`` before still planned (their status to give): what the
    queue shows, only the columns it shows. The past meetings whose status is given are
    not read (most of two months of a portfolio's meetings)."""
    start = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=LOOK_BACK_DAYS), dt.time.min)
    )
    today_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=WEEK_DAYS + 1), dt.time.min)
    )
    return list(
        Meeting.objects.filter(episode_id__in=episode_ids, starts_at__gte=start, starts_at__lt=end)
        .filter(Q(starts_at__gte=today_start) | Q(status=Meeting.Status.PLANNED))
        .exclude(status__in=[status.value for status in CLOSED])
        .select_related("episode__beneficiary")
        .only(*MEETING_COLUMNS)
        .order_by("starts_at", "id")
    )


def _quiet_item(episode) -> QueueItem:
    return QueueItem(
        label=str(episode.beneficiary),
        url=_new_meeting_url(episode),
        action="Planifier une rencontre",
        detail=(
            f"dernière rencontre tenue le {french_date(timezone.localtime(episode.last_meeting))}"
            if episode.last_meeting
            else "aucune rencontre tenue"
        ),
    )


def _section(key, title, entries, more_url="", more_label="", empty="Rien à traiter."):
    """``entries``: how to build each item (``functools.partial``); only the ``SHOWN`` first
    are built, the others are counted."""
    return QueueSection(
        key,
        title,
        len(entries),
        [build() for build in entries[:SHOWN]],
        more_url=more_url if len(entries) > SHOWN or more_url else "",
        more_label=more_label,
        empty=empty,
    )


def referent_queue(user, today: dt.date | None = None) -> WorkQueue | None:
    """The queue of a referent (None for the other roles); computed once per user object
    (the home page and the navigation's badge read the same)."""
    if not scope_of(user).is_referent:
        return None
    cached = getattr(user, "_tremplin_referent_queue", None)
    if cached is not None and today is None:
        return cached
    reading = portfolio(user, today)
    today = today or timezone.localdate()
    now = timezone.now()
    episode_ids = list(reading.programmes)
    deadlines = by_urgency(reading.deadlines, today, now)
    meetings = _meetings(episode_ids, today)
    day = [m for m in meetings if timezone.localtime(m.starts_at).date() == today]
    late_meetings = [
        m for m in meetings if timezone.localtime(m.starts_at).date() < today and m.awaits_status
    ]
    week_meetings = [m for m in meetings if timezone.localtime(m.starts_at).date() > today]
    due_today = [d for d in deadlines["this_week"] if d.due_on == today]
    due_week = [d for d in deadlines["this_week"] if d.due_on > today]
    my_day = reverse("support:my_day")
    today_items = [partial(_meeting_item, m, False) for m in day] + [
        partial(_deadline_item, d, False) for d in due_today
    ]
    late_items = [partial(_deadline_item, d, True) for d in deadlines["overdue"]] + [
        partial(_meeting_item, m, True) for m in late_meetings
    ]
    week_items = [partial(_meeting_item, m, True) for m in week_meetings] + [
        partial(_deadline_item, d, False) for d in due_week
    ]
    quiet = quiet_episodes(
        episode_ids, now - dt.timedelta(days=meeting_gap_days()), columns=QUIET_COLUMNS
    )
    quiet_items = [partial(_quiet_item, episode) for episode in quiet]
    queue = WorkQueue(
        sections=[
            _section(
                "today",
                "Aujourd'hui : "
                + counted(len(today_items), "%(count)d élément", "%(count)d éléments"),
                today_items,
                empty="Rien de prévu aujourd'hui.",
            ),
            _section(
                "late",
                counted(
                    len(late_items), "%(count)d élément en retard", "%(count)d éléments en retard"
                ),
                late_items,
                more_url=my_day + "#en-retard",
                more_label="Toutes les échéances dépassées",
            ),
            _section(
                "week",
                "Les 7 prochains jours : "
                + counted(len(week_items), "%(count)d élément", "%(count)d éléments"),
                week_items,
                more_url=my_day + "#cette-semaine",
                more_label="Toute ma journée",
                empty="Rien de prévu ces 7 prochains jours.",
            ),
            _section(
                "quiet",
                counted(
                    len(quiet_items),
                    f"%(count)d personne sans rencontre depuis plus de {meeting_gap_days()} jours",
                    f"%(count)d personnes sans rencontre depuis plus de {meeting_gap_days()} jours",
                ),
                quiet_items,
                more_url=my_day + "#sans-rencontre",
                more_label="Toutes les personnes sans rencontre récente",
                empty="Tout le monde a été rencontré récemment.",
            ),
        ],
        key="file-referent",
        section_prefix="file-referent",
        title="Ma file de travail — mes accompagnements",
        links=[
            ("Toute ma journée", my_day),
            ("Mon agenda dans mon calendrier", reverse("support:calendar_link")),
        ],
    )
    queue.waiting_now = len(today_items) + len(late_items)
    user._tremplin_referent_queue = queue
    return queue


def waiting_now_count(user, today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """``referent_queue(user).waiting_now`` — what is due today and what is late — counted by
    the database (3 queries: the supports followed, then a COUNT of their deadlines and one of
    their meetings), without loading a row: the navigation's badge on every page but the home.

    The same definitions as the queue: the open deadlines due within 60 days (« Ma journée »)
    that are overdue (``Deadline.is_overdue``: past their hour when they have one, else their
    day before today) or due today; the meetings neither cancelled nor rescheduled (F8) of
    today, or of the ``LOOK_BACK_DAYS`` before whose status is still to give (planned and
    begun, ``Meeting.awaits_status``)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    episode_ids = followed_episode_ids(user)
    if not episode_ids:
        return 0
    overdue = Q(due_at__isnull=False, due_at__lt=now) | Q(
        due_at__isnull=True, due_on__lt=timezone.localdate(now)
    )
    deadlines = Deadline.objects.filter(
        episode_id__in=episode_ids,
        state__in=Deadline.OPEN_STATES,
        due_on__lte=today + dt.timedelta(days=60),
    ).filter(overdue | Q(due_on=today))

    def midnight(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    day_start = midnight(today)
    meetings = (
        Meeting.objects.filter(
            episode_id__in=episode_ids,
            starts_at__gte=midnight(today - dt.timedelta(days=LOOK_BACK_DAYS)),
            starts_at__lt=midnight(today + dt.timedelta(days=1)),
        )
        .exclude(status__in=[status.value for status in CLOSED])
        .filter(
            Q(starts_at__gte=day_start)
            | Q(starts_at__lt=day_start, status=Meeting.Status.PLANNED, starts_at__lte=now)
        )
    )
    return deadlines.order_by().count() + meetings.order_by().count()


def referent_count(user) -> int:
    """The navigation's badge for a referent: what is due today and what is late. On the
    home page the queue is already built (its panels come before the page): its count is
    read; on every other page the database counts (``waiting_now_count``)."""
    if not scope_of(user).is_referent:
        return 0
    queue = getattr(user, "_tremplin_referent_queue", None)
    if queue is not None:
        return queue.waiting_now
    return waiting_now_count(user)
