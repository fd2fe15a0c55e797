"""Forms of the progression pages: French errors citing the rule, nothing typed lost."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tremplin.forms import BootstrapFormMixin
from tremplin.rules import work_areas
from tremplin.rules.programmes import RuleError
from tremplin.web.dates import french_date

from .models import Barrier, BarrierAction, Evaluation, ProgressRecord


class ScoreRadios(forms.RadioSelect):
    """The scale as radio buttons in a row (1 to 4, or not evaluated): one click per item,
    every value visible — not a drop-down per item."""

    template_name = "forms/widgets/score_radios.html"


class ScoreField(forms.CharField):
    """A score of the grid, or empty (item not evaluated); off the scale is a French error
    citing P6 and P10 (the radio buttons cannot send it, the API and a tampered form can)."""

    def __init__(self, **kwargs):
        choices = [
            ("", "— non évalué —"),
            *((str(v), label) for v, label in work_areas.scale().choices()),
        ]
        super().__init__(required=False, widget=ScoreRadios(choices=choices), **kwargs)

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
        previous = self.previous_evaluation(episode, on)
        before = {s.item_code: s.score for s in previous.scores.all()} if previous else {}
        self.fieldsets = [("L'évaluation", ["evaluated_on", "comment"])]
        for area in self.grid.areas:
            names = []
            for item in area.items:
                score_name, comment_name = f"score_{item.code}", f"comment_{item.code}"
                self.fields[score_name] = ScoreField(label=item.label)
                if previous is not None:
                    # The previous score beside each item: the progression reads as it is typed.
                    score = before.get(item.code)
                    self.fields[score_name].help_text = (
                        f"Évaluation précédente ({french_date(previous.evaluated_on)}) : "
                        + (f"{score}" if score is not None else "non évalué")
                    )
                self.fields[comment_name] = forms.CharField(
                    label=f"Commentaire — {item.label}", required=False, max_length=500
                )
                if item.code in existing:
                    self.initial[score_name] = str(existing[item.code].score)
                    self.initial[comment_name] = existing[item.code].comment
                names += [score_name, comment_name]
            self.fieldsets.append((f"{area.label} ({area.rule})", names))
        for name, field in self.fields.items():
            if name.startswith("comment_"):
                field.widget.attrs.setdefault("class", "form-control")

    def previous_evaluation(self, episode, on):
        """The evaluation before this one (the latest for a new one), with its scores."""
        evaluations = episode.evaluations.filter(evaluated_on__lte=on).prefetch_related("scores")
        if self.instance.pk:
            evaluations = evaluations.exclude(pk=self.instance.pk).filter(
                evaluated_on__lte=self.instance.evaluated_on
            )
        return evaluations.order_by("-evaluated_on", "-id").first()

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

    def scores(self) -> dict[str, tuple[str, int | None, str]]:
        """Each item of the grid: its area, the score typed (None: not evaluated) and the
        comment — what ``services.record_evaluation`` writes."""
        return {
            item.code: (
                item.area,
                self.cleaned_data.get(f"score_{item.code}"),
                self.cleaned_data.get(f"comment_{item.code}", ""),
            )
            for item in self.grid.items
        }


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

    def checked(self) -> set[str]:
        """The codes of the items ticked (what ``services.record_worked_items`` writes)."""
        return {item.code for item in self.grid.items if self.cleaned_data.get(item.code)}

    def worked_in_grid(self) -> dict:
        """The items already worked that this grid shows (others are left as they are)."""
        codes = {item.code for item in self.grid.items}
        return {code: row for code, row in self.worked.items() if code in codes}


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
