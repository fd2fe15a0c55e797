"""Forms of the professional support: French errors citing the rule, nothing lost."""

from __future__ import annotations

import datetime as dt

from django import forms

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Membership, Organisation, Role, User
from tremplin.forms import BootstrapFormMixin
from tremplin.registry.models import Beneficiary
from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import Programme, RuleError, interview_cadence
from tremplin.support.forms import (
    MEETING_DEFAULT_MINUTES,
    MeetingStatusFieldsMixin,
    duration_error,
    rounded_now,
    usual_place,
)
from tremplin.support.models import Meeting, SupportEpisode
from tremplin.web.dates import french_date

from .models import CollectiveAction, Contact, ProfessionalSupport, support_end


def referents_of(operators):
    memberships = Membership.objects.active().filter(role=Role.REFERENT, organisation__in=operators)
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by(
        "last_name", "first_name"
    )


class OpenForm(BootstrapFormMixin, forms.Form):
    """Open a professional support with its first CER of 6 months (P3, P4)."""

    operator = forms.ModelChoiceField(Organisation.objects.none(), label="Structure")
    referent = forms.ModelChoiceField(User.objects.none(), label="Référent·e")
    started_on = forms.DateField(
        label="Début de l'accompagnement et du premier CER", widget=forms.DateInput
    )
    project = forms.ChoiceField(
        label="Projet de la personne (P3)", choices=ProfessionalSupport.Project.choices
    )
    new_entrant = forms.BooleanField(
        label="Nouvel entrant (3 premiers mois intensifs, P4)", required=False, initial=True
    )
    pathway_start = forms.DateField(
        label="Entrée dans le parcours d'insertion", required=False, widget=forms.DateInput
    )
    barriers_lifted_on = forms.DateField(
        label="Freins levés le",
        required=False,
        widget=forms.DateInput,
        help_text="En parcours depuis plus de 2 ans, freins levés : 3 mois intensifs (P4). "
        "Utilisée seulement tant qu'aucun frein n'est enregistré dans la progression ; "
        "ensuite, c'est la levée du dernier frein qui compte.",
    )
    objectives = forms.CharField(
        label="Objectifs du premier CER", widget=forms.Textarea(attrs={"rows": 4})
    )

    fieldsets = [
        ("Suivi", ["operator", "referent", "started_on", "project"]),
        ("Période intensive (P4)", ["new_entrant", "pathway_start", "barriers_lifted_on"]),
        ("Premier CER : 6 mois (P4)", ["objectives"]),
    ]

    def __init__(self, *args, user, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary
        scope = scope_of(user)
        operators = Organisation.objects.filter(
            kind=Organisation.Kind.OPERATOR, territory_id=beneficiary.territory_id
        )
        if not scope.is_admin and not scope.agent_territory_ids:
            operators = operators.filter(pk__in=scope.organisation_ids)
        self.fields["operator"].queryset = operators
        self.fields["referent"].queryset = referents_of(operators)
        self.initial.setdefault("operator", beneficiary.operator_id)
        self.initial.setdefault("referent", beneficiary.referent_id or user.pk)

    def clean(self):
        data = super().clean()
        if not self.beneficiary.receives_rsa:
            self.add_error(
                None,
                "L'accompagnement professionnel s'adresse aux bénéficiaires du RSA soumis à "
                "droits et devoirs (P3) : le dossier n'indique pas le RSA. Complétez le dossier "
                "de la personne si elle le perçoit.",
            )
        open_one = SupportEpisode.objects.filter(
            beneficiary=self.beneficiary,
            programme=Programme.PROFESSIONAL.value,
            ended_on__isnull=True,
        ).exists()
        if open_one:
            self.add_error(
                None,
                "Cette personne a déjà un accompagnement professionnel en cours : renouvelez son "
                "CER plutôt que d'en ouvrir un autre (P5).",
            )
        operator, referent = data.get("operator"), data.get("referent")
        member = (
            operator
            and referent
            and Membership.objects.active()
            .filter(user=referent, organisation=operator, role=Role.REFERENT)
            .exists()
        )
        if operator and referent and not member:
            self.add_error("referent", "Ce référent n'appartient pas à la structure choisie.")
        lifted_without_pathway = data.get("barriers_lifted_on") and not data.get("pathway_start")
        if not data.get("new_entrant") and lifted_without_pathway:
            self.add_error(
                "pathway_start",
                "Indiquez l'entrée dans le parcours : la période intensive après la levée "
                "des freins concerne les personnes en parcours depuis plus de 2 ans (P4).",
            )
        return data


class RenewalForm(BootstrapFormMixin, forms.Form):
    objectives = forms.CharField(
        label="Objectifs du CER renouvelé", widget=forms.Textarea(attrs={"rows": 4})
    )


def outside_support_error(episode, day: dt.date, cers=None) -> str | None:
    """The rule's own French error when ``day`` is outside the support (P4), else None."""
    end = support_end(episode, cers)
    if end is None:
        return "L'accompagnement n'a pas de CER : ouvrez-le avec son premier CER (P4)."
    try:
        interview_cadence(episode.started_on, end, [day])
    except RuleError as error:
        return f"{error.message} Corrigez la date."
    return None


class InterviewForm(MeetingStatusFieldsMixin, BootstrapFormMixin, forms.ModelForm):
    """An individual interview of the support (a ``support.Meeting``, P4); only a held one
    counts in the cadence."""

    starts_at = forms.DateTimeField(
        label="Date et heure",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
    )

    class Meta:
        model = Meeting
        fields = [
            "starts_at", "duration_minutes", "place", "status", "status_reason",
            "participants", "report",
        ]  # fmt: skip
        widgets = {"report": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.episode = episode
        self.instance.kind = Meeting.Kind.INDIVIDUAL
        self.episode = episode
        if not self.instance.pk:
            self.initial.setdefault("starts_at", rounded_now())
            self.initial.setdefault("duration_minutes", MEETING_DEFAULT_MINUTES)
            self.initial.setdefault("place", usual_place(episode, Meeting.Place.OPERATOR))
        self.setup_status()

    def clean(self):
        data = super().clean()
        self.clean_status_with(data)
        return data

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        error = duration_error(minutes)
        if error:
            raise forms.ValidationError(error)
        return minutes

    def clean_starts_at(self):
        moment = self.cleaned_data["starts_at"]
        error = outside_support_error(self.episode, to_paris(moment).date())
        if error:
            raise forms.ValidationError(error)
        return moment


class ContactForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["on", "channel", "note"]
        widgets = {"on": forms.DateInput, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.episode = episode
        self.episode = episode

    def clean_on(self):
        day = self.cleaned_data["on"]
        error = outside_support_error(self.episode, day)
        if error:
            raise forms.ValidationError(error.replace("L'entretien", "Le contact"))
        return day


class TransferForm(forms.Form):
    """Bulk transfer between referents (P9): who to, which episodes."""

    target = forms.ModelChoiceField(User.objects.none(), label="Nouveau ou nouvelle référent·e")
    episodes = forms.ModelMultipleChoiceField(
        SupportEpisode.objects.none(), label="Personnes à transférer"
    )

    def __init__(self, *args, episodes, referents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episodes"].queryset = episodes
        self.fields["target"].queryset = referents
        self.fields["episodes"].error_messages["required"] = (
            "Cochez au moins une personne à transférer."
        )
        self.fields["target"].error_messages["required"] = (
            "Choisissez le ou la référent·e qui reprend les personnes."
        )

    def clean(self):
        data = super().clean()
        target, chosen = data.get("target"), data.get("episodes")
        if target and chosen and all(e.referent_id == target.pk for e in chosen):
            self.add_error("target", "Ces personnes sont déjà suivies par ce ou cette référent·e.")
        return data


class CollectiveActionForm(BootstrapFormMixin, forms.ModelForm):
    """A workshop or an information session (P2) and the people invited."""

    invited = forms.ModelMultipleChoiceField(
        Beneficiary.objects.none(),
        label="Personnes invitées",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
    )

    class Meta:
        model = CollectiveAction
        fields = ["operator", "kind", "on", "start_time", "theme", "place"]
        widgets = {"on": forms.DateInput, "start_time": forms.TimeInput(attrs={"type": "time"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        operators = Organisation.objects.filter(kind=Organisation.Kind.OPERATOR)
        if not scope.is_admin:
            operators = operators.filter(pk__in=scope.organisation_ids)
        self.fields["operator"].queryset = operators
        if operators.count() == 1:
            self.initial.setdefault("operator", operators.get().pk)
        self.fields["invited"].queryset = Beneficiary.objects.visible_to(user).order_by(
            "last_name", "first_names"
        )
        if self.instance.pk:
            self.initial.setdefault(
                "invited", list(self.instance.invitations.values_list("beneficiary_id", flat=True))
            )


class CloseForm(BootstrapFormMixin, forms.Form):
    ended_on = forms.DateField(label="Dernier jour de l'accompagnement", widget=forms.DateInput)

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_ended_on(self):
        day = self.cleaned_data["ended_on"]
        if day < self.episode.started_on:
            raise forms.ValidationError(
                f"L'accompagnement a commencé le {french_date(self.episode.started_on)} : il ne "
                "peut pas finir avant. Corrigez la date."
            )
        end = support_end(self.episode)
        if end and day > end:
            raise forms.ValidationError(
                f"Le dernier CER se termine le {french_date(end)} : l'accompagnement ne peut pas "
                "aller au-delà sans renouvellement (P5). Corrigez la date ou renouvelez le CER."
            )
        return day
