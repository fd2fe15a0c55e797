"""The invitations a user may see, their messages (channel, time, status, the provider's
identifier and delivery report), the letters to print, and the convocation letter (PDF)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import audit
from tremplin.rules.calendar import PARIS
from tremplin.web.pdf import pdf_response, render_pdf
from tremplin.web.shortcuts import visible_object_or_404

from .. import services, texts
from ..models import Invitation, SentMessage

FILTERS = {
    "a-venir": "À venir",
    "sans-reponse": "Sans réponse",
    "autre-creneau": "Autre créneau demandé",
    "toutes": "Toutes",
}


def invitations_of(user):
    return Invitation.objects.visible_to(user).select_related(
        "beneficiary",
        "meeting__replaced_by__replaced_by",
        "meeting__episode__operator",
        "action__operator",
    )


@login_required
def invitation_list(request):
    chosen = request.GET.get("etat", "a-venir")
    if chosen not in FILTERS:
        chosen = "a-venir"
    today_start = timezone.now().astimezone(PARIS).replace(hour=0, minute=0, second=0)
    queryset = invitations_of(request.user)
    upcoming = (
        Q(action__on__gte=today_start.date())
        | Q(meeting__starts_at__gte=today_start)
        | Q(meeting__replaced_by__starts_at__gte=today_start)
    )
    if chosen == "a-venir":
        queryset = queryset.filter(upcoming)
    elif chosen == "sans-reponse":
        queryset = queryset.filter(upcoming).awaiting_answer()
    elif chosen == "autre-creneau":
        queryset = queryset.filter(answer=Invitation.Answer.OTHER_SLOT)
    page = Paginator(queryset.order_by("-sent_at", "-id"), 25).get_page(request.GET.get("page"))
    letters = (
        SentMessage.objects.visible_to(request.user)
        .filter(channel=SentMessage.Channel.LETTER, status=SentMessage.Status.TO_PRINT)
        .select_related("invitation__beneficiary")
        .order_by("created_at")
    )
    return render(
        request,
        "invitations/list.html",
        {"page": page, "filters": FILTERS, "chosen": chosen, "letters": list(letters[:50])},
    )


@login_required
def invitation_detail(request, pk):
    invitation = visible_object_or_404(invitations_of(request.user), request, pk)
    audit.record_view(invitation)
    return render(
        request,
        "invitations/detail.html",
        {
            "invitation": invitation,
            "sent": list(invitation.messages.order_by("created_at", "pk")),
            "when": texts.when(invitation),
            "place": texts.place(invitation),
        },
    )


LETTER_KINDS = {
    "invitation": SentMessage.Kind.INVITATION,
    "convocation": SentMessage.Kind.CONVOCATION,
}


@login_required
def letter_pdf(request, pk, kind):
    """The letter of an invitation or of a convocation, with the operator's address and the
    person's, and the personal link as a QR code."""
    if kind not in LETTER_KINDS:
        raise Http404
    invitation = visible_object_or_404(invitations_of(request.user), request, pk)
    link = texts.site_url(invitation.link_path())
    qr = segno.make(link, error="m").svg_data_uri(scale=3)
    content = render_pdf(
        "invitations/pdf/letter.html",
        {
            "invitation": invitation,
            "convocation": LETTER_KINDS[kind] == SentMessage.Kind.CONVOCATION,
            "operator": invitation.operator,
            "person": invitation.beneficiary,
            "when": texts.when(invitation),
            "place": texts.place(invitation),
            "link": link,
            "qr": qr,
            "today": texts.long_date(timezone.localdate()),
            "referent": invitation.referent,
            "salutation": texts.salutation(invitation.beneficiary),
        },
    )
    audit.record_view(invitation)
    return pdf_response(content, f"{kind}-{invitation.pk}.pdf", attachment=False)


@login_required
@require_POST
def mark_printed(request, pk, message_pk):
    invitation = visible_object_or_404(invitations_of(request.user), request, pk)
    message = get_object_or_404(invitation.messages, pk=message_pk)
    services.mark_printed(message)
    messages.success(request, "Le courrier est noté comme imprimé et posté.")
    return redirect(invitation)
