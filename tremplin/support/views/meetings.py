"""The meetings of a support, their reports, their status, and the 12-hour budget (A5).

A meeting is recorded (planned or after the fact), then its status says what happened
(F8): held, excused, no-show; it can be cancelled with a reason, moved to another date
(a new meeting replaces it), or deleted when recorded by mistake (a confirmation page; the
audit log keeps it). Every change goes through ``tremplin.support.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from tremplin.web.dates import french_datetime
from tremplin.web.form_pages import NOT_SAVED, form_error, form_page, save_in_savepoint
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import (
    CancelMeetingForm,
    MeetingForm,
    MeetingStatusForm,
    RescheduleMeetingForm,
    french_hours,
)
from .base import episodes


def _next_url(request, episode) -> str:
    """Where to go back: the page that sent here (``next``, same site only), else the
    support's meetings."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return episode.get_absolute_url() + "#rencontres"


def _meeting(request, pk, meeting_pk):
    episode = visible_object_or_404(episodes(), request, pk)
    meeting = get_object_or_404(episode.meetings.select_related("replaced_by"), pk=meeting_pk)
    meeting.episode = episode
    return episode, meeting


@login_required
def meeting_edit(request, pk, meeting_pk=None):
    episode = visible_object_or_404(episodes(), request, pk)
    meeting = get_object_or_404(episode.meetings, pk=meeting_pk) if meeting_pk else None
    form = MeetingForm(request.POST or None, instance=meeting, episode=episode)
    budget = episode.hours()
    return form_page(
        request,
        form,
        "support/meeting_form.html",
        {
            "episode": episode,
            "meeting": meeting,
            "budget": budget,
            "budget_used": french_hours(budget.used),
            "budget_total": french_hours(budget.budget),
            "cancel_url": episode.get_absolute_url(),
        },
        save=lambda: services.save_meeting(form, user=request.user),
        success=lambda saved: (
            "La rencontre et son compte-rendu sont enregistrés "
            f"({saved.get_status_display().lower()})."
        ),
        next_url=episode.get_absolute_url() + "#rencontres",
    )


def _action_page(request, episode, meeting, form, template_context, run, success):
    """GET shows ``form``; a valid POST runs ``run`` in a savepoint (a French refusal lands
    on the form), says ``success`` and goes back."""
    if request.method == "POST":
        if form.is_valid():
            saved = save_in_savepoint(form, run)
            if saved is not NOT_SAVED:
                messages.success(request, success(saved) if callable(success) else success)
                return redirect(_next_url(request, episode))
        form_error(request)
    return render(
        request,
        "support/meeting_action.html",
        {
            "form": form,
            "episode": episode,
            "meeting": meeting,
            "next": _next_url(request, episode),
            **template_context,
        },
    )


@login_required
def meeting_status(request, pk, meeting_pk):
    """What happened at the meeting (F8): held, excused, no-show, or still planned."""
    episode, meeting = _meeting(request, pk, meeting_pk)
    form = MeetingStatusForm(request.POST or None, meeting=meeting)

    def run():
        data = form.cleaned_data
        return services.change_status(
            meeting,
            data["status"],
            reason=data.get("status_reason", ""),
            over_budget_reason=data.get("over_budget_reason"),
            user=request.user,
        )

    return _action_page(
        request,
        episode,
        meeting,
        form,
        {"title": "Présence à la rencontre", "submit": "Enregistrer"},
        run,
        lambda saved: f"Statut enregistré : {saved.get_status_display().lower()}.",
    )


@login_required
def meeting_cancel(request, pk, meeting_pk):
    episode, meeting = _meeting(request, pk, meeting_pk)
    form = CancelMeetingForm(request.POST or None)
    return _action_page(
        request,
        episode,
        meeting,
        form,
        {"title": "Annuler la rencontre", "submit": "Annuler la rencontre", "danger": True},
        lambda: services.cancel_meeting(meeting, form.cleaned_data["reason"], user=request.user),
        "La rencontre est annulée ; elle reste au dossier sans compter (F8).",
    )


@login_required
def meeting_reschedule(request, pk, meeting_pk):
    episode, meeting = _meeting(request, pk, meeting_pk)
    form = RescheduleMeetingForm(request.POST or None)
    return _action_page(
        request,
        episode,
        meeting,
        form,
        {"title": "Reporter la rencontre", "submit": "Reporter"},
        lambda: services.reschedule_meeting(
            meeting,
            form.cleaned_data["starts_at"],
            reason=form.cleaned_data.get("reason", ""),
            user=request.user,
        ),
        lambda replacement: (
            f"La rencontre est reportée au {french_datetime(replacement.starts_at)}."
        ),
    )


@login_required
def meeting_delete(request, pk, meeting_pk):
    """A meeting recorded by mistake: a confirmation page, then the deletion (audited)."""
    episode, meeting = _meeting(request, pk, meeting_pk)
    if request.method == "POST":
        try:
            services.delete_meeting(meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"La rencontre « {meeting} » est supprimée (inscrit au journal d'audit)."
            )
            return redirect(_next_url(request, episode))
    return render(
        request,
        "support/meeting_confirm_delete.html",
        {"episode": episode, "meeting": meeting, "next": _next_url(request, episode)},
    )
