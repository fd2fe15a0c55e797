"""Progression of a person in professional support (seed 004, P6, P10): the work areas'
checklist, dated evaluations on the 1–4 grid, barriers to employment and the actions taken,
and the Job Connexion record.

Everything hangs on a ``SupportEpisode`` (programme ``professional``) and is seen through
``SupportEpisode.objects.visible_to``: one place decides who sees what. The grid itself
(areas, items, scale) is data read from ``tremplin.rules.work_areas``.

"Job-ready" (P10: « 100 % des personnes accompagnées et prêtes à l'emploi » have their CV on
Job Connexion) is an explicit decision of the referent: the date ``job_ready_on`` on the
episode's ``ProgressRecord``. A person is job-ready from that date while the episode is
open; the Job Connexion list shows the job-ready people whose ``cv_online_on`` is empty.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.rules import work_areas
from tremplin.rules.programmes import RuleError
from tremplin.support.models import SupportEpisode
from tremplin.web.dates import french_date


def visible_episodes(user):
    return SupportEpisode.objects.visible_to(user)


class EpisodeScopedQuerySet(models.QuerySet):
    episode_path = "episode"

    def visible_to(self, user):
        return self.filter(**{f"{self.episode_path}__in": visible_episodes(user).values("pk")})


class ScoreQuerySet(EpisodeScopedQuerySet):
    episode_path = "evaluation__episode"


class BarrierActionQuerySet(EpisodeScopedQuerySet):
    episode_path = "barrier__episode"


class BarrierQuerySet(EpisodeScopedQuerySet):
    def standing_on(self, day: dt.date):
        """The barriers identified on or before ``day`` and not lifted by then (P4: the
        intensive period also concerns people whose barriers have been lifted)."""
        return self.filter(identified_on__lte=day).filter(
            Q(lifted_on__isnull=True) | Q(lifted_on__gt=day)
        )


class ProgressRecordQuerySet(EpisodeScopedQuerySet):
    def job_ready_without_cv(self):
        """P10: job-ready people of an open episode whose CV is not on Job Connexion."""
        return self.filter(
            job_ready_on__isnull=False,
            cv_online_on__isnull=True,
            episode__ended_on__isnull=True,
        )

    def search(self, text: str):
        if not text:
            return self
        condition = Q()
        for word in text.split():
            condition &= Q(episode__beneficiary__last_name__icontains=word) | Q(
                episode__beneficiary__first_names__icontains=word
            )
        return self.filter(condition)


class ProgressRecord(models.Model):
    """One per episode: when the person was declared job-ready and when their CV went online
    on Job Connexion (P6, P10)."""

    episode = models.OneToOneField(
        SupportEpisode,
        models.CASCADE,
        related_name="progress_record",
        verbose_name="accompagnement",
    )
    job_ready_on = models.DateField(
        "prêt·e à l'emploi depuis le",
        null=True,
        blank=True,
        help_text="Date à laquelle vous jugez la personne prête à l'emploi : son CV doit alors "
        "être déposé dans Job Connexion (P10).",
    )
    cv_online_on = models.DateField(
        "CV déposé dans Job Connexion le",
        null=True,
        blank=True,
        help_text="CV à jour et adapté, intégré rapidement dans Job Connexion (P6).",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ProgressRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "suivi Job Connexion"
        verbose_name_plural = "suivis Job Connexion"

    def __str__(self) -> str:
        return f"Job Connexion — {self.episode.beneficiary}"

    def clean(self):
        errors = {}
        started = self.episode.started_on
        for name in ("job_ready_on", "cv_online_on"):
            day = getattr(self, name)
            if day and started and day < started:
                errors[name] = (
                    f"Cette date précède le début de l'accompagnement ({french_date(started)}) : "
                    "indiquez une date pendant l'accompagnement (P6, P10)."
                )
        if errors:
            raise ValidationError(errors)


class WorkedItem(models.Model):
    """An item of the work areas worked with the person (the checklist, P6)."""

    episode = models.ForeignKey(
        SupportEpisode, models.CASCADE, related_name="worked_items", verbose_name="accompagnement"
    )
    item_code = models.CharField("item", max_length=60)
    worked_on = models.DateField("travaillé depuis le")

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "item travaillé"
        verbose_name_plural = "items travaillés"
        constraints = [
            models.UniqueConstraint(fields=["episode", "item_code"], name="worked_item_once"),
        ]

    def __str__(self) -> str:
        return work_areas.all_items()[self.item_code].label


class Evaluation(models.Model):
    """A dated evaluation on the grid. The first by date is the intake evaluation (derived
    from the dates, never stored); the next ones are the regular evaluations (P6, P10)."""

    episode = models.ForeignKey(
        SupportEpisode, models.CASCADE, related_name="evaluations", verbose_name="accompagnement"
    )
    evaluated_on = models.DateField("date de l'évaluation")
    comment = models.TextField("commentaire général", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation"
        ordering = ["evaluated_on", "id"]
        indexes = [models.Index(fields=["episode", "evaluated_on"])]

    def __str__(self) -> str:
        return f"Évaluation du {french_date(self.evaluated_on)}"

    def clean(self):
        episode = self.episode
        if self.evaluated_on and episode.started_on and self.evaluated_on < episode.started_on:
            raise ValidationError(
                {
                    "evaluated_on": f"L'évaluation précède le début de l'accompagnement "
                    f"({french_date(episode.started_on)}) : datez-la pendant l'accompagnement (P6)."
                }
            )
        if self.evaluated_on and episode.ended_on and self.evaluated_on > episode.ended_on:
            raise ValidationError(
                {
                    "evaluated_on": f"L'évaluation suit la fin de l'accompagnement "
                    f"({french_date(episode.ended_on)}) : datez-la pendant l'accompagnement (P6)."
                }
            )
        today = timezone.localdate()
        if self.evaluated_on and self.evaluated_on > today:
            raise ValidationError(
                {
                    "evaluated_on": f"L'évaluation est datée du {french_date(self.evaluated_on)}, "
                    "dans le futur : indiquez le jour où elle a eu lieu (au plus tard le "
                    f"{french_date(today)})."
                }
            )
        if self.evaluated_on:
            try:
                work_areas.grid(self.evaluated_on)
            except RuleError as error:
                raise ValidationError({"evaluated_on": error.message}) from None

    def is_intake(self, first_id: int | None) -> bool:
        return self.pk == first_id


class EvaluationScore(models.Model):
    """One item's score (1 to 4) and its comment. ``area`` is the item's area in the grid
    in force on the evaluation's date, stored so that the database can group by area."""

    evaluation = models.ForeignKey(
        Evaluation, models.CASCADE, related_name="scores", verbose_name="évaluation"
    )
    item_code = models.CharField("item", max_length=60)
    area = models.CharField("domaine", max_length=30)
    score = models.PositiveSmallIntegerField("note")
    comment = models.CharField("commentaire", max_length=500, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = "note d'un item"
        verbose_name_plural = "notes des items"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item_code"], name="score_once_per_item"),
            # P6, P10: the grid's scale is 1 to 4 (data/work_areas.toml).
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=4), name="score_on_the_scale"
            ),
        ]
        indexes = [models.Index(fields=["area", "evaluation"])]

    def __str__(self) -> str:
        return f"{self.item_code} : {self.score}"

    def clean(self):
        try:
            self.score = work_areas.check_score(self.score)
        except RuleError as error:
            raise ValidationError({"score": error.message}) from None


BARRIER_KINDS = [(kind.code, kind.label) for kind in work_areas.barrier_kinds()]


class Barrier(models.Model):
    """A barrier to employment (« frein »): identified on a date, lifted on another. Whether
    it is lifted is the date, never a flag (seed 004 § 4)."""

    episode = models.ForeignKey(
        SupportEpisode, models.CASCADE, related_name="barriers", verbose_name="accompagnement"
    )
    kind = models.CharField("nature du frein", max_length=20, choices=BARRIER_KINDS)
    description = models.CharField("précisions", max_length=300, blank=True)
    identified_on = models.DateField("identifié le")
    lifted_on = models.DateField("levé le", null=True, blank=True)

    objects = BarrierQuerySet.as_manager()

    class Meta:
        verbose_name = "frein"
        ordering = ["identified_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=models.F("identified_on")),
                name="barrier_lifted_after_identified",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display() + (f" ({self.description})" if self.description else "")

    def is_lifted(self, on: dt.date) -> bool:
        return self.lifted_on is not None and self.lifted_on <= on

    def clean(self):
        if self.identified_on and self.lifted_on and self.lifted_on < self.identified_on:
            raise ValidationError(
                {
                    "lifted_on": f"Le frein ne peut pas être levé avant d'avoir été identifié "
                    f"({french_date(self.identified_on)}) : corrigez l'une des deux dates."
                }
            )


class BarrierAction(models.Model):
    """An action taken to lift a barrier."""

    barrier = models.ForeignKey(
        Barrier, models.CASCADE, related_name="actions", verbose_name="frein"
    )
    done_on = models.DateField("date de l'action")
    description = models.CharField("action menée", max_length=500)

    objects = BarrierActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action sur un frein"
        verbose_name_plural = "actions sur les freins"
        ordering = ["done_on", "id"]

    def __str__(self) -> str:
        return f"{french_date(self.done_on)} — {self.description}"


for _model in (ProgressRecord, WorkedItem, Evaluation, EvaluationScore, Barrier, BarrierAction):
    audit.register(_model)
