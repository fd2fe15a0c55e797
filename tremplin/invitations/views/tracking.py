"""The invitations a user may see, their messages (channel, time, status, the provider's
identifier and delivery report), the letters to print, and the convocation letter (PDF)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry
from tremplin.rules.calendar import PARIS
from tremplin.rules.identifiers import ascii_digits
from tremplin.web import jobs
from tremplin.web.models import Job
from tremplin.web.pdf import pdf_response, render_pdf
from tremplin.web.shortcuts import visible_object_or_404

from .. import services, texts
from ..models import Invitation, SentMessage
from ..texts import plural

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
        queryset = queryset.asking_another_slot()
    paginator = Paginator(queryset.order_by("-sent_at", "-id"), settings.TREMPLIN_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "invitations/list.html",
        {
            "page": page,
            "paginator": paginator,
            "filters": FILTERS,
            "chosen": chosen,
            "letters_waiting": services.letters_to_print(request.user).count(),
        },
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


def letter_context(invitation, kind: str, today: str) -> dict:
    """One letter of ``letter.html``: the invitation or the convocation, the operator's
    address and the person's, the personal link as a QR code."""
    link = texts.site_url(invitation.link_path())
    return {
        "invitation": invitation,
        "convocation": kind == SentMessage.Kind.CONVOCATION,
        "operator": invitation.operator,
        "person": invitation.beneficiary,
        "when": texts.when(invitation),
        "place": texts.place(invitation),
        "link": link,
        "qr": segno.make(link, error="m").svg_data_uri(scale=3),
        "today": today,
        "referent": invitation.referent,
        "salutation": texts.salutation(invitation.beneficiary),
    }


@login_required
def letter_pdf(request, pk, kind):
    """The letter of an invitation or of a convocation, with the operator's address and the
    person's, and the personal link as a QR code."""
    if kind not in LETTER_KINDS:
        raise Http404
    invitation = visible_object_or_404(invitations_of(request.user), request, pk)
    letter = letter_context(invitation, LETTER_KINDS[kind], texts.long_date(timezone.localdate()))
    title = f"{'Convocation' if letter['convocation'] else 'Invitation'} — {invitation.beneficiary}"
    content = render_pdf("invitations/pdf/letter.html", {"letters": [letter], "title": title})
    audit.record_view(invitation)
    return pdf_response(content, f"{kind}-{invitation.pk}.pdf", attachment=False)


# --- the letters waiting to be printed, all at once ----------------------------------------


def _up_to(request) -> int | None:
    value = request.GET.get("jusqu", "") or request.POST.get("jusqu", "")
    return int(value) if ascii_digits(value) else None


@login_required
def letters(request):
    """The letters waiting to be printed and posted in the user's scope, page by page, with
    one PDF of them all and the way to note them printed once posted."""
    waiting = services.letters_to_print(request.user).select_related("invitation__beneficiary")
    paginator = Paginator(waiting, settings.TREMPLIN_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    last = waiting.order_by("-pk").values_list("pk", flat=True).first()
    return render(
        request,
        "invitations/letters.html",
        {"page": page, "paginator": paginator, "up_to": last},
    )


@login_required
def letters_pdf(request):
    """One PDF of every letter waiting to be printed in the user's scope (up to ``?jusqu=``,
    the last one when the page was shown), one letter per sheet; made by the worker (many
    letters take a while, web/jobs.py) with the user's rights checked again there."""
    up_to = _up_to(request)
    waiting = services.letters_to_print(request.user, up_to)
    if not waiting.exists():
        messages.info(request, "Aucun courrier n'attend d'être imprimé.", fail_silently=True)
        return redirect("invitations:letters")
    if not jobs.in_job():
        return jobs.start(request, kind=Job.Kind.PDF, title="Courriers à imprimer et poster")
    rows = list(
        waiting.select_related(
            "invitation__beneficiary",
            "invitation__meeting__replaced_by__replaced_by",
            "invitation__meeting__episode__operator",
            "invitation__meeting__episode__referent",
            "invitation__beneficiary__operator",
            "invitation__beneficiary__referent",
            "invitation__action__operator",
        )
    )
    today = texts.long_date(timezone.localdate())
    letters = []
    for done, message in enumerate(rows):
        letters.append(letter_context(message.invitation, message.kind, today))
        jobs.report_progress(done, len(rows) + 1)
    title = plural("%(count)d courrier à imprimer", "%(count)d courriers à imprimer", len(letters))
    content = render_pdf("invitations/pdf/letter.html", {"letters": letters, "title": title})
    audit.record(
        AuditEntry.Action.EXPORT,
        object_type=SentMessage._meta.label_lower,
        object_repr=f"Courriers à imprimer : {title}",
    )
    name = f"courriers-a-imprimer-{timezone.localdate():%Y-%m-%d}.pdf"
    return pdf_response(content, name)


@login_required
@require_POST
def mark_letters_printed(request):
    """The letters of the PDF (those up to ``jusqu``) noted as printed and posted."""
    up_to = _up_to(request)
    if up_to is None:
        raise Http404
    count = services.mark_letters_printed(request.user, up_to)
    messages.success(
        request,
        plural(
            "%(count)d courrier noté comme imprimé et posté.",
            "%(count)d courriers notés comme imprimés et postés.",
            count,
        ),
    )
    return redirect("invitations:letters")


@login_required
@require_POST
def mark_printed(request, pk, message_pk):
    invitation = visible_object_or_404(invitations_of(request.user), request, pk)
    message = get_object_or_404(invitation.messages, pk=message_pk)
    services.mark_printed(message)
    messages.success(request, "Le courrier est noté comme imprimé et posté.")
    return redirect(invitation)
