"""Forms of the support pages: French errors, nothing lost on a mistake."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Membership, Organisation, Role, User
from tremplin.conventions.models import Rupture
from tremplin.forms import BootstrapFormMixin
from tremplin.registry.models import Employer, Tutor
from tremplin.rules.attendance import check_status, default_status
from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import Programme, RuleError
from tremplin.web.locking import EditVersionMixin

from . import deliverables as deliverable_items
from . import uploads
from .models import (
    Deadline,
    Document,
    Meeting,
    QualitativeAim,
    Refusal,
    SupportEpisode,
    french_hours,
)
from .services import AimPoint, Upload

__all__ = ["french_hours"]  # re-exported: the pages' gauge reads it from here


class EpisodeForm(EditVersionMixin, BootstrapFormMixin, forms.ModelForm):
    """Start (or correct) an in-employment support by hand, with its contract's dates."""

    class Meta:
        model = SupportEpisode
        fields = [
            "operator", "referent", "employer", "tutor",
            "rsa_adviser", "rsa_adviser_name", "rsa_adviser_email",
            "contract_type", "contract_start", "trial_end", "contract_end", "not_renewed",
            "ended_on",
        ]  # fmt: skip
        widgets = {
            "contract_start": forms.DateInput,
            "trial_end": forms.DateInput,
            "contract_end": forms.DateInput,
            "ended_on": forms.DateInput,
        }

    fieldsets = [
        ("Suivi", ["operator", "referent"]),
        ("Le contrat (CUI-CIE)", ["employer", "tutor", "contract_type", "contract_start",
                                   "trial_end", "contract_end", "not_renewed"]),
        ("Conseiller RSA référent (A8, A9)", ["rsa_adviser", "rsa_adviser_name",
                                              "rsa_adviser_email"]),
        ("Fin", ["ended_on"]),
    ]  # fmt: skip

    def __init__(self, *args, user, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.beneficiary = beneficiary
        self.instance.programme = Programme.IN_EMPLOYMENT.value
        scope = scope_of(user)
        operators = Organisation.objects.filter(
            kind=Organisation.Kind.OPERATOR, territory_id=beneficiary.territory_id
        )
        if not scope.is_admin and not scope.agent_territory_ids:
            operators = operators.filter(pk__in=scope.organisation_ids)
        self.fields["operator"].queryset = operators
        self.fields["operator"].required = True
        referents = Membership.objects.active().filter(
            role=Role.REFERENT, organisation__in=operators
        )
        self.fields["referent"].queryset = User.objects.filter(pk__in=referents.values("user_id"))
        self.fields["referent"].required = True
        self.fields["employer"].queryset = Employer.objects.visible_to(user)
        self.fields["employer"].required = True
        self.fields["tutor"].queryset = Tutor.objects.visible_to(user).select_related("employer")
        self.fields["rsa_adviser"].queryset = User.objects.filter(is_active=True)
        self.fields["rsa_adviser"].required = False
        self.fields["contract_type"].required = True
        self.fields["contract_start"].required = True
        if self.instance.convention_id is not None:
            # The contract is the convention's (one fact): shown, changed only by an amendment.
            for name, value in self.instance.contract_terms().items():
                self.fields[name].disabled = True
                self.fields[name].required = False
                self.initial[name] = value
                self.fields[name].help_text = "Repris de la convention ; un avenant le modifie."
        if not self.instance.pk:
            del self.fields["ended_on"]
            self.initial.setdefault("referent", beneficiary.referent_id or user.pk)
            self.initial.setdefault("operator", beneficiary.operator_id)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            running = SupportEpisode.objects.filter(
                beneficiary=self.instance.beneficiary,
                programme=Programme.IN_EMPLOYMENT.value,
                ended_on__isnull=True,
            )
            if running.exists():
                raise forms.ValidationError(
                    "Cette personne a déjà un accompagnement dans l'emploi en cours : "
                    "terminez-le (date de fin, sur sa page) avant d'en commencer un autre."
                )
        return cleaned


def meeting_max_minutes() -> int:
    # A product setting, not a rule: a meeting of more than 4 hours is a typing error (600
    # typed for 60); a longer day is recorded as several meetings.
    return getattr(settings, "TREMPLIN_MEETING_MAX_MINUTES", 240)


MEETING_DEFAULT_MINUTES = 45
ROUND_MINUTES = 15


def rounded_now(now=None):
    """Now, in Paris, to the quarter hour below (10:52 → 10:45): the default of a meeting."""
    moment = timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)
    return moment.replace(minute=moment.minute - moment.minute % ROUND_MINUTES)


def usual_place(episode, default: str) -> str:
    """The place of most of the support's meetings (the latest wins a tie); ``default``
    for a support without meetings."""
    places = list(
        Meeting.objects.filter(episode=episode)
        .order_by("-starts_at")
        .values_list("place", flat=True)[:20]
    )
    if not places:
        return default
    return max(dict.fromkeys(places), key=places.count)


def duration_error(minutes: int | None) -> str | None:
    """The French error of a duration out of bounds (None when it is fine)."""
    if minutes is None:
        return None
    if minutes <= 0:
        return "La durée doit être d'au moins une minute (A5)."
    longest = meeting_max_minutes()
    if minutes > longest:
        return (
            f"Une rencontre dure au plus {longest} minutes ({longest // 60} heures) : "
            f"{minutes} minutes est sans doute une erreur de saisie. Corrigez la durée ; pour "
            "une journée entière, enregistrez plusieurs rencontres."
        )
    return None


class MeetingStatusFieldsMixin:
    """The status of a meeting on its form (F8, P4, A5): left empty, it follows the date
    (held once begun, planned before); cancellations and reports have their own pages, and
    a cancelled or rescheduled meeting keeps its status."""

    STATUS_CHOICES = [
        ("", "Selon la date : tenue si elle a commencé, prévue sinon"),
        (Meeting.Status.PLANNED, Meeting.Status.PLANNED.label),
        (Meeting.Status.HELD, Meeting.Status.HELD.label),
        (Meeting.Status.EXCUSED, Meeting.Status.EXCUSED.label),
        (Meeting.Status.NO_SHOW, Meeting.Status.NO_SHOW.label),
    ]

    def setup_status(self) -> None:
        self.previous_status = self.instance.status if self.instance.pk else None
        if self.instance.pk and self.instance.is_closed:
            del self.fields["status"]
            del self.fields["status_reason"]
            return
        self.fields["status"] = forms.ChoiceField(
            label="Statut",
            choices=self.STATUS_CHOICES,
            required=False,
            help_text="Seule une rencontre tenue compte dans le budget d'heures (A5) et la "
            "cadence des entretiens (P4).",
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        self.fields["status_reason"].widget = forms.Textarea(
            attrs={"rows": 2, "class": "form-control"}
        )

    def clean_status_with(self, data, now=None) -> str | None:
        """The status to save (from the date when left empty), or None with the error."""
        if "status" not in self.fields:
            return self.instance.status
        starts_at = data.get("starts_at")
        if starts_at is None:
            return None
        now = now or timezone.now()
        status = data.get("status") or default_status(starts_at, now).value
        try:
            check_status(
                status,
                starts_at=starts_at,
                now=now,
                reason=data.get("status_reason", ""),
                previous=self.previous_status,
            )
        except RuleError as error:
            self.add_error("status", error.message)
            return None
        data["status"] = status
        return status


class MeetingForm(MeetingStatusFieldsMixin, BootstrapFormMixin, forms.ModelForm):
    starts_at = forms.DateTimeField(
        label="Date et heure",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
    )

    class Meta:
        model = Meeting
        fields = [
            "starts_at", "duration_minutes", "place", "kind", "status", "status_reason",
            "participants", "report", "over_budget_reason",
        ]  # fmt: skip
        widgets = {
            "report": forms.Textarea(attrs={"rows": 10}),
            "over_budget_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.episode = episode
        self.episode = episode
        if not self.instance.pk:
            # What the product knows: now, 45 minutes, where the support usually meets (A5:
            # at the company, by default).
            self.initial.setdefault("starts_at", rounded_now())
            self.initial.setdefault("duration_minutes", MEETING_DEFAULT_MINUTES)
            self.initial.setdefault("place", usual_place(episode, Meeting.Place.COMPANY))
        self.setup_status()

    def clean(self):
        data = super().clean()
        status = self.clean_status_with(data)
        minutes = data.get("duration_minutes")
        if minutes is None:
            return data
        error = duration_error(minutes)
        if error:
            self.add_error("duration_minutes", error)
            return data
        if status != Meeting.Status.HELD:
            return data  # A5: only a meeting held uses the budget
        candidate = Meeting(
            pk=self.instance.pk, episode=self.episode, duration_minutes=minutes, status=status
        )
        try:
            error = self.episode.budget_error(candidate, data.get("over_budget_reason", ""))
        except RuleError as rule_error:
            self.add_error("duration_minutes", rule_error.message)
            return data
        if error:
            self.add_error("over_budget_reason", error)
        return data


class MeetingStatusForm(BootstrapFormMixin, forms.Form):
    """What happened at a meeting (F8): held, excused, no-show, or planned again."""

    status = forms.ChoiceField(
        label="La rencontre a-t-elle eu lieu ?",
        choices=[
            (Meeting.Status.HELD, "Oui, elle s'est tenue"),
            (Meeting.Status.NO_SHOW, "Non : la personne ne s'est pas présentée, sans prévenir"),
            (Meeting.Status.EXCUSED, "Non : la personne a prévenu de son absence (excusée)"),
            (Meeting.Status.PLANNED, "Pas encore : elle reste prévue"),
        ],
        widget=forms.RadioSelect,
    )
    status_reason = forms.CharField(
        label="Motif (absence excusée)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    over_budget_reason = forms.CharField(
        label="Motif du dépassement des 12 heures",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Demandé quand la rencontre tenue dépasse le budget d'heures (règle A5).",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.initial.setdefault("over_budget_reason", meeting.over_budget_reason)
        self.initial.setdefault("status_reason", meeting.status_reason)
        if meeting.status in dict(self.fields["status"].choices):
            self.initial.setdefault("status", meeting.status)
        if not meeting.episode.is_in_employment:
            del self.fields["over_budget_reason"]


class CancelMeetingForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif de l'annulation",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Il reste au dossier de la personne (F8).",
        error_messages={"required": "Indiquez le motif de l'annulation (F8)."},
    )


class RescheduleMeetingForm(BootstrapFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label="Nouvelle date et heure",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Indiquez la nouvelle date et l'heure du rendez-vous."},
    )
    reason = forms.CharField(
        label="Motif du report", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RefusalForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Refusal
        fields = ["by", "on", "reason"]
        widgets = {"on": forms.DateInput, "reason": forms.Textarea(attrs={"rows": 3})}

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date du refus est dans le futur : corrigez-la.")
        return day


class AimsForm(BootstrapFormMixin, forms.Form):
    """Where the qualitative aims of the in-employment support stand for the person (A2):
    for each aim in force, its state, the day of the point and what was observed; fields
    named ``<code>-status``, ``<code>-assessed_on``, ``<code>-note``. The page shows the
    five; the API one (``codes``). ``services.record_aims`` writes them, all or none, after
    the rules' checks (``tremplin.rules.aims.check_point``)."""

    def __init__(self, *args, episode: SupportEpisode, codes=None, **kwargs):
        self.episode = episode
        self.points_in_force = [
            (item, point)
            for item, point in episode.aim_points()
            if codes is None or item.code in codes
        ]
        fields = {}
        initial = {}
        status_choices = [("", "Non renseigné"), *QualitativeAim.Status.choices]
        for item, point in self.points_in_force:
            fields[f"{item.code}-status"] = forms.ChoiceField(
                label=f"{item.label} — état", choices=status_choices, required=False
            )
            fields[f"{item.code}-assessed_on"] = forms.DateField(
                label=f"{item.label} — point fait le",
                required=False,
                widget=forms.DateInput,
                help_text="Vide : aujourd'hui.",
            )
            fields[f"{item.code}-note"] = forms.CharField(
                label=f"{item.label} — observations",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Obligatoire pour « Sans objet » : pourquoi l'objectif ne concerne "
                "pas la personne.",
            )
            if point is not None:
                initial[f"{item.code}-status"] = point.status
                initial[f"{item.code}-assessed_on"] = point.assessed_on
                initial[f"{item.code}-note"] = point.note
        self.base_fields = fields
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fieldsets = [
            (item.label, [f"{item.code}-status", f"{item.code}-assessed_on", f"{item.code}-note"])
            for item, _ in self.points_in_force
        ]

    def clean(self):
        cleaned = super().clean()
        for item, point in self.points_in_force:
            status = cleaned.get(f"{item.code}-status")
            if status:
                continue
            if point is not None:
                self.add_error(
                    f"{item.code}-status",
                    "Cet objectif est déjà renseigné : choisissez son état (« Sans objet », avec "
                    "la raison, s'il ne concerne pas la personne).",
                )
            elif (cleaned.get(f"{item.code}-note") or "").strip():
                self.add_error(
                    f"{item.code}-status",
                    "Choisissez l'état de cet objectif pour enregistrer vos observations.",
                )
        return cleaned

    def points(self) -> list[AimPoint]:
        """The points typed (the aims left « non renseigné » are not among them)."""
        today = timezone.localdate()
        return [
            AimPoint(
                code=item.code,
                status=self.cleaned_data[f"{item.code}-status"],
                assessed_on=self.cleaned_data.get(f"{item.code}-assessed_on") or today,
                note=self.cleaned_data.get(f"{item.code}-note") or "",
            )
            for item, _ in self.points_in_force
            if self.cleaned_data.get(f"{item.code}-status")
        ]


class RuptureForm(BootstrapFormMixin, forms.ModelForm):
    """The rupture of the support's contract (A14): the one row of ``conventions.Rupture``,
    the convention's when the support has one. ``support.services.declare_rupture`` checks
    and records it."""

    known_at = forms.DateTimeField(
        label="Rupture connue le (date et heure, heure de Paris)",
        help_text="Le délai de 48 heures pour la signaler court à partir de ce moment (A14).",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
    )
    last_day = forms.DateField(
        label="Dernier jour du contrat",
        required=False,
        widget=forms.DateInput,
        help_text="Vide : le jour où la rupture est connue.",
    )
    initiative = forms.ChoiceField(
        label="À l'initiative de",
        choices=[
            (value, label)
            for value, label in Rupture.Initiative.choices
            if value != Rupture.Initiative.AUTHORITY
        ],
    )

    evidence = forms.FileField(
        label="Pièce justificative (lettre de démission, de licenciement, rupture conventionnelle…)",
        required=False,
        help_text="Jointe au courriel à la Cellule contrats aidés et rangée dans le livret (A14). "
        "D'autres pièces peuvent être ajoutées au livret ensuite.",
    )
    evidence_title = forms.CharField(
        label="Titre de la pièce", max_length=200, required=False, help_text="Facultatif."
    )

    class Meta:
        model = Rupture
        fields = [
            "known_at", "last_day", "initiative", "employee_ground", "reason",
            "concertation_held",
        ]  # fmt: skip
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.evidence_upload = None
        if self.instance.initiative == Rupture.Initiative.AUTHORITY:
            # Recorded on the convention (denounced by the authority): kept as it is.
            self.fields["initiative"].choices = Rupture.Initiative.choices
        self.fields["employee_ground"].help_text = (
            "Pour un CDD rompu par le salarié avant son terme : une embauche en CDI ou en CDD "
            "d'au moins 6 mois, ou une formation qualifiante (règle E5)."
        )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            kind, content = checked_upload(upload)
            self.evidence_upload = Upload(upload.name, kind.content_type, kind.extension, content)
        return upload

    def clean(self):
        cleaned = super().clean()
        known_at = cleaned.get("known_at")
        if known_at and not cleaned.get("last_day"):
            cleaned["last_day"] = to_paris(known_at).date()  # empty: the day it is known
        return cleaned


class DeliverableForm(BootstrapFormMixin, forms.Form):
    """The items of a deliverable (A11–A14), built from ``deliverables.ITEMS_BY_CODE``.

    Saving a draft never requires the items; sending does (``Deadline.mark_sent``)."""

    def __init__(self, *args, deadline: Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        for item in deliverable_items.items_of(deadline.code):
            label = item.label + ("" if item.required else " (facultatif)")
            if item.choices:
                self.fields[item.key] = forms.ChoiceField(
                    label=label, choices=[("", "—"), *item.choices], required=False
                )
            else:
                self.fields[item.key] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 4})
                )


class SendForm(BootstrapFormMixin, forms.Form):
    sent_to = forms.CharField(label="Envoyé à", max_length=300)
    sent_at = forms.DateField(label="Envoyé le", widget=forms.DateInput)

    def clean_sent_at(self):
        day = self.cleaned_data["sent_at"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date d'envoi est dans le futur : corrigez-la.")
        return day


def upload_max_bytes() -> int:
    # A product setting, not a rule: 10 MB holds a scanned contract.
    return getattr(settings, "TREMPLIN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


class DocumentForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label="Catégorie", choices=Document.Category.choices)
    title = forms.CharField(label="Titre", max_length=200)
    file = forms.FileField(
        label="Fichier",
        help_text=f"{uploads.ACCEPTED_LABELS} ; 10 Mo au plus. Le type est vérifié dans le "
        "contenu du fichier, pas dans son nom.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind, self.content = checked_upload(upload)
        return upload


def checked_upload(upload) -> tuple[uploads.FileKind, bytes]:
    """The upload's kind read from its content, and its bytes; a French error otherwise.

    The upload's name becomes a safe one (no directory, control character or quote) ending
    with the extension of the type read in the content: that is the name stored and sent
    back on download."""
    limit = upload_max_bytes()
    if getattr(upload, "too_large", False):
        # Cut by the upload handler at the limit (tremplin.web.request_limits).
        error = uploads.size_error(upload.name, upload.size, limit, cut=True)
        raise forms.ValidationError(error)
    content = upload.read(limit + 1)
    try:
        kind = uploads.check_upload(upload.name, content, limit)
    except uploads.UploadError as error:
        raise forms.ValidationError(str(error)) from None
    upload.name = uploads.safe_filename(upload.name, kind.extension)
    return kind, content
