"""Pages of the support. Thin: access through ``visible_to``, decisions in the models'
calls to ``tremplin.rules``; an episode outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import audit
from tremplin.registry.models import Beneficiary
from tremplin.rules.programmes import RuleError

from . import calendar_feed, notifications, uploads
from . import deliverables as deliverable_items
from .forms import (
    DeliverableForm,
    DocumentForm,
    EpisodeForm,
    MeetingForm,
    RefusalForm,
    RuptureForm,
    SendForm,
    french_hours,
)
from .models import (
    CalendarFeedToken,
    Deadline,
    DeliverableContent,
    Document,
    Meeting,
    Notification,
    SupportEpisode,
)
from .timeline import build_timeline

FORM_ERROR = (
    "Le formulaire contient des erreurs, signalées sous chaque champ concerné. Rien n'a été "
    "enregistré ; ce que vous avez saisi est conservé."
)


def visible_episode(request, pk) -> SupportEpisode:
    queryset = SupportEpisode.objects.visible_to(request.user).select_related(
        "beneficiary", "referent", "operator", "employer", "tutor", "rsa_adviser"
    )
    return get_object_or_404(queryset, pk=pk)


def _form_invalid(request):
    messages.error(request, FORM_ERROR)


def _save_validated(request, form) -> bool:
    """Model validation after the form's: a French ValidationError lands on the form."""
    try:
        form.instance.full_clean()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    form.save()
    return True


# --- episodes ----------------------------------------------------------------------------


@login_required
def episode_create(request, beneficiary_pk):
    beneficiary = get_object_or_404(Beneficiary.objects.visible_to(request.user), pk=beneficiary_pk)
    form = EpisodeForm(request.POST or None, user=request.user, beneficiary=beneficiary)
    if request.method == "POST":
        if form.is_valid() and _save_validated(request, form):
            messages.success(request, f"L'accompagnement de {beneficiary} commence.")
            return redirect(form.instance)
        _form_invalid(request)
    return render(
        request,
        "support/episode_form.html",
        {"form": form, "beneficiary": beneficiary, "cancel_url": beneficiary.get_absolute_url()},
    )


def convention_initial(convention) -> dict:
    """What a signed convention already says about the support (issue 4): the parties and the
    contract's dates, so that nothing is typed twice."""
    return {
        "operator": convention.operator_id,
        "referent": convention.referent_id,
        "employer": convention.employer_id,
        "tutor": convention.tutor_id,
        "contract_type": convention.contract_type,
        "contract_start": convention.hire_date,
        "contract_end": convention.planned_end,
    }


@login_required
def episode_from_convention(request, convention_pk):
    """Start the in-employment support of a signed convention (A10: signed in the presence of
    the employee, the employer, the operator and the conseiller RSA)."""
    from tremplin.conventions.models import Convention

    convention = get_object_or_404(
        Convention.objects.visible_to(request.user).select_related("beneficiary"),
        pk=convention_pk,
    )
    existing = SupportEpisode.objects.filter(convention=convention).first()
    if existing is not None:
        messages.info(request, "L'accompagnement de cette convention est déjà commencé.")
        return redirect(existing)
    if not convention.is_signed:
        messages.error(
            request,
            "Cette convention n'est pas signée : l'accompagnement commence avec une convention "
            "signée (A10). Signez-la d'abord, ou commencez l'accompagnement depuis la fiche de "
            "la personne.",
        )
        return redirect(convention)
    if convention.sector != Convention.Sector.CIE:
        messages.error(
            request,
            "L'accompagnement dans l'emploi suit un CUI-CIE du secteur marchand (A1) ; cette "
            "convention est un CAE.",
        )
        return redirect(convention)
    beneficiary = convention.beneficiary
    form = EpisodeForm(
        request.POST or None,
        initial=convention_initial(convention),
        user=request.user,
        beneficiary=beneficiary,
    )
    form.instance.convention = convention
    if request.method == "POST":
        if form.is_valid() and _save_validated(request, form):
            messages.success(
                request, f"L'accompagnement de {beneficiary} commence (convention {convention})."
            )
            return redirect(form.instance)
        _form_invalid(request)
    return render(
        request,
        "support/episode_form.html",
        {
            "form": form,
            "beneficiary": beneficiary,
            "convention": convention,
            "cancel_url": convention.get_absolute_url(),
        },
    )


@login_required
def episode_update(request, pk):
    episode = visible_episode(request, pk)
    form = EpisodeForm(
        request.POST or None, instance=episode, user=request.user, beneficiary=episode.beneficiary
    )
    if request.method == "POST":
        if form.is_valid() and _save_validated(request, form):
            messages.success(request, "L'accompagnement est enregistré ; le plan est recalculé.")
            return redirect(episode)
        _form_invalid(request)
    return render(
        request,
        "support/episode_form.html",
        {
            "form": form,
            "beneficiary": episode.beneficiary,
            "episode": episode,
            "cancel_url": episode.get_absolute_url(),
        },
    )


@login_required
def episode_detail(request, pk):
    episode = visible_episode(request, pk)
    audit.record_view(episode)
    today = timezone.localdate()
    try:
        plan = episode.plan()
        plan_error = None
    except RuleError as error:
        plan, plan_error = None, error.message
    deadlines = list(episode.deadlines.all())
    meetings = list(episode.meetings.all())
    budget = episode.hours() if episode.contract_start or episode.started_on else None
    return render(
        request,
        "support/episode_detail.html",
        {
            "episode": episode,
            "plan": plan,
            "plan_error": plan_error,
            "today": today,
            "now": timezone.now(),
            "timeline": build_timeline(
                plan, today, [d for d in deadlines if d.state != Deadline.State.DROPPED]
            ),
            "deadlines": deadlines,
            "meetings": meetings,
            "budget": budget,
            "budget_used": french_hours(budget.used) if budget else "",
            "budget_total": french_hours(budget.budget) if budget else "",
            "rupture": episode.current_rupture(),
            "refusals": list(episode.refusals.all()),
            "documents": list(episode.documents.all()),
            # The e-mails sent about this support (deadlines, rupture, refusals): kept.
            "notifications": list(
                Notification.objects.filter(
                    Q(deadline__episode=episode) | Q(refusal__episode=episode)
                ).select_related("deadline", "refusal")[:100]
            ),
        },
    )


# --- meetings ----------------------------------------------------------------------------


@login_required
def meeting_edit(request, pk, meeting_pk=None):
    episode = visible_episode(request, pk)
    meeting = get_object_or_404(episode.meetings, pk=meeting_pk) if meeting_pk else None
    form = MeetingForm(request.POST or None, instance=meeting, episode=episode)
    if request.method == "POST":
        if form.is_valid():
            if meeting is None:
                form.instance.created_by = request.user
            if _save_validated(request, form):
                messages.success(request, "La rencontre et son compte-rendu sont enregistrés.")
                return redirect(episode.get_absolute_url() + "#rencontres")
        _form_invalid(request)
    budget = episode.hours()
    return render(
        request,
        "support/meeting_form.html",
        {
            "form": form,
            "episode": episode,
            "meeting": meeting,
            "budget": budget,
            "budget_used": french_hours(budget.used),
            "budget_total": french_hours(budget.budget),
            "cancel_url": episode.get_absolute_url(),
        },
    )


# --- refusal and rupture -----------------------------------------------------------------


@login_required
def refusal_create(request, pk):
    episode = visible_episode(request, pk)
    form = RefusalForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            refusal = form.save(commit=False)
            refusal.episode = episode
            refusal.recorded_by = request.user
            refusal.save()
            message = notifications.refusal_message(refusal)
            # A9: "dans les plus brefs délais": the conseiller RSA is told at once.
            if message and notifications.deliver(message):
                messages.success(
                    request,
                    f"Le refus est enregistré et signalé à {episode.rsa_adviser_display} "
                    f"({message.recipient}) (A9).",
                )
            else:
                messages.warning(
                    request,
                    "Le refus est enregistré, mais le conseiller RSA n'a pas d'adresse "
                    "électronique : prévenez-le par un autre moyen (A9) et complétez "
                    "l'accompagnement.",
                )
            return redirect(episode)
        _form_invalid(request)
    return render(
        request,
        "support/simple_form.html",
        {
            "form": form,
            "episode": episode,
            "title": "Enregistrer un refus d'accompagnement",
            "intro": "Le conseiller RSA référent en est informé par courriel dès "
            "l'enregistrement (A9).",
            "cancel_url": episode.get_absolute_url(),
        },
    )


@login_required
def rupture_edit(request, pk):
    episode = visible_episode(request, pk)
    rupture = episode.current_rupture()
    form = RuptureForm(
        request.POST or None, request.FILES or None, instance=rupture, episode=episode
    )
    if request.method == "POST":
        if form.is_valid():
            form.instance.recorded_by = form.instance.recorded_by or request.user
            with transaction.atomic():
                saved = _save_validated(request, form)
                evidence = form.evidence_document(request.user) if saved else None
            if saved:
                # A14: the Cellule contrats aidés is told at once, with the documents.
                outgoing = notifications.rupture_messages(form.instance, evidence)
                sent = [m.recipient for m in outgoing if notifications.deliver(m)]
                notice = episode.deadlines.get(code="rupture_notice")
                text = (
                    f"La rupture est enregistrée : signalement complet à la Cellule contrats "
                    f"aidés au plus tard le {notice.due_display} (A14)."
                )
                job_search = [p for p in episode.plan().phases if p.code == "job_search"]
                if job_search:
                    text += (
                        f" L'accompagnement passe en recherche active d'emploi du "
                        f"{job_search[0].first:%d/%m/%Y} au {job_search[0].last:%d/%m/%Y} (A14)."
                    )
                if evidence is not None:
                    text += f" « {evidence.title} » rejoint le livret."
                if sent:
                    text += f" Cellule contrats aidés prévenue par courriel : {', '.join(sent)}."
                elif not outgoing:
                    text += (
                        " Aucune adresse de la Cellule contrats aidés n'est connue pour ce "
                        "territoire : signalez-lui la rupture par un autre moyen (A14)."
                    )
                messages.success(request, text)
                return redirect(episode)
        _form_invalid(request)
    return render(
        request,
        "support/simple_form.html",
        {
            "form": form,
            "episode": episode,
            "title": "Déclarer une rupture du contrat",
            "intro": "La rupture doit être précédée d'une concertation et signalée dans les "
            "48 heures à la Cellule contrats aidés (A14). L'accompagnement passe ensuite en "
            "recherche active d'emploi pendant 3 mois.",
            "cancel_url": episode.get_absolute_url(),
        },
    )


# --- deliverables ------------------------------------------------------------------------


def _visible_deadline(request, pk, code) -> Deadline:
    episode = visible_episode(request, pk)
    deadline = get_object_or_404(episode.deadlines, code=code)
    deadline.episode = episode
    return deadline


def prefill_from_reports(deadline: Deadline) -> dict[str, str]:
    """A draft from the meetings' reports up to the due day (issue 4)."""
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


@login_required
def deliverable(request, pk, code):
    deadline = _visible_deadline(request, pk, code)
    content = DeliverableContent.objects.filter(deadline=deadline).first()
    initial = content.items if content else prefill_from_reports(deadline)
    form = DeliverableForm(request.POST or None, initial=initial, deadline=deadline)
    send_form = SendForm(
        initial={"sent_to": deadline.recipient, "sent_at": timezone.localdate()}, prefix="envoi"
    )
    if request.method == "POST":
        if form.is_valid():
            content = content or DeliverableContent(deadline=deadline)
            content.items = {key: value for key, value in form.cleaned_data.items() if value}
            content.updated_by = request.user
            content.save()
            if deadline.state == Deadline.State.TO_DO:
                deadline.state = Deadline.State.DRAFT
                deadline.save()
            messages.success(request, f"« {deadline.label} » est enregistré (brouillon).")
            return redirect("support:deliverable", pk=pk, code=code)
        _form_invalid(request)
    return render(
        request,
        "support/deliverable.html",
        {
            "deadline": deadline,
            "episode": deadline.episode,
            "form": form,
            "send_form": send_form,
            "prefilled": content is None and bool(initial),
            "cancel_url": deadline.episode.get_absolute_url(),
        },
    )


@login_required
@require_POST
def deliverable_send(request, pk, code):
    deadline = _visible_deadline(request, pk, code)
    form = SendForm(request.POST, prefix="envoi")
    if form.is_valid():
        try:
            deadline.mark_sent(form.cleaned_data["sent_to"], form.cleaned_data["sent_at"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                f"« {deadline.label} » est marqué envoyé à {deadline.sent_to} le "
                f"{deadline.sent_at:%d/%m/%Y}.",
            )
            return redirect(deadline.episode)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("support:deliverable", pk=pk, code=code)


@login_required
def deliverable_pdf(request, pk, code):
    deadline = _visible_deadline(request, pk, code)
    audit.record_view(deadline)
    content = DeliverableContent.objects.filter(deadline=deadline).first()
    values = content.items if content else {}
    items = [
        (item.label, deliverable_items.choice_label(item, values.get(item.key, "")))
        for item in deliverable_items.items_of(deadline.code)
    ]
    html = render_to_string(
        "support/deliverable_pdf.html",
        {"deadline": deadline, "episode": deadline.episode, "items": items},
    )
    from weasyprint import HTML  # imported here: slow to load, only the PDF needs it

    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{deadline.code}-{deadline.episode.beneficiary.last_name}.pdf".replace(" ", "_")
    response["Content-Disposition"] = uploads.content_disposition(name)
    return response


# --- the referent's day ------------------------------------------------------------------


def meeting_gap_days() -> int:
    # How long without a meeting before a person shows on the home page: a product setting
    # (the seed gives no cadence for in-employment support; P4 gives 2 a month for issue 5).
    return getattr(settings, "TREMPLIN_MEETING_GAP_DAYS", 30)


def my_day_context(user, today: dt.date | None = None, programme: str | None = None) -> dict:
    """Overdue / this week / later deadlines, the week's meetings, the people without a
    meeting for too long: a fixed number of queries whatever the portfolio's size.
    ``programme`` narrows to one programme (None: both)."""
    today = today or timezone.localdate()
    now = timezone.now()
    week_end = today + dt.timedelta(days=7)
    # The open episodes the user runs or whose person they follow: two indexed lookups
    # joined by UNION (an OR across the join would scan every episode at département scale).
    mine = SupportEpisode.objects.filter(ended_on__isnull=True).order_by()
    if programme:
        mine = mine.filter(programme=programme)
    episode_ids = list(
        mine.filter(referent=user)
        .values_list("pk", flat=True)
        .union(mine.filter(beneficiary__referent=user).values_list("pk", flat=True))
    )
    open_deadlines = (
        Deadline.objects.filter(episode_id__in=episode_ids, state__in=Deadline.OPEN_STATES)
        .select_related("episode__beneficiary")
        .order_by("due_on", "due_at", "id")
    )
    deadlines = list(open_deadlines.filter(due_on__lte=today + dt.timedelta(days=60)))
    overdue = [d for d in deadlines if d.is_overdue(now)]
    this_week = [d for d in deadlines if not d.is_overdue(now) and d.due_on <= week_end]
    later = [d for d in deadlines if d.due_on > week_end]
    monday = today - dt.timedelta(days=today.weekday())
    week_start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    week_meetings = list(
        Meeting.objects.filter(
            episode_id__in=episode_ids,
            starts_at__gte=week_start,
            starts_at__lt=week_start + dt.timedelta(days=7),
        )
        .select_related("episode__beneficiary")
        .order_by("starts_at")
    )
    gap = meeting_gap_days()
    limit = now - dt.timedelta(days=gap)
    quiet = list(
        SupportEpisode.objects.filter(pk__in=episode_ids)
        .annotate(last_meeting=Max("meetings__starts_at"))
        .filter(Q(last_meeting__lt=limit) | Q(last_meeting__isnull=True))
        .select_related("beneficiary")
        .order_by("last_meeting", "beneficiary__last_name")
    )
    return {
        "overdue": overdue,
        "this_week": this_week,
        "later": later,
        "week_meetings": week_meetings,
        "quiet_episodes": quiet,
        "meeting_gap_days": gap,
        "today": today,
    }


@login_required
def my_day(request):
    return render(request, "support/my_day.html", my_day_context(request.user))


# --- calendar feed -----------------------------------------------------------------------


@login_required
def calendar_link(request):
    token, _ = CalendarFeedToken.objects.get_or_create(user=request.user)
    if request.method == "POST":
        token.renew()
        messages.success(request, "Un nouveau lien est créé ; l'ancien ne fonctionne plus.")
        return redirect("support:calendar_link")
    url = request.build_absolute_uri(reverse("support:calendar_ics", args=[token.token]))
    return render(request, "support/calendar_link.html", {"feed_url": url})


@login_not_required  # the token is the key: calendar applications have no session
def calendar_ics(request, token):
    """The private feed: no session (calendar applications have none), the token is the key."""
    feed = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    body = calendar_feed.feed_for(feed.user)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tremplin.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- the livret d'accompagnement (A6) ----------------------------------------------------


@login_required
def document_upload(request, pk):
    episode = visible_episode(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            document = Document(
                episode=episode,
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                original_name=form.cleaned_data["file"].name[:255],
                content_type=form.kind.content_type,
                extension=form.kind.extension,
                size=len(form.content),
                uploaded_by=request.user,
            )
            document.file.save("document", ContentFile(form.content), save=False)
            document.save()
            messages.success(request, f"« {document.title} » rejoint le livret.")
            return redirect(episode.get_absolute_url() + "#livret")
        _form_invalid(request)
    return render(
        request,
        "support/document_form.html",
        {"form": form, "episode": episode, "cancel_url": episode.get_absolute_url()},
    )


@login_required
def document_download(request, pk, document_pk):
    episode = visible_episode(request, pk)
    document = get_object_or_404(episode.documents, pk=document_pk)
    audit.record_view(document)
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=document.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def livret_pdf(request, pk):
    """The whole livret as one PDF (A6): cover, contents, meeting reports, deliverables, the
    uploaded images, then the uploaded PDFs' pages; office files are listed by name."""
    episode = visible_episode(request, pk)
    audit.record_view(episode)
    deadlines = [
        (deadline, _deliverable_rows(deadline))
        for deadline in episode.deadlines.select_related("content")
        if deadline.has_items and hasattr(deadline, "content")
    ]
    documents = list(episode.documents.all())
    for document in documents:
        document.image_url = Path(document.file.path).as_uri() if document.is_image else ""
    html = render_to_string(
        "support/livret_pdf.html",
        {
            "episode": episode,
            "meetings": [m for m in episode.meetings.all() if m.report],
            "deadlines": deadlines,
            "documents": documents,
            "today": timezone.localdate(),
        },
    )
    from weasyprint import HTML  # imported here: slow to load, only the PDF needs it

    pdf = HTML(string=html, base_url=str(settings.MEDIA_ROOT)).write_pdf()
    pdf = append_uploaded_pdfs(pdf, [d for d in documents if d.is_pdf])
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"livret-{episode.beneficiary.last_name}.pdf".replace(" ", "_")
    response["Content-Disposition"] = uploads.content_disposition(name)
    return response


def append_uploaded_pdfs(livret: bytes, documents) -> bytes:
    """The livret followed by each uploaded PDF; an unreadable upload is skipped, not fatal
    (it stays listed in the livret and downloadable on its own)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    writer = PdfWriter(clone_from=io.BytesIO(livret))
    for document in documents:
        try:
            with document.file.open("rb") as handle:
                writer.append(PdfReader(io.BytesIO(handle.read())))
        except (PdfReadError, OSError, ValueError):
            continue
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _deliverable_rows(deadline) -> list[tuple[str, str]]:
    values = deadline.content.items
    return [
        (item.label, deliverable_items.choice_label(item, values.get(item.key, "")))
        for item in deliverable_items.items_of(deadline.code)
    ]
