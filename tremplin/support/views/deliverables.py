"""The deliverables of a support (A11–A14): drafted from the meetings' reports, marked
sent once complete, rendered to PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import audit
from tremplin.web.dates import french_date
from tremplin.web.form_pages import form_error
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


SEND = "envoyer"  # the value of the button « Enregistrer et marquer comme envoyé »


@login_required
def deliverable(request, pk, code):
    """One form: the items typed (A11–A14) and who it was sent to, when. « Enregistrer le
    brouillon » keeps the items; « Enregistrer et marquer comme envoyé » keeps them and
    marks the deliverable sent in the same POST — what was typed is never lost, even when
    the sending is refused (the draft is saved, the form comes back with the reason)."""
    deadline = deadline_of(request, pk, code)
    content = DeliverableContent.objects.filter(deadline=deadline).first()
    initial = content.items if content else prefill_from_reports(deadline)
    data = request.POST if request.method == "POST" else None
    form = DeliverableForm(data, initial=initial, deadline=deadline)
    sending = data is not None and (data.get("action") == SEND or not form.fields)
    # Only a sending checks who and when; a draft keeps them as typed, unchecked.
    typed = data or {}
    send_form = SendForm(
        data if sending else None,
        initial={
            "sent_to": typed.get("envoi-sent_to", deadline.recipient),
            "sent_at": typed.get("envoi-sent_at") or timezone.localdate(),
        },
        prefix="envoi",
    )
    url = reverse("support:deliverable", kwargs={"pk": pk, "code": code})
    if data is not None:
        if form.is_valid() and not sending:
            services.save_deliverable_draft(deadline, form.cleaned_data, user=request.user)
            messages.success(request, f"« {deadline.label} » est enregistré (brouillon).")
            return redirect(url)
        if form.is_valid() and send_form.is_valid():
            items = form.cleaned_data if form.fields else None
            try:
                services.save_and_send_deliverable(
                    deadline,
                    items,
                    sent_to=send_form.cleaned_data["sent_to"],
                    sent_at=send_form.cleaned_data["sent_at"],
                    user=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    send_form.add_error(None, message)
                if items is not None:
                    messages.info(
                        request,
                        "Ce que vous avez saisi est enregistré comme brouillon ; le livrable "
                        "n'est pas marqué envoyé (voir ci-dessous).",
                    )
            else:
                messages.success(
                    request,
                    f"« {deadline.label} » est enregistré et marqué envoyé à {deadline.sent_to} "
                    f"le {french_date(deadline.sent_at)}.",
                )
                return redirect(deadline.episode)
        form_error(request)
    return render(
        request,
        "support/deliverable.html",
        {
            "form": form,
            "deadline": deadline,
            "episode": deadline.episode,
            "send_form": send_form,
            "send_value": SEND,
            "prefilled": content is None and bool(initial),
            "cancel_url": deadline.episode.get_absolute_url(),
        },
    )


@login_required
@require_POST
def deliverable_send(request, pk, code):
    """The sending alone (kept for the forms already open before the single form)."""
    deadline = deadline_of(request, pk, code)
    form = SendForm(request.POST, prefix="envoi")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("support:deliverable", pk=pk, code=code)
    try:
        services.save_and_send_deliverable(
            deadline,
            None,  # the sending alone: what was typed is saved by the single form
            sent_to=form.cleaned_data["sent_to"],
            sent_at=form.cleaned_data["sent_at"],
            user=request.user,
        )
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
