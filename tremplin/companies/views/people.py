"""A person's job search (P7): the profile, the offers that match it, the applications;
and the pool of candidates, the people followed with their profile."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views import generic

from tremplin.accounts import audit
from tremplin.registry.models import Beneficiary
from tremplin.rules import companies as rules
from tremplin.rules.identifiers import ascii_digits
from tremplin.web.exports import Column, ExportMixin
from tremplin.web.form_pages import form_page
from tremplin.web.french import of
from tremplin.web.listing import SearchSortPaginateMixin
from tremplin.web.shortcuts import visible_object_or_404

from ..forms import ApplicationForm, JobSearchProfileForm
from ..matching import matching_offers
from ..models import Application, JobSearchProfile
from .base import record_form_page
from .offers import offers

ADD_CANDIDATES_SHOWN = 10


@login_required
def profile(request, beneficiary_pk):
    """A person's job search: profile, matching offers, applications, immersions, events."""
    beneficiary = visible_object_or_404(Beneficiary, request, beneficiary_pk)
    audit.record_view(beneficiary)
    instance = JobSearchProfile.objects.filter(beneficiary=beneficiary).first()
    form = JobSearchProfileForm(request.POST or None, instance=instance, beneficiary=beneficiary)
    saved_profile = instance if instance and instance.pk else None
    return form_page(
        request,
        form,
        "companies/profile.html",
        {
            "beneficiary": beneficiary,
            "matches": matching_offers(request.user, saved_profile) if saved_profile else [],
            "has_profile": saved_profile is not None,
            "applications": beneficiary.applications.select_related("offer__employer"),
            "immersions": beneficiary.immersions.select_related("employer", "tutor"),
            "events": beneficiary.company_events.all(),
        },
        success="Le profil de recherche d'emploi est enregistré.",
        next_url=reverse("companies:profile", args=[beneficiary.pk]),
    )


class PoolList(LoginRequiredMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    """The pool of candidates (P7): the people followed and their job-search profile."""

    template_name = "companies/pool_list.html"
    export_basename = "vivier-candidats"
    export_columns = [
        Column("Dossier", lambda p: p.beneficiary_id),
        Column("Nom", lambda p: p.beneficiary.last_name),
        Column("Prénoms", lambda p: p.beneficiary.first_names),
        Column("Codes ROME", lambda p: p.rome_codes),
        Column("Lieux", lambda p: p.areas),
        Column("Heures min.", lambda p: p.min_weekly_hours),
        Column("Heures max.", lambda p: p.max_weekly_hours),
        Column("Modifié le", lambda p: p.updated_at),
    ]
    sort_options = {
        "nom": ("Nom", ("beneficiary__last_name", "beneficiary__first_names")),
        "metiers": ("Métiers", ("rome_codes",)),
        "modification": ("Modifié le", ("-updated_at",)),
    }
    default_sort = "nom"

    def get_queryset(self):
        queryset = JobSearchProfile.objects.visible_to(self.request.user).select_related(
            "beneficiary"
        )
        text = self.search_text()
        if text:
            people = Beneficiary.objects.search(text).values("pk")
            code = text.strip().upper()
            queryset = (
                queryset.filter(rome_codes__contains=code)
                if rules.ROME_CODE.fullmatch(code)
                else queryset.filter(beneficiary__in=people)
            )
        return self.apply_sort(queryset)

    def get_context_data(self, **kwargs):
        """``?ajouter=`` finds people followed who have no profile yet, to add them."""
        context = super().get_context_data(**kwargs)
        wanted = self.request.GET.get("ajouter", "").strip()
        if wanted:
            context["add_text"] = wanted
            context["candidates"] = (
                Beneficiary.objects.visible_to(self.request.user)
                .search(wanted)
                .filter(job_search_profile__isnull=True)[:ADD_CANDIDATES_SHOWN]
            )
        return context


@login_required
def application_edit(request, beneficiary_pk, pk=None):
    beneficiary = visible_object_or_404(Beneficiary, request, beneficiary_pk)
    application = None
    if pk is not None:
        application = visible_object_or_404(Application, request, pk, beneficiary=beneficiary)
    initial = {}
    offer_id = request.GET.get("offre", "")
    if ascii_digits(offer_id):
        initial["offer"] = visible_object_or_404(offers(), request, offer_id).pk
    form = ApplicationForm(
        request.POST or None,
        instance=application,
        initial=initial,
        user=request.user,
        beneficiary=beneficiary,
    )
    if application is None:
        form.instance.created_by = request.user
    profile_url = reverse("companies:profile", args=[beneficiary.pk])
    return record_form_page(
        request,
        form,
        title="Suite de la candidature" if application else f"Candidature {of(beneficiary)}",
        cancel_url=profile_url,
        success="La candidature est enregistrée.",
        breadcrumb=[(profile_url, f"Recherche d'emploi {of(beneficiary)}")],
    )
