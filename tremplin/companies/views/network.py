"""An employer's network (P7): its contacts and the operator's prospecting actions, shown
on the employer's page (``companies.panels``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from tremplin.registry.models import Employer
from tremplin.web.shortcuts import visible_object_or_404

from ..forms import EmployerContactForm, ProspectingActionForm
from ..models import EmployerContact, ProspectingAction
from .base import record_form_page


def network_url(employer) -> str:
    return employer.get_absolute_url() + "#reseau"


@login_required
def contact_edit(request, employer_pk, pk=None):
    employer = visible_object_or_404(Employer, request, employer_pk)
    contact = None
    if pk is not None:
        contact = visible_object_or_404(EmployerContact, request, pk, employer=employer)
    form = EmployerContactForm(
        request.POST or None, instance=contact, user=request.user, employer=employer
    )
    if not contact:
        form.instance.created_by = request.user
    return record_form_page(
        request,
        form,
        title="Modifier le contact" if contact else "Nouveau contact en entreprise",
        cancel_url=network_url(employer),
        success="Le contact {object} est enregistré.",
        breadcrumb=[(employer.get_absolute_url(), str(employer))],
    )


@login_required
def contact_delete(request, employer_pk, pk):
    employer = visible_object_or_404(Employer, request, employer_pk)
    contact = visible_object_or_404(EmployerContact, request, pk, employer=employer)
    if request.method == "POST":
        contact.delete()
        messages.success(request, f"Le contact {contact} est supprimé.")
        return redirect(network_url(employer))
    return render(
        request,
        "companies/confirm_delete.html",
        {"object": contact, "cancel_url": network_url(employer)},
    )


@login_required
def prospecting_edit(request, employer_pk, pk=None):
    employer = visible_object_or_404(Employer, request, employer_pk)
    action = None
    if pk is not None:
        action = visible_object_or_404(ProspectingAction, request, pk, employer=employer)
    form = ProspectingActionForm(
        request.POST or None, instance=action, user=request.user, employer=employer
    )
    return record_form_page(
        request,
        form,
        title="Modifier l'action de prospection" if action else "Nouvelle action de prospection",
        cancel_url=network_url(employer),
        success="L'action « {object} » est enregistrée.",
        breadcrumb=[(employer.get_absolute_url(), str(employer))],
    )
