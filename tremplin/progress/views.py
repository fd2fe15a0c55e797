"""Pages of the progression (P6, P10). Thin: access through
``SupportEpisode.objects.visible_to`` (a professional episode outside the user's scope is a
404), the grid and the scale from ``tremplin.rules.work_areas``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
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
from tremplin.web.dates import french_date
from tremplin.web.exports import FORMATS, Column, ExportMixin, ExportSource, export_response
from tremplin.web.form_pages import NOT_SAVED, form_error, form_page, save_in_savepoint
from tremplin.web.french import of
from tremplin.web.listing import SearchSortPaginateMixin
from tremplin.web.shortcuts import visible_object_or_404

from . import services
from .charts import progression_chart
from .forms import BarrierActionForm, BarrierForm, ChecklistForm, EvaluationForm, JobConnexionForm
from .indicators import job_connexion_rate, skills_progression
from .models import BarrierAction, Evaluation, EvaluationScore, ProgressRecord


def professional_episodes():
    """The professional supports with the people their pages show (one query); read them
    through ``visible_object_or_404`` (a support outside the user's scope is a 404)."""
    return SupportEpisode.objects.filter(programme=Programme.PROFESSIONAL).select_related(
        "beneficiary", "referent", "operator"
    )


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
                "label": french_date(evaluation.evaluated_on),
                "intake": index == 0,
                "scores": scores,
                "means": work_areas.area_means(scores, evaluation.evaluated_on),
            }
        )
    return rows


def checklist_message(added: int, removed: int) -> str:
    return (
        f"Domaines de travail enregistrés : {added} item{'s' if added > 1 else ''} "
        f"ajouté{'s' if added > 1 else ''}, {removed} retiré{'s' if removed > 1 else ''}."
    )


def chart_of(episode, rows):
    """The progression chart of the evaluations, described in words (RGAA); None without
    an evaluation."""
    if not rows:
        return None
    if len(rows) == 1:
        when = f"à l'évaluation du {rows[0]['label']}. "
    else:
        when = (
            f"à chacune des {len(rows)} évaluations, du {rows[0]['label']} au {rows[-1]['label']}. "
        )
    return progression_chart(
        rows,
        title=f"Progression {of(episode.beneficiary)} par domaine de travail",
        description="Note moyenne de chaque domaine (de 1, à travailler, à 4, acquis) "
        + when
        + "Les valeurs figurent dans le tableau qui suit.",
    )


def evaluations_context(episode) -> dict:
    """The evaluations: area means per evaluation (chart and table), item scores per area."""
    rows = evaluation_rows(list(episode.evaluations.prefetch_related("scores")))
    areas = list(work_areas.area_labels().items())
    grid = work_areas.grid(max(episode.started_on, work_areas.grids()[0].valid_from))
    return {
        "rows": rows,
        "table": [
            {"row": row, "means": [row["means"].get(code) for code, _ in areas]} for row in rows
        ],
        "item_table": [
            (area, [(item, [row["scores"].get(item.code) for row in rows]) for item in area.items])
            for area in grid.areas
        ],
        "areas": areas,
        "chart": chart_of(episode, rows),
    }


@login_required
def episode_progress(request, pk):
    episode = visible_object_or_404(professional_episodes(), request, pk)
    audit.record_view(episode)
    checklist = ChecklistForm(request.POST or None, episode=episode)
    if request.method == "POST":

        def save():
            return services.record_worked_items(
                episode, checklist.checked(), checklist.worked_in_grid(), timezone.localdate()
            )

        if checklist.is_valid() and (counts := save_in_savepoint(checklist, save)) is not NOT_SAVED:
            messages.success(request, checklist_message(*counts))
            return redirect(overview_url(episode, "domaines"))
        form_error(request)
    barriers = episode.barriers.prefetch_related(
        Prefetch("actions", queryset=BarrierAction.objects.all())
    )
    return render(
        request,
        "progress/episode.html",
        {
            "episode": episode,
            "checklist": checklist,
            **evaluations_context(episode),
            "barriers": list(barriers),
            "record": ProgressRecord.objects.filter(episode=episode).first(),
            "today": timezone.localdate(),
            "scale": work_areas.scale(),
        },
    )


@login_required
def evaluation_edit(request, pk, evaluation_pk=None):
    episode = visible_object_or_404(professional_episodes(), request, pk)
    evaluation = (
        get_object_or_404(episode.evaluations.prefetch_related("scores"), pk=evaluation_pk)
        if evaluation_pk
        else None
    )
    form = EvaluationForm(request.POST or None, instance=evaluation, episode=episode)
    if evaluation is None:
        form.instance.created_by = request.user
    first = episode.evaluations.order_by("evaluated_on", "id").values_list("pk", flat=True).first()
    is_intake = first is None or (evaluation is not None and evaluation.pk == first)
    title = ("Évaluation d'accueil" if is_intake else "Évaluation de suivi") + (
        f" du {french_date(evaluation.evaluated_on)}" if evaluation else ""
    )
    return form_page(
        request,
        form,
        "progress/evaluation_form.html",
        {
            "episode": episode,
            "title": title,
            "scale": work_areas.scale(),
            "cancel_url": overview_url(episode, "evaluations"),
        },
        save=lambda: services.record_evaluation(form.save(commit=False), form.scores()),
        success="{object} enregistrée.",
        next_url=overview_url(episode, "evaluations"),
    )


def progress_form_page(request, episode, form, *, title, intro, anchor, success):
    """A form of the progression, back to its section of the overview once saved."""
    return form_page(
        request,
        form,
        "progress/simple_form.html",
        {
            "episode": episode,
            "title": title,
            "intro": intro,
            "cancel_url": overview_url(episode, anchor),
        },
        success=success,
        next_url=overview_url(episode, anchor),
    )


@login_required
def barrier_edit(request, pk, barrier_pk=None):
    episode = visible_object_or_404(professional_episodes(), request, pk)
    barrier = get_object_or_404(episode.barriers, pk=barrier_pk) if barrier_pk else None
    form = BarrierForm(request.POST or None, instance=barrier, episode=episode)
    return progress_form_page(
        request,
        episode,
        form,
        title="Modifier le frein" if barrier else "Nouveau frein",
        intro="Un frein est levé à la date que vous indiquez ; laissez-la vide tant qu'il demeure.",
        anchor="freins",
        success="Le frein est enregistré.",
    )


@login_required
def barrier_action_create(request, pk, barrier_pk):
    episode = visible_object_or_404(professional_episodes(), request, pk)
    barrier = get_object_or_404(episode.barriers, pk=barrier_pk)
    form = BarrierActionForm(request.POST or None, barrier=barrier)
    return progress_form_page(
        request,
        episode,
        form,
        title=f"Action sur le frein : {barrier}",
        intro="",
        anchor="freins",
        success="L'action est enregistrée.",
    )


@login_required
def job_connexion_edit(request, pk):
    episode = visible_object_or_404(professional_episodes(), request, pk)
    record = ProgressRecord.objects.filter(episode=episode).first() or ProgressRecord(
        episode=episode
    )
    form = JobConnexionForm(request.POST or None, instance=record)
    return progress_form_page(
        request,
        episode,
        form,
        title="Job Connexion",
        intro="Indiquez la date à laquelle vous jugez la personne prête à l'emploi, puis celle "
        "du dépôt de son CV dans Job Connexion : 100 % des personnes prêtes à l'emploi doivent "
        "y avoir leur CV (P6, P10).",
        anchor="job-connexion",
        success="Les dates Job Connexion sont enregistrées.",
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
        source = ExportSource.of_rows(rows, EvaluationScore)
        return export_response(
            fmt, "progression-competences", SKILLS_COLUMNS, source, request=request
        )
    operators: dict = {}
    for row in rows:
        operators.setdefault((row["operator_id"], row["operator"]), []).append(row)
    return render(
        request,
        "progress/skills_progression.html",
        {"operators": [(name, areas) for (_, name), areas in operators.items()]},
    )
