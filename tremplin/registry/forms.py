"""Forms of the registry: every identifier checked, every error a French sentence."""

import phonenumbers
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Membership, Organisation, Role, Territory, User
from tremplin.forms import BootstrapFormMixin, naf_code_input
from tremplin.rules import identifiers
from tremplin.rules.identifiers import IdentifierError
from tremplin.rules.situation import duration_band, rsa_seniority_months
from tremplin.web.dates import french_date
from tremplin.web.locking import EditVersionMixin

from .models import Beneficiary, ContactChannel, Employer, SmsConsent, Tutor, name_key

MINIMUM_AGE_YEARS = 16  # school-leaving age: nobody younger signs an employment contract


def clean_identifier(normalize, value):
    if not value:
        return value
    try:
        return normalize(value)
    except IdentifierError as error:
        raise forms.ValidationError(str(error)) from None


def clean_phone(value: str) -> str:
    if not value:
        return value
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            f"Le numéro de téléphone « {value} » n'est pas valide : saisissez 10 chiffres "
            "(par exemple 06 12 34 56 78) ou un numéro international commençant par +."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def duplicate_message(label: str, existing, user) -> str:
    """Name the existing file, with a link when the user may open it."""
    if type(existing).objects.visible_to(user).filter(pk=existing.pk).exists():
        return format_html(
            '{} est déjà enregistré pour <a href="{}">{}</a> : ouvrez ce dossier au lieu '
            "d'en créer un second.",
            label,
            existing.get_absolute_url(),
            existing,
        )
    return (
        f"{label} est déjà enregistré dans un dossier suivi par une autre structure : "
        "rapprochez-vous du département pour qu'il vous soit confié."
    )


class ScopedChoicesMixin:
    """Limits territories, operators and referents to what the user's scope allows."""

    def limit_choices(self, user):
        scope = scope_of(user)
        territories = Territory.objects.all()
        if not scope.is_admin:
            territories = territories.filter(pk__in=scope.territory_ids)
        if "territory" in self.fields:
            self.fields["territory"].queryset = territories
            if territories.count() == 1 and not self.instance.pk:
                self.fields["territory"].initial = territories.first()
        if "operator" in self.fields:
            operators = Organisation.objects.filter(
                kind=Organisation.Kind.OPERATOR, territory__in=territories
            )
            if not scope.is_admin and not scope.agent_territory_ids:
                operators = operators.filter(pk__in=scope.organisation_ids)
            self.fields["operator"].queryset = operators
        if "referent" in self.fields:
            referent_ids = Membership.objects.active().filter(
                role=Role.REFERENT, organisation__in=self.fields["operator"].queryset
            )
            self.fields["referent"].queryset = User.objects.filter(
                pk__in=referent_ids.values("user_id")
            )
            self.fields["referent"].label_from_instance = lambda u: u.get_full_name()


def lenient_code_field(
    label: str, *, required: bool = True, help_text: str = ""
) -> forms.CharField:
    """A code field that accepts spaces and dots as typed; the clean method normalises it."""
    return forms.CharField(label=label, max_length=30, required=required, help_text=help_text)


def homonym_message(existing, user) -> str:
    """A person of the same name born the same day already has a file: name it, with a
    link when the user may open it, without revealing it otherwise."""
    if Beneficiary.objects.visible_to(user).filter(pk=existing.pk).exists():
        return format_html(
            'Une personne du même nom, née le même jour, a déjà un dossier : <a href="{}">{}</a>. '
            "Ouvrez ce dossier plutôt que d'en créer un second ; s'il s'agit d'une autre "
            "personne, cochez « {} » puis enregistrez.",
            existing.get_absolute_url(),
            existing,
            CONFIRM_HOMONYM_LABEL,
        )
    return (
        "Une personne du même nom, née le même jour, a déjà un dossier suivi par une autre "
        "structure : rapprochez-vous du département pour qu'il vous soit confié. S'il s'agit "
        f"d'une autre personne, cochez « {CONFIRM_HOMONYM_LABEL} » puis enregistrez."
    )


CONFIRM_HOMONYM_LABEL = "Il s'agit d'une autre personne, homonyme : créer un second dossier"


class BeneficiaryForm(EditVersionMixin, BootstrapFormMixin, ScopedChoicesMixin, forms.ModelForm):
    # A list carries identity and contact; the cerfa's other fields wait for the convention.
    postal_code = lenient_code_field("Code postal", required=False)
    confirm_homonym = forms.BooleanField(
        label=CONFIRM_HOMONYM_LABEL,
        required=False,
        help_text="Seulement à la création, quand un dossier porte déjà ce nom et cette date "
        "de naissance.",
    )
    nir = forms.CharField(
        label="NIR (numéro de sécurité sociale)",
        max_length=21,
        required=False,
        help_text="15 caractères : 13 chiffres et la clé. 2A ou 2B pour une naissance en Corse.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    rsa_number = forms.CharField(
        label="N° d'allocataire RSA",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Beneficiary
        fields = [
            "territory", "operator", "referent",
            "civility", "last_name", "first_names", "birth_name", "nir",
            "birth_date", "birth_place", "birth_department", "nationality",
            "street_number", "street", "address_complement", "postal_code", "city",
            "email", "phone", "sms_consent", "sms_consent_on", "preferred_channel",
            "rsa_number", "rsa_payer",
            "education_level", "unemployed_for", "france_travail_registered",
            "france_travail_for", "france_travail_id",
            "receives_ass", "receives_rsa", "rsa_increased", "receives_aah", "receives_ata",
            "rsa_start_date", "earlier_rmi_api_months", "minimum_income_for",
            "disabled_worker",
        ]  # fmt: skip
        widgets = {
            "birth_date": forms.DateInput,
            "rsa_start_date": forms.DateInput,
            "sms_consent_on": forms.DateInput,
        }

    fieldsets = [
        ("Suivi", ["territory", "operator", "referent"]),
        (
            "Le salarié — identité",
            ["civility", "last_name", "first_names", "birth_name", "nir", "birth_date",
             "birth_place", "birth_department", "nationality", "confirm_homonym"],
        ),
        (
            "Adresse et contact",
            ["street_number", "street", "address_complement", "postal_code", "city", "email",
             "phone"],
        ),
        (
            "Invitations et rappels",
            ["preferred_channel", "sms_consent", "sms_consent_on"],
        ),
        ("RSA", ["rsa_number", "rsa_payer"]),
        (
            "Situation avant la signature de la convention",
            ["education_level", "unemployed_for", "france_travail_registered",
             "france_travail_for", "france_travail_id", "receives_ass", "receives_rsa",
             "rsa_increased", "receives_aah", "receives_ata", "rsa_start_date",
             "earlier_rmi_api_months", "minimum_income_for", "disabled_worker"],
        ),
    ]  # fmt: skip

    # Never written in the message of a concurrent edit (EditVersionMixin).
    secret_fields = frozenset({"nir", "rsa_number"})

    def today(self):
        """The day the checks compare dates with (an import reads it once, not per row)."""
        return timezone.localdate()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_choices(user)
        # Shown only when a homonym is found (see ``_check_homonym``), or sent back ticked.
        if self.instance.pk or not (self.is_bound and self.data.get("confirm_homonym")):
            del self.fields["confirm_homonym"]
        if self.instance.pk:
            self.initial.setdefault("nir", self.instance.nir)
            self.initial.setdefault("rsa_number", self.instance.rsa_number)
        elif scope_of(user).is_referent:
            self.initial.setdefault("referent", user)
            operators = self.fields["operator"].queryset
            if operators.count() == 1:
                self.initial.setdefault("operator", operators.first())

    def clean_nir(self):
        nir = clean_identifier(identifiers.normalize_nir, self.cleaned_data.get("nir", ""))
        if nir:
            existing = Beneficiary.objects.with_nir(nir).exclude(pk=self.instance.pk).first()
            if existing:
                raise forms.ValidationError(duplicate_message("Ce NIR", existing, self.user))
        return nir

    def clean_rsa_number(self):
        return clean_identifier(identifiers.normalize_rsa_number, self.cleaned_data["rsa_number"])

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        today = self.today()
        if birth_date > today:
            raise forms.ValidationError(
                f"La date de naissance {french_date(birth_date)} est dans le futur : "
                "vérifiez l'année."
            )
        if birth_date > today.replace(year=today.year - MINIMUM_AGE_YEARS):
            raise forms.ValidationError(
                f"La personne aurait moins de {MINIMUM_AGE_YEARS} ans : vérifiez la date de "
                "naissance."
            )
        return birth_date

    def clean_birth_department(self):
        return clean_identifier(
            identifiers.normalize_department, self.cleaned_data["birth_department"]
        )

    def clean_postal_code(self):
        return clean_identifier(identifiers.normalize_postal_code, self.cleaned_data["postal_code"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_rsa_start_date(self):
        start = self.cleaned_data.get("rsa_start_date")
        if start and start > self.today():
            raise forms.ValidationError(
                "La date d'entrée au RSA est dans le futur : saisissez la date d'ouverture du droit."
            )
        return start

    def clean(self):
        data = super().clean()
        self._check_contact_preferences(data)
        self._check_nir_matches_identity(data)
        self._check_homonym(data)
        self._check_address_in_territory(data)
        self._check_rsa_number(data)
        self._check_situation(data)
        return data

    def _check_contact_preferences(self, data):
        """No SMS without the person's consent (invitations and reminders, F8)."""
        consent, preferred = data.get("sms_consent", ""), data.get("preferred_channel", "")
        if preferred == ContactChannel.SMS and consent != SmsConsent.GIVEN:
            self.add_error(
                "preferred_channel",
                "Le SMS ne peut être le moyen préféré que si la personne accepte les SMS : "
                "indiquez son consentement, ou choisissez le courriel ou le courrier.",
            )
        if preferred == ContactChannel.SMS and not data.get("phone"):
            self.add_error("phone", "Indiquez le numéro de portable où envoyer les SMS.")
        if preferred == ContactChannel.EMAIL and not data.get("email"):
            self.add_error("email", "Indiquez l'adresse électronique où écrire à la personne.")
        day = data.get("sms_consent_on")
        if day and day > self.today():
            self.add_error("sms_consent_on", "Cette date est dans le futur : corrigez-la.")
        if not consent:
            data["sms_consent_on"] = None
        elif not day:  # recorded today, unless the same answer was recorded before
            unchanged = self.instance.pk and consent == self.instance.sms_consent
            earlier = self.instance.sms_consent_on if unchanged else None
            data["sms_consent_on"] = earlier or self.today()

    def _check_nir_matches_identity(self, data):
        nir = data.get("nir")
        if not nir:
            return
        sex = {"M": "homme", "MME": "femme"}.get(data.get("civility"))
        for field, message in identifiers.nir_inconsistencies(
            nir,
            birth_date=data.get("birth_date"),
            sex=sex,
            birth_department=data.get("birth_department"),
        ):
            self.add_error(field if field in self.fields else "nir", message)

    def _check_homonym(self, data):
        """Creating a file whose name and birth date another file has: confirm first."""
        if self.instance.pk or data.get("confirm_homonym"):
            return
        last_name, first_names = data.get("last_name"), data.get("first_names")
        birth_date = data.get("birth_date")
        if not (last_name and first_names and birth_date):
            return
        existing = (
            Beneficiary.objects.filter(
                name_key=name_key(last_name, first_names), birth_date=birth_date
            )
            .order_by("pk")
            .first()
        )
        if existing is None:
            return
        if "confirm_homonym" not in self.fields:
            self.fields["confirm_homonym"] = self.base_fields["confirm_homonym"].__deepcopy__({})
            self.fields["confirm_homonym"].widget.attrs["class"] = "form-check-input"
        self.add_error(None, homonym_message(existing, self.user))

    def _check_address_in_territory(self, data):
        territory, postal_code = data.get("territory"), data.get("postal_code")
        if territory and postal_code:
            message = identifiers.postal_code_outside(postal_code, territory.code)
            if message:
                self.add_error("postal_code", message)
        operator, referent = data.get("operator"), data.get("referent")
        if operator and territory and operator.territory_id != territory.pk:
            self.add_error(
                "operator",
                "Cette structure n'intervient pas dans ce département : choisissez-en une autre.",
            )
        if referent and not operator:
            self.add_error("operator", "Indiquez la structure du référent choisi.")
        elif (
            referent
            and not Membership.objects.active()
            .filter(user=referent, organisation=operator, role=Role.REFERENT)
            .exists()
        ):
            self.add_error(
                "referent",
                f"{referent.get_full_name()} n'est pas référent·e de {operator} : choisissez un "
                "référent de cette structure.",
            )

    def _check_rsa_number(self, data):
        number, payer = data.get("rsa_number"), data.get("rsa_payer")
        if number and not payer:
            self.add_error("rsa_payer", "Indiquez si le RSA est versé par la CAF ou par la MSA.")
        if number and payer:
            existing = (
                Beneficiary.objects.with_rsa_number(payer, number)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if existing:
                self.add_error(
                    "rsa_number",
                    duplicate_message("Ce numéro d'allocataire", existing, self.user),
                )

    def _check_situation(self, data):
        if data.get("france_travail_registered") and not data.get("france_travail_for"):
            self.add_error(
                "france_travail_for", "Indiquez depuis combien de temps la personne est inscrite."
            )
        if not data.get("france_travail_registered"):
            data["france_travail_for"] = ""
        if data.get("rsa_increased") and not data.get("receives_rsa"):
            self.add_error(
                "rsa_increased",
                "Un RSA majoré est un RSA : cochez aussi « RSA financé par le département ».",
            )
        if data.get("receives_rsa") and data.get("rsa_start_date"):
            # Rule F3: the RSA seniority counts the earlier RMI/API period.
            months = rsa_seniority_months(
                data["rsa_start_date"],
                data.get("earlier_rmi_api_months") or 0,
                self.today(),
            )
            data["minimum_income_for"] = duration_band(months).value
        allowances = ("receives_ass", "receives_rsa", "receives_aah", "receives_ata")
        if any(data.get(name) for name in allowances) and not data.get("minimum_income_for"):
            self.add_error(
                "minimum_income_for",
                "Indiquez depuis combien de temps la personne perçoit ce minimum social, ou la "
                "date d'entrée au RSA pour qu'elle soit calculée (règle F3).",
            )

    def save(self, commit=True):
        beneficiary = super().save(commit=False)
        beneficiary.nir = self.cleaned_data.get("nir", "")
        beneficiary.set_rsa_number(
            self.cleaned_data.get("rsa_payer", ""), self.cleaned_data.get("rsa_number", "")
        )
        if commit:
            beneficiary.save()
        return beneficiary


class EmployerForm(BootstrapFormMixin, ScopedChoicesMixin, forms.ModelForm):
    siret = lenient_code_field(
        "SIRET", help_text="14 chiffres : le SIREN (9 chiffres) suivi du NIC (5 chiffres)."
    )
    naf_code = forms.CharField(
        label="Code NAF",
        max_length=30,
        help_text="Le code APE de l'avis Sirene, par exemple 88.99B.",
        widget=naf_code_input(),
    )
    idcc = lenient_code_field("Identifiant de convention collective (IDCC)", required=False)
    postal_code = lenient_code_field("Code postal")
    admin_postal_code = lenient_code_field("Code postal (adresse administrative)", required=False)

    class Meta:
        model = Employer
        fields = [
            "territory", "name", "street_number", "street", "address_complement",
            "postal_code", "city", "email",
            "admin_street_number", "admin_street", "admin_address_complement",
            "admin_postal_code", "admin_city", "admin_email",
            "siret", "naf_code", "idcc", "status", "headcount_dec31",
            "contributions_collector", "contributions_collector_other",
            "is_aci", "aci_annex_number", "unemployment_insurance", "sector",
        ]  # fmt: skip

    fieldsets = [
        ("L'employeur", ["territory", "name", "siret", "naf_code", "idcc", "status",
                         "headcount_dec31", "sector"]),
        ("Adresse", ["street_number", "street", "address_complement", "postal_code", "city",
                     "email"]),
        (
            "Adresse des documents administratifs et financiers (si différente)",
            ["admin_street_number", "admin_street", "admin_address_complement",
             "admin_postal_code", "admin_city", "admin_email"],
        ),
        (
            "Cotisations et assurance chômage",
            ["contributions_collector", "contributions_collector_other", "is_aci",
             "aci_annex_number", "unemployment_insurance"],
        ),
    ]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_choices(user)
        self.fields["siret"].error_messages["unique"] = "Ce SIRET est déjà enregistré."

    def clean_siret(self):
        siret = clean_identifier(identifiers.normalize_siret, self.cleaned_data["siret"])
        existing = Employer.objects.filter(siret=siret).exclude(pk=self.instance.pk).first()
        if existing:
            raise forms.ValidationError(duplicate_message("Ce SIRET", existing, self.user))
        return siret

    def clean_naf_code(self):
        return clean_identifier(identifiers.normalize_naf, self.cleaned_data["naf_code"])

    def clean_idcc(self):
        return clean_identifier(identifiers.normalize_idcc, self.cleaned_data["idcc"])

    def clean_postal_code(self):
        return clean_identifier(identifiers.normalize_postal_code, self.cleaned_data["postal_code"])

    def clean_admin_postal_code(self):
        return clean_identifier(
            identifiers.normalize_postal_code, self.cleaned_data["admin_postal_code"]
        )

    def clean(self):
        data = super().clean()
        if data.get("is_aci") and not data.get("aci_annex_number"):
            self.add_error(
                "aci_annex_number",
                "Un atelier et chantier d'insertion doit indiquer le numéro de l'annexe financière "
                "de sa convention avec l'État.",
            )
        if not data.get("is_aci"):
            data["aci_annex_number"] = ""
        if data.get("contributions_collector") == Employer.Collector.OTHER and not data.get(
            "contributions_collector_other"
        ):
            self.add_error("contributions_collector_other", "Précisez l'organisme de recouvrement.")
        admin_parts = ("admin_street", "admin_postal_code", "admin_city")
        if any(data.get(name) for name in admin_parts):
            for name in admin_parts:
                if not data.get(name):
                    self.add_error(
                        name,
                        "L'adresse administrative est incomplète : indiquez la voie, le code postal "
                        "et la commune, ou laissez-la entièrement vide.",
                    )
        return data


class TutorForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Tutor
        fields = [
            "employer", "last_name", "first_name", "function", "experience_years",
            "training_date", "email", "phone",
        ]  # fmt: skip
        widgets = {"training_date": forms.DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.visible_to(user)

    def clean_training_date(self):
        date = self.cleaned_data.get("training_date")
        if date and date > timezone.localdate():
            raise forms.ValidationError(
                "La formation de tuteur ne peut pas être datée dans le futur : enregistrez-la "
                "une fois suivie (règle A7)."
            )
        return date

    def clean_experience_years(self):
        years = self.cleaned_data["experience_years"]
        if years > 60:
            raise forms.ValidationError("Plus de 60 ans d'expérience : vérifiez la saisie.")
        return years

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])
