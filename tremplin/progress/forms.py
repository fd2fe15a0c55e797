"""Forms of the progression pages: French errors citing the rule, nothing typed lost."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tremplin.forms import BootstrapFormMixin
from tremplin.rules import work_areas
from tremplin.rules.programmes import RuleError
from tremplin.web.dates import french_date

from .models import Barrier, BarrierAction, Evaluation, EvaluationScore, ProgressRecord, WorkedItem


class ScoreField(forms.CharField):
    """A score of the grid, or empty (item not evaluated); off the scale is a French error
    citing P6 and P10 (a select cannot send it, the API and a tampered form can)."""

    def __init__(self, **kwargs):
        choices = [
            ("", "— non évalué —"),
            *((str(v), label) for v, label in work_areas.scale().choices()),
        ]
        super().__init__(required=False, widget=forms.Select(choices=choices), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            return work_areas.check_score(value)
        except RuleError as error:
            raise ValidationError(error.message) from None


class EvaluationForm(BootstrapFormMixin, forms.ModelForm):
    """The grid: a date, a general comment, and for each item of the six areas a score
    from 1 to 4 (or nothing) and a comment (P6, P10)."""

    class Meta:
        model = Evaluation
        fields = ["evaluated_on", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.episode = episode
        on = self.instance.evaluated_on or timezone.localdate()
        if not self.instance.pk:
            self.initial.setdefault("evaluated_on", on)
        self.grid = work_areas.grid(max(on, work_areas.grids()[0].valid_from))
        existing = {s.item_code: s for s in self.instance.scores.all()} if self.instance.pk else {}
        self.fieldsets = [("L'évaluation", ["evaluated_on", "comment"])]
        for area in self.grid.areas:
            names = []
            for item in area.items:
                score_name, comment_name = f"score_{item.code}", f"comment_{item.code}"
                self.fields[score_name] = ScoreField(label=item.label)
                self.fields[comment_name] = forms.CharField(
                    label=f"Commentaire — {item.label}", required=False, max_length=500
                )
                if item.code in existing:
                    self.initial[score_name] = str(existing[item.code].score)
                    self.initial[comment_name] = existing[item.code].comment
                names += [score_name, comment_name]
            self.fieldsets.append((f"{area.label} ({area.rule})", names))
        for name, field in self.fields.items():
            if name.startswith(("score_", "comment_")):
                css = "form-select" if name.startswith("score_") else "form-control"
                field.widget.attrs.setdefault("class", css)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(
            cleaned.get(f"score_{item.code}") for item in self.grid.items
        ):
            raise ValidationError(
                "Notez au moins un item de la grille, de 1 (à travailler) à 4 (acquis) : une "
                "évaluation sans note ne mesure pas la progression (P10)."
            )
        for item in self.grid.items:
            name = f"score_{item.code}"
            if (
                cleaned.get(f"comment_{item.code}")
                and not cleaned.get(name)
                and name not in self.errors
            ):
                self.add_error(
                    name,
                    "Vous avez commenté cet item sans le noter : choisissez une note de 1 à 4 "
                    "(P6, P10).",
                )
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        evaluation = super().save()
        existing = {s.item_code: s for s in evaluation.scores.all()}
        for item in self.grid.items:
            score = self.cleaned_data.get(f"score_{item.code}")
            comment = self.cleaned_data.get(f"comment_{item.code}", "")
            row = existing.get(item.code)
            if score is None:
                if row is not None:
                    row.delete()
                continue
            row = row or EvaluationScore(evaluation=evaluation, item_code=item.code)
            row.area, row.score, row.comment = item.area, score, comment
            row.full_clean()
            row.save()
        return evaluation


class ChecklistForm(forms.Form):
    """The items of the six areas worked with the person (P6): a checkbox each."""

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.grid = work_areas.grid(max(episode.started_on, work_areas.grids()[0].valid_from))
        self.worked = {w.item_code: w for w in episode.worked_items.all()}
        for item in self.grid.items:
            self.fields[item.code] = forms.BooleanField(
                label=item.label,
                required=False,
                initial=item.code in self.worked,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def areas(self):
        return [
            (area, [(self[item.code], self.worked.get(item.code)) for item in area.items])
            for area in self.grid.areas
        ]

    @transaction.atomic
    def save(self) -> tuple[int, int]:
        today = timezone.localdate()
        added = removed = 0
        for item in self.grid.items:
            checked = self.cleaned_data.get(item.code)
            row = self.worked.get(item.code)
            if checked and row is None:
                WorkedItem.objects.create(
                    episode=self.episode, item_code=item.code, worked_on=today
                )
                added += 1
            elif not checked and row is not None:
                row.delete()
                removed += 1
        return added, removed


class BarrierForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Barrier
        fields = ["kind", "description", "identified_on", "lifted_on"]

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.episode = episode
        if not self.instance.pk:
            self.initial.setdefault("identified_on", timezone.localdate())


class BarrierActionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = BarrierAction
        fields = ["done_on", "description"]

    def __init__(self, *args, barrier, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.barrier = barrier
        self.initial.setdefault("done_on", timezone.localdate())

    def clean_done_on(self):
        day = self.cleaned_data["done_on"]
        identified = self.instance.barrier.identified_on
        if day and day < identified:
            raise ValidationError(
                f"L'action précède l'identification du frein ({french_date(identified)}) : "
                "corrigez la date."
            )
        return day


class JobConnexionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProgressRecord
        fields = ["job_ready_on", "cv_online_on"]
