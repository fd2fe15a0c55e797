"""Forms of the invitations: French errors, nothing typed lost."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from tremplin.forms import BootstrapFormMixin
from tremplin.professional.models import CollectiveAction
from tremplin.registry.models import Beneficiary, ContactChannel
from tremplin.support.models import Meeting, SupportEpisode

from . import services
from .models import Invitation, NoShowFollowUp, open_episodes_of

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


def channel_field(initial=None) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Envoyer par",
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=initial or [],
        error_messages={"required": "Choisissez au moins un moyen : courriel, SMS ou courrier."},
        help_text="Aucun SMS sans le consentement de la personne, indiqué sur son dossier.",
    )


def upcoming_actions(user):
    return (
        CollectiveAction.objects.visible_to(user)
        .filter(on__gte=timezone.localdate())
        .select_related("operator")
        .order_by("on", "start_time", "theme")
    )


class AppointmentFieldsMixin:
    """Date, duration and place of a new individual interview."""

    def add_appointment_fields(self, required: bool) -> None:
        self.fields["starts_at"] = forms.DateTimeField(
            label="Date et heure du rendez-vous",
            widget=DATETIME_INPUT,
            input_formats=DATETIME_FORMATS,
            required=required,
        )
        self.fields["duration_minutes"] = forms.IntegerField(
            label="Durée (minutes)", min_value=1, max_value=24 * 60, initial=45, required=required
        )
        self.fields["place"] = forms.ChoiceField(
            label="Lieu",
            choices=Meeting.Place.choices,
            initial=Meeting.Place.OPERATOR,
            required=required,
        )

    def require(self, data, names, message) -> None:
        for name in names:
            if data.get(name) in (None, ""):
                self.add_error(name, message)


class InviteForm(AppointmentFieldsMixin, BootstrapFormMixin, forms.Form):
    """From the person's file: an individual interview (a new one, planned) or a collective
    action, by the channels that reach the person."""

    INTERVIEW, ACTION = "interview", "action"

    target = forms.ChoiceField(
        label="Inviter à",
        choices=[(INTERVIEW, "Un entretien individuel"), (ACTION, "Une action collective (P2)")],
        widget=forms.RadioSelect,
        initial=INTERVIEW,
    )
    episode = forms.ModelChoiceField(
        SupportEpisode.objects.none(), label="Accompagnement", required=False
    )
    action = forms.ModelChoiceField(
        CollectiveAction.objects.none(), label="Action collective", required=False
    )

    def __init__(self, *args, beneficiary, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary
        episodes = open_episodes_of(beneficiary, user)
        self.fields["episode"].queryset = episodes
        if len(episodes) == 1:
            self.initial.setdefault("episode", episodes[0].pk)
        self.fields["action"].queryset = upcoming_actions(user)
        self.add_appointment_fields(required=False)
        self.fields["channels"] = channel_field(services.default_channels(beneficiary))
        for name in ("starts_at", "duration_minutes", "place", "channels"):
            widget = self.fields[name].widget
            if not isinstance(widget, forms.CheckboxSelectMultiple):
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        if data.get("target") == self.INTERVIEW:
            message = "Indiquez-le pour un entretien individuel."
            self.require(data, ["episode", "starts_at", "duration_minutes", "place"], message)
        elif data.get("target") == self.ACTION:
            self.require(data, ["action"], "Choisissez l'action collective.")
        channels = data.get("channels") or []
        check = services.check_channels(self.beneficiary, channels)
        for channel, reason in check.refused.items():
            self.add_error("channels", f"{ContactChannel(channel).label} : {reason}")
        return data


class MeetingInviteForm(BootstrapFormMixin, forms.Form):
    """From a planned meeting's row: the person invited to it, by the channels that reach
    them (the preferred one checked; no SMS without consent)."""

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = meeting.episode.beneficiary
        self.fields["channels"] = channel_field(services.default_channels(self.beneficiary))

    def clean(self):
        data = super().clean()
        check = services.check_channels(self.beneficiary, data.get("channels") or [])
        for channel, reason in check.refused.items():
            self.add_error("channels", f"{ContactChannel(channel).label} : {reason}")
        return data


class BulkChannelsForm(BootstrapFormMixin, forms.Form):
    """In bulk, from a list: the people chosen and the channels (each person's preferred one
    by default)."""

    PREFERRED = "preferred"

    mode = forms.ChoiceField(
        label="Moyens",
        choices=[
            (PREFERRED, "Le moyen préféré de chaque personne (ou le premier qui la joint)"),
            ("chosen", "Les moyens cochés ci-dessous, quand ils joignent la personne"),
        ],
        widget=forms.RadioSelect,
        initial=PREFERRED,
    )
    channels = forms.MultipleChoiceField(
        label="Moyens choisis",
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    people = forms.ModelMultipleChoiceField(
        Beneficiary.objects.none(),
        label="Personnes",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une personne dans la liste."},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("mode") != self.PREFERRED and not data.get("channels"):
            self.add_error("channels", "Cochez au moins un moyen, ou choisissez le moyen préféré.")
        return data

    def wanted_channels(self):
        if self.cleaned_data["mode"] == self.PREFERRED:
            return None
        return self.cleaned_data["channels"]


class BulkSelectForm(BulkChannelsForm):
    """In bulk, to a collective action (P2)."""

    action = forms.ModelChoiceField(
        CollectiveAction.objects.none(),
        label="Action collective",
        error_messages={"required": "Choisissez l'action collective à laquelle inviter."},
    )

    def __init__(self, *args, user, people, **kwargs):
        super().__init__(*args, people=people, **kwargs)
        self.fields["action"].queryset = upcoming_actions(user)


class BulkInterviewForm(AppointmentFieldsMixin, BulkChannelsForm):
    """In bulk, to individual interviews (F8, P4): one slot each, the first at the date and
    time chosen, the next ones every ``interval_minutes`` the same day."""

    field_order = ["starts_at", "duration_minutes", "interval_minutes", "place"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, people=people, **kwargs)
        self.add_appointment_fields(required=True)
        self.fields["starts_at"].label = "Premier rendez-vous (date et heure)"
        self.fields["duration_minutes"].label = "Durée de chaque entretien (minutes)"
        self.fields["interval_minutes"] = forms.IntegerField(
            label="Un rendez-vous toutes les (minutes)",
            min_value=5,
            max_value=8 * 60,
            initial=60,
            help_text="Les personnes sont convoquées l'une après l'autre, le même jour, dans "
            "l'ordre de la liste.",
        )
        for name in ("starts_at", "duration_minutes", "interval_minutes", "place"):
            widget = self.fields[name].widget
            widget.attrs["class"] = "form-select" if name == "place" else "form-control"
        self.order_fields(self.field_order)


class FollowUpForm(AppointmentFieldsMixin, BootstrapFormMixin, forms.Form):
    """What was done after a no-show (F8)."""

    kind = forms.ChoiceField(
        label="Suite donnée", choices=NoShowFollowUp.Kind.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label="Date", widget=forms.DateInput, required=False)
    note = forms.CharField(
        label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary  # the person absent
        self.initial.setdefault("on", timezone.localdate())
        self.add_appointment_fields(required=False)
        self.fields["channels"] = channel_field(services.default_channels(beneficiary))
        self.fields["channels"].required = False
        for name in ("starts_at", "duration_minutes", "place"):
            widget = self.fields[name].widget
            widget.attrs["class"] = "form-select" if name == "place" else "form-control"

    def clean(self):
        data = super().clean()
        if data.get("kind") == NoShowFollowUp.Kind.NEW_INVITATION:
            message = "Indiquez-le pour la nouvelle invitation."
            self.require(data, ["starts_at", "duration_minutes", "place", "channels"], message)
            check = services.check_channels(self.beneficiary, data.get("channels") or [])
            for channel, reason in check.refused.items():
                self.add_error("channels", f"{ContactChannel(channel).label} : {reason}")
        elif data.get("kind") and not data.get("on"):
            self.add_error("on", "Indiquez la date de la suite donnée.")
        return data


class AnswerForm(forms.Form):
    """The person's answer through their personal link."""

    answer = forms.ChoiceField(choices=Invitation.Answer.choices[1:])
    note = forms.CharField(
        label="Vos disponibilités (jours et heures où vous pouvez venir)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
