"""Pages of company relations (P7). Thin: access through each model's ``visible_to`` (a
record outside the user's scope is a 404), decisions in ``tremplin.rules.companies``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import generic

from tremplin.accounts import audit
from tremplin.registry.models import Beneficiary, Employer
from tremplin.rules import companies as rules
from tremplin.web.exports import Column, ExportMixin
from tremplin.web.listing import SearchSortPaginateMixin

from .forms import (
    ApplicationForm,
    CompanyEventForm,
    EmployerContactForm,
    ImmersionForm,
    JobOfferForm,
    JobSearchProfileForm,
    ProspectingActionForm,
)
from .models import (
    Application,
    CompanyEvent,
    EmployerContact,
    Immersion,
    JobOffer,
    JobSearchProfile,
    ProspectingAction,
)

FORM_ERROR = (
    "Le formulaire contient des erreurs, signalées sous chaque champ concerné. Rien n'a été "
    "enregistré ; ce que vous avez saisi est conservé."
)
MATCHES_SHOWN = 20
ADD_CANDIDATES_SHOWN = 10


def sort(view, queryset):
    """The list's ``?tri=`` ordering (SearchSortPaginateMixin) without its ``search``."""
    key, descending = view.current_sort()
    fields = view.sort_options[key][1]
    if descending:
        fields = tuple(f[1:] if f.startswith("-") else "-" + f for f in fields)
    return queryset.order_by(*fields, "-id" if descending else "id")


def _form_page(request, form, *, title, cancel_url, success, breadcrumb=(), intro=""):
    """GET shows the form; a valid POST saves and redirects; an invalid one keeps the input."""
    if request.method == "POST":
        if form.is_valid():
            saved = form.save()
            messages.success(request, success.format(object=saved))
            return redirect(saved)
        messages.error(request, FORM_ERROR)
    return render(
        request,
        "companies/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "breadcrumb": breadcrumb,
            "intro": intro,
        },
    )


# --- employer network -----------------------------------------------------------------------


def _visible_employer(request, pk) -> Employer:
    return get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)


@login_required
def contact_edit(request, employer_pk, pk=None):
    employer = _visible_employer(request, employer_pk)
    contact = None
    if pk is not None:
        contact = get_object_or_404(
            EmployerContact.objects.visible_to(request.user), pk=pk, employer=employer
        )
    form = EmployerContactForm(
        request.POST or None, instance=contact, user=request.user, employer=employer
    )
    if not contact:
        form.instance.created_by = request.user
    return _form_page(
        request,
        form,
        title="Modifier le contact" if contact else "Nouveau contact en entreprise",
        cancel_url=employer.get_absolute_url() + "#reseau",
        success="Le contact {object} est enregistré.",
        breadcrumb=[(employer.get_absolute_url(), str(employer))],
    )


@login_required
def contact_delete(request, employer_pk, pk):
    employer = _visible_employer(request, employer_pk)
    contact = get_object_or_404(
        EmployerContact.objects.visible_to(request.user), pk=pk, employer=employer
    )
    if request.method == "POST":
        contact.delete()
        messages.success(request, f"Le contact {contact} est supprimé.")
        return redirect(employer.get_absolute_url() + "#reseau")
    return render(
        request,
        "companies/confirm_delete.html",
        {"object": contact, "cancel_url": employer.get_absolute_url() + "#reseau"},
    )


@login_required
def prospecting_edit(request, employer_pk, pk=None):
    employer = _visible_employer(request, employer_pk)
    action = None
    if pk is not None:
        action = get_object_or_404(
            ProspectingAction.objects.visible_to(request.user), pk=pk, employer=employer
        )
    form = ProspectingActionForm(
        request.POST or None, instance=action, user=request.user, employer=employer
    )
    return _form_page(
        request,
        form,
        title="Modifier l'action de prospection" if action else "Nouvelle action de prospection",
        cancel_url=employer.get_absolute_url() + "#reseau",
        success="L'action « {object} » est enregistrée.",
        breadcrumb=[(employer.get_absolute_url(), str(employer))],
    )


# --- job offers ---------------------------------------------------------------------------


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


def _visible_offer(request, pk) -> JobOffer:
    queryset = JobOffer.objects.visible_to(request.user).select_related("employer", "operator")
    return get_object_or_404(queryset, pk=pk)


def matches_for_offer(user, offer: JobOffer) -> list[dict]:
    """The people the user follows whose profile matches the offer, best first (P7)."""
    profiles = JobSearchProfile.objects.visible_to(user).select_related("beneficiary")
    by_pk = {profile.pk: profile for profile in profiles}
    ranked = rules.rank(
        ((pk, profile.search_profile) for pk, profile in by_pk.items()), offer.terms
    )
    applied = set(offer.applications.values_list("beneficiary_id", flat=True))
    return [
        {
            "beneficiary": by_pk[pk].beneficiary,
            "match": result,
            "applied": by_pk[pk].beneficiary_id in applied,
        }
        for pk, result in ranked[:MATCHES_SHOWN]
    ]


@login_required
def offer_detail(request, pk):
    offer = _visible_offer(request, pk)
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
    offer = _visible_offer(request, pk) if pk is not None else None
    initial = {}
    employer_id = request.GET.get("employeur", "")
    if offer is None and employer_id.isdigit():
        initial["employer"] = _visible_employer(request, employer_id).pk
    form = JobOfferForm(request.POST or None, instance=offer, initial=initial, user=request.user)
    if offer is None:
        form.instance.created_by = request.user
    return _form_page(
        request,
        form,
        title=f"Modifier l'offre « {offer.title} »" if offer else "Nouvelle offre d'emploi",
        cancel_url=offer.get_absolute_url() if offer else reverse("companies:offer_list"),
        success="L'offre « {object} » est enregistrée.",
        breadcrumb=[(reverse("companies:offer_list"), "Offres d'emploi")],
    )


# --- people: profile, matching offers, applications ----------------------------------------


def _visible_beneficiary(request, pk) -> Beneficiary:
    return get_object_or_404(Beneficiary.objects.visible_to(request.user), pk=pk)


def matching_offers(user, profile: JobSearchProfile) -> list[dict]:
    offers = (
        JobOffer.objects.visible_to(user)
        .filter(status=JobOffer.Status.OPEN)
        .select_related("employer")
    )
    by_pk = {offer.pk: offer for offer in offers}
    terms = profile.search_profile
    scored = [(pk, rules.match(terms, offer.terms)) for pk, offer in by_pk.items()]
    scored = sorted(
        ((pk, result) for pk, result in scored if result.job_matches), key=lambda p: -p[1].score
    )
    return [{"offer": by_pk[pk], "match": result} for pk, result in scored[:MATCHES_SHOWN]]


@login_required
def profile(request, beneficiary_pk):
    """A person's job search: profile, matching offers, applications, immersions, events."""
    beneficiary = _visible_beneficiary(request, beneficiary_pk)
    audit.record_view(beneficiary)
    instance = JobSearchProfile.objects.filter(beneficiary=beneficiary).first()
    form = JobSearchProfileForm(request.POST or None, instance=instance, beneficiary=beneficiary)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Le profil de recherche d'emploi est enregistré.")
            return redirect("companies:profile", beneficiary.pk)
        messages.error(request, FORM_ERROR)
    saved_profile = instance if instance and instance.pk else None
    return render(
        request,
        "companies/profile.html",
        {
            "beneficiary": beneficiary,
            "form": form,
            "matches": matching_offers(request.user, saved_profile) if saved_profile else [],
            "has_profile": saved_profile is not None,
            "applications": beneficiary.applications.select_related("offer__employer"),
            "immersions": beneficiary.immersions.select_related("employer", "tutor"),
            "events": beneficiary.company_events.all(),
        },
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
        return sort(self, queryset)

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
    beneficiary = _visible_beneficiary(request, beneficiary_pk)
    application = None
    if pk is not None:
        application = get_object_or_404(
            Application.objects.visible_to(request.user), pk=pk, beneficiary=beneficiary
        )
    initial = {}
    offer_id = request.GET.get("offre", "")
    if offer_id.isdigit():
        initial["offer"] = _visible_offer(request, offer_id).pk
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
    return _form_page(
        request,
        form,
        title="Suite de la candidature" if application else f"Candidature de {beneficiary}",
        cancel_url=profile_url,
        success="La candidature est enregistrée.",
        breadcrumb=[(profile_url, f"Recherche d'emploi de {beneficiary}")],
    )


# --- PMSMP --------------------------------------------------------------------------------


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
        return sort(self, queryset)


def _visible_immersion(request, pk) -> Immersion:
    queryset = Immersion.objects.visible_to(request.user).select_related(
        "beneficiary", "employer", "tutor", "renewal_of"
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def immersion_detail(request, pk):
    immersion = _visible_immersion(request, pk)
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


@login_required
def immersion_edit(request, pk=None):
    immersion = _visible_immersion(request, pk) if pk is not None else None
    initial = {}
    if immersion is None:
        person_id = request.GET.get("beneficiaire", "")
        if person_id.isdigit():
            initial["beneficiary"] = _visible_beneficiary(request, person_id).pk
        renewed_id = request.GET.get("renouvellement", "")
        if renewed_id.isdigit():
            first = _visible_immersion(request, renewed_id)
            initial.update(
                beneficiary=first.beneficiary_id,
                employer=first.employer_id,
                tutor=first.tutor_id,
                renewal_of=first.pk,
                purpose=first.purpose,
                objectives=first.objectives,
            )
    form = ImmersionForm(
        request.POST or None, instance=immersion, initial=initial, user=request.user
    )
    if immersion is None:
        form.instance.created_by = request.user
    return _form_page(
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


# --- events -------------------------------------------------------------------------------


class EventList(LoginRequiredMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    template_name = "companies/event_list.html"
    export_basename = "evenements-entreprises"
    export_columns = [
        Column("Date", lambda e: e.date),
        Column("Type", lambda e: e.get_kind_display()),
        Column("Intitulé", lambda e: e.title),
        Column("Lieu", lambda e: e.place),
        Column("Employeurs", lambda e: ", ".join(x.name for x in e.employers.all())),
        Column("Personnes venues", lambda e: e.attendee_count),
        Column("Structure", lambda e: e.operator.name),
    ]
    sort_options = {
        "date": ("Date", ("-date",)),
        "intitule": ("Intitulé", ("title",)),
        "type": ("Type", ("kind", "-date")),
    }
    default_sort = "date"

    def get_queryset(self):
        queryset = (
            CompanyEvent.objects.visible_to(self.request.user)
            .select_related("operator")
            .prefetch_related(Prefetch("employers", queryset=Employer.objects.only("id", "name")))
            .annotate(attendee_count=Count("attendees", distinct=True))
        )
        text = self.search_text()
        if text:
            queryset = queryset.filter(title__icontains=text)
        return sort(self, queryset)


@login_required
def event_edit(request, pk=None):
    event = None
    if pk is not None:
        event = get_object_or_404(CompanyEvent.objects.visible_to(request.user), pk=pk)
    form = CompanyEventForm(request.POST or None, instance=event, user=request.user)
    if event is None:
        form.instance.created_by = request.user
    return _form_page(
        request,
        form,
        title=f"{event}" if event else "Nouvel événement (job dating, salon, visite)",
        cancel_url=reverse("companies:event_list"),
        success="L'événement « {object} » est enregistré.",
        breadcrumb=[(reverse("companies:event_list"), "Événements")],
    )
