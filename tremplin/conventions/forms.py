"""Forms of the conventions: the cerfa's blocks as fieldsets, every error a French sentence
citing its rule; what was typed is kept (the form is redisplayed), nothing is written."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.forms.models import construct_instance
from django.utils import timezone

from tremplin.accounts.models import Organisation, User
from tremplin.forms import BootstrapFormMixin, rome_code_input
from tremplin.registry.forms import clean_identifier
from tremplin.registry.models import IDENTITY_FOR_CONVENTION, Beneficiary, Employer, Tutor
from tremplin.rules import aid, identifiers
from tremplin.web.locking import BASE_FIELD, VERSION_FIELD, EditVersionMixin

from .models import (
    LEGAL_MAX_WEEKLY_HOURS,
    SUPPORT_ACTIONS,
    TRAINING_ACTIONS,
    ActivityProof,
    AidOrder,
    Amendment,
    Convention,
    ImmersionPeriod,
    Rupture,
    SmicValue,
    Suspension,
)

DATE_FIELDS = (
    "filing_date",
    "last_economic_dismissal",
    "training_end",
    "hire_date",
    "planned_end",
    "aid_start",
    "aid_end",
    "asp_sent_on",
)

# The cerfa's blocks, in its order (rule F1). Each block is also a step of the form.
CONVENTION_STEPS = [
    (
        "Cadre réservé au prescripteur",
        [
            "sector",
            "prescribed_for_department",
            "objectives_agreement_number",
            "filing_date",
            "prescriber_code",
            "france_travail_id",
            "beneficiary",
            "employer",
            "referent",
            "operator",
        ],
    ),
    (
        "L'employeur — déclarations",
        [
            "last_economic_dismissal",
            "replaces_dismissed_employee",
            "contributions_up_to_date",
        ],
    ),
    (
        "Situation du salarié avant la signature",
        [
            "education_level",
            "employee_without_employment",
            "unemployed_for",
            "france_travail_registered",
            "france_travail_for",
            "receives_ass",
            "receives_rsa",
            "rsa_increased",
            "receives_aah",
            "receives_ata",
            "minimum_income_for",
            "disabled_worker",
            "sentence_adjustment",
            "training_in_progress",
            "training_end",
            "severe_difficulties",
        ],
    ),
    (
        "Le contrat de travail",
        [
            "contract_type",
            "hire_date",
            "planned_end",
            "rome_code",
            "job_title",
            "gross_monthly_pay",
            "weekly_hours",
            "weekly_minutes",
            "modulation",
            "collective_weekly_hours",
            "collective_weekly_minutes",
            "workplace_street_number",
            "workplace_street",
            "workplace_postal_code",
            "workplace_city",
        ],
    ),
    (
        "Les actions d'accompagnement et de formation prévues",
        [
            "tutor",
            "tutor_is_employer",
            "employer_tutor_authorised",
            "social_support",
            *(name for name, _ in SUPPORT_ACTIONS),
            "support_other_text",
            *(name for name, _ in TRAINING_ACTIONS),
            "training_mode",
            "professionalisation_periods",
            "target_qualification_level",
            "vae",
            "immersions_planned",
        ],
    ),
    (
        "La prise en charge (cadre réservé au prescripteur)",
        [
            "aid_order",
            "aid_category",
            "aid_start",
            "aid_end",
            "subsidised_weekly_hours",
            "subsidised_weekly_minutes",
            "special_operation",
            "prefect_rate_percent",
            "department_rate_percent",
            "department_funds_alone",
            "payer",
            "payer_name",
            "payer_address",
            "asp_sent_on",
        ],
    ),
]
ALL_FIELDS = [name for _, names in CONVENTION_STEPS for name in names]
SITUATION_STEP = 3
# The situation that a list of people does not carry and the cerfa needs (rule F1).
SITUATION_REQUIRED = ("education_level", "unemployed_for", "disabled_worker")


class EmployeeFileForm(BootstrapFormMixin, forms.ModelForm):
    """The block « LE SALARIÉ » that the person's file may still lack (a file imported from
    a list has no birth place, nationality or address): asked with the situation, pre-filled
    from the file, written to the file (rule F1)."""

    prefix = "salarie"
    postal_code = forms.CharField(label="Code postal", max_length=30)

    class Meta:
        model = Beneficiary
        fields = [
            "birth_place", "birth_department", "nationality",
            "street_number", "street", "address_complement", "postal_code", "city",
        ]  # fmt: skip

    fieldsets = [("Le salarié — naissance, nationalité et adresse (cerfa)", Meta.fields)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in IDENTITY_FOR_CONVENTION:
            self.fields[name].required = True
            self.fields[name].widget.attrs["aria-required"] = "true"

    def clean_birth_department(self):
        return clean_identifier(
            identifiers.normalize_department, self.cleaned_data["birth_department"]
        )

    def clean_postal_code(self):
        code = clean_identifier(identifiers.normalize_postal_code, self.cleaned_data["postal_code"])
        message = identifiers.postal_code_outside(code, self.instance.territory.code)
        if message:
            raise forms.ValidationError(message)
        return code


class ConventionForm(EditVersionMixin, BootstrapFormMixin, forms.ModelForm):
    """The convention; ``step`` (1…6) restricts it to one block of the cerfa."""

    class Meta:
        model = Convention
        fields = ALL_FIELDS
        widgets = {**dict.fromkeys(DATE_FIELDS, forms.DateInput), "rome_code": rome_code_input()}

    def __init__(
        self,
        *args,
        user,
        step: int | None = None,
        beneficiary_search: str = "",
        employer_search: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        self.step = step
        # The « Salarié » and « Employeur » lists narrowed by a search typed in a GET form
        # (no JavaScript): each list shows what was found (and the one chosen); a POST
        # accepts anything the user may see.
        self.beneficiary_search = (beneficiary_search or "").strip()
        self.beneficiary_matches: int | None = None
        self.employer_search = (employer_search or "").strip()
        self.employer_matches: int | None = None
        if step is not None:
            keep = set(CONVENTION_STEPS[step - 1][1]) | {VERSION_FIELD, BASE_FIELD}
            for name in list(self.fields):
                if name not in keep:
                    del self.fields[name]
            self.fieldsets = [CONVENTION_STEPS[step - 1]]
        else:
            self.fieldsets = CONVENTION_STEPS
        if step == SITUATION_STEP:
            # Rule F1: the cerfa's situation, asked once the convention is being written.
            for name in SITUATION_REQUIRED:
                self.fields[name].required = True
                self.fields[name].widget.attrs["aria-required"] = "true"
        self._limit_choices()

    def _limit_choices(self):
        user = self.user
        if "beneficiary" in self.fields:
            people, self.beneficiary_matches = self._narrowed(
                "beneficiary", Beneficiary.objects.visible_to(user), self.beneficiary_search
            )
            field = self.fields["beneficiary"]
            field.queryset = people.order_by("last_name", "first_names", "pk")
            field.label_from_instance = lambda person: (
                f"{person} — né·e le {person.birth_date:%d/%m/%Y}"
                if person.birth_date
                else str(person)
            )
        if "employer" in self.fields:
            employers, self.employer_matches = self._narrowed(
                "employer", Employer.objects.visible_to(user), self.employer_search
            )
            field = self.fields["employer"]
            field.queryset = employers.order_by("name", "pk")
            # Two employers may share a name: the SIRET and the town tell them apart.
            field.label_from_instance = lambda employer: (
                f"{employer} — SIRET {employer.siret} — {employer.city}"
            )
        if "tutor" in self.fields:
            tutors = Tutor.objects.visible_to(user).select_related("employer")
            if self.instance.employer_id:
                tutors = tutors.filter(employer_id=self.instance.employer_id)
            self.fields["tutor"].queryset = tutors
        if "referent" in self.fields:
            self.fields["referent"].queryset = User.objects.filter(
                memberships__role="referent"
            ).distinct()
            self.fields["referent"].label_from_instance = lambda u: u.get_full_name()
        if "operator" in self.fields:
            self.fields["operator"].queryset = Organisation.objects.filter(
                kind=Organisation.Kind.OPERATOR
            )

    def _narrowed(self, name: str, visible, search: str):
        """The choices of ``name`` narrowed to what ``search`` finds (the one already chosen
        kept), with the count found; one found alone is chosen. Only on an unbound form: a
        POST is checked against everything visible."""
        if not search or self.is_bound:
            return visible, None
        chosen = self.initial.get(name) or getattr(self.instance, f"{name}_id")
        found = Q(pk__in=visible.search(search).values("pk"))
        matches = visible.filter(found).count()
        if matches == 1 and not chosen:
            self.initial[name] = visible.filter(found).values_list("pk", flat=True)[0]
        return visible.filter(found | Q(pk=chosen) if chosen else found), matches

    def value(self, name):
        """The cleaned value, else the instance's (a step form sees the other steps' data)."""
        if name in self.fields:
            return self.cleaned_data.get(name)
        return getattr(self.instance, name)

    def clean_rome_code(self):
        return (self.cleaned_data.get("rome_code") or "").strip().upper()

    def clean_prefect_rate_percent(self):
        rate = self.cleaned_data.get("prefect_rate_percent")
        if rate is not None:
            try:
                aid.check_rate_cap(rate)
            except aid.AidRuleError as error:
                raise forms.ValidationError(str(error)) from None
        return rate

    def clean_weekly_hours(self):
        hours = self.cleaned_data.get("weekly_hours")
        if hours is not None and hours > LEGAL_MAX_WEEKLY_HOURS:
            raise forms.ValidationError(
                f"La durée hebdomadaire du contrat ({hours} h) dépasse la durée maximale du "
                f"travail de {LEGAL_MAX_WEEKLY_HOURS} heures ; un CUI dure au plus 35 heures "
                "par semaine (règle C8)."
            )
        return hours

    def clean_subsidised_weekly_hours(self):
        hours = self.cleaned_data.get("subsidised_weekly_hours")
        if hours is not None and hours > aid.WEEKLY_HOURS_MAX:
            raise forms.ValidationError(
                f"La durée prise en charge ({hours} h) ne peut pas dépasser 35 heures par "
                "semaine (règles C8, E12)."
            )
        return hours

    def clean(self):
        cleaned = super().clean()
        value = self.value
        employer = value("employer")
        tutor = value("tutor")
        if tutor is not None and employer is not None and tutor.employer_id != employer.pk:
            self.add_error(
                "tutor" if "tutor" in self.fields else None,
                f"{tutor} n'est pas un salarié de {employer} : le tuteur est désigné par "
                "l'employeur parmi ses salariés (règle C12).",
            )
        hire, end = value("hire_date"), value("planned_end")
        contract_type = value("contract_type")
        if contract_type == Convention.ContractType.CDI and end is not None:
            self._error(
                "planned_end",
                "Un CDI n'a pas de date de fin : laissez la date prévue de fin vide ou "
                "choisissez un CDD (règle C7).",
            )
        elif hire and end and end < hire:
            self._error(
                "planned_end",
                f"La fin prévue du contrat ({end:%d/%m/%Y}) précède l'embauche "
                f"({hire:%d/%m/%Y}) (règle C7) : corrigez l'une des deux dates.",
            )
        start, aid_end = value("aid_start"), value("aid_end")
        if start and aid_end and aid_end < start:
            self._error(
                "aid_end",
                f"La fin de la prise en charge ({aid_end:%d/%m/%Y}) précède son début "
                f"({start:%d/%m/%Y}) (règle C5) : corrigez l'une des deux dates.",
            )
        if value("department_funds_alone") and value("department_rate_percent") is None:
            self._error(
                "department_rate_percent",
                "Le département finance seul : indiquez son taux de prise en charge (règle F6).",
            )
        if value("payer") == Convention.Payer.OTHER and not value("payer_name"):
            self._error(
                "payer_name", "Précisez l'organisme payeur « Autre » (cadre prise en charge)."
            )
        return cleaned

    def _error(self, name, message):
        self.add_error(name if name in self.fields else None, message)


class SignForm(BootstrapFormMixin, forms.Form):
    """Rule A10: the four parties present; the date of signature (rule F8)."""

    signed_on = forms.DateField(label="Date de signature", widget=forms.DateInput)
    employee_present = forms.BooleanField(label="Le salarié est présent", required=False)
    employer_present = forms.BooleanField(label="L'employeur est présent", required=False)
    operator_present = forms.BooleanField(
        label="L'opérateur d'accompagnement est présent", required=False
    )
    rsa_adviser_present = forms.BooleanField(label="Le conseiller RSA est présent", required=False)
    # An irreversible step: the number is given once (F2), asked for in so many words.
    confirm = forms.BooleanField(
        label="Je confirme la signature : la convention reçoit son numéro définitif et ne se "
        "modifie plus que par avenant.",
        required=True,
        error_messages={
            "required": "Cochez « Je confirme la signature » pour signer : la signature "
            "attribue le numéro (règle F2) et ne s'annule pas."
        },
    )

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                f"La date de signature ({day:%d/%m/%Y}) est dans le futur : une convention se "
                "signe le jour où les quatre parties sont réunies (règle A10)."
            )
        return day


class AmendmentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Amendment
        fields = [
            "kind",
            "effective_from",
            "new_aid_end",
            "new_planned_end",
            "employer_request_date",
            "evaluation_done",
            "new_subsidised_weekly_hours",
            "new_subsidised_weekly_minutes",
            "new_contract_weekly_hours",
            "new_contract_weekly_minutes",
            "continues_as_cdi",
            "reason",
        ]
        widgets = {
            "effective_from": forms.DateInput,
            "new_aid_end": forms.DateInput,
            "new_planned_end": forms.DateInput,
            "employer_request_date": forms.DateInput,
            "reason": forms.Textarea(attrs={"rows": 2}),
        }

    fieldsets = [
        ("Avenant", ["kind", "effective_from", "reason"]),
        (
            "Renouvellement",
            [
                "new_aid_end",
                "new_planned_end",
                "employer_request_date",
                "evaluation_done",
                "continues_as_cdi",
            ],
        ),
        (
            "Modification de la durée hebdomadaire",
            [
                "new_subsidised_weekly_hours",
                "new_subsidised_weekly_minutes",
                "new_contract_weekly_hours",
                "new_contract_weekly_minutes",
            ],
        ),
    ]

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        effective = cleaned.get("effective_from")
        if kind == Amendment.Kind.RENEWAL:
            new_end = cleaned.get("new_aid_end")
            if new_end is None:
                self.add_error(
                    "new_aid_end",
                    "Un renouvellement indique la nouvelle fin de la prise en charge (règle C5).",
                )
            elif effective and new_end < effective:
                self.add_error(
                    "new_aid_end",
                    f"La nouvelle fin ({new_end:%d/%m/%Y}) précède la date d'effet de l'avenant "
                    f"({effective:%d/%m/%Y}) (règle C5).",
                )
            if self.convention.contract_type == "CDI" and cleaned.get("new_planned_end"):
                self.add_error("new_planned_end", "Un CDI n'a pas de date de fin (règle C7).")
            continues_as_cdi = cleaned.get("continues_as_cdi") or self.convention.continues_as_cdi
            if (
                self.convention.contract_type == "CDD"
                and not continues_as_cdi  # rule E6: the contract goes on as a CDI
                and new_end
                and new_end > (cleaned.get("new_planned_end") or self.convention.planned_end)
            ):
                self.add_error(
                    "new_planned_end",
                    "La convention ne peut pas aller au-delà du terme du contrat (règle C5) : "
                    "indiquez la nouvelle fin du CDD.",
                )
        elif kind == Amendment.Kind.MODIFICATION and cleaned.get("continues_as_cdi"):
            self.add_error(
                "continues_as_cdi",
                "La poursuite en CDI prolonge l'aide par un avenant de renouvellement (règle E6) : "
                "choisissez « Avenant de renouvellement ».",
            )
        elif (
            kind == Amendment.Kind.MODIFICATION
            and cleaned.get("new_subsidised_weekly_hours") is None
        ):
            self.add_error(
                "new_subsidised_weekly_hours",
                "Une modification indique la nouvelle durée hebdomadaire prise en charge "
                "(règle F12).",
            )
        return cleaned


class SuspensionForm(BootstrapFormMixin, forms.ModelForm):
    """A suspension (C9, F12), from the convention's page, the support's page or the API;
    its checks are the model's (``Suspension.clean``), the same sentences everywhere."""

    class Meta:
        model = Suspension
        fields = ["start", "end", "paid", "reason", "details", "employer_report_date"]
        widgets = {
            "start": forms.DateInput,
            "end": forms.DateInput,
            "employer_report_date": forms.DateInput,
        }

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.instance.convention = convention


class RuptureForm(BootstrapFormMixin, forms.ModelForm):
    """The rupture of the contract (A14, E5, F12, F13), from the convention's page or the
    API: the one row of the event, whichever side records it (``services.record_rupture``);
    its checks are the model's (``Rupture.clean``)."""

    known_at = forms.DateTimeField(
        label="Rupture connue le (date et heure, heure de Paris)",
        required=False,
        help_text="Le délai de 48 heures de l'opérateur pour la signaler court à partir de ce "
        "moment (A14). Vide : le moment de l'enregistrement.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
    )

    class Meta:
        model = Rupture
        fields = [
            "known_at",
            "last_day",
            "initiative",
            "employee_ground",
            "reason",
            "concertation_held",
            "lawful_case",
            "exonerated_contributions",
            "employer_report_date",
        ]
        widgets = {
            "last_day": forms.DateInput,
            "employer_report_date": forms.DateInput,
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.instance.convention = convention
        if not self.instance.pk:
            self.initial.setdefault(
                "known_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_known_at(self):
        # Empty: known when recorded (or, for a correction, when it was first known).
        known_at = self.cleaned_data.get("known_at")
        return known_at or self.instance.known_at or timezone.now()


class ImmersionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ImmersionPeriod
        fields = ["start", "end", "host"]
        widgets = {"start": forms.DateInput, "end": forms.DateInput}

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention

    def clean(self):
        cleaned = super().clean()
        if self.convention.sector != Convention.Sector.CAE:
            raise forms.ValidationError(
                "Les périodes d'immersion ne sont possibles qu'en CAE, pas en CIE (règle C13)."
            )
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "La période d'immersion finit avant de commencer (règle C13).")
        return cleaned


class SimulatorForm(BootstrapFormMixin, forms.Form):
    """The aid simulator: the same inputs as ``tremplin aid-schedule``."""

    rate = forms.DecimalField(
        label="Taux de prise en charge (% du SMIC horaire brut)",
        max_digits=5,
        decimal_places=2,
        initial=Decimal("47"),
    )
    hours = forms.DecimalField(
        label="Durée hebdomadaire prise en charge (h)",
        max_digits=4,
        decimal_places=2,
        initial=Decimal("26"),
    )
    start = forms.DateField(label="Début de l'aide", widget=forms.DateInput)
    end = forms.DateField(label="Fin de l'aide (incluse)", widget=forms.DateInput)
    suspensions = forms.CharField(
        label="Suspensions sans rémunération",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une par ligne, DÉBUT:FIN, par exemple 2025-05-01:2025-05-10 (règle F12).",
    )

    def clean_rate(self):
        rate = self.cleaned_data["rate"]
        try:
            aid.check_rate_cap(rate)
        except aid.AidRuleError as error:
            raise forms.ValidationError(str(error)) from None
        return rate

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if not aid.WEEKLY_HOURS_MIN <= hours <= aid.WEEKLY_HOURS_MAX:
            raise forms.ValidationError(
                "La durée hebdomadaire prise en charge doit être comprise entre 20 et 35 heures "
                "(règles C8, E12)."
            )
        return hours

    def clean_suspensions(self):
        periods = []
        for number, line in enumerate(self.cleaned_data["suspensions"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            first, _, last = line.partition(":")
            try:
                start = datetime.date.fromisoformat(first.strip())
                end = datetime.date.fromisoformat(last.strip())
            except ValueError:
                raise forms.ValidationError(
                    f"Ligne {number} : « {line} » doit s'écrire DÉBUT:FIN en dates AAAA-MM-JJ, "
                    "par exemple 2025-05-01:2025-05-10."
                ) from None
            if end < start:
                raise forms.ValidationError(
                    f"Ligne {number} : la suspension finit avant de commencer (règle C9)."
                )
            periods.append(aid.Suspension(start, end, paid=False))
        return periods

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error(
                "end",
                f"La fin de l'aide ({end:%d/%m/%Y}) précède son début ({start:%d/%m/%Y}) "
                "(règle C5).",
            )
        return cleaned


class ActivityProofForm(BootstrapFormMixin, forms.ModelForm):
    """Receipt of a quarter's proofs of activity (rules E6, F10)."""

    class Meta:
        model = ActivityProof
        fields = ["quarter", "received_on", "note"]
        widgets = {"received_on": forms.DateInput}

    def __init__(self, *args, convention: Convention, expected, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.expected = {proof.quarter: proof for proof in expected}

    def clean_quarter(self):
        quarter = self.cleaned_data["quarter"]
        if quarter not in self.expected:
            raise forms.ValidationError(
                f"Aucun justificatif n'est attendu pour le trimestre {quarter} de cette "
                "convention (règle E6) : choisissez un trimestre de la liste."
            )
        if self.convention.proofs.filter(quarter=quarter).exists():
            raise forms.ValidationError(
                f"Les justificatifs du trimestre {quarter} sont déjà enregistrés."
            )
        return quarter

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date de réception ne peut pas être dans le futur.")
        return day


# --- Aid-rate orders entered by the département (rules E1, E6, E12) --------------------------


class AidOrderForm(BootstrapFormMixin, forms.ModelForm):
    """A new prefectoral order, without a release (rule E1). The region is one of the user's
    territories' regions (every region for an administrator)."""

    region_code = forms.ChoiceField(label="Région")

    class Meta:
        model = AidOrder
        fields = [
            "region_code",
            "sector",
            "valid_from",
            "valid_until",
            "reference",
            "source",
            "rate_cap_percent",
            "weekly_hours_min",
            "weekly_hours_max",
            "aid_months_cdd",
            "cdd_min_months_for_aid",
            "aid_months_cdi",
            "training_raise_percent",
            "note",
        ]
        widgets = {
            "valid_from": forms.DateInput,
            "valid_until": forms.DateInput,
            "source": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "valid_from": "Date d'effet de l'arrêté : il s'applique aux embauches à partir de "
            "cette date (règle E1).",
            "valid_until": "Dernier jour de validité : les arrêtés sont fixés année par année "
            "(règle E1), en général le 31 décembre de l'année.",
            "rate_cap_percent": "Au plus 47 % du SMIC horaire brut (règle E6).",
            "weekly_hours_max": "Au plus 35 heures (règles C8, E12).",
        }

    fieldsets = [
        (
            "L'arrêté",
            ["region_code", "sector", "valid_from", "valid_until", "reference", "source", "note"],
        ),
        (
            "Durées et plafond",
            [
                "rate_cap_percent",
                "weekly_hours_min",
                "weekly_hours_max",
                "aid_months_cdd",
                "cdd_min_months_for_aid",
                "aid_months_cdi",
                "training_raise_percent",
            ],
        ),
    ]

    def __init__(self, *args, regions: dict[str, str], categories=None, **kwargs):
        initial = kwargs.get("initial")
        if initial:
            # A new order starting from another one gets its own validity (rule E1).
            kwargs["initial"] = {
                name: value for name, value in initial.items() if name != "valid_until"
            }
        super().__init__(*args, **kwargs)
        # Rule E1: every new order says until when it applies.
        self.fields["valid_until"].required = True
        self.regions = regions
        self.categories = categories
        self.fields["region_code"].choices = [
            (code, f"{name} ({code})") for code, name in sorted(regions.items())
        ]

    def clean_rate_cap_percent(self):
        cap = self.cleaned_data["rate_cap_percent"]
        if not Decimal(0) < cap <= aid.RATE_CAP_PERCENT:
            raise forms.ValidationError(
                f"Le plafond ({cap} %) doit être positif et au plus de 47 % du SMIC horaire "
                "brut (règle E6)."
            )
        return cap

    def clean_weekly_hours_max(self):
        hours = self.cleaned_data["weekly_hours_max"]
        if hours > aid.WEEKLY_HOURS_MAX:
            raise forms.ValidationError(
                f"La durée prise en charge ne peut pas dépasser 35 heures par semaine "
                f"({hours} h saisies) (règles C8, E12)."
            )
        return hours

    def clean_weekly_hours_min(self):
        hours = self.cleaned_data["weekly_hours_min"]
        if hours <= 0:
            raise forms.ValidationError("La durée minimale prise en charge doit être positive.")
        return hours

    def clean_training_raise_percent(self):
        raise_ = self.cleaned_data.get("training_raise_percent")
        if raise_ is not None and not Decimal(0) < raise_ <= aid.RATE_CAP_PERCENT:
            raise forms.ValidationError(
                f"La majoration pour formation ({raise_} points) doit être positive et au plus "
                "de 47 points ; laissez vide si l'arrêté n'en prévoit pas (règles E6, E11)."
            )
        return raise_

    def clean(self):
        cleaned = super().clean()
        start, until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and until and until < start:
            self.add_error(
                "valid_until",
                f"La fin de validité ({until:%d/%m/%Y}) précède la date d'effet "
                f"({start:%d/%m/%Y}) : corrigez l'une des deux dates (règle E1).",
            )
        low, high = cleaned.get("weekly_hours_min"), cleaned.get("weekly_hours_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "weekly_hours_min",
                f"La durée minimale ({low} h) dépasse la durée maximale ({high} h) : "
                "corrigez l'une des deux (règle E12).",
            )
        region, sector, day = (
            cleaned.get("region_code"),
            cleaned.get("sector"),
            cleaned.get("valid_from"),
        )
        if (
            region
            and sector
            and day
            and AidOrder.objects.filter(region_code=region, sector=sector, valid_from=day).exists()
        ):
            self.add_error(
                "valid_from",
                f"Un arrêté {sector} de cette région est déjà enregistré au {day:%d/%m/%Y} : "
                "consultez-le dans la liste, ou indiquez la date d'effet du nouvel arrêté "
                "(règle E1).",
            )
        for name in ("aid_months_cdd", "cdd_min_months_for_aid", "aid_months_cdi"):
            if cleaned.get(name) == 0:
                self.add_error(name, "Une durée d'aide doit être d'au moins 1 mois (règle E12).")
        return cleaned

    def _post_clean(self):
        self.instance.region_name = self.regions.get(self.cleaned_data.get("region_code"), "")
        if self.categories is not None:
            # The whole order is checked by the rules (AidOrder.clean → from_mapping).
            self.instance.categories = self.categories
            super()._post_clean()
            return
        # The categories are invalid and the formset says why: check the order's own fields.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class AidCategoryForm(BootstrapFormMixin, forms.Form):
    """A public category of the order and its rate (rule E12)."""

    code = forms.SlugField(
        label="Code",
        max_length=40,
        help_text="Court et unique dans l'arrêté, par exemple cas_4.",
    )
    label = forms.CharField(label="Intitulé", max_length=120)
    rate_percent = forms.DecimalField(
        label="Taux (% du SMIC horaire brut)", max_digits=5, decimal_places=2
    )
    who = forms.CharField(
        label="Publics visés (un par ligne)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    criteria = forms.MultipleChoiceField(
        label="Critères pour proposer la catégorie",
        choices=[(code, label) for code, (label, _) in aid.CATEGORY_CRITERIA.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Ce que le produit sait reconnaître dans la situation de la personne ; "
        "l'agent confirme toujours la catégorie proposée.",
    )

    def clean_rate_percent(self):
        rate = self.cleaned_data["rate_percent"]
        if rate <= 0:
            raise forms.ValidationError("Le taux doit être positif (règle E6).")
        return rate

    def as_mapping(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "label": data["label"],
            "rate_percent": str(data["rate_percent"]),
            "who": [line.strip() for line in data["who"].splitlines() if line.strip()],
            "criteria": list(data["criteria"]),
        }


class BaseAidCategoryFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        codes = [form.cleaned_data["code"] for form in self.forms if form.cleaned_data]
        if not codes:
            raise forms.ValidationError(
                "Un arrêté fixe au moins une catégorie de public et son taux (règle E12)."
            )
        if len(set(codes)) != len(codes):
            raise forms.ValidationError(
                "Deux catégories portent le même code : chaque code doit être unique."
            )

    def categories(self) -> list[dict[str, object]]:
        return [form.as_mapping() for form in self.forms if form.cleaned_data]


def aid_category_formset(extra: int):
    """The categories of an order: ``extra`` blank rows after those copied from another."""
    return forms.formset_factory(
        AidCategoryForm, formset=BaseAidCategoryFormSet, extra=extra, max_num=20, validate_max=True
    )


class EmployerReportForm(BootstrapFormMixin, forms.Form):
    """The day the employer reported a suspension or a rupture (rule F12: within 7 days)."""

    employer_report_date = forms.DateField(
        label="Signalée par l'employeur le", widget=forms.DateInput
    )

    def __init__(self, *args, event_day: datetime.date, what: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.event_day = event_day
        self.what = what

    def clean_employer_report_date(self):
        day = self.cleaned_data["employer_report_date"]
        if day < self.event_day:
            raise forms.ValidationError(
                f"L'employeur ne peut pas signaler {self.what} avant le "
                f"{self.event_day:%d/%m/%Y}, jour où elle a commencé (règle F12)."
            )
        if day > timezone.localdate():
            raise forms.ValidationError(
                "La date du signalement ne peut pas être dans le futur : indiquez le jour où "
                "vous l'avez reçu."
            )
        return day


class SmicValueForm(BootstrapFormMixin, forms.ModelForm):
    """A new value of the hourly gross SMIC, with its date in force and its legal text: the
    next schedules use it without a release (DESIGN.md, "Rules as data")."""

    # Wider than the column, so that a monthly amount typed by mistake gets the sentence of
    # ``clean_value`` rather than a count of digits.
    value = forms.DecimalField(
        label="SMIC horaire brut (€)",
        max_digits=12,
        decimal_places=4,
        localize=True,
        help_text="En euros, avec une virgule : 12,31 par exemple.",
    )

    class Meta:
        model = SmicValue
        fields = ["valid_from", "value", "source"]
        widgets = {"valid_from": forms.DateInput, "source": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "valid_from": "Le premier jour où la valeur s'applique : l'aide de chaque mois "
            "retient le SMIC en vigueur à son premier jour couvert (règle F10).",
        }

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and not Decimal("1") <= value <= Decimal("100"):
            raise forms.ValidationError(
                f"{value} € de l'heure n'est pas un SMIC horaire brut plausible : saisissez la "
                "valeur horaire en euros (12,31 par exemple), pas la valeur mensuelle."
            )
        return value

    def clean_valid_from(self):
        day = self.cleaned_data["valid_from"]
        existing = SmicValue.objects.filter(valid_from=day).first()
        if existing is not None:
            raise forms.ValidationError(
                f"Une valeur est déjà saisie au {day:%d/%m/%Y} ({existing.value} €) : une "
                "valeur saisie ne se modifie pas, elle reste dans l'historique. Si elle est "
                "fausse, demandez à l'administrateur de la corriger."
            )
        return day
