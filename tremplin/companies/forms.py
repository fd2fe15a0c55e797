"""Forms of company relations (P7): French errors citing the rule, nothing lost on a mistake."""

from __future__ import annotations

from django import forms

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Organisation
from tremplin.forms import BootstrapFormMixin, rome_code_input
from tremplin.registry.models import Beneficiary, Employer, Tutor
from tremplin.rules import companies as rules
from tremplin.rules.identifiers import IdentifierError, normalize_postal_code
from tremplin.web.dates import french_date

from .models import (
    Application,
    CompanyEvent,
    EmployerContact,
    Immersion,
    JobOffer,
    JobSearchProfile,
    ProspectingAction,
)

EMPLOYER_REQUIRED = (
    "Une offre d'emploi est rattachée à un employeur du réseau : choisissez-le, ou créez "
    "d'abord sa fiche dans « Employeurs » (règle P7)."
)


def operators_of(user):
    """The operators on whose behalf the user may record (admins: every operator)."""
    operators = Organisation.objects.filter(kind=Organisation.Kind.OPERATOR)
    scope = scope_of(user)
    if scope.is_admin:
        return operators
    return operators.filter(pk__in=scope.organisation_ids)


class OperatorFormMixin:
    """An ``operator`` field limited to the user's operators, pre-filled when only one."""

    def setup_operator(self, user):
        field = self.fields["operator"]
        field.queryset = operators_of(user)
        field.empty_label = None if len(field.queryset) == 1 else field.empty_label
        if not self.instance.pk and len(field.queryset) >= 1:
            field.initial = field.queryset[0].pk
        field.error_messages["invalid_choice"] = (
            "Choisissez l'une de vos structures d'accompagnement."
        )


class EmployerContactForm(BootstrapFormMixin, OperatorFormMixin, forms.ModelForm):
    class Meta:
        model = EmployerContact
        fields = ["operator", "name", "function", "phone", "email"]

    def __init__(self, *args, user, employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.employer = employer
        self.setup_operator(user)


class ProspectingActionForm(BootstrapFormMixin, OperatorFormMixin, forms.ModelForm):
    class Meta:
        model = ProspectingAction
        fields = ["operator", "date", "kind", "contact", "outcome", "next_step", "next_step_on"]
        widgets = {
            "date": forms.DateInput,
            "next_step_on": forms.DateInput,
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.employer = employer
        if not self.instance.pk:
            self.instance.done_by = user
        self.setup_operator(user)
        self.fields["contact"].queryset = EmployerContact.objects.visible_to(user).filter(
            employer=employer
        )

    def clean(self):
        data = super().clean()
        day, next_on = data.get("date"), data.get("next_step_on")
        if day and next_on and next_on < day:
            self.add_error(
                "next_step_on",
                f"La prochaine étape ({french_date(next_on)}) précède l'action "
                f"({french_date(day)}) : corrigez l'une des deux dates.",
            )
        return data


class JobOfferForm(BootstrapFormMixin, OperatorFormMixin, forms.ModelForm):
    class Meta:
        model = JobOffer
        fields = [
            "operator", "employer", "title", "rome_code", "postal_code", "city",
            "weekly_hours", "contract_type", "contract_months", "starts_on", "description",
            "status",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput,
            "description": forms.Textarea(attrs={"rows": 5}),
            "rome_code": rome_code_input(),
        }

    fieldsets = [
        ("L'offre", ["operator", "employer", "title", "rome_code", "status"]),
        ("Le poste", ["postal_code", "city", "weekly_hours", "contract_type", "contract_months",
                      "starts_on"]),
        ("Profil de poste", ["description"]),
    ]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_operator(user)
        employer = self.fields["employer"]
        employer.queryset = Employer.objects.visible_to(user)
        employer.error_messages["required"] = EMPLOYER_REQUIRED
        employer.error_messages["invalid_choice"] = (
            "Cet employeur n'existe pas ou n'est pas dans votre département : choisissez un "
            "employeur du réseau (règle P7)."
        )

    def clean_rome_code(self):
        try:
            return rules.normalize_rome_code(self.cleaned_data["rome_code"])
        except rules.CompaniesRuleError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_postal_code(self):
        try:
            return normalize_postal_code(self.cleaned_data["postal_code"])
        except IdentifierError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        data = super().clean()
        if data.get("contract_type") == JobOffer.ContractType.CDI and data.get("contract_months"):
            self.add_error("contract_months", "Un CDI n'a pas de durée : laissez ce champ vide.")
        return data


class JobSearchProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = JobSearchProfile
        fields = ["rome_codes", "areas", "min_weekly_hours", "max_weekly_hours"]

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.beneficiary = beneficiary
        if not self.instance.pk and not self.initial.get("areas"):
            self.initial["areas"] = beneficiary.postal_code


class ApplicationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["offer", "sent_on", "outcome", "note"]
        widgets = {"sent_on": forms.DateInput}

    def __init__(self, *args, user, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.beneficiary = beneficiary
        offers = JobOffer.objects.visible_to(user).select_related("employer")
        if not self.instance.pk:
            offers = offers.filter(status=JobOffer.Status.OPEN)
        self.fields["offer"].queryset = offers

    def clean_offer(self):
        offer = self.cleaned_data["offer"]
        duplicate = Application.objects.filter(beneficiary=self.instance.beneficiary, offer=offer)
        if duplicate.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                f"{self.instance.beneficiary} a déjà candidaté à « {offer.title} » : modifiez "
                "plutôt la suite donnée à cette candidature."
            )
        return offer

    def validate_unique(self):
        """clean_offer already says it in French."""


class ImmersionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Immersion
        fields = [
            "beneficiary", "employer", "tutor", "renewal_of", "purpose", "objectives",
            "starts_on", "ends_on", "outcome", "assessment",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput,
            "ends_on": forms.DateInput,
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
        }

    fieldsets = [
        ("La personne et la structure d'accueil", ["beneficiary", "employer", "tutor"]),
        ("La période (Code du travail L5135-1, D5135-3)",
         ["purpose", "objectives", "starts_on", "ends_on", "renewal_of"]),
        ("Résultat", ["outcome", "assessment"]),
    ]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = Beneficiary.objects.visible_to(user)
        self.fields["employer"].queryset = Employer.objects.visible_to(user)
        self.fields["tutor"].queryset = Tutor.objects.visible_to(user).select_related("employer")
        renewable = Immersion.objects.visible_to(user).filter(renewal_of__isnull=True)
        if self.instance.pk:
            renewable = renewable.exclude(pk=self.instance.pk)
        self.fields["renewal_of"].queryset = renewable.select_related("beneficiary", "employer")


class CompanyEventForm(BootstrapFormMixin, OperatorFormMixin, forms.ModelForm):
    class Meta:
        model = CompanyEvent
        fields = ["operator", "kind", "title", "date", "place", "employers", "attendees", "note"]
        widgets = {
            "date": forms.DateInput,
            "employers": forms.SelectMultiple(attrs={"size": 8}),
            "attendees": forms.SelectMultiple(attrs={"size": 10}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "employers": "Ctrl ou Cmd + clic pour en choisir plusieurs.",
            "attendees": "Les personnes que vous suivez et qui sont venues.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_operator(user)
        self.fields["employers"].queryset = Employer.objects.visible_to(user)
        self.fields["attendees"].queryset = Beneficiary.objects.visible_to(user)
        self.hidden_attendees = []
        if self.instance.pk:
            # People who went but whom this user may not see stay on the event.
            visible = self.fields["attendees"].queryset.values("pk")
            self.hidden_attendees = list(self.instance.attendees.exclude(pk__in=visible))

    def save(self, commit=True):
        event = super().save(commit=commit)
        if commit and self.hidden_attendees:
            event.attendees.add(*self.hidden_attendees)
        return event
