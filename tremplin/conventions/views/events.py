"""What happens to a signed convention: amendments (C5, C6), suspensions (C9), CAE
immersions (C13), proofs of activity (E6, F10), the rupture (F13), and the employer's
report of a suspension or a rupture within 7 days (F12)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tremplin.accounts import audit
from tremplin.web.dates import french_date, french_datetime
from tremplin.web.form_pages import form_page
from tremplin.web.french import of
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import (
    ActivityProofForm,
    AmendmentForm,
    EmployerReportForm,
    ImmersionForm,
    RuptureForm,
    SuspensionForm,
)
from ..models import Rupture
from ..queue import may_acknowledge
from .base import conventions

CHILD_FORM = "conventions/child_form.html"


def child_form_page(request, convention, form, title: str, **options):
    """A form about one of the convention's records, back to the convention once saved."""
    return form_page(
        request,
        form,
        CHILD_FORM,
        {"convention": convention, "title": title},
        next_url=convention,
        **options,
    )


def refused(refusal: services.ConventionRefused, *, with_findings: bool = False):
    """A refusal of the services, as errors at the top of the form."""
    texts = [str(refusal)]
    if with_findings:
        texts += [finding.message for finding in refusal.findings]
    return ValidationError(texts)


def attached_to(form, convention):
    """The save of the form's record as one of ``convention``'s."""

    def save():
        record = form.save(commit=False)
        record.convention = convention
        record.save()
        return record

    return save


@login_required
def amendment_create(request, pk):
    convention = visible_object_or_404(conventions(), request, pk)
    form = AmendmentForm(request.POST or None, convention=convention)

    def amend():
        try:
            return services.amend(convention, form.save(commit=False), user=request.user)
        except services.ConventionRefused as refusal:
            # amend() changed the convention in memory, wrote nothing: read it again.
            convention.refresh_from_db()
            raise refused(refusal, with_findings=True) from refusal

    return child_form_page(
        request,
        convention,
        form,
        "Nouvel avenant",
        save=amend,
        success=lambda amendment: f"{amendment} enregistré : convention n° {amendment.number}.",
    )


@login_required
def suspension_create(request, pk):
    convention = visible_object_or_404(conventions(), request, pk)
    form = SuspensionForm(request.POST or None, convention=convention)

    def warn_if_late(suspension):
        if suspension.reported_late:
            messages.warning(
                request,
                f"L'employeur devait signaler la suspension au plus tard le "
                f"{french_date(suspension.report_due)} (7 jours, règle F12).",
            )

    return child_form_page(
        request,
        convention,
        form,
        "Nouvelle suspension",
        save=lambda: services.record_suspension(
            form.save(commit=False), convention=convention, user=request.user
        ),
        success="{object} enregistrée.",
        after_save=warn_if_late,
    )


@login_required
def immersion_create(request, pk):
    convention = visible_object_or_404(conventions(), request, pk)
    form = ImmersionForm(request.POST or None, convention=convention)
    return child_form_page(
        request,
        convention,
        form,
        "Nouvelle période d'immersion (CAE)",
        save=attached_to(form, convention),
        success="{object} enregistrée.",
    )


@login_required
def proof_create(request, pk):
    """Record the quarter's proofs of activity received from the employer (E6, F10)."""
    convention = visible_object_or_404(conventions(), request, pk)
    expected = services.expected_proofs(convention)
    missing = [proof for proof in expected if proof.received_on is None]
    initial = {"quarter": missing[0].quarter} if missing else {}
    form = ActivityProofForm(
        request.POST or None, convention=convention, expected=expected, initial=initial
    )
    return child_form_page(
        request,
        convention,
        form,
        "Justificatifs d'activité reçus",
        save=attached_to(form, convention),
        success="{object} enregistrés.",
    )


@login_required
def rupture_edit(request, pk):
    """Record the rupture, or correct it: the one row of the event, also declared from the
    in-employment support's page (A14); the aid stops at its date (F12), the repayment of
    rule F13 is computed, the support's deadlines follow."""
    convention = visible_object_or_404(conventions(), request, pk)
    rupture = convention.rupture_or_none()
    form = RuptureForm(request.POST or None, instance=rupture, convention=convention)

    def record():
        try:
            return services.record_rupture(
                form.save(commit=False), convention=convention, user=request.user
            )
        except services.ConventionRefused as refusal:
            raise refused(refusal) from refusal

    return child_form_page(
        request,
        convention,
        form,
        "Rupture du contrat"
        if rupture is None
        else f"Corriger la rupture du {french_date(rupture.last_day)}",
        save=record,
        success=lambda rupture: f"{rupture} enregistrée. {rupture.repayment_explanation}",
    )


# --- The employer's report of a suspension or a rupture (rule F12: within 7 days) -----------


def employer_report_page(request, convention, event, what: str):
    form = EmployerReportForm(
        request.POST or None,
        event_day=getattr(event, "start", None) or event.last_day,
        what=what,
        initial={"employer_report_date": timezone.localdate()},
    )

    def save():
        services.record_employer_report(event, form.cleaned_data["employer_report_date"])
        return event

    def say_whether_late(event):
        if event.reported_late:
            messages.warning(
                request,
                f"Signalement enregistré, hors délai : l'employeur devait signaler {what} "
                f"au plus tard le {french_date(event.report_due)} (7 jours, règle F12).",
            )
        else:
            messages.success(request, "Signalement enregistré, dans le délai de 7 jours (F12).")

    return child_form_page(
        request,
        convention,
        form,
        f"Signalement par l'employeur — {event}",
        save=save,
        after_save=say_whether_late,
    )


@login_required
def suspension_report(request, pk, suspension_pk):
    convention = visible_object_or_404(conventions(), request, pk)
    suspension = get_object_or_404(convention.suspensions, pk=suspension_pk)
    return employer_report_page(request, convention, suspension, "la suspension")


@login_required
def rupture_report(request, pk):
    convention = visible_object_or_404(conventions(), request, pk)
    rupture = get_object_or_404(Rupture, convention=convention)
    return employer_report_page(request, convention, rupture, "la rupture")


# --- The département's acknowledgement (its work queue) ---------------------------------------


def back_to(request, default):
    """The page to go back to: ``next`` when it is a path of this site, ``default`` else."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def require_agent(request) -> None:
    if not may_acknowledge(request.user):
        raise PermissionDenied(
            "Seuls les agents du département et les administrateurs prennent en compte les "
            "ruptures et les suspensions signalées."
        )


@login_required
@require_POST
def rupture_acknowledge(request, rupture_pk):
    """A département agent takes the rupture into account (who, when), leaving the queue."""
    require_agent(request)
    rupture = visible_object_or_404(
        Rupture.objects.select_related("convention"), request, rupture_pk
    )
    services.acknowledge(rupture, user=request.user)
    messages.success(
        request,
        f"{rupture} {of(rupture.beneficiary)} prise en compte le "
        f"{french_datetime(rupture.acknowledged_at)}.",
    )
    return back_to(request, rupture.convention or rupture.get_absolute_url())


@login_required
@require_POST
def suspension_acknowledge(request, pk, suspension_pk):
    require_agent(request)
    convention = visible_object_or_404(conventions(), request, pk)
    suspension = get_object_or_404(convention.suspensions, pk=suspension_pk)
    services.acknowledge(suspension, user=request.user)
    messages.success(
        request,
        f"{suspension} prise en compte le {french_datetime(suspension.acknowledged_at)}.",
    )
    return back_to(request, convention)


@login_required
def rupture_detail(request, rupture_pk):
    """A rupture seen alone — for a contract signed outside Tremplin, no convention shows
    it — with its acknowledgement by the département."""
    rupture = visible_object_or_404(
        Rupture.objects.select_related("beneficiary", "convention", "acknowledged_by"),
        request,
        rupture_pk,
    )
    if rupture.convention_id is not None:
        return redirect(rupture.convention)
    audit.record_view(rupture)
    return render(
        request,
        "conventions/rupture_detail.html",
        {"rupture": rupture, "may_acknowledge": may_acknowledge(request.user)},
    )
