"""Pages of the progression (P6, P10). Thin: access through
``SupportEpisode.objects.visible_to`` (a professional episode outside the user's scope is a
404), the grid and the scale from ``tremplin.rules.work_areas``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.rules import work_areas
from tremplin.rules.programmes import Programme
from tremplin.support.models import SupportEpisode
from tremplin.web.exports import FORMATS, Column, ExportMixin, export_response
from tremplin.web.listing import SearchSortPaginateMixin

from .charts import progression_chart
from .forms import BarrierActionForm, BarrierForm, ChecklistForm, EvaluationForm, JobConnexionForm
from .indicators import job_connexion_rate, skills_progression
from .models import BarrierAction, Evaluation, EvaluationScore, ProgressRecord

FORM_ERROR = (
    "Le formulaire contient des erreurs, signalées sous chaque champ concerné. Rien n'a été "
    "enregistré ; ce que vous avez saisi est conservé."
)


def professional_episode(request, pk) -> SupportEpisode:
    queryset = (
        SupportEpisode.objects.visible_to(request.user)
        .filter(programme=Programme.PROFESSIONAL)
        .select_related("beneficiary", "referent", "operator")
    )
    return get_object_or_404(queryset, pk=pk)


def overview_url(episode, anchor: str = "") -> str:
    return reverse("progress:episode", args=[episode.pk]) + (f"#{anchor}" if anchor else "")


def evaluation_rows(evaluations: list[Evaluation]) -> list[dict]:
    """One row per evaluation with its area means (the chart and its table)."""
    rows = []
    for index, evaluation in enumerate(evaluations):
        scores = {s.item_code: s.score for s in evaluation.scores.all()}
        rows.append(
            {
                "evaluation": evaluation,
                "label": evaluation.evaluated_on.strftime("%d/%m/%Y"),
                "intake": index == 0,
                "scores": scores,
                "means": work_areas.area_means(scores, evaluation.evaluated_on),
            }
        )
    return rows


@login_required
def episode_progress(request, pk):
    episode = professional_episode(request, pk)
    audit.record_view(episode)
    checklist = ChecklistForm(request.POST or None, episode=episode)
    if request.method == "POST":
        if checklist.is_valid():
            added, removed = checklist.save()
            messages.success(
                request,
                f"Domaines de travail enregistrés : {added} item{'s' if added > 1 else ''} "
                f"ajouté{'s' if added > 1 else ''}, {removed} retiré{'s' if removed > 1 else ''}.",
            )
            return redirect(overview_url(episode, "domaines"))
        messages.error(request, FORM_ERROR)
    evaluations = list(episode.evaluations.prefetch_related("scores"))
    rows = evaluation_rows(evaluations)
    areas = list(work_areas.area_labels().items())
    table = [{"row": row, "means": [row["means"].get(code) for code, _ in areas]} for row in rows]
    grid = work_areas.grid(max(episode.started_on, work_areas.grids()[0].valid_from))
    item_table = [
        (area, [(item, [row["scores"].get(item.code) for row in rows]) for item in area.items])
        for area in grid.areas
    ]
    name = str(episode.beneficiary)
    chart = None
    if rows:
        chart = progression_chart(
            rows,
            title=f"Progression de {name} par domaine de travail",
            description=(
                "Note moyenne de chaque domaine (de 1, à travailler, à 4, acquis) "
                + (
                    f"à l'évaluation du {rows[0]['label']}. "
                    if len(rows) == 1
                    else f"à chacune des {len(rows)} évaluations, du {rows[0]['label']} au "
                    f"{rows[-1]['label']}. "
                )
                + "Les valeurs figurent dans le tableau qui suit."
            ),
        )
    barriers = list(
        episode.barriers.prefetch_related(Prefetch("actions", queryset=BarrierAction.objects.all()))
    )
    record = ProgressRecord.objects.filter(episode=episode).first()
    return render(
        request,
        "progress/episode.html",
        {
            "episode": episode,
            "checklist": checklist,
            "rows": rows,
            "table": table,
            "item_table": item_table,
            "areas": areas,
            "chart": chart,
            "barriers": barriers,
            "record": record,
            "today": timezone.localdate(),
            "scale": work_areas.scale(),
        },
    )


@login_required
def evaluation_edit(request, pk, evaluation_pk=None):
    episode = professional_episode(request, pk)
    evaluation = (
        get_object_or_404(episode.evaluations.prefetch_related("scores"), pk=evaluation_pk)
        if evaluation_pk
        else None
    )
    form = EvaluationForm(request.POST or None, instance=evaluation, episode=episode)
    if request.method == "POST":
        if form.is_valid():
            if evaluation is None:
                form.instance.created_by = request.user
            form.save()
            messages.success(request, f"{form.instance} enregistrée.")
            return redirect(overview_url(episode, "evaluations"))
        messages.error(request, FORM_ERROR)
    first = episode.evaluations.order_by("evaluated_on", "id").values_list("pk", flat=True).first()
    is_intake = first is None or (evaluation is not None and evaluation.pk == first)
    title = ("Évaluation d'accueil" if is_intake else "Évaluation de suivi") + (
        f" du {evaluation.evaluated_on:%d/%m/%Y}" if evaluation else ""
    )
    return render(
        request,
        "progress/evaluation_form.html",
        {
            "form": form,
            "episode": episode,
            "title": title,
            "scale": work_areas.scale(),
            "cancel_url": overview_url(episode, "evaluations"),
        },
    )


def _simple_form(request, episode, form, title, intro, anchor, success):
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, success)
            return redirect(overview_url(episode, anchor))
        messages.error(request, FORM_ERROR)
    return render(
        request,
        "progress/simple_form.html",
        {
            "form": form,
            "episode": episode,
            "title": title,
            "intro": intro,
            "cancel_url": overview_url(episode, anchor),
        },
    )


@login_required
def barrier_edit(request, pk, barrier_pk=None):
    episode = professional_episode(request, pk)
    barrier = get_object_or_404(episode.barriers, pk=barrier_pk) if barrier_pk else None
    form = BarrierForm(request.POST or None, instance=barrier, episode=episode)
    return _simple_form(
        request,
        episode,
        form,
        "Modifier le frein" if barrier else "Nouveau frein",
        "Un frein est levé à la date que vous indiquez ; laissez-la vide tant qu'il demeure.",
        "freins",
        "Le frein est enregistré.",
    )


@login_required
def barrier_action_create(request, pk, barrier_pk):
    episode = professional_episode(request, pk)
    barrier = get_object_or_404(episode.barriers, pk=barrier_pk)
    form = BarrierActionForm(request.POST or None, barrier=barrier)
    return _simple_form(
        request,
        episode,
        form,
        f"Action sur le frein : {barrier}",
        "",
        "freins",
        "L'action est enregistrée.",
    )


@login_required
def job_connexion_edit(request, pk):
    episode = professional_episode(request, pk)
    record = ProgressRecord.objects.filter(episode=episode).first() or ProgressRecord(
        episode=episode
    )
    form = JobConnexionForm(request.POST or None, instance=record)
    return _simple_form(
        request,
        episode,
        form,
        "Job Connexion",
        "Indiquez la date à laquelle vous jugez la personne prête à l'emploi, puis celle du "
        "dépôt de son CV dans Job Connexion : 100 % des personnes prêtes à l'emploi doivent "
        "y avoir leur CV (P6, P10).",
        "job-connexion",
        "Les dates Job Connexion sont enregistrées.",
    )


class JobConnexionMissing(
    LoginRequiredMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView
):
    """P10: the job-ready people (open professional support, « prêt·e à l'emploi » date set)
    whose CV is not on Job Connexion, in the user's scope."""

    template_name = "progress/job_connexion_list.html"
    export_basename = "job-connexion-cv-manquants"
    export_columns = [
        Column("Bénéficiaire", lambda r: str(r.episode.beneficiary)),
        Column("Structure", lambda r: str(r.episode.operator or "")),
        Column(
            "Référent·e", lambda r: r.episode.referent.get_full_name() if r.episode.referent else ""
        ),
        Column("Accompagnement depuis le", lambda r: r.episode.started_on),
        Column("Prêt·e à l'emploi depuis le", lambda r: r.job_ready_on),
    ]
    sort_options = {
        "pret": ("Prêt·e à l'emploi depuis le", ("job_ready_on",)),
        "nom": (
            "Bénéficiaire",
            ("episode__beneficiary__last_name", "episode__beneficiary__first_names"),
        ),
        "referent": ("Référent·e", ("episode__referent__last_name",)),
        "debut": ("Accompagnement depuis le", ("episode__started_on",)),
    }
    default_sort = "pret"

    def get_queryset(self):
        queryset = (
            ProgressRecord.objects.visible_to(self.request.user)
            .job_ready_without_cv()
            .filter(episode__programme=Programme.PROFESSIONAL)
            .select_related("episode__beneficiary", "episode__referent", "episode__operator")
        )
        return self.apply_search_and_sort(queryset)

    def get_context_data(self, **kwargs):
        episodes = SupportEpisode.objects.visible_to(self.request.user).filter(
            programme=Programme.PROFESSIONAL
        )
        return {
            **super().get_context_data(**kwargs),
            "today": timezone.localdate(),
            "rate": job_connexion_rate(episodes),
        }


class _Rows(list):
    """A computed table handed to ``export_response`` (which audits the export under the
    model's name and iterates the rows)."""

    model = EvaluationScore

    def iterator(self, chunk_size=None):
        return iter(self)


SKILLS_COLUMNS = [
    Column("Structure", lambda r: r["operator"]),
    Column("Domaine de travail", lambda r: r["area_label"]),
    Column("Personnes évaluées au moins deux fois", lambda r: r["people"]),
    Column("Personnes en progression", lambda r: r["rose"]),
    Column("Part en progression (%)", lambda r: r["share"]),
]


@login_required
def skills_progression_page(request):
    """P10 for coordinators, département agents and admins: per operator and area, the share
    of people whose mean score rose between their first and latest evaluation."""
    scope = scope_of(request.user)
    if not (scope.is_admin or scope.coordinated_operator_ids or scope.agent_territory_ids):
        raise Http404("Page réservée aux coordinateurs et aux agents du département.")
    episodes = SupportEpisode.objects.visible_to(request.user).filter(
        programme=Programme.PROFESSIONAL
    )
    rows = skills_progression(episodes)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(fmt, "progression-competences", SKILLS_COLUMNS, _Rows(rows))
    operators: dict = {}
    for row in rows:
        operators.setdefault((row["operator_id"], row["operator"]), []).append(row)
    return render(
        request,
        "progress/skills_progression.html",
        {"operators": [(name, areas) for (_, name), areas in operators.items()]},
    )
