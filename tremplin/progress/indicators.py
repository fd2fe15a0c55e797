"""Skills progression (P10: « la montée en compétences du bénéficiaire du rSa est à
valoriser avec des données objectives »), computed by the database.

``skills_progression(episodes)`` answers, per operator and work area: among the people who
have at least two evaluations scoring the area, how many saw the area's mean score rise
between their first and their latest evaluation, and the share. The first and latest
evaluations, the area means and the counts are all SQL (subqueries and aggregates): one
query whatever the number of people. Outcomes may call it with any queryset of
support episodes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, FloatField, OuterRef, Q, Subquery

from tremplin.rules import work_areas

from .models import Evaluation, EvaluationScore, ProgressRecord


def _area_mean(area: str, evaluation_ref: str) -> Subquery:
    scores = (
        EvaluationScore.objects.filter(evaluation_id=OuterRef(evaluation_ref), area=area)
        .order_by()
        .values("evaluation_id")
        .annotate(mean=Avg("score"))
        .values("mean")[:1]
    )
    return Subquery(scores, output_field=FloatField())


def _evaluation(order: tuple[str, ...]) -> Subquery:
    return Subquery(
        Evaluation.objects.filter(episode_id=OuterRef("pk")).order_by(*order).values("pk")[:1]
    )


def skills_progression(episodes) -> list[dict]:
    """Per operator and area, for the episodes of ``episodes`` (a queryset of
    ``SupportEpisode``): a dict with ``operator_id``, ``operator`` (name or ""), ``area``,
    ``area_label``, ``people`` (people with a first and a distinct latest evaluation both
    scoring the area), ``rose`` (of them, whose mean rose) and ``share`` (percent, Decimal
    to one decimal, None when ``people`` is 0). Operators without any evaluated person
    are left out; the rows are sorted by operator name then area in the grid's order."""
    areas = list(work_areas.area_labels())
    # Only the episodes with an evaluation can count (an operator without any is left
    # out): the others are not given the per-area subqueries. They are kept by ``IN`` the
    # evaluated episodes' keys, read once from the evaluations' index, rather than by an
    # ``EXISTS`` asked of every episode (8,000 supports of the bench's year on SQLite:
    # 38 -> 22 ms).
    queryset = (
        episodes.order_by()
        .filter(pk__in=Evaluation.objects.order_by().values("episode_id"))
        .alias(
            first_evaluation=_evaluation(("evaluated_on", "id")),
            latest_evaluation=_evaluation(("-evaluated_on", "-id")),
        )
    )
    two_evaluations = Q(first_evaluation__isnull=False) & ~Q(
        first_evaluation=F("latest_evaluation")
    )
    aggregates = {}
    means = {}
    for index, area in enumerate(areas):
        means[f"first_{index}"] = _area_mean(area, "first_evaluation")
        means[f"latest_{index}"] = _area_mean(area, "latest_evaluation")
    # All at once: each ``alias()`` copies the query built so far (the areas' subqueries
    # one by one cost 40 ms of Python per page).
    queryset = queryset.alias(**means)
    for index in range(len(areas)):
        both = Q(**{f"first_{index}__isnull": False, f"latest_{index}__isnull": False})
        aggregates[f"people_{index}"] = Count("pk", filter=two_evaluations & both)
        aggregates[f"rose_{index}"] = Count(
            "pk",
            filter=two_evaluations & both & Q(**{f"latest_{index}__gt": F(f"first_{index}")}),
        )
    rows = (
        queryset.values("operator_id", "operator__name")
        .annotate(**aggregates)
        .order_by("operator__name", "operator_id")
    )
    labels = work_areas.area_labels()
    result = []
    for row in rows:
        if not any(row[f"people_{i}"] for i in range(len(areas))):
            continue
        for index, area in enumerate(areas):
            people, rose = row[f"people_{index}"], row[f"rose_{index}"]
            share = (
                (Decimal(rose * 100) / people).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                if people
                else None
            )
            result.append(
                {
                    "operator_id": row["operator_id"],
                    "operator": row["operator__name"] or "",
                    "area": area,
                    "area_label": labels[area],
                    "people": people,
                    "rose": rose,
                    "share": share,
                }
            )
    return result


def job_connexion_rate(episodes) -> dict:
    """P10: among the job-ready people of ``episodes`` (open episodes whose progress record
    has a « prêt·e à l'emploi » date), how many have their CV on Job Connexion; the target
    is 100 %. One query. ``share`` is a percent (Decimal, one decimal) or None."""
    counts = ProgressRecord.objects.filter(
        episode__in=episodes.filter(ended_on__isnull=True).values("pk"),
        job_ready_on__isnull=False,
    ).aggregate(job_ready=Count("pk"), cv_online=Count("pk", filter=Q(cv_online_on__isnull=False)))
    share = (
        (Decimal(counts["cv_online"] * 100) / counts["job_ready"]).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        if counts["job_ready"]
        else None
    )
    return {**counts, "share": share}
