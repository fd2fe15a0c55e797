"""The no-shows (F8) per referent and per operator, and what was done after each: a new
invitation, a letter, a referral to the équipe pluridisciplinaire — each a dated record."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tremplin.accounts.access import scope_of
from tremplin.support.models import Meeting
from tremplin.web.dates import french_date
from tremplin.web.exports import Column, export_response
from tremplin.web.form_pages import NOT_SAVED, form_error, save_in_savepoint

from .. import services
from ..forms import FollowUpForm
from ..models import NoShowFollowUp

DEFAULT_DAYS = 92


def no_shows_of(user):
    return (
        Meeting.objects.visible_to(user)
        .filter(status=Meeting.Status.NO_SHOW)
        .select_related("episode__beneficiary", "episode__referent", "episode__operator")
        .prefetch_related(
            Prefetch("no_show_follow_ups", queryset=NoShowFollowUp.objects.order_by("on", "pk"))
        )
    )


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        since = dt.date.fromisoformat(request.GET.get("du", ""))
    except ValueError:
        since = today - dt.timedelta(days=DEFAULT_DAYS)
    try:
        until = dt.date.fromisoformat(request.GET.get("au", ""))
    except ValueError:
        until = today
    return since, until


EXPORT_COLUMNS = [
    Column("Date", lambda m: french_date(m.starts_at)),
    Column("Personne", lambda m: str(m.episode.beneficiary)),
    Column(
        "Référent·e", lambda m: m.episode.referent.get_full_name() if m.episode.referent else ""
    ),
    Column("Structure", lambda m: str(m.episode.operator or "")),
    Column(
        "Suites données",
        lambda m: " ; ".join(
            f"{f.get_kind_display()} le {french_date(f.on)}" for f in m.no_show_follow_ups.all()
        ),
    ),
]


@login_required
def no_show_list(request):
    """Per referent (a referent sees their own), grouped by operator then referent for a
    coordinator or the département; ``?sans-suite=1`` keeps those without follow-up."""
    since, until = _period(request)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    queryset = no_shows_of(request.user).filter(starts_at__gte=start, starts_at__lt=end)
    without = request.GET.get("sans-suite") == "1"
    if without:
        queryset = queryset.annotate(follow_ups=Count("no_show_follow_ups")).filter(follow_ups=0)
    queryset = queryset.order_by(
        "episode__operator__name", "episode__referent__last_name", "-starts_at", "pk"
    )
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return export_response(export, "absences", EXPORT_COLUMNS, queryset, request=request)
    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    rows = list(queryset)
    for meeting in rows:
        operator = str(meeting.episode.operator or "Sans structure")
        referent = (
            meeting.episode.referent.get_full_name()
            if meeting.episode.referent
            else "Sans référent"
        )
        groups[operator][referent].append(meeting)
    scope = scope_of(request.user)
    return render(
        request,
        "invitations/no_shows.html",
        {
            "groups": {operator: dict(referents) for operator, referents in groups.items()},
            "count": len(rows),
            "since": since,
            "until": until,
            "without": without,
            "several": bool(
                scope.is_admin or scope.coordinated_operator_ids or scope.agent_territory_ids
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, meeting_pk):
    meeting = get_object_or_404(no_shows_of(request.user), pk=meeting_pk)
    form = FollowUpForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if data["kind"] == NoShowFollowUp.Kind.NEW_INVITATION:
                run = lambda: services.reinvite_after_no_show(  # noqa: E731
                    meeting,
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    place=data["place"],
                    channels=data["channels"],
                    note=data.get("note", ""),
                    user=request.user,
                )
            else:
                run = lambda: services.record_follow_up(  # noqa: E731
                    meeting, data["kind"], data["on"], data.get("note", ""), user=request.user
                )
            saved = save_in_savepoint(form, run)
            if saved is not NOT_SAVED:
                messages.success(
                    request, f"Suite enregistrée : {saved.get_kind_display().lower()}."
                )
                return redirect("invitations:no_shows")
        form_error(request)
    return render(request, "invitations/follow_up.html", {"form": form, "meeting": meeting})
