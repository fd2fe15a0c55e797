"""The progression's API: evaluations and barriers of a professional support episode.

Mounted with prefix "" under /api/v1 (``api.add_router("", progress_router)``). Everything
reads through ``SupportEpisode.objects.visible_to``: an episode outside the caller's scope,
or not a professional support, is a 404. Creation goes through the pages' forms: same checks,
same French errors (a score off the scale cites P6 and P10), nothing saved on an error.
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from tremplin.accounts import audit
from tremplin.rules.programmes import Programme
from tremplin.support.api import READ_OF_EPISODE
from tremplin.support.models import SupportEpisode
from tremplin.web.api.errors import NOTHING_SAVED, ErrorOut, FormInvalid, ValidationErrorOut
from tremplin.web.shortcuts import visible_object_or_404

from . import services
from .forms import BarrierForm, EvaluationForm
from .models import Barrier, Evaluation

progress_router = Router(tags=["Progression et freins"])


class ScoreOut(Schema):
    item: str
    area: str
    score: int
    comment: str


class EvaluationOut(Schema):
    id: int
    evaluated_on: dt.date
    intake: bool
    comment: str
    scores: list[ScoreOut]


class ScoreIn(Schema):
    item: str
    score: int | str
    comment: str = ""


class EvaluationIn(Schema):
    evaluated_on: dt.date
    comment: str = ""
    scores: list[ScoreIn]


class ActionOut(Schema):
    done_on: dt.date
    description: str


class BarrierOut(Schema):
    id: int
    kind: str
    kind_label: str
    description: str
    identified_on: dt.date
    lifted_on: dt.date | None
    actions: list[ActionOut]


class BarrierIn(Schema):
    kind: str
    description: str = ""
    identified_on: dt.date
    lifted_on: dt.date | None = None


def _episode(request, episode_id: int) -> SupportEpisode:
    return visible_object_or_404(
        SupportEpisode.objects.filter(programme=Programme.PROFESSIONAL).select_related(
            "beneficiary"
        ),
        request,
        episode_id,
    )


def _evaluation_out(evaluation: Evaluation, first_id: int | None) -> dict:
    return {
        "id": evaluation.pk,
        "evaluated_on": evaluation.evaluated_on,
        "intake": evaluation.pk == first_id,
        "comment": evaluation.comment,
        "scores": [
            {"item": s.item_code, "area": s.area, "score": s.score, "comment": s.comment}
            for s in evaluation.scores.all()
        ],
    }


def _barrier_out(barrier: Barrier) -> dict:
    return {
        "id": barrier.pk,
        "kind": barrier.kind,
        "kind_label": barrier.get_kind_display(),
        "description": barrier.description,
        "identified_on": barrier.identified_on,
        "lifted_on": barrier.lifted_on,
        "actions": [
            {"done_on": a.done_on, "description": a.description} for a in barrier.actions.all()
        ],
    }


@progress_router.get(
    "/episodes/{episode_id}/evaluations",
    response={200: list[EvaluationOut], 404: ErrorOut},
    summary="Les évaluations de la grille (P6, P10), la première étant celle d'accueil",
    description=READ_OF_EPISODE,
)
def list_evaluations(request, episode_id: int):
    episode = _episode(request, episode_id)
    evaluations = list(episode.evaluations.prefetch_related("scores"))
    audit.record_views([episode, *evaluations])
    first_id = evaluations[0].pk if evaluations else None
    return [_evaluation_out(e, first_id) for e in evaluations]


@progress_router.post(
    "/episodes/{episode_id}/evaluations",
    response={201: EvaluationOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Enregistrer une évaluation : une note de 1 à 4 par item (P6, P10)",
)
def create_evaluation(request, episode_id: int, payload: EvaluationIn):
    episode = _episode(request, episode_id)
    form = EvaluationForm(
        {"evaluated_on": payload.evaluated_on.isoformat(), "comment": payload.comment},
        episode=episode,
    )
    known = {item.code for item in form.grid.items}
    unknown = [s.item for s in payload.scores if s.item not in known]
    if unknown:
        return Status(
            422,
            {
                "detail": NOTHING_SAVED,
                "errors": {
                    "scores": [
                        f"Item de la grille inconnu : « {code} ». Les items sont ceux des six "
                        "domaines de travail (P6) : " + ", ".join(sorted(known)) + "."
                        for code in unknown
                    ]
                },
            },
        )
    data = form.data.copy()
    for score in payload.scores:
        data[f"score_{score.item}"] = str(score.score)
        data[f"comment_{score.item}"] = score.comment
    form = EvaluationForm(data, episode=episode)
    if not form.is_valid():
        raise FormInvalid(form)
    form.instance.created_by = request.user
    evaluation = services.record_evaluation(form.save(commit=False), form.scores())
    first_id = episode.evaluations.order_by("evaluated_on", "id").values_list("pk", flat=True)[0]
    return Status(201, _evaluation_out(evaluation, first_id))


@progress_router.get(
    "/episodes/{episode_id}/barriers",
    response={200: list[BarrierOut], 404: ErrorOut},
    summary="Les freins à l'emploi, leurs dates et les actions menées",
    description=READ_OF_EPISODE,
)
def list_barriers(request, episode_id: int):
    episode = _episode(request, episode_id)
    barriers = list(episode.barriers.prefetch_related("actions"))
    # A barrier's string form holds its description (free text, health or housing perhaps):
    # its row names it by its kind, the description stays out of the log.
    audit.record_views([episode, *barriers], describe=_described)
    return [_barrier_out(b) for b in barriers]


def _described(record) -> str:
    return f"Frein : {record.get_kind_display()}" if isinstance(record, Barrier) else str(record)


@progress_router.post(
    "/episodes/{episode_id}/barriers",
    response={201: BarrierOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Enregistrer un frein à l'emploi",
)
def create_barrier(request, episode_id: int, payload: BarrierIn):
    episode = _episode(request, episode_id)
    data = payload.dict()
    data["lifted_on"] = data["lifted_on"].isoformat() if data["lifted_on"] else ""
    data["identified_on"] = data["identified_on"].isoformat()
    form = BarrierForm(data, episode=episode)
    if not form.is_valid():
        raise FormInvalid(form)
    barrier = form.save()
    return Status(201, _barrier_out(barrier))
