"""The interviews and contacts of a professional support, and its interview cadence month
by month (P4: at least 2 interviews a full calendar month, 1 a partial one)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from tremplin.accounts import audit
from tremplin.rules.programmes import Programme, parameters_in_force
from tremplin.support import services
from tremplin.web.form_pages import form_page
from tremplin.web.shortcuts import visible_object_or_404

from ..cadence import episode_cadence
from ..forms import ContactForm, InterviewForm
from ..models import INTERVIEW_KIND
from .base import episodes, intensive_period
from .episodes import episode_url

SIMPLE_FORM = "professional/simple_form.html"


@login_required
def interview_edit(request, pk, meeting_pk=None):
    episode = visible_object_or_404(episodes(), request, pk)
    meeting = (
        get_object_or_404(episode.meetings, pk=meeting_pk, kind=INTERVIEW_KIND)
        if meeting_pk
        else None
    )
    form = InterviewForm(request.POST or None, instance=meeting, episode=episode)
    return form_page(
        request,
        form,
        SIMPLE_FORM,
        {
            "episode": episode,
            "title": "Modifier l'entretien" if meeting else "Enregistrer un entretien individuel",
            "intro": "Au moins 2 entretiens par mois civil complet, 1 pour un mois partiel (P4).",
        },
        save=lambda: services.save_meeting(form, user=request.user),
        success=lambda saved: f"L'entretien est enregistré ({saved.get_status_display().lower()}).",
        next_url=episode_url(episode),
    )


@login_required
def contact_create(request, pk):
    episode = visible_object_or_404(episodes(), request, pk)
    form = ContactForm(request.POST or None, episode=episode)
    form.instance.created_by = request.user
    return form_page(
        request,
        form,
        SIMPLE_FORM,
        {
            "episode": episode,
            "title": "Enregistrer un contact",
            "intro": "Téléphone, courriel, SMS ou visite : en période intensive, les contacts "
            "s'ajoutent aux entretiens (P4).",
        },
        success="Le contact est enregistré.",
        next_url=episode_url(episode),
    )


def contacts_per_month(episode) -> dict[tuple[int, int], int]:
    """Contacts besides interviews, and attendance at collective actions (P2, P4), per
    (year, month)."""
    days = list(episode.contacts.values_list("on", flat=True))
    days += list(
        episode.beneficiary.collective_invitations.filter(present=True).values_list(
            "action__on", flat=True
        )
    )
    counts: dict[tuple[int, int], int] = {}
    for day in days:
        counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + 1
    return counts


def cadence_months(row, intensive, contacts) -> list[dict]:
    """Each month of the cadence report, its contacts, and whether it is intensive."""
    if row is None:
        return []
    return [
        {
            "month": month,
            "contacts": contacts.get((month.year, month.month), 0),
            "intensive": bool(
                intensive
                and month.first <= intensive.period.last
                and month.last >= intensive.period.first
            ),
        }
        for month in row.report.months
    ]


def parameters_in_force_for(episode) -> dict:
    values = parameters_in_force(Programme.PROFESSIONAL, episode.started_on)
    return {
        "full": values["interviews_per_full_month"],
        "partial": values["interviews_per_partial_month"],
    }


@login_required
def cadence(request, pk):
    episode = visible_object_or_404(episodes(), request, pk)
    audit.record_view(episode)
    row = episode_cadence(episode)
    support, lifting, intensive = intensive_period(episode)
    return render(
        request,
        "professional/cadence.html",
        {
            "episode": episode,
            "row": row,
            "months": cadence_months(row, intensive, contacts_per_month(episode)),
            "intensive": intensive,
            "support": support,
            "lifting": lifting,
            "parameters": parameters_in_force_for(episode),
        },
    )
