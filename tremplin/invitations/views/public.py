"""The only public pages of the invitations (``login_not_required``, in the public list of
``tests/test_public_urls.py``):

- the person's personal link: the appointment, and two answers — confirm, or ask for
  another slot. The link is signed (Django's signing: this invitation, this person, a nonce,
  the time it was issued), expires (``link_valid_days``, and at the appointment's start) and
  serves once for each date of the appointment (a meeting moved since the answer, F8, is
  answered again through the same link); an expired, used or another invitation's link gets a French page and changes
  nothing;
- the SMS provider's delivery reports, authenticated by the shared secret
  ``TREMPLIN_SMS_WEBHOOK_SECRET`` (a bearer token, or the password of basic authentication).
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.web import sms

from .. import services, texts
from ..forms import AnswerForm
from ..models import Invitation

REFUSED = {
    "unknown": (
        404,
        "Ce lien n'est pas valable",
        "Ce lien ne correspond à aucune invitation : il est incomplet, ou ce n'est pas le "
        "vôtre. Utilisez le lien exact reçu par courriel, SMS ou courrier, ou contactez la "
        "structure qui vous accompagne.",
    ),
    "expired": (
        410,
        "Ce lien a expiré",
        "Ce lien n'est plus valable : le rendez-vous a commencé, ou le lien date de trop "
        "longtemps. Contactez la structure qui vous accompagne pour convenir d'un rendez-vous.",
    ),
    "used": (
        410,
        "Vous avez déjà répondu",
        "Votre réponse est enregistrée : ce lien ne sert qu'une fois. Pour la changer, "
        "contactez la structure qui vous accompagne.",
    ),
}


def _refuse(request, reason: str, invitation=None):
    status, title, text = REFUSED[reason]
    context = {"title": title, "text": text, "invitation": invitation}
    return render(request, "invitations/public_refused.html", context, status=status)


def _check_link(pk: int, token: str):
    """The invitation the link opens, or the reason it refuses: unknown (forged, another
    invitation's or another person's), expired, used."""
    try:
        payload = Invitation.read_link_token(token)
    except (signing.BadSignature, ValueError):
        return None, "unknown"
    invitation = (
        Invitation.objects.select_related(
            "beneficiary",
            "meeting__replaced_by__replaced_by",
            "meeting__episode__operator",
            "meeting__episode__referent",
            "action__operator",
        )
        .filter(pk=pk)
        .first()
    )
    if (
        invitation is None
        or payload.get("i") != invitation.pk
        or payload.get("p") != invitation.beneficiary_id
        or payload.get("n") != invitation.link_nonce
    ):
        return None, "unknown"
    if invitation.answer_stands:  # answered about this date; a moved meeting asks again
        return invitation, "used"
    issued = dt.datetime.fromtimestamp(int(payload.get("t", 0)), tz=dt.UTC)
    if timezone.now() >= invitation.link_expiry(issued) or not invitation.is_upcoming:
        return invitation, "expired"
    return invitation, ""


@login_not_required
@never_cache  # the page names the person and the appointment: no cache keeps it (no-store)
@require_http_methods(["GET", "POST"])
def answer(request, pk, token):
    invitation, refusal = _check_link(pk, token)
    if refusal:
        return _refuse(request, refusal, invitation)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respond(invitation, form.cleaned_data["answer"], form.cleaned_data["note"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                return _refuse(request, "used", invitation)
        else:
            invitation.refresh_from_db()
            messages.success(request, "Merci : votre réponse est enregistrée.")
            return render(request, "invitations/public_thanks.html", {"invitation": invitation})
    return render(
        request,
        "invitations/public_answer.html",
        {
            "invitation": invitation,
            "form": form,
            "when": texts.when(invitation),
            "place": texts.place(invitation),
            "salutation": texts.salutation(invitation.beneficiary),
        },
    )


def _authorised(request) -> bool:
    secret = getattr(settings, "TREMPLIN_SMS_WEBHOOK_SECRET", "")
    if not secret:
        return False  # no secret configured: no report accepted
    header = request.headers.get("Authorization", "")
    given = ""
    if header.startswith("Bearer "):
        given = header.removeprefix("Bearer ").strip()
    elif header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header.removeprefix("Basic ").strip()).decode()
        except (ValueError, UnicodeDecodeError):
            return False
        given = decoded.partition(":")[2]
    return bool(given) and hmac.compare_digest(given.encode(), secret.encode())


@login_not_required
@csrf_exempt  # a provider's server, authenticated by the shared secret, not a browser
@require_POST
def sms_report(request):
    if not _authorised(request):
        return JsonResponse(
            {"detail": "Secret partagé manquant ou invalide (TREMPLIN_SMS_WEBHOOK_SECRET)."},
            status=401,
        )
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse(
            {"detail": "Le corps de la requête n'est pas un JSON valide."}, status=400
        )
    report = sms.get_backend().parse_report(payload) if isinstance(payload, dict) else None
    if report is None:
        return JsonResponse(
            {"detail": "Rapport de remise illisible : messageId et statut attendus."}, status=400
        )
    updated = services.apply_delivery_report(report, payload)
    if not updated:
        return JsonResponse({"detail": "Aucun SMS connu sous cet identifiant."}, status=404)
    return JsonResponse({"statut": report.status, "messages": updated})
