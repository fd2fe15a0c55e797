"""The CER chain: renewing a CER, and the département's validation beyond the first
renewal or 12 months (P5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.rules.programmes import RuleError
from tremplin.web.dates import french_date
from tremplin.web.form_pages import form_error
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import RenewalForm
from ..models import can_validate, next_renewal
from .base import episodes
from .episodes import episode_url


def renewed_message(cer) -> str:
    text = f"{cer} enregistré (P5)."
    if cer.requires_validation:
        text += " Il doit être validé par le département (P5)."
    return text


@login_required
def renew(request, pk):
    episode = visible_object_or_404(episodes(), request, pk)
    cers = list(episode.cers.all())
    form = RenewalForm(request.POST or None)
    try:
        renewal, error = next_renewal(episode, cers), None
    except RuleError as rule_error:
        renewal, error = None, rule_error.message

    if request.method == "POST":
        if error:
            messages.error(request, f"{error} Ce que vous avez saisi est conservé ci-dessous.")
        elif form.is_valid():
            try:
                cer = services.renew_cer(episode, form.cleaned_data["objectives"], request.user)
            except RuleError as rule_error:
                messages.error(request, rule_error.message)
            else:
                messages.success(request, renewed_message(cer))
                return redirect(episode_url(episode))
        else:
            form_error(request)
    return render(
        request,
        "professional/renew_form.html",
        {"form": form, "episode": episode, "renewal": renewal, "error": error, "cers": cers},
    )


@login_required
@require_POST
def validate_cer(request, pk, number):
    episode = visible_object_or_404(episodes(), request, pk)
    cer = get_object_or_404(episode.cers, number=number)
    if not can_validate(request.user, episode):
        messages.error(
            request,
            "Seul un agent du département du territoire de la personne valide un CER au-delà "
            "du premier renouvellement ou de 12 mois (P5).",
        )
    elif cer.is_validated:
        messages.info(request, f"Le {cer} est déjà validé.")
    else:
        services.validate_cer(cer, user=request.user)
        messages.success(
            request,
            f"Le {cer} est validé par le département, le {french_date(timezone.localdate())}.",
        )
    return redirect(episode_url(episode))
