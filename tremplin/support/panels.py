"""The in-employment support's sections on pages of other apps (see ``web.panels``)."""

from django.db.models import Q, Subquery
from django.utils import timezone

from tremplin.rules.programmes import Programme
from tremplin.web import panels, queues

from .models import Deadline, Meeting, french_hours, supports_on_file
from .queue import referent_count, referent_queue


def home(request, _obj):
    """The referent's queue: today, late, the next 7 days — both programmes, from the same
    supports and deadlines as « Ma journée » (``queue.referent_queue``)."""
    queue = referent_queue(request.user)
    if queue is None:
        return None
    return {"queue": queue}


def on_file(request, beneficiary):
    """The person's in-employment supports, and how to start one (from a signed CIE
    convention, or by hand for a person hired outside the product)."""
    episodes = [
        episode
        for episode in supports_on_file(request, beneficiary)
        if episode.programme == Programme.IN_EMPLOYMENT.value
    ]
    running = any(episode.ended_on is None for episode in episodes)
    return {"beneficiary": beneficiary, "episodes": episodes, "running": running}


def summary(request, beneficiary):
    """The person at a glance (every tab of the file): the supports running, the last meeting
    held and the next one planned, the deliverables late (« en retard », A11–A14, P4), the
    hour gauge of a running in-employment support (A5). The two meetings in one query, the late
    deliverables in another, whatever the file (the supports are the file's,
    ``supports_on_file``)."""
    now = timezone.now()
    episodes = supports_on_file(request, beneficiary)
    ids = [episode.pk for episode in episodes]
    running = [episode for episode in episodes if episode.ended_on is None]
    # Only what the summary shows: a meeting's day and kind, a deadline's label and due day.
    meetings = Meeting.objects.filter(episode_id__in=ids)
    last_held = meetings.filter(status=Meeting.Status.HELD).order_by("-starts_at", "-id")
    next_planned = meetings.filter(status=Meeting.Status.PLANNED, starts_at__gte=now).order_by(
        "starts_at", "id"
    )
    # Both in one query (a meeting is either held or planned, never both): each key chosen
    # by its own ordered subquery, a scalar one (``pk = (…)``: both databases then read the
    # two rows by their key; ``pk IN (…) OR pk IN (…)`` made PostgreSQL scan every meeting).
    last = upcoming = None
    for meeting in Meeting.objects.filter(
        Q(pk=Subquery(last_held.values("pk")[:1])) | Q(pk=Subquery(next_planned.values("pk")[:1]))
    ).only("starts_at", "kind", "status"):
        if meeting.status == Meeting.Status.HELD:
            last = meeting
        else:
            upcoming = meeting
    late = [
        deadline
        for deadline in Deadline.objects.filter(
            episode_id__in=[episode.pk for episode in running],
            state__in=Deadline.OPEN_STATES,
            due_on__lte=timezone.localdate(now),
        ).only("episode_id", "code", "label", "due_on", "due_at", "state")
        if deadline.is_overdue(now)
    ]
    in_employment = next((episode for episode in running if episode.is_in_employment), None)
    budget = (
        in_employment.hours()
        if in_employment and (in_employment.contract_start or in_employment.started_on)
        else None
    )
    return {
        "running": running,
        "last_meeting": last,
        "next_meeting": upcoming,
        "late": late,
        "late_shown": late[:3],
        "budget_episode": in_employment,
        "budget": budget,
        "budget_used": french_hours(budget.used) if budget else "",
        "budget_total": french_hours(budget.budget) if budget else "",
        "gauge_suffix": "-en-bref",
    }


def register():
    panels.register(panels.HOME, "support/_home.html", home, order=20)
    panels.register(panels.BENEFICIARY_FILE, "support/_on_file.html", on_file, order=10)
    panels.register(panels.PERSON_SUMMARY, "support/_person_summary.html", summary, order=10)
    queues.register_counter("support", referent_count)
