"""The deliverables of a support (A11–A14): drafted from the meetings' reports, marked
sent once complete, rendered to PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import audit
from tremplin.web.dates import french_date
from tremplin.web.form_pages import form_page
from tremplin.web.pdf import pdf_response, render_pdf
from tremplin.web.shortcuts import visible_object_or_404

from .. import deliverables as deliverable_items
from .. import services, uploads
from ..forms import DeliverableForm, SendForm
from ..models import Deadline, DeliverableContent
from .base import episodes


def deadline_of(request, pk, code) -> Deadline:
    """The deliverable ``code`` of the support ``pk``, read through the user's scope."""
    episode = visible_object_or_404(episodes(), request, pk)
    deadline = get_object_or_404(episode.deadlines, code=code)
    deadline.episode = episode
    return deadline


def prefill_from_reports(deadline: Deadline) -> dict[str, str]:
    """A draft from the meetings' reports up to the due day."""
    meetings = deadline.episode.meetings.filter(
        starts_at__date__lte=deadline.due_on,
    ).exclude(report="")
    text = "\n\n".join(
        f"{meeting} : {meeting.report.strip()}" for meeting in meetings.order_by("starts_at")
    )
    if not text:
        return {}
    return {
        item.key: text
        for item in deliverable_items.items_of(deadline.code)
        if item.key in deliverable_items.PREFILLED_FROM_REPORTS
    }


def deliverable_rows(deadline, values: dict) -> list[tuple[str, str]]:
    """Each item of the deliverable and its answer, as printed."""
    return [
        (item.label, deliverable_items.choice_label(item, values.get(item.key, "")))
        for item in deliverable_items.items_of(deadline.code)
    ]


@login_required
def deliverable(request, pk, code):
    deadline = deadline_of(request, pk, code)
    content = DeliverableContent.objects.filter(deadline=deadline).first()
    initial = content.items if content else prefill_from_reports(deadline)
    form = DeliverableForm(request.POST or None, initial=initial, deadline=deadline)
    send_form = SendForm(
        initial={"sent_to": deadline.recipient, "sent_at": timezone.localdate()}, prefix="envoi"
    )

    def save_draft():
        return services.save_deliverable_draft(deadline, form.cleaned_data, user=request.user)

    return form_page(
        request,
        form,
        "support/deliverable.html",
        {
            "deadline": deadline,
            "episode": deadline.episode,
            "send_form": send_form,
            "prefilled": content is None and bool(initial),
            "cancel_url": deadline.episode.get_absolute_url(),
        },
        save=save_draft,
        success=f"« {deadline.label} » est enregistré (brouillon).",
        next_url=reverse("support:deliverable", kwargs={"pk": pk, "code": code}),
    )


@login_required
@require_POST
def deliverable_send(request, pk, code):
    deadline = deadline_of(request, pk, code)
    form = SendForm(request.POST, prefix="envoi")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("support:deliverable", pk=pk, code=code)
    try:
        deadline.mark_sent(form.cleaned_data["sent_to"], form.cleaned_data["sent_at"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("support:deliverable", pk=pk, code=code)
    messages.success(
        request,
        f"« {deadline.label} » est marqué envoyé à {deadline.sent_to} le "
        f"{french_date(deadline.sent_at)}.",
    )
    return redirect(deadline.episode)


@login_required
def deliverable_pdf(request, pk, code):
    deadline = deadline_of(request, pk, code)
    audit.record_view(deadline)
    content = DeliverableContent.objects.filter(deadline=deadline).first()
    items = deliverable_rows(deadline, content.items if content else {})
    pdf = render_pdf(
        "support/deliverable_pdf.html",
        {"deadline": deadline, "episode": deadline.episode, "items": items},
    )
    name = f"{deadline.code}-{deadline.episode.beneficiary.last_name}.pdf".replace(" ", "_")
    # The person's name as typed: made safe for every browser by support.uploads.
    return pdf_response(pdf, name, disposition=uploads.content_disposition(name))
