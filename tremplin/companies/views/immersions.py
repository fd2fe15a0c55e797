"""PMSMP immersions (P7): at most a month from date to date, renewable once for the same
purpose; with one host, at most two agreements and 60 days over 12 months (Code du
travail, L5135-1 and D5135-3)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.urls import reverse
from django.views import generic

from tremplin.accounts import audit
from tremplin.registry.models import Beneficiary, Employer
from tremplin.rules import companies as rules
from tremplin.rules.identifiers import ascii_digits
from tremplin.web.exports import Column, ExportMixin
from tremplin.web.listing import SearchSortPaginateMixin
from tremplin.web.shortcuts import visible_object_or_404

from ..forms import ImmersionForm
from ..models import Immersion
from .base import record_form_page


class ImmersionList(LoginRequiredMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    template_name = "companies/immersion_list.html"
    export_basename = "immersions-pmsmp"
    export_columns = [
        Column("Immersion", lambda i: i.pk),
        Column("Nom", lambda i: i.beneficiary.last_name),
        Column("Prénoms", lambda i: i.beneficiary.first_names),
        Column("Structure d'accueil", lambda i: i.employer.name),
        Column("SIRET", lambda i: i.employer.siret),
        Column("Tuteur", lambda i: str(i.tutor or "")),
        Column("Objet (L5135-1)", lambda i: i.get_purpose_display()),
        Column("Objectifs", lambda i: i.objectives),
        Column("Début", lambda i: i.starts_on),
        Column("Fin", lambda i: i.ends_on),
        Column("Renouvellement", lambda i: i.renewal_of_id is not None),
        Column("Résultat", lambda i: i.get_outcome_display()),
    ]
    sort_options = {
        "debut": ("Début", ("-starts_on",)),
        "nom": ("Personne", ("beneficiary__last_name", "beneficiary__first_names")),
        "accueil": ("Structure d'accueil", ("employer__name",)),
    }
    default_sort = "debut"

    def get_queryset(self):
        queryset = Immersion.objects.visible_to(self.request.user).select_related(
            "beneficiary", "employer", "tutor"
        )
        text = self.search_text()
        if text:
            queryset = queryset.filter(
                beneficiary__in=Beneficiary.objects.search(text).values("pk")
            ) | queryset.filter(employer__in=Employer.objects.search(text).values("pk"))
        return self.apply_sort(queryset)


def immersions():
    """The immersions with the person, the host, the tutor and the first immersion."""
    return Immersion.objects.select_related("beneficiary", "employer", "tutor", "renewal_of")


@login_required
def immersion_detail(request, pk):
    immersion = visible_object_or_404(immersions(), request, pk)
    audit.record_view(immersion)
    return render(
        request,
        "companies/immersion_detail.html",
        {
            "immersion": immersion,
            "renewals": immersion.renewals.all(),
            "last_allowed": rules.last_day_within_months(
                immersion.starts_on, rules.parameter("max_months", immersion.starts_on)
            ),
        },
    )


def new_immersion_initial(request) -> dict:
    """``?beneficiaire=`` for the person, or ``?renouvellement=`` to renew an immersion (the
    same person, host, tutor and purpose)."""
    initial = {}
    person_id = request.GET.get("beneficiaire", "")
    if ascii_digits(person_id):
        initial["beneficiary"] = visible_object_or_404(Beneficiary, request, person_id).pk
    renewed_id = request.GET.get("renouvellement", "")
    if ascii_digits(renewed_id):
        first = visible_object_or_404(immersions(), request, renewed_id)
        initial.update(
            beneficiary=first.beneficiary_id,
            employer=first.employer_id,
            tutor=first.tutor_id,
            renewal_of=first.pk,
            purpose=first.purpose,
            objectives=first.objectives,
        )
    return initial


@login_required
def immersion_edit(request, pk=None):
    immersion = visible_object_or_404(immersions(), request, pk) if pk is not None else None
    initial = new_immersion_initial(request) if immersion is None else {}
    form = ImmersionForm(
        request.POST or None, instance=immersion, initial=initial, user=request.user
    )
    if immersion is None:
        form.instance.created_by = request.user
    return record_form_page(
        request,
        form,
        title="Modifier l'immersion" if immersion else "Nouvelle immersion (PMSMP)",
        cancel_url=immersion.get_absolute_url()
        if immersion
        else reverse("companies:immersion_list"),
        success="L'immersion est enregistrée : {object}.",
        breadcrumb=[(reverse("companies:immersion_list"), "Immersions (PMSMP)")],
        intro="Une PMSMP dure au plus un mois de date à date, renouvelable une fois pour le "
        "même objet ; avec une même structure, au plus deux conventions et 60 jours sur 12 "
        "mois (Code du travail, L5135-1 et D5135-3).",
    )
