"""What happens to a signed convention: amendments (C5, C6), suspensions (C9), CAE
immersions (C13), proofs of activity (E6, F10), the rupture (F13), and the employer's
report of a suspension or a rupture within 7 days (F12)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tremplin.web.dates import french_date
from tremplin.web.form_pages import form_page
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
        save=attached_to(form, convention),
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
def rupture_create(request, pk):
    convention = visible_object_or_404(conventions(), request, pk)
    form = RuptureForm(request.POST or None, convention=convention)

    def record():
        try:
            return services.record_rupture(convention, form.save(commit=False))
        except services.ConventionRefused as refusal:
            raise refused(refusal) from refusal

    return child_form_page(
        request,
        convention,
        form,
        "Rupture du contrat",
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
        event.employer_report_date = form.cleaned_data["employer_report_date"]
        event.save(update_fields=["employer_report_date"])
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
