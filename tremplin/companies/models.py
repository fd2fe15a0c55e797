"""Company relations (rule P7, seed 004 "Développer le lien avec les entreprises").

The employer network of an operator (contacts at the registry's employers, prospecting
actions), job offers, the job-search profile of each person and the applications sent,
PMSMP immersions (Code du travail L5135-1 s.) and events (job datings, fairs, company
visits). Decisions (ROME codes, matching, PMSMP limits) are calls into
``tremplin.rules.companies``.

Who sees what (one ``visible_to`` per model, DESIGN.md):
- what belongs to an operator (contacts, prospecting, offers, events): the operator's
  members; the département's agents for the employers of their territory; admins;
- what concerns a person (profile, applications, immersions): whoever sees the person
  (``Beneficiary.objects.visible_to``): a referent sees their own people's.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Organisation
from tremplin.registry.models import Beneficiary, Employer, Tutor, search_key
from tremplin.rules import companies as rules
from tremplin.web.dates import french_date
from tremplin.web.french import of
from tremplin.web.links import reverse

#: Article L3121-20 of the Code du travail: 48 hours in a week at most.
MAX_WEEKLY_HOURS = 48


def operator_condition(user, employer_path: str = "employer") -> Q | None:
    """Rows of the user's operators, or of employers in an agent's territory; None = all."""
    scope = scope_of(user)
    if scope.is_admin:
        return None
    condition = Q(operator_id__in=scope.organisation_ids)
    if scope.agent_territory_ids and employer_path:
        condition |= Q(**{f"{employer_path}__territory_id__in": scope.agent_territory_ids})
    return condition


class OperatorQuerySet(models.QuerySet):
    employer_path = "employer"

    def visible_to(self, user):
        condition = operator_condition(user, self.employer_path)
        return self if condition is None else self.filter(condition)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Through the person: whoever sees the beneficiary sees this (DESIGN.md)."""
        if scope_of(user).is_admin:
            return self
        return self.filter(beneficiary__in=Beneficiary.objects.visible_to(user).values("pk"))


def _operator_field(related_name: str):
    return models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name=related_name,
        limit_choices_to={"kind": Organisation.Kind.OPERATOR},
        verbose_name="structure d'accompagnement",
    )


def _author_field():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisi par",
    )


def validate_rome_code(value: str) -> None:
    try:
        rules.normalize_rome_code(value)
    except rules.CompaniesRuleError as error:
        raise ValidationError(str(error)) from error


# --- employer network -----------------------------------------------------------------------


class EmployerContact(models.Model):
    """A person to talk to at an employer, in an operator's network (P7)."""

    employer = models.ForeignKey(
        Employer, models.CASCADE, related_name="network_contacts", verbose_name="employeur"
    )
    operator = _operator_field("employer_contacts")
    name = models.CharField("nom", max_length=150)
    function = models.CharField("fonction", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    created_by = _author_field()
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = OperatorQuerySet.as_manager()

    class Meta:
        verbose_name = "contact en entreprise"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.function})" if self.function else self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:employer_detail", args=[self.employer_id]) + "#reseau"


class ProspectingAction(models.Model):
    """A prospecting action towards an employer: visit, call, e-mail, event (P7)."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visite"
        PHONE = "phone", "Appel téléphonique"
        EMAIL = "email", "Courriel"
        EVENT = "event", "Rencontre lors d'un événement"

    employer = models.ForeignKey(
        Employer, models.CASCADE, related_name="prospecting_actions", verbose_name="employeur"
    )
    operator = _operator_field("prospecting_actions")
    date = models.DateField("date")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    contact = models.ForeignKey(
        EmployerContact,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="contact",
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="prospecting_actions",
        verbose_name="par",
    )
    outcome = models.TextField("résultat", blank=True)
    next_step = models.CharField("prochaine étape", max_length=300, blank=True)
    next_step_on = models.DateField("prochaine étape le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = OperatorQuerySet.as_manager()

    class Meta:
        verbose_name = "action de prospection"
        verbose_name_plural = "actions de prospection"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["employer", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {french_date(self.date)} — {self.employer}"

    def get_absolute_url(self) -> str:
        return reverse("registry:employer_detail", args=[self.employer_id]) + "#reseau"


# --- job offers ---------------------------------------------------------------------------


class JobOfferQuerySet(OperatorQuerySet):
    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        query = self
        for word in search_key(text).split():
            query = query.filter(search_text__contains=word)
        return query


class JobOffer(models.Model):
    class ContractType(models.TextChoices):
        CDI = "cdi", "CDI"
        CDD = "cdd", "CDD"
        INTERIM = "interim", "Intérim"
        APPRENTICESHIP = "alternance", "Alternance"
        SUBSIDISED = "aided", "Contrat aidé (CUI)"
        IAE = "iae", "Insertion par l'activité économique"

    class Status(models.TextChoices):
        OPEN = "open", "Ouverte"
        FILLED = "filled", "Pourvue"
        CLOSED = "closed", "Fermée"

    operator = _operator_field("job_offers")
    employer = models.ForeignKey(
        Employer,
        models.PROTECT,
        related_name="job_offers",
        verbose_name="employeur",
        error_messages={
            "null": "Une offre d'emploi est rattachée à un employeur du réseau : choisissez-le, "
            "ou créez d'abord sa fiche dans « Employeurs » (règle P7).",
        },
    )
    title = models.CharField("intitulé du poste", max_length=200)
    rome_code = models.CharField(
        "code ROME",
        max_length=5,
        validators=[validate_rome_code],
        help_text="Une lettre et 4 chiffres, par exemple K2204 (nettoyage de locaux).",
    )
    postal_code = models.CharField("code postal du lieu de travail", max_length=5)
    city = models.CharField("commune du lieu de travail", max_length=100)
    weekly_hours = models.DecimalField(
        "heures par semaine",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKLY_HOURS)],
    )
    contract_type = models.CharField("type de contrat", max_length=10, choices=ContractType.choices)
    contract_months = models.PositiveSmallIntegerField(
        "durée du contrat (mois)", null=True, blank=True, help_text="Vide pour un CDI."
    )
    starts_on = models.DateField("prise de poste", null=True, blank=True)
    description = models.TextField(
        "profil de poste", blank=True, help_text="Missions, compétences attendues, conditions."
    )
    status = models.CharField("état", max_length=6, choices=Status.choices, default=Status.OPEN)
    created_by = _author_field()
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = JobOfferQuerySet.as_manager()

    class Meta:
        verbose_name = "offre d'emploi"
        verbose_name_plural = "offres d'emploi"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["operator", "status"]),
            models.Index(fields=["rome_code", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=0) & Q(weekly_hours__lte=MAX_WEEKLY_HOURS),
                name="job_offer_weekly_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.employer}" if self.employer_id else self.title

    def get_absolute_url(self) -> str:
        return reverse("companies:offer_detail", args=[self.pk])

    @property
    def terms(self) -> rules.OfferTerms:
        return rules.OfferTerms(self.rome_code, self.postal_code, self.weekly_hours)

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.title, self.rome_code, self.city, str(self.employer))
        super().save(*args, **kwargs)


# --- people: profile and applications -----------------------------------------------------


class JobSearchProfile(models.Model):
    """What a person looks for (P7, "vivier de candidats")."""

    beneficiary = models.OneToOneField(
        Beneficiary, models.CASCADE, related_name="job_search_profile", verbose_name="bénéficiaire"
    )
    rome_codes = models.CharField(
        "métiers recherchés (codes ROME)",
        max_length=200,
        help_text="Séparés par des espaces ou des virgules, par exemple « K2204 N1103 ».",
    )
    areas = models.CharField(
        "lieux recherchés",
        max_length=200,
        blank=True,
        help_text="Codes postaux ou numéros de département, par exemple « 67000 67200 67 ».",
    )
    min_weekly_hours = models.DecimalField(
        "heures par semaine, au moins",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKLY_HOURS)],
    )
    max_weekly_hours = models.DecimalField(
        "heures par semaine, au plus",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKLY_HOURS)],
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "profil de recherche d'emploi"
        verbose_name_plural = "profils de recherche d'emploi"

    def __str__(self) -> str:
        return f"Recherche d'emploi {of(self.beneficiary)}"

    def get_absolute_url(self) -> str:
        return reverse("companies:profile", args=[self.beneficiary_id])

    def clean(self):
        errors = {}
        for name, parse in (("rome_codes", rules.parse_rome_codes), ("areas", rules.parse_areas)):
            try:
                setattr(self, name, " ".join(parse(getattr(self, name))))
            except rules.CompaniesRuleError as error:
                errors[name] = str(error)
        low, high = self.min_weekly_hours, self.max_weekly_hours
        if low is not None and high is not None and low > high:
            errors["max_weekly_hours"] = (
                f"Le maximum ({high} h) est inférieur au minimum ({low} h) : corrigez l'un des deux."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def search_profile(self) -> rules.SearchProfile:
        return rules.SearchProfile(
            tuple(self.rome_codes.split()),
            tuple(self.areas.split()),
            self.min_weekly_hours,
            self.max_weekly_hours,
        )


class Application(models.Model):
    """An application sent by a person to an offer (P7)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "En attente de réponse"
        INTERVIEW = "interview", "Entretien d'embauche obtenu"
        HIRED = "hired", "Embauché·e"
        REFUSED = "refused", "Candidature refusée"
        WITHDRAWN = "withdrawn", "Candidature retirée"

    beneficiary = models.ForeignKey(
        Beneficiary, models.CASCADE, related_name="applications", verbose_name="bénéficiaire"
    )
    offer = models.ForeignKey(
        JobOffer, models.PROTECT, related_name="applications", verbose_name="offre"
    )
    sent_on = models.DateField("envoyée le")
    outcome = models.CharField(
        "suite donnée", max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    note = models.CharField("commentaire", max_length=300, blank=True)
    created_by = _author_field()
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "candidature"
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "offer"], name="application_once_per_offer"
            ),
        ]

    def __str__(self) -> str:
        return f"Candidature {of(self.beneficiary)} — {self.offer.title}"

    def get_absolute_url(self) -> str:
        return reverse("companies:profile", args=[self.beneficiary_id])


# --- PMSMP --------------------------------------------------------------------------------

IMMERSION_OBJECT_CHOICES = [
    (value.value, label) for value, label in rules.IMMERSION_OBJECT_LABELS.items()
]


class Immersion(models.Model):
    """A PMSMP (Code du travail L5135-1 to L5135-8, D5135-1 to D5135-8; P1, P7)."""

    class Outcome(models.TextChoices):
        PLANNED = "", "À venir ou en cours"
        ACHIEVED = "achieved", "Objectifs atteints"
        PARTLY = "partly", "Objectifs en partie atteints"
        NOT_ACHIEVED = "not_achieved", "Objectifs non atteints"
        HIRED = "hired", "Embauche proposée"
        INTERRUPTED = "interrupted", "Interrompue"

    beneficiary = models.ForeignKey(
        Beneficiary, models.PROTECT, related_name="immersions", verbose_name="bénéficiaire"
    )
    employer = models.ForeignKey(
        Employer, models.PROTECT, related_name="immersions", verbose_name="structure d'accueil"
    )
    tutor = models.ForeignKey(
        Tutor,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="immersions",
        verbose_name="tuteur·rice",
        help_text="La personne chargée de l'accueil et du suivi (art. D5135-2, 3°).",
    )
    renewal_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name="renouvellement de",
        help_text="Une seule fois, même structure, même objet et mêmes objectifs (D5135-3).",
    )
    purpose = models.CharField(
        "objet (art. L5135-1)", max_length=10, choices=IMMERSION_OBJECT_CHOICES
    )
    objectives = models.TextField("objectifs précis")
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", help_text="Au plus un mois de date à date (D5135-3).")
    outcome = models.CharField(
        "résultat", max_length=12, choices=Outcome.choices, blank=True, default=""
    )
    assessment = models.TextField("bilan", blank=True)
    created_by = _author_field()
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "immersion (PMSMP)"
        verbose_name_plural = "immersions (PMSMP)"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="immersion_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"PMSMP {of(self.beneficiary)} chez {self.employer} ({french_date(self.starts_on)})"

    def get_absolute_url(self) -> str:
        return reverse("companies:immersion_detail", args=[self.pk])

    def as_rule(self) -> rules.Immersion:
        return rules.Immersion(
            key=self.pk or "new",
            host=self.employer_id,
            object=self.purpose,
            objectives=self.objectives,
            start=self.starts_on,
            end=self.ends_on,
            renewal_of=self.renewal_of_id,
        )

    def clean(self):
        if self.tutor_id and self.employer_id and self.tutor.employer_id != self.employer_id:
            raise ValidationError(
                {"tutor": "Ce tuteur travaille chez un autre employeur : choisissez un tuteur "
                 "de la structure d'accueil (art. D5135-2, 3°)."}
            )  # fmt: skip
        if not (self.beneficiary_id and self.employer_id and self.starts_on and self.ends_on):
            return
        others = Immersion.objects.filter(beneficiary_id=self.beneficiary_id).exclude(pk=self.pk)
        findings = rules.check_immersion(self.as_rule(), [o.as_rule() for o in others])
        if findings:
            raise ValidationError(findings)


# --- events -------------------------------------------------------------------------------


class CompanyEventQuerySet(OperatorQuerySet):
    employer_path = ""  # an event may name several employers: operator members only


class CompanyEvent(models.Model):
    """A job dating, a fair or a company visit, with who went (P7)."""

    class Kind(models.TextChoices):
        JOB_DATING = "job_dating", "Job dating"
        FAIR = "fair", "Salon de l'emploi ou de la formation"
        COMPANY_VISIT = "visit", "Visite d'entreprise"

    operator = _operator_field("company_events")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    title = models.CharField("intitulé", max_length=200)
    date = models.DateField("date")
    place = models.CharField("lieu", max_length=200, blank=True)
    employers = models.ManyToManyField(
        Employer, related_name="company_events", blank=True, verbose_name="employeurs présents"
    )
    attendees = models.ManyToManyField(
        Beneficiary,
        related_name="company_events",
        blank=True,
        verbose_name="personnes venues",
    )
    note = models.TextField("compte-rendu", blank=True)
    created_by = _author_field()
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = CompanyEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement entreprises"
        verbose_name_plural = "événements entreprises"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.title} ({french_date(self.date)})"

    def get_absolute_url(self) -> str:
        return reverse("companies:event_update", args=[self.pk])


for _model in (
    EmployerContact,
    ProspectingAction,
    JobOffer,
    JobSearchProfile,
    Application,
    Immersion,
    CompanyEvent,
):
    audit.register(_model)
