"""Signing a convention in the presence of the four parties (rules A10, F2, F8)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import SignForm
from .base import conventions

NOT_SIGNED = "La convention n'est pas signée : rien n'a été enregistré."


def parties_of(data) -> services.Parties:
    return services.Parties(
        data["employee_present"],
        data["employer_present"],
        data["operator_present"],
        data["rsa_adviser_present"],
    )


@login_required
def convention_sign(request, pk):
    convention = visible_object_or_404(conventions(), request, pk)
    form = SignForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    blocking = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.sign(
                    convention, user=request.user, day=data["signed_on"], parties=parties_of(data)
                )
        except services.ConventionRefused as refusal:
            convention.refresh_from_db()
            blocking = refusal.findings
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"La convention est signée sous le n° {convention.number}.")
            return redirect(convention)
    if request.method == "POST" and form.errors:
        messages.error(request, NOT_SIGNED)
    if not blocking and not convention.is_signed:
        # Shown before the submission: what would refuse the signature today.
        findings = services.findings_of(convention, signature_date=timezone.localdate())
        blocking = [finding for finding in findings if finding.blocking]
    return render(
        request,
        "conventions/convention_sign.html",
        {"convention": convention, "form": form, "blocking": blocking},
    )
