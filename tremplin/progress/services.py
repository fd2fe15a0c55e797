"""Changes of the progression that touch several rows, each in one transaction (docs/
decisions.md, "One path for side effects"): an evaluation with its scores on the grid (P6,
P10), the items of the work areas worked with the person (P6). Pages and the API call these.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import Evaluation, EvaluationScore, WorkedItem


@transaction.atomic
def record_evaluation(evaluation: Evaluation, scores: dict) -> Evaluation:
    """The evaluation and one score row per item evaluated (``EvaluationForm.scores``): an
    item no longer evaluated loses its row."""
    evaluation.save()
    existing = {score.item_code: score for score in evaluation.scores.all()}
    for code, (area, value, comment) in scores.items():
        row = existing.get(code)
        if value is None:
            if row is not None:
                row.delete()
            continue
        row = row or EvaluationScore(evaluation=evaluation, item_code=code)
        row.area, row.score, row.comment = area, value, comment
        row.full_clean()
        row.save()
    return evaluation


@transaction.atomic
def record_worked_items(episode, checked: set[str], worked: dict, day: dt.date) -> tuple[int, int]:
    """The items worked with the person (P6): those newly ticked are dated ``day``, those
    unticked go. Gives (added, removed)."""
    added = removed = 0
    for code in sorted(checked - set(worked)):
        WorkedItem.objects.create(episode=episode, item_code=code, worked_on=day)
        added += 1
    for code, row in worked.items():
        if code not in checked:
            row.delete()
            removed += 1
    return added, removed
