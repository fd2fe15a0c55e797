"""Pages of the professional support. Thin: access through ``visible_to`` (404 outside the
scope), decisions in ``tremplin.rules.programmes``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import generic
from django.views.decorators.http import require_POST

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import AuditEntry, Membership, Organisation, Role, User
from tremplin.registry.models import Beneficiary
from tremplin.rules.programmes import (
    RuleError,
    first_cer_term,
    parameters_in_force,
    portfolio_load,
    propose_cer_renewal,
)
from tremplin.support.models import SupportEpisode
from tremplin.web.exports import FORMATS, Column, ExportMixin, export_response
from tremplin.web.listing import SearchSortPaginateMixin

from .cadence import cadences, episode_cadence
from .forms import (
    CloseForm,
    CollectiveActionForm,
    ContactForm,
    InterviewForm,
    OpenForm,
    RenewalForm,
    TransferForm,
    referents_of,
)
from .models import (
    INTERVIEW_KIND,
    Cer,
    CollectiveAction,
    Invitation,
    ProfessionalSupport,
    awaiting_validation,
    can_validate,
    cer_terms,
    next_renewal,
    professional_episodes,
    renew_cer,
    sync_cer_deadlines,
)

FORM_ERROR = (
    "Le formulaire contient des erreurs, signalées sous chaque champ concerné. Rien n'a été "
    "enregistré ; ce que vous avez saisi est conservé."
)


def visible_episode(request, pk) -> SupportEpisode:
    queryset = professional_episodes(request.user).select_related(
        "beneficiary", "referent", "operator", "professional"
    )
    return get_object_or_404(queryset, pk=pk)


# --- opening and the CER chain (P3, P4, P5) -----------------------------------------------


@login_required
def open_support(request, beneficiary_pk):
    beneficiary = get_object_or_404(Beneficiary.objects.visible_to(request.user), pk=beneficiary_pk)
    form = OpenForm(request.POST or None, user=request.user, beneficiary=beneficiary)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                episode = SupportEpisode.objects.create(
                    beneficiary=beneficiary,
                    programme="professional",
                    operator=data["operator"],
                    referent=data["referent"],
                    started_on=data["started_on"],
                )
                ProfessionalSupport.objects.create(
                    episode=episode,
                    project=data["project"],
                    new_entrant=data["new_entrant"],
                    pathway_start=data["pathway_start"],
                    barriers_lifted_on=data["barriers_lifted_on"],
                )
                term = first_cer_term(data["started_on"])
                Cer.objects.create(
                    episode=episode,
                    number=1,
                    start=term.start,
                    end=term.end,
                    objectives=data["objectives"],
                    created_by=request.user,
                )
                sync_cer_deadlines(episode)
            messages.success(
                request,
                f"L'accompagnement professionnel de {beneficiary} commence, avec un premier CER "
                f"du {term.start:%d/%m/%Y} au {term.end:%d/%m/%Y} (P4).",
            )
            return redirect("professional:episode_detail", pk=episode.pk)
        messages.error(request, FORM_ERROR)
    return render(
        request,
        "professional/open_form.html",
        {"form": form, "beneficiary": beneficiary, "cancel_url": beneficiary.get_absolute_url()},
    )


@login_required
def episode_detail(request, pk):
    episode = visible_episode(request, pk)
    audit.record_view(episode)
    cers = list(episode.cers.select_related("validated_by"))
    pending = awaiting_validation(episode, cers)
    try:
        renewal = propose_cer_renewal(cer_terms(cers), support_start=episode.started_on)
        renewal_error = None
    except RuleError as error:
        renewal, renewal_error = None, error.message
    support = getattr(episode, "professional", None)
    lifting = support.barriers_lifting() if support else None
    return render(
        request,
        "professional/episode_detail.html",
        {
            "episode": episode,
            "support": support,
            "intensive": support.intensive(lifting) if support else None,
            "lifting": lifting,
            "cers": cers,
            "pending": pending,
            "renewal": renewal if not pending else None,
            "renewal_error": renewal_error if not pending else None,
            "can_validate": can_validate(request.user, episode),
            "interviews": list(episode.meetings.filter(kind=INTERVIEW_KIND)),
            "contacts": list(episode.contacts.all()),
            "attendances": list(
                episode.beneficiary.collective_invitations.filter(present=True).select_related(
                    "action"
                )
            ),
            "cadence": episode_cadence(episode),
        },
    )


@login_required
def renew(request, pk):
    episode = visible_episode(request, pk)
    cers = list(episode.cers.all())
    form = RenewalForm(request.POST or None)
    try:
        renewal, error = next_renewal(episode, cers), None
    except RuleError as rule_error:
        renewal, error = None, rule_error.message
    if request.method == "POST":
        if error:
            messages.error(request, f"{error} Ce que vous avez saisi est conservé ci-dessous.")
        elif form.is_valid():
            try:
                cer = renew_cer(episode, form.cleaned_data["objectives"], request.user)
            except RuleError as rule_error:
                messages.error(request, rule_error.message)
            else:
                text = f"{cer} enregistré (P5)."
                if cer.requires_validation:
                    text += " Il doit être validé par le département (P5)."
                messages.success(request, text)
                return redirect("professional:episode_detail", pk=episode.pk)
        else:
            messages.error(request, FORM_ERROR)
    return render(
        request,
        "professional/renew_form.html",
        {"form": form, "episode": episode, "renewal": renewal, "error": error, "cers": cers},
    )


@login_required
@require_POST
def validate_cer(request, pk, number):
    episode = visible_episode(request, pk)
    cer = get_object_or_404(episode.cers, number=number)
    if not can_validate(request.user, episode):
        messages.error(
            request,
            "Seul un agent du département du territoire de la personne valide un CER au-delà "
            "du premier renouvellement ou de 12 mois (P5).",
        )
    elif cer.is_validated:
        messages.info(request, f"Le {cer} est déjà validé.")
    else:
        cer.validated_by = request.user
        cer.validated_at = timezone.now()
        cer.save()
        messages.success(
            request, f"Le {cer} est validé par le département, le {timezone.localdate():%d/%m/%Y}."
        )
    return redirect("professional:episode_detail", pk=episode.pk)


@login_required
def close(request, pk):
    episode = visible_episode(request, pk)
    form = CloseForm(
        request.POST or None, episode=episode, initial={"ended_on": timezone.localdate()}
    )
    if request.method == "POST":
        if form.is_valid():
            episode.ended_on = form.cleaned_data["ended_on"]
            episode.save()
            messages.success(
                request,
                f"L'accompagnement professionnel se termine le {episode.ended_on:%d/%m/%Y}.",
            )
            return redirect("professional:episode_detail", pk=episode.pk)
        messages.error(request, FORM_ERROR)
    return render(
        request,
        "professional/simple_form.html",
        {
            "form": form,
            "episode": episode,
            "title": "Clore l'accompagnement",
            "intro": "La personne sort de l'accompagnement professionnel : elle quitte la file "
            "active de son ou sa référent·e (P9) et la cadence n'est plus suivie. Vérifiez la "
            "date puis enregistrez pour confirmer.",
        },
    )


# --- interviews and contacts (P4) ---------------------------------------------------------


@login_required
def interview_edit(request, pk, meeting_pk=None):
    episode = visible_episode(request, pk)
    meeting = (
        get_object_or_404(episode.meetings, pk=meeting_pk, kind=INTERVIEW_KIND)
        if meeting_pk
        else None
    )
    form = InterviewForm(request.POST or None, instance=meeting, episode=episode)
    if request.method == "POST":
        if form.is_valid():
            if meeting is None:
                form.instance.created_by = request.user
            form.save()
            messages.success(request, "L'entretien est enregistré.")
            return redirect("professional:episode_detail", pk=episode.pk)
        messages.error(request, FORM_ERROR)
    return render(
        request,
        "professional/simple_form.html",
        {
            "form": form,
            "episode": episode,
            "title": "Modifier l'entretien" if meeting else "Enregistrer un entretien individuel",
            "intro": "Au moins 2 entretiens par mois civil complet, 1 pour un mois partiel (P4).",
        },
    )


@login_required
def contact_create(request, pk):
    episode = visible_episode(request, pk)
    form = ContactForm(request.POST or None, episode=episode)
    if request.method == "POST":
        if form.is_valid():
            form.instance.created_by = request.user
            form.save()
            messages.success(request, "Le contact est enregistré.")
            return redirect("professional:episode_detail", pk=episode.pk)
        messages.error(request, FORM_ERROR)
    return render(
        request,
        "professional/simple_form.html",
        {
            "form": form,
            "episode": episode,
            "title": "Enregistrer un contact",
            "intro": "Téléphone, courriel, SMS ou visite : en période intensive, les contacts "
            "s'ajoutent aux entretiens (P4).",
        },
    )


@login_required
def cadence(request, pk):
    episode = visible_episode(request, pk)
    audit.record_view(episode)
    row = episode_cadence(episode)
    support = getattr(episode, "professional", None)
    lifting = support.barriers_lifting() if support else None
    intensive = support.intensive(lifting) if support else None
    # Contacts besides interviews, and attendance at collective actions (P2, P4), per month.
    contacts: dict[tuple[int, int], int] = {}
    days = list(episode.contacts.values_list("on", flat=True))
    days += list(
        episode.beneficiary.collective_invitations.filter(present=True).values_list(
            "action__on", flat=True
        )
    )
    for day in days:
        contacts[(day.year, day.month)] = contacts.get((day.year, day.month), 0) + 1
    months = []
    if row is not None:
        for month in row.report.months:
            in_intensive = bool(
                intensive
                and month.first <= intensive.period.last
                and month.last >= intensive.period.first
            )
            months.append(
                {
                    "month": month,
                    "contacts": contacts.get((month.year, month.month), 0),
                    "intensive": in_intensive,
                }
            )
    return render(
        request,
        "professional/cadence.html",
        {
            "episode": episode,
            "row": row,
            "months": months,
            "intensive": intensive,
            "support": support,
            "lifting": lifting,
            "parameters": parameters_in_force_for(episode),
        },
    )


def parameters_in_force_for(episode):
    from tremplin.rules.programmes import Programme

    values = parameters_in_force(Programme.PROFESSIONAL, episode.started_on)
    return {
        "full": values["interviews_per_full_month"],
        "partial": values["interviews_per_partial_month"],
    }


# --- the coordinator's view of cadence (P4) -----------------------------------------------

SORTS = {
    "nom": ("Personne", lambda r: (r.person.lower(), r.episode_id)),
    "referent": ("Référent·e", lambda r: (r.referent.lower(), r.person.lower())),
    "manquants": ("Entretiens manquants", lambda r: (r.missing, r.behind_months)),
    "retard": ("Mois en retard", lambda r: (r.behind_months, r.missing)),
    "fin": ("Fin de l'accompagnement", lambda r: (r.end,)),
}


class _Rows(list):
    """A list that ``export_response`` reads like a queryset (rows already computed)."""

    model = SupportEpisode

    def iterator(self, chunk_size=None):
        return iter(self)


CADENCE_COLUMNS = [
    Column("Personne", lambda r: r.person),
    Column("Référent·e", lambda r: r.referent),
    Column("Début", lambda r: r.started_on),
    Column("Fin", lambda r: r.end),
    Column("Entretiens manquants", lambda r: r.missing),
    Column("Mois révolus en retard", lambda r: r.behind_months),
    Column("Entretiens ce mois", lambda r: r.current.done if r.current else 0),
    Column("Exigés ce mois", lambda r: r.current.required if r.current else 0),
]


def below_cadence_rows(user, search: str = ""):
    queryset = professional_episodes(user).open()
    if search:
        queryset = queryset.filter(
            beneficiary__in=Beneficiary.objects.visible_to(user).search(search).values("pk")
        )
    return [row for row in cadences(queryset) if row.below]


@login_required
def below_cadence(request):
    search = request.GET.get("q", "").strip()
    rows = below_cadence_rows(request.user, search)
    raw = request.GET.get("tri", "-manquants")
    descending = raw.startswith("-")
    key = raw.lstrip("-")
    if key not in SORTS:
        key, descending = "manquants", True
    rows.sort(key=SORTS[key][1], reverse=descending)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(fmt, "personnes-sous-la-cadence", CADENCE_COLUMNS, _Rows(rows))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "professional/below_cadence.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "total": len(rows),
            "missing_total": sum(r.missing for r in rows),
            "search_text": search,
            "sort_columns": [
                {"key": k, "label": label, "active": k == key, "descending": descending}
                for k, (label, _) in SORTS.items()
            ],
        },
    )


# --- portfolio load and transfers (P9) ----------------------------------------------------


def coordinated_operators(user):
    scope = scope_of(user)
    operators = Organisation.objects.filter(kind=Organisation.Kind.OPERATOR)
    if scope.is_admin:
        return operators
    if not scope.coordinated_operator_ids:
        raise Http404
    return operators.filter(pk__in=scope.coordinated_operator_ids)


def portfolio_rows(user):
    """One row per referent of the coordinated operators: active file against 60 per FTE."""
    from django.db.models import Count, Q

    operators = coordinated_operators(user)
    memberships = (
        Membership.objects.active()
        .filter(role=Role.REFERENT, organisation__in=operators)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "organisation__name")
    )
    counts = dict(
        User.objects.filter(pk__in=memberships.values("user_id"))
        .annotate(
            active=Count(
                "support_episodes",
                filter=Q(
                    support_episodes__programme="professional",
                    support_episodes__ended_on__isnull=True,
                ),
            )
        )
        .values_list("pk", "active")
    )
    today = timezone.localdate()
    rows, seen = [], set()
    for membership in memberships:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        load = portfolio_load(
            counts.get(membership.user_id, 0), membership.full_time_equivalent, on=today
        )
        rows.append({"membership": membership, "user": membership.user, "load": load})
    return rows


@login_required
def portfolio(request):
    rows = portfolio_rows(request.user)
    return render(request, "professional/portfolio.html", {"rows": rows})


@login_required
def transfer(request, referent_pk):
    operators = coordinated_operators(request.user)
    referents = referents_of(operators)
    source = get_object_or_404(referents, pk=referent_pk)
    episodes = (
        professional_episodes(request.user)
        .open()
        .filter(referent=source)
        .select_related("beneficiary")
        .order_by("beneficiary__last_name", "beneficiary__first_names", "id")
    )
    form = TransferForm(
        request.POST or None, episodes=episodes, referents=referents.exclude(pk=source.pk)
    )
    context = {"form": form, "source": source, "episodes": episodes}
    if request.method == "POST":
        if form.is_valid():
            chosen = list(form.cleaned_data["episodes"])
            target = form.cleaned_data["target"]
            if request.POST.get("confirm") != "1":
                context.update(confirming=True, chosen=chosen, target=target)
                return render(request, "professional/transfer.html", context)
            with transaction.atomic():
                for episode in chosen:
                    episode.referent = target
                    episode.save()  # audited: referent old -> new
                    beneficiary = episode.beneficiary
                    if beneficiary.referent_id in (None, source.pk):
                        beneficiary.referent = target
                        beneficiary.save()
                    audit.record(
                        AuditEntry.Action.UPDATE,
                        episode,
                        changes={
                            "transfert (P9)": [source.get_full_name(), target.get_full_name()]
                        },
                    )
            messages.success(
                request,
                f"{len(chosen)} personne(s) transférée(s) de {source.get_full_name()} à "
                f"{target.get_full_name()} ; chaque transfert est inscrit au journal.",
            )
            return redirect("professional:portfolio")
        messages.error(request, FORM_ERROR)
    return render(request, "professional/transfer.html", context)


def home_context(user) -> dict:
    """For the referent's home: the people they follow below cadence (P4)."""
    from django.db.models import Q

    queryset = SupportEpisode.objects.filter(
        Q(referent=user) | Q(beneficiary__referent=user),
        programme="professional",
        ended_on__isnull=True,
    )
    rows = sorted((row for row in cadences(queryset) if row.below), key=lambda r: -r.missing)
    return {"professional_below_cadence": rows}


# --- collective actions (P2) --------------------------------------------------------------


class CollectiveActionList(ExportMixin, SearchSortPaginateMixin, generic.ListView):
    model = CollectiveAction
    template_name = "professional/action_list.html"
    export_basename = "actions-collectives"
    export_columns = [
        Column("Date", lambda a: a.on),
        Column("Type", lambda a: a.get_kind_display()),
        Column("Thème", lambda a: a.theme),
        Column("Lieu", lambda a: a.place),
        Column("Structure", lambda a: str(a.operator)),
        Column("Invités", lambda a: a.invited_count),
        Column("Présents", lambda a: a.present_count),
    ]
    sort_options = {
        "date": ("Date", ("on",)),
        "theme": ("Thème", ("theme", "on")),
        "lieu": ("Lieu", ("place", "on")),
    }
    default_sort = "-date"

    def get_queryset(self):
        from django.db.models import Count, Q

        queryset = (
            CollectiveAction.objects.visible_to(self.request.user)
            .select_related("operator")
            .annotate(
                invited_count=Count("invitations"),
                present_count=Count("invitations", filter=Q(invitations__present=True)),
            )
        )
        return self.apply_search_and_sort(queryset)


def _save_invitations(action, people) -> None:
    wanted = {person.pk for person in people}
    action.invitations.exclude(beneficiary_id__in=wanted).delete()
    existing = set(action.invitations.values_list("beneficiary_id", flat=True))
    for pk in wanted - existing:
        Invitation.objects.create(action=action, beneficiary_id=pk)


@login_required
def action_edit(request, pk=None):
    action = (
        get_object_or_404(CollectiveAction.objects.visible_to(request.user), pk=pk) if pk else None
    )
    form = CollectiveActionForm(request.POST or None, instance=action, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                if action is None:
                    form.instance.created_by = request.user
                action = form.save()
                _save_invitations(action, form.cleaned_data["invited"])
            messages.success(request, f"{action} est enregistré.")
            return redirect(action)
        messages.error(request, FORM_ERROR)
    return render(
        request,
        "professional/action_form.html",
        {"form": form, "action": action, "cancel_url": action.get_absolute_url() if action
         else reverse("professional:action_list")},
    )  # fmt: skip


@login_required
def action_detail(request, pk):
    action = get_object_or_404(
        CollectiveAction.objects.visible_to(request.user).select_related("operator"), pk=pk
    )
    visible = set(Beneficiary.objects.visible_to(request.user).values_list("pk", flat=True))
    invitations = [
        invitation
        for invitation in action.invitations.select_related("beneficiary")
        if invitation.beneficiary_id in visible
    ]
    if request.method == "POST":
        present = set(request.POST.getlist("present"))
        with transaction.atomic():
            for invitation in invitations:
                value = str(invitation.pk) in present
                if invitation.present != value:
                    invitation.present = value
                    invitation.save()
        messages.success(request, "Les présences sont enregistrées ; elles comptent comme contact.")
        return redirect(action)
    return render(
        request,
        "professional/action_detail.html",
        {"action": action, "invitations": invitations, "hidden": action.invitations.count()
         - len(invitations)},
    )  # fmt: skip
