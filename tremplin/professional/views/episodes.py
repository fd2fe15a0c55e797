"""Opening a professional support with its first CER (P3, P4), its page, and its end (P9)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.registry.models import Beneficiary
from tremplin.rules.programmes import RuleError, propose_cer_renewal
from tremplin.web.dates import french_date
from tremplin.web.form_pages import form_page
from tremplin.web.french import of
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..cadence import episode_cadence
from ..forms import CloseForm, OpenForm
from ..models import INTERVIEW_KIND, awaiting_validation, can_validate, cer_terms
from .base import episodes, intensive_period


def episode_url(episode) -> str:
    return reverse("professional:episode_detail", args=[episode.pk])


@login_required
def open_support(request, beneficiary_pk):
    beneficiary = visible_object_or_404(Beneficiary, request, beneficiary_pk)
    form = OpenForm(request.POST or None, user=request.user, beneficiary=beneficiary)
    return form_page(
        request,
        form,
        "professional/open_form.html",
        {"beneficiary": beneficiary, "cancel_url": beneficiary.get_absolute_url()},
        save=lambda: services.open_support(beneficiary, user=request.user, **form.cleaned_data),
        success=lambda cer: (
            f"L'accompagnement professionnel {of(beneficiary)} commence, avec un premier CER "
            f"du {french_date(cer.start)} au {french_date(cer.end)} (P4)."
        ),
        next_url=lambda cer: episode_url(cer.episode),
    )


def renewal_context(episode, cers) -> dict:
    """The CERs awaiting validation, or else the next renewal the rules allow (P5)."""
    pending = awaiting_validation(episode, cers)
    try:
        renewal = propose_cer_renewal(cer_terms(cers), support_start=episode.started_on)
        renewal_error = None
    except RuleError as error:
        renewal, renewal_error = None, error.message
    return {
        "pending": pending,
        "renewal": renewal if not pending else None,
        "renewal_error": renewal_error if not pending else None,
    }


@login_required
def episode_detail(request, pk):
    episode = visible_object_or_404(episodes(), request, pk)
    audit.record_view(episode)
    cers = list(episode.cers.select_related("validated_by"))
    support, lifting, intensive = intensive_period(episode)
    return render(
        request,
        "professional/episode_detail.html",
        {
            "episode": episode,
            "support": support,
            "intensive": intensive,
            "lifting": lifting,
            "cers": cers,
            **renewal_context(episode, cers),
            "can_validate": can_validate(request.user, episode),
            "interviews": list(
                episode.meetings.filter(kind=INTERVIEW_KIND).select_related("replaced_by")
            ),
            "contacts": list(episode.contacts.all()),
            "attendances": list(
                episode.beneficiary.collective_invitations.filter(present=True).select_related(
                    "action"
                )
            ),
            "cadence": episode_cadence(episode),
            # Its deadlines (the CERs' ends) and its documents, on its own page: never the
            # in-employment page (employer, 12 hours, rupture).
            "deadlines": list(episode.deadlines.select_related("episode")),
            "documents": list(episode.documents.all()),
        },
    )


@login_required
def close(request, pk):
    episode = visible_object_or_404(episodes(), request, pk)
    form = CloseForm(
        request.POST or None, episode=episode, initial={"ended_on": timezone.localdate()}
    )

    def save():
        return services.close_support(episode, form.cleaned_data["ended_on"])

    return form_page(
        request,
        form,
        "professional/simple_form.html",
        {
            "episode": episode,
            "title": "Clore l'accompagnement",
            "intro": "La personne sort de l'accompagnement professionnel : elle quitte la file "
            "active de son ou sa référent·e (P9) et la cadence n'est plus suivie. Vérifiez la "
            "date puis enregistrez pour confirmer.",
        },
        save=save,
        success=lambda episode: (
            f"L'accompagnement professionnel se termine le {french_date(episode.ended_on)}."
        ),
        next_url=episode_url,
    )
