"""Forms of the outcomes: a situation, and the frame of an exit to classify.

Every refusal is a French sentence that keeps what was typed; the situation's checks are
the rules' (``tremplin.rules.outcomes`` through ``checks.new_situation_errors``).
"""

from django import forms
from django.utils import timezone

from tremplin.accounts.models import Membership, Organisation, Role, Territory, User
from tremplin.forms import BootstrapFormMixin
from tremplin.registry.models import Employer
from tremplin.rules import outcomes as rules
from tremplin.rules.programmes import Programme
from tremplin.support.models import ProgrammeChoices
from tremplin.web.dates import french_date

from .checks import new_situation_errors
from .models import PERCENTAGE_INDICATORS, AgreementTarget, Situation

# Wide enough that 60 or 100 reaches the rules' own check, which cites the legal maximum
# (L3121-20), instead of a message about the number of digits.
HOURS_MAX_DIGITS = 6


class SituationForm(BootstrapFormMixin, forms.ModelForm):
    weekly_hours = forms.DecimalField(
        label=Situation._meta.get_field("weekly_hours").verbose_name.capitalize(),
        help_text=Situation._meta.get_field("weekly_hours").help_text,
        required=False,
        max_digits=HOURS_MAX_DIGITS,
        decimal_places=2,
        localize=True,
    )
    company_full_time_hours = forms.DecimalField(
        label=Situation._meta.get_field("company_full_time_hours").verbose_name.capitalize(),
        help_text=Situation._meta.get_field("company_full_time_hours").help_text,
        required=False,
        max_digits=HOURS_MAX_DIGITS,
        decimal_places=2,
        localize=True,
    )

    class Meta:
        model = Situation
        fields = [
            "kind", "start", "end",
            "weekly_hours", "company_full_time_hours", "in_siae", "permanent_contract",
            "supported_contract", "employer", "employer_name",
            "qualifying", "rncp_listed", "appointment",
            "notes",
        ]  # fmt: skip
        widgets = {
            "start": forms.DateInput,
            "end": forms.DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    fieldsets = [
        ("Situation", ["kind", "start", "end"]),
        (
            "Emploi",
            ["weekly_hours", "company_full_time_hours", "in_siae", "permanent_contract",
             "supported_contract", "employer", "employer_name"],
        ),
        ("Formation, concours", ["qualifying", "rncp_listed", "appointment"]),
        ("Remarques", ["notes"]),
    ]  # fmt: skip

    def __init__(self, *args, user, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary
        self.instance.beneficiary = beneficiary
        self.fields["employer"].queryset = Employer.objects.visible_to(user).order_by("name")
        self.fields["employer"].help_text = "Ou saisissez son nom dans le champ suivant."

    def recorded_situations(self) -> list[Situation]:
        """The person's other situations, in the order the error messages number them."""
        others = self.beneficiary.situations.chronological()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return list(others)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            # A field that could not be read: its own message first, the rules after.
            return cleaned
        situation = Situation(beneficiary=self.beneficiary, **self._situation_values(cleaned))
        as_rules = situation.as_rules_situation()
        if as_rules.end is not None and as_rules.end < as_rules.start:
            self.add_error(
                "end",
                f"La fin ({french_date(as_rules.end)}) précède le début "
                f"({french_date(as_rules.start)}) : corrigez les dates.",
            )
            return cleaned
        if as_rules.is_fixed_term_contract and as_rules.end is None:
            self.add_error(
                "end",
                f"Ce contrat ({as_rules.label}) est à durée déterminée : indiquez son terme "
                "(pour un CDD sans terme précis, la fin de sa durée minimale).",
            )
            return cleaned
        recorded = [other.as_rules_situation() for other in self.recorded_situations()]
        for message in new_situation_errors(as_rules, recorded, timezone.localdate()):
            self.add_error(self._field_named_in(message), message)
        return cleaned

    def _situation_values(self, cleaned) -> dict:
        names = [
            "kind", "start", "end", "weekly_hours", "company_full_time_hours", "in_siae",
            "rncp_listed", "qualifying", "appointment", "permanent_contract",
            "supported_contract",
        ]  # fmt: skip
        return {name: cleaned.get(name) for name in names}

    def _field_named_in(self, message: str) -> str | None:
        # The rules name the field in parentheses, "(weekly_hours)": the message goes under
        # that field; a contradiction between situations goes at the top of the form.
        for name in rules.SITUATION_FIELDS:
            if f"({name})" in message and name in self.fields:
                return name
        return None


class ExitFrameForm(BootstrapFormMixin, forms.Form):
    """What the classification needs beside the situations: the programme and the dates."""

    programme = forms.ChoiceField(
        label="Programme",
        choices=ProgrammeChoices.choices,
    )
    support_start = forms.DateField(label="Début de l'accompagnement", widget=forms.DateInput)
    support_end = forms.DateField(
        label="Fin de l'accompagnement",
        required=False,
        widget=forms.DateInput,
        help_text="Dans l'emploi : vide = fin des 6 mois ; sinon fin du CDD non pérennisé ou "
        "date de la rupture (règle A3). En accompagnement professionnel : vide = en cours.",
    )
    evaluation_date = forms.DateField(
        label="Date d'évaluation",
        widget=forms.DateInput,
        help_text="Dans l'emploi, entre la fin de l'accompagnement et 3 mois après (règle A3).",
    )

    fieldsets = [
        ("Accompagnement", ["programme", "support_start", "support_end", "evaluation_date"])
    ]

    def exit_case(self, situations) -> rules.ExitCase:
        data = self.cleaned_data
        return rules.ExitCase(
            programme=Programme(data["programme"]),
            support_start=data["support_start"],
            support_end=data.get("support_end"),
            evaluation_date=data["evaluation_date"],
            situations=tuple(situation.as_rules_situation() for situation in situations),
        )


# The chart shows one bar pair per month: beyond 5 years it is no longer readable.
MAXIMUM_INDICATOR_PERIOD_MONTHS = 60
# Beyond this many référents in the scope, the référent filter asks for a structure first.
MAXIMUM_REFERENT_CHOICES = 150


class IndicatorFilterForm(BootstrapFormMixin, forms.Form):
    """An operator (or all of the user's scope), a referent (or all), a period; read from
    the query string."""

    territoire = forms.ModelChoiceField(
        label="Territoire",
        queryset=Territory.objects.none(),
        required=False,
        empty_label="Tous les territoires de mon périmètre",
    )
    structure = forms.ModelChoiceField(
        label="Structure d'accompagnement",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Toutes les structures de mon périmètre",
    )
    referent = forms.ModelChoiceField(
        label="Référent·e",
        queryset=User.objects.none(),
        required=False,
        empty_label="Tous les référent·es",
    )
    programme = forms.ChoiceField(
        label="Programme",
        required=False,
        choices=[("", "Les deux programmes"), *ProgrammeChoices.choices],
    )
    du = forms.DateField(label="Du", widget=forms.DateInput)
    au = forms.DateField(label="Au", widget=forms.DateInput)

    def __init__(self, data, *, operators, today):
        # By default the last 12 months, this one included.
        defaults = {
            "du": rules.add_months(today.replace(day=1), -11).isoformat(),
            "au": today.isoformat(),
        }
        only_operator = operators.first() if operators.count() == 1 else None
        if only_operator is not None:
            defaults["structure"] = str(only_operator.pk)
        super().__init__(
            {name: data.get(name) or defaults.get(name, "") for name in self.base_fields}
        )
        self.operators = operators
        self.fields["structure"].queryset = operators
        territories = Territory.objects.filter(pk__in=operators.values("territory_id"))
        if territories.count() > 1:
            self.fields["territoire"].queryset = territories
        else:
            del self.fields["territoire"]  # one territory: nothing to choose
        if only_operator is not None:
            self.fields["structure"].empty_label = None
        self.fields["referent"].queryset = User.objects.filter(
            pk__in=self._referent_memberships(operators).values("user_id")
        ).order_by("last_name", "first_name", "id")
        self.fields["referent"].label_from_instance = lambda user: user.get_full_name()
        self._narrow_referent_choices(operators)

    def _narrow_referent_choices(self, operators):
        """The drop-down lists the référents of the chosen structure; without one, a
        département's 1,700 référents would make a list nobody scrolls (and a slow page), so
        beyond ``MAXIMUM_REFERENT_CHOICES`` it asks for a structure first. What is accepted
        stays the field's queryset: a référent chosen by link is still checked."""
        field = self.fields["referent"]
        structure = self.data.get("structure")
        if structure and str(structure).isdigit():
            shown = field.queryset.filter(
                pk__in=self._referent_memberships(operators.filter(pk=structure)).values("user_id")
            )
        elif field.queryset.count() > MAXIMUM_REFERENT_CHOICES:
            chosen = self.data.get("referent")
            shown = field.queryset.filter(pk=chosen) if str(chosen).isdigit() else []
            field.help_text = "Choisissez d'abord une structure pour y choisir un·e référent·e."
        else:
            return
        field.widget.choices = [
            ("", field.empty_label),
            *((user.pk, user.get_full_name()) for user in shown),
        ]

    @staticmethod
    def _referent_memberships(operators):
        return Membership.objects.active().filter(role=Role.REFERENT, organisation__in=operators)

    def clean(self):
        cleaned = super().clean()
        first_day, last_day = cleaned.get("du"), cleaned.get("au")
        if first_day and last_day:
            self._check_period(first_day, last_day)
        operator, referent = cleaned.get("structure"), cleaned.get("referent")
        territory = cleaned.get("territoire")
        if operator and territory and operator.territory_id != territory.pk:
            self.add_error(
                "structure",
                f"{operator} n'est pas sur le territoire {territory} : choisissez une structure "
                "de ce territoire, ou tous les territoires.",
            )
        if operator and referent:
            memberships = self._referent_memberships([operator]).filter(user=referent)
            if not memberships.exists():
                self.add_error(
                    "referent",
                    f"{referent.get_full_name()} n'est pas référent·e de {operator} : choisissez "
                    "un·e référent·e de cette structure, ou toutes les structures.",
                )
        return cleaned

    def _check_period(self, first_day, last_day):
        if last_day < first_day:
            self.add_error(
                "au",
                f"La fin de la période ({french_date(last_day)}) précède son début "
                f"({french_date(first_day)}) : corrigez les dates.",
            )
            return
        if rules.add_months(first_day, MAXIMUM_INDICATOR_PERIOD_MONTHS) <= last_day:
            self.add_error(
                "au",
                f"La période du {french_date(first_day)} au {french_date(last_day)} dépasse "
                f"{MAXIMUM_INDICATOR_PERIOD_MONTHS // 12} ans : choisissez une période plus "
                "courte, les mois ne seraient plus lisibles.",
            )
            return
        try:
            # The half time of the counts is read at the period's end (rule A4, L3121-27).
            rules.outcome_parameter_value("legal_full_time_weekly_hours", last_day)
        except rules.OutcomeParameterError as error:
            self.add_error("au", f"Période trop ancienne. {error}")


class ReportNotesForm(BootstrapFormMixin, forms.Form):
    notes = forms.CharField(
        label="Notes du rapport",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Imprimées à la fin du rapport PDF (contexte, faits marquants).",
    )


class AgreementTargetForm(BootstrapFormMixin, forms.ModelForm):
    """A new dated target of an operator's agreement; a past one is never edited."""

    class Meta:
        model = AgreementTarget
        fields = ["operator", "indicator", "valid_from", "value", "source"]
        widgets = {"valid_from": forms.DateInput}

    def __init__(self, *args, operators, may_set_defaults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["operator"].required = not may_set_defaults
        self.fields["operator"].empty_label = (
            "Toutes les structures (cible par défaut)" if may_set_defaults else None
        )
        self.fields["value"].localize = True
        self.fields["value"].widget.is_localized = True

    def clean(self):
        cleaned = super().clean()
        indicator, value = cleaned.get("indicator"), cleaned.get("value")
        if indicator in PERCENTAGE_INDICATORS and value is not None and value > 100:
            self.add_error(
                "value",
                f"Un taux cible est un pourcentage, au plus 100 : « {value} » ne convient pas.",
            )
        return cleaned
