"""Job offers (P7): the list, an offer with the people who match it, its form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.views import generic

from tremplin.registry.models import Employer
from tremplin.rules.identifiers import ascii_digits
from tremplin.web.exports import Column, ExportMixin
from tremplin.web.listing import SearchSortPaginateMixin
from tremplin.web.shortcuts import visible_object_or_404

from ..forms import JobOfferForm
from ..matching import matches_for_offer
from ..models import Application, JobOffer
from .base import record_form_page


class OfferList(LoginRequiredMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    template_name = "companies/offer_list.html"
    export_basename = "offres-emploi"
    export_columns = [
        Column("Offre", lambda o: o.pk),
        Column("Intitulé", lambda o: o.title),
        Column("Code ROME", lambda o: o.rome_code),
        Column("Employeur", lambda o: o.employer.name),
        Column("SIRET", lambda o: o.employer.siret),
        Column("Code postal", lambda o: o.postal_code),
        Column("Commune", lambda o: o.city),
        Column("Heures par semaine", lambda o: o.weekly_hours),
        Column("Contrat", lambda o: o.get_contract_type_display()),
        Column("Durée (mois)", lambda o: o.contract_months),
        Column("Prise de poste", lambda o: o.starts_on),
        Column("État", lambda o: o.get_status_display()),
        Column("Candidatures", lambda o: o.application_count),
        Column("Structure", lambda o: o.operator.name),
        Column("Créée le", lambda o: o.created_at),
    ]
    sort_options = {
        "creation": ("Créée le", ("-created_at",)),
        "intitule": ("Intitulé", ("title",)),
        "employeur": ("Employeur", ("employer__name", "title")),
        "commune": ("Lieu", ("postal_code", "title")),
        "heures": ("Heures", ("weekly_hours",)),
        "etat": ("État", ("status", "-created_at")),
    }
    default_sort = "creation"

    def status_filter(self) -> str:
        status = self.request.GET.get("etat", "")
        return status if status in JobOffer.Status.values else ""

    def get_queryset(self):
        queryset = (
            JobOffer.objects.visible_to(self.request.user)
            .select_related("employer", "operator")
            .annotate(application_count=Count("applications"))
        )
        if self.status_filter():
            queryset = queryset.filter(status=self.status_filter())
        return self.apply_search_and_sort(queryset)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "status_filter": self.status_filter(),
            "statuses": JobOffer.Status.choices,
        }


def offers():
    """The offers with their employer and operator (one query)."""
    return JobOffer.objects.select_related("employer", "operator")


@login_required
def offer_detail(request, pk):
    offer = visible_object_or_404(offers(), request, pk)
    applications = (
        Application.objects.visible_to(request.user)
        .filter(offer=offer)
        .select_related("beneficiary")
    )
    return render(
        request,
        "companies/offer_detail.html",
        {
            "offer": offer,
            "applications": applications,
            "matches": matches_for_offer(request.user, offer),
        },
    )


@login_required
def offer_edit(request, pk=None):
    offer = visible_object_or_404(offers(), request, pk) if pk is not None else None
    initial = {}
    employer_id = request.GET.get("employeur", "")
    if offer is None and ascii_digits(employer_id):
        initial["employer"] = visible_object_or_404(Employer, request, employer_id).pk
    form = JobOfferForm(request.POST or None, instance=offer, initial=initial, user=request.user)
    if offer is None:
        form.instance.created_by = request.user
    return record_form_page(
        request,
        form,
        title=f"Modifier l'offre « {offer.title} »" if offer else "Nouvelle offre d'emploi",
        cancel_url=offer.get_absolute_url() if offer else reverse("companies:offer_list"),
        success="L'offre « {object} » est enregistrée.",
        breadcrumb=[(reverse("companies:offer_list"), "Offres d'emploi")],
    )
