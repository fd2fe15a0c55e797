"""Demo data of the progression: evaluations, barriers and Job Connexion dates for a few
professional support episodes (``tremplin seed-demo``). Deterministic for a seed; idempotent
(an episode that already has an evaluation is left alone)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from tremplin.progress.models import (
    Barrier,
    BarrierAction,
    Evaluation,
    EvaluationScore,
    ProgressRecord,
    WorkedItem,
)
from tremplin.rules import work_areas
from tremplin.rules.programmes import Programme
from tremplin.support.models import SupportEpisode

ACTIONS = {
    "mobility": "Demande d'aide au permis de conduire auprès du département",
    "childcare": "Inscription en crèche à vocation d'insertion professionnelle",
    "health": "Orientation vers le bilan de santé de la CPAM",
    "housing": "Dossier de demande de logement social déposé",
    "language": "Inscription à un atelier sociolinguistique",
    "digital": "Atelier numérique : messagerie et candidature en ligne",
    "money": "Rendez-vous avec la conseillère en économie sociale et familiale",
    "administrative": "Accompagnement à la mise à jour du dossier CAF",
    "other": "Entretien dédié",
}


@transaction.atomic
def seed_progress(*, seed: int, today: dt.date, limit: int = 12) -> dict[str, int]:
    episodes = list(
        SupportEpisode.objects.filter(programme=Programme.PROFESSIONAL, started_on__lte=today)
        .exclude(evaluations__isnull=False)
        .order_by("pk")[:limit]
    )
    counts = {"evaluations": 0, "barriers": 0}
    kinds = [kind.code for kind in work_areas.barrier_kinds() if kind.code != "other"]
    for episode in episodes:
        rng = random.Random(seed * 100_003 + episode.pk)
        grid = work_areas.grid(episode.started_on)
        items = rng.sample(grid.items, k=8)
        WorkedItem.objects.bulk_create(
            WorkedItem(episode=episode, item_code=item.code, worked_on=episode.started_on)
            for item in items
        )
        scores = {item.code: rng.randint(1, 3) for item in items}
        dates = [episode.started_on]
        second = episode.started_on + dt.timedelta(days=rng.randint(45, 75))
        if second <= today:
            dates.append(second)
        for index, day in enumerate(dates):
            evaluation = Evaluation.objects.create(
                episode=episode,
                evaluated_on=day,
                comment="Évaluation d'accueil" if index == 0 else "Point d'étape",
                created_by=episode.referent,
            )
            EvaluationScore.objects.bulk_create(
                EvaluationScore(
                    evaluation=evaluation, item_code=code, area=grid.item(code).area, score=score
                )
                for code, score in scores.items()
            )
            counts["evaluations"] += 1
            scores = {code: min(4, score + rng.randint(0, 1)) for code, score in scores.items()}
        for kind in rng.sample(kinds, k=rng.randint(1, 2)):
            lifted = second if second <= today and rng.random() < 0.5 else None
            barrier = Barrier.objects.create(
                episode=episode, kind=kind, identified_on=episode.started_on, lifted_on=lifted
            )
            BarrierAction.objects.create(
                barrier=barrier,
                done_on=min(today, episode.started_on + dt.timedelta(days=14)),
                description=ACTIONS[kind],
            )
            counts["barriers"] += 1
        if len(dates) > 1:
            ProgressRecord.objects.create(
                episode=episode,
                job_ready_on=dates[-1],
                cv_online_on=dates[-1] if rng.random() < 0.5 else None,
            )
    return counts
