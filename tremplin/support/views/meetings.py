"""The meetings of a support, their reports, and the 12-hour budget (A5)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from tremplin.web.form_pages import form_page, validated_save
from tremplin.web.shortcuts import visible_object_or_404

from ..forms import MeetingForm, french_hours
from .base import episodes


@login_required
def meeting_edit(request, pk, meeting_pk=None):
    episode = visible_object_or_404(episodes(), request, pk)
    meeting = get_object_or_404(episode.meetings, pk=meeting_pk) if meeting_pk else None
    form = MeetingForm(request.POST or None, instance=meeting, episode=episode)
    if meeting is None:
        form.instance.created_by = request.user
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
        save=lambda: validated_save(form),
        success="La rencontre et son compte-rendu sont enregistrés.",
        next_url=episode.get_absolute_url() + "#rencontres",
    )
