"""CUI conventions (seed 003, the cerfa), their aid-rate orders, numbers, amendments,
suspensions and ruptures (rules C1–C13, E1–E12, F1–F15).

The models persist and constrain; every decision (is the convention valid, how much aid in
March, what must be repaid) is a call into ``tremplin.rules`` through ``services.py``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Organisation, Territory
from tremplin.registry.models import DURATION_BANDS, Beneficiary, Employer, Tutor, search_key
from tremplin.rules import parameters, programmes, referentials, ruptures
from tremplin.rules.aid import RATE_CAP_PERCENT, WEEKLY_HOURS_MAX
from tremplin.rules.calendar import to_paris
from tremplin.web.links import reverse

# Rule E6: the prefect's rate never exceeds 47 % of the SMIC.
PREFECT_RATE_CAP = RATE_CAP_PERCENT
# Legal maximum weekly working time (code du travail, L.3121-20): bounds the contract hours in
# the database; the 35-hour bound of rule C8 is a finding of the checks, not a constraint.
LEGAL_MAX_WEEKLY_HOURS = 48
# Rule F12: the employer reports a suspension or a rupture within 7 days.
EMPLOYER_REPORT_DAYS = 7


def validate_rome_code(value: str) -> None:
    """The job offered must be a fiche of the ROME list, not only look like one (F1)."""
    try:
        code = referentials.normalize_rome_code(value, rule="F1")
    except referentials.UnknownCode as error:
        raise ValidationError(str(error)) from error
    if code != value:  # the form normalises; a raw save must store the code as listed
        raise ValidationError(
            f"Le code ROME s'écrit en majuscules sans espace : {code} (règle F1)."
        )


def hours_and_minutes(hours: int | None, minutes: int | None) -> Decimal | None:
    """The form's "h minutes" as decimal hours: 26 h 30 → 26.5."""
    if hours is None:
        return None
    return Decimal(hours) + Decimal(minutes or 0) / Decimal(60)


# --- Aid-rate orders (rules E1, E12) ---------------------------------------------------------


class AidOrderQuerySet(models.QuerySet):
    def as_rules(self) -> list[parameters.AidOrder]:
        return [order.to_rule() for order in self]

    def in_force(
        self, region_code: str, day: datetime.date, sector: str = "CIE"
    ) -> parameters.AidOrder:
        """The order of the region in force on ``day`` (raises ``NoValueInForce``, French).

        The orders entered in the database are layered over the ones shipped in
        ``rules/data/aid_orders`` (rule E1): for the same region, sector and date the
        database's wins; a shipped order absent from the database still counts. An order
        past its validity is never in force (``at`` tells the newest one then).
        """
        return parameters.aid_order_in_force(
            region_code, day, orders=self._layered(region_code, day, sector)
        )

    def at(
        self, region_code: str, day: datetime.date, sector: str = "CIE"
    ) -> parameters.OrderAtDate:
        """The order in force on ``day``, else the newest one dated before it, outside its
        validity (the wizard proposes it with a warning, rule E1); layered like ``in_force``."""
        return parameters.aid_order_at(
            region_code, day, orders=self._layered(region_code, day, sector)
        )

    def layered(self) -> list[parameters.AidOrder]:
        """Every order known to the product, all regions and sectors: the database's over
        the shipped files (the check from outside chooses among them like the wizard)."""
        layered = {
            (order.region_code, order.sector, order.valid_from): order
            for order in parameters.aid_orders()
        }
        for order in self.as_rules():
            layered[(order.region_code, order.sector, order.valid_from)] = order
        return list(layered.values())

    def _layered(self, region_code: str, day: datetime.date, sector: str):
        candidates = self.filter(region_code=region_code, sector=sector, valid_from__lte=day)
        layered = {(order.valid_from, order.sector): order for order in shipped_orders(sector)}
        for order in candidates.as_rules():
            layered[(order.valid_from, order.sector)] = order
        return list(layered.values())

    def row_of(self, order: parameters.AidOrder) -> AidOrder | None:
        """The database row of a rules order (None for a shipped order not mirrored)."""
        return self.filter(
            region_code=order.region_code, sector=order.sector, valid_from=order.valid_from
        ).first()


def _iso(day) -> str:
    return day.isoformat() if isinstance(day, datetime.date) else str(day)


def shipped_orders(sector: str) -> list[parameters.AidOrder]:
    return [order for order in parameters.aid_orders() if order.sector == sector]


class AidOrder(models.Model):
    """A prefectoral order as data (rule E1): the département enters a new one without a
    release; the seed-002 order is loaded by a data migration from ``rules/data``."""

    region_code = models.CharField("code de la région", max_length=3)
    region_name = models.CharField("région", max_length=120, blank=True)
    valid_from = models.DateField("en vigueur à partir du")
    # Rule E1: orders are fixed year by year. Empty only for an order entered before the
    # validity was asked (it then counts until a newer order, and is flagged as stale).
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True)
    sector = models.CharField(
        "secteur", max_length=3, choices=[("CIE", "CIE"), ("CAE", "CAE")], default="CIE"
    )
    reference = models.CharField("référence de l'arrêté", max_length=200)
    source = models.TextField("source", blank=True)
    rate_cap_percent = models.DecimalField(
        "plafond du taux (% du SMIC)", max_digits=5, decimal_places=2, default=PREFECT_RATE_CAP
    )
    weekly_hours_min = models.DecimalField(
        "durée hebdomadaire prise en charge minimale", max_digits=4, decimal_places=2
    )
    weekly_hours_max = models.DecimalField(
        "durée hebdomadaire prise en charge maximale", max_digits=4, decimal_places=2
    )
    aid_months_cdd = models.PositiveSmallIntegerField("durée de l'aide pour un CDD (mois)")
    cdd_min_months_for_aid = models.PositiveSmallIntegerField(
        "durée minimale du CDD pour être aidé (mois)"
    )
    aid_months_cdi = models.PositiveSmallIntegerField("durée de l'aide pour un CDI (mois)")
    training_raise_percent = models.DecimalField(
        "majoration pour une formation inscrite à la convention (points de % du SMIC)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Vide si l'arrêté ne prévoit aucune majoration de l'aide pour formation "
        "(règle E11).",
    )
    demonstration = models.BooleanField("données de démonstration", default=False)
    # [{"code", "label", "rate_percent", "who": [...], "criteria": [...]}], the shape of
    # parameters.AidOrder.to_mapping(): validated by AidOrder.from_mapping on save.
    categories = models.JSONField("catégories de public et taux", default=list)
    note = models.TextField("note", blank=True)

    objects = AidOrderQuerySet.as_manager()

    class Meta:
        verbose_name = "arrêté préfectoral (taux d'aide)"
        verbose_name_plural = "arrêtés préfectoraux (taux d'aide)"
        ordering = ["region_code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "sector", "valid_from"], name="aid_order_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(rate_cap_percent__gt=0, rate_cap_percent__lte=PREFECT_RATE_CAP),
                name="aid_order_cap_within_e6",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="aid_order_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(training_raise_percent__isnull=True)
                | Q(training_raise_percent__gt=0, training_raise_percent__lte=PREFECT_RATE_CAP),
                name="aid_order_training_raise_within_e6",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours_min__gt=0)
                & Q(weekly_hours_min__lte=models.F("weekly_hours_max"))
                & Q(weekly_hours_max__lte=WEEKLY_HOURS_MAX),
                name="aid_order_hours_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} (région {self.region_code})"

    def to_mapping(self) -> dict[str, object]:
        return {
            "region_code": self.region_code,
            "region_name": self.region_name,
            "valid_from": _iso(self.valid_from),
            "valid_until": _iso(self.valid_until) if self.valid_until else None,
            "reference": self.reference,
            "source": self.source,
            "sector": self.sector,
            "rate_cap_percent": str(self.rate_cap_percent),
            "weekly_hours_min": str(self.weekly_hours_min),
            "weekly_hours_max": str(self.weekly_hours_max),
            "aid_months_cdd": self.aid_months_cdd,
            "cdd_min_months_for_aid": self.cdd_min_months_for_aid,
            "aid_months_cdi": self.aid_months_cdi,
            "training_raise_percent": None
            if self.training_raise_percent in (None, "")
            else str(self.training_raise_percent),
            "demonstration": self.demonstration,
            "note": self.note,
            "categories": self.categories,
        }

    def to_rule(self) -> parameters.AidOrder:
        return parameters.AidOrder.from_mapping(self.to_mapping(), where=self.reference)

    @classmethod
    def from_rule(cls, order: parameters.AidOrder) -> AidOrder:
        data = order.to_mapping()
        data["valid_from"] = order.valid_from
        data["valid_until"] = order.valid_until
        data["training_raise_percent"] = order.training_raise_percent
        return cls(**data)

    def clean(self):
        try:
            self.to_rule()
        except parameters.ParameterError as error:
            raise ValidationError(str(error)) from None


# --- The SMIC entered by the département (rules E1, E6, F10) ----------------------------------


class SmicValueQuerySet(models.QuerySet):
    def series(self) -> parameters.DatedSeries:
        """The hourly gross SMIC: the values entered here layered over the shipped file
        (``rules/data/smic_hourly.csv``); at a date, the newest-dated value wins. One query."""
        added = [
            parameters.DatedValue(valid_from, value, source)
            for valid_from, value, source in self.order_by("valid_from").values_list(
                "valid_from", "value", "source"
            )
        ]
        return parameters.layered_series(parameters.series(SMIC_SERIES), added)


SMIC_SERIES = "smic_hourly"


class SmicValue(models.Model):
    """A value of the hourly gross SMIC entered by a département agent or an administrator
    (DESIGN.md, "Rules as data"): the next schedules use it without a release (rule F10:
    the aid is a share of the SMIC of each month)."""

    valid_from = models.DateField("en vigueur à partir du", unique=True)
    value = models.DecimalField(
        "SMIC horaire brut (€)",
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    source = models.CharField(
        "texte légal",
        max_length=300,
        help_text="Le décret ou l'arrêté qui fixe cette valeur, tel que publié au Journal "
        "officiel (par exemple « Décret n° 2025-1228 du 17 décembre 2025 … »).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    created_at = models.DateTimeField("saisie le", auto_now_add=True)

    objects = SmicValueQuerySet.as_manager()

    class Meta:
        verbose_name = "valeur du SMIC horaire"
        verbose_name_plural = "valeurs du SMIC horaire"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="smic_value_positive"),
            models.CheckConstraint(condition=~Q(source=""), name="smic_value_has_source"),
        ]

    def __str__(self) -> str:
        return f"SMIC horaire {self.value} € au {self.valid_from:%d/%m/%Y}"


# --- Numbering (rule F2) ---------------------------------------------------------------------


def format_convention_number(
    department: str, year: int, order: int, renewal: int, modification: int
) -> str:
    """Rule F2: ``067-25-00042-00-0`` (département, year, order, renewal, modification)."""
    return f"{department.zfill(3)}-{year % 100:02d}-{order:05d}-{renewal:02d}-{modification}"


class ConventionNumberSequence(models.Model):
    """The last order number given per département and year; order numbers are never reused."""

    department = models.CharField("département", max_length=3)
    year = models.PositiveSmallIntegerField("année")
    last_order = models.PositiveIntegerField("dernier n° d'ordre", default=0)

    class Meta:
        verbose_name = "séquence de numérotation"
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="one_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.department}-{self.year} : {self.last_order}"

    @classmethod
    def allocate(cls, department: str, year: int) -> int:
        """The next order number, unique when many agents sign at once.

        The row is locked with SELECT … FOR UPDATE (PostgreSQL; SQLite serialises writers),
        so two transactions never read the same ``last_order``; get_or_create survives the
        race on the first number of a year through its own savepoint.
        """
        with transaction.atomic():
            cls.objects.get_or_create(department=department, year=year)
            sequence = cls.objects.select_for_update().get(department=department, year=year)
            sequence.last_order += 1
            sequence.save(update_fields=["last_order"])
            return sequence.last_order


# --- Conventions ---------------------------------------------------------------------------


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Through the beneficiary: who may see the person may see their conventions."""
        scope = scope_of(user)
        if scope.is_admin:
            return self
        # A correlated EXISTS, not ``IN (SELECT …)``: SQLite materialises an IN-subquery over
        # every visible person (100,000 for a département's agent) before counting a handful
        # of drafts; EXISTS looks each convention's person up by key (PostgreSQL plans both
        # as the same semi-join).
        return self.filter(
            Exists(Beneficiary.objects.visible_to(user).filter(pk=OuterRef("beneficiary_id")))
        )

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        query = self
        for word in search_key(text).split():
            query = query.filter(search_text__contains=word)
        return query

    def signed(self):
        return self.filter(signed_on__isnull=False)

    def in_status(self, status: str, day: datetime.date | None = None):
        """The conventions whose ``status_on(day)`` is ``status``, as one filter (the same
        reading of the dates as ``Convention.status_on``)."""
        day = day or timezone.localdate()
        Status = Convention.Status
        if status == Status.DRAFT:
            return self.filter(signed_on__isnull=True)
        signed = self.filter(signed_on__isnull=False)
        if status == Status.RUPTURED:
            return signed.filter(rupture__isnull=False)
        running = signed.filter(rupture__isnull=True).annotate(
            _starts_on=Coalesce("aid_start", "hire_date")
        )
        if status == Status.SIGNED:
            return running.filter(_starts_on__gt=day)
        not_before_start = Q(_starts_on__isnull=True) | Q(_starts_on__lte=day)
        if status == Status.ENDED:
            return running.filter(not_before_start, aid_end__lt=day)
        current = running.filter(not_before_start).exclude(aid_end__lt=day)
        suspended = Exists(
            Suspension.objects.filter(convention=OuterRef("pk"), start__lte=day, end__gte=day)
        )
        if status == Status.SUSPENDED:
            return current.filter(suspended)
        if status == Status.ACTIVE:
            return current.exclude(suspended)
        raise ValueError(f"Unknown status {status!r}")


class Initiative(models.TextChoices):
    """Who asked for an action (cerfa: "1 l'employeur, 2 le salarié, 3 le prescripteur")."""

    EMPLOYER = "1", "1 — l'employeur"
    EMPLOYEE = "2", "2 — le salarié"
    PRESCRIBER = "3", "3 — le prescripteur"


def initiative_field(label: str) -> models.CharField:
    return models.CharField(label, max_length=1, choices=Initiative.choices, blank=True)


# The cerfa's actions, as (field name, label): each holds the initiative code, empty if none.
SUPPORT_ACTIONS = [
    ("support_remobilisation", "Remobilisation vers l'emploi"),
    ("support_taking_up_post", "Aide à la prise de poste"),
    ("support_project", "Élaboration du projet professionnel et appui à sa réalisation"),
    ("support_assessment", "Évaluation des capacités et des compétences"),
    ("support_job_search", "Aide à la recherche d'emploi"),
    ("support_other", "Autre action d'accompagnement"),
]
TRAINING_ACTIONS = [
    ("training_adaptation", "Adaptation au poste de travail"),
    ("training_refresher", "Remise à niveau"),
    ("training_prequalification", "Préqualification"),
    ("training_new_skills", "Acquisition de nouvelles compétences"),
    ("training_qualifying", "Formation qualifiante"),
]


class Convention(models.Model):
    class Sector(models.TextChoices):
        CIE = "CIE", "Secteur marchand (CIE)"
        CAE = "CAE", "Secteur non marchand (CAE)"

    class ContractType(models.TextChoices):
        CDI = "CDI", "CDI"
        CDD = "CDD", "CDD"

    class Payer(models.TextChoices):
        DEPARTMENT = "departement", "Département"
        CAF = "CAF", "CAF"
        MSA = "MSA", "MSA"
        ASP = "ASP", "ASP"
        OTHER = "other", "Autre (préciser)"

    class TrainingMode(models.TextChoices):
        INTERNAL = "internal", "Interne"
        EXTERNAL = "external", "Externe"

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        SIGNED = "signed", "Signée, embauche à venir"
        ACTIVE = "active", "En cours"
        # Derived from the suspensions' dates (rule C9), never stored: a contract suspended on
        # the day, paid or not (the aid of unpaid days is the schedule's, rule F12).
        SUSPENDED = "suspended", "Suspendue"
        ENDED = "ended", "Terminée"
        RUPTURED = "ruptured", "Rompue"

    sector = models.CharField("secteur", max_length=3, choices=Sector.choices)
    territory = models.ForeignKey(
        Territory, models.PROTECT, related_name="conventions", verbose_name="département"
    )
    # Prescriber box.
    # The three département fields keep their column names (and the API keys, the audit log's
    # keys) of the French spelling: only the Python names are English.
    prescribed_for_department = models.BooleanField(
        "convention entre le département, l'employeur et le salarié",
        default=True,
        help_text="Bénéficiaire du RSA financé par le département ; sinon l'État (règle F6).",
        db_column="prescribed_for_departement",
    )
    prescribed_for_department.audit_name = "prescribed_for_departement"
    objectives_agreement_number = models.CharField(
        "n° de convention d'objectifs (si le département finance)", max_length=30, blank=True
    )
    filing_date = models.DateField("date de dépôt", null=True, blank=True)
    prescriber_code = models.CharField("code prescripteur", max_length=20, blank=True)
    france_travail_id = models.CharField(
        "numéro IDE (si inscrit à France Travail)", max_length=11, blank=True
    )
    # Number (rule F2), given at signature.
    number_department = models.CharField("dept", max_length=3, blank=True)
    number_year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    number_order = models.PositiveIntegerField("n° d'ordre", null=True, blank=True)
    renewal_count = models.PositiveSmallIntegerField("avenant de renouvellement", default=0)
    modification_count = models.PositiveSmallIntegerField("avenant de modification", default=0)

    # Parties.
    beneficiary = models.ForeignKey(
        Beneficiary, models.PROTECT, related_name="conventions", verbose_name="salarié"
    )
    employer = models.ForeignKey(
        Employer, models.PROTECT, related_name="conventions", verbose_name="employeur"
    )
    tutor = models.ForeignKey(
        Tutor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="tuteur désigné",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_conventions",
        verbose_name="référent·e",
    )
    operator = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="organisme chargé du suivi",
    )

    # Employer declarations (rules C3, E2, C12).
    last_economic_dismissal = models.DateField(
        "dernier licenciement économique", null=True, blank=True
    )
    replaces_dismissed_employee = models.BooleanField(
        "l'embauche remplace un salarié licencié (hors faute grave)", default=False
    )
    contributions_up_to_date = models.BooleanField(
        "à jour des cotisations et contributions sociales", default=True
    )
    employer_tutor_authorised = models.BooleanField(
        "l'employeur est tuteur, avec autorisation", default=False
    )
    tutor_is_employer = models.BooleanField("l'employeur est lui-même tuteur", default=False)

    # The employee's situation at signature, copied from the registry (rule F1).
    education_level = models.CharField(
        "niveau de formation (tableau 2)",
        max_length=2,
        choices=Beneficiary.EducationLevel.choices,
        blank=True,
    )
    employee_without_employment = models.BooleanField("sans emploi (règle C1)", default=True)
    unemployed_for = models.CharField(
        "sans emploi depuis", max_length=6, choices=DURATION_BANDS, blank=True
    )
    france_travail_registered = models.BooleanField("inscrit·e à France Travail", default=False)
    france_travail_for = models.CharField(
        "inscrit·e depuis", max_length=6, choices=DURATION_BANDS, blank=True
    )
    receives_ass = models.BooleanField("bénéficiaire de l'ASS", default=False)
    receives_rsa = models.BooleanField("RSA financé par le département", default=False)
    rsa_increased = models.BooleanField("RSA majoré", default=False)
    receives_aah = models.BooleanField("bénéficiaire de l'AAH", default=False)
    receives_ata = models.BooleanField("bénéficiaire de l'ATA", default=False)
    minimum_income_for = models.CharField(
        "minima sociaux depuis", max_length=6, choices=DURATION_BANDS, blank=True
    )
    disabled_worker = models.CharField(
        "reconnu·e travailleur handicapé",
        max_length=12,
        choices=Beneficiary.DisabledWorker.choices,
        blank=True,
    )
    # Derogations of rules C5, C7, C8 (seed 001, seed 003's general conditions).
    sentence_adjustment = models.BooleanField("en aménagement de peine", default=False)
    training_in_progress = models.BooleanField("formation en cours (C5)", default=False)
    training_end = models.DateField("fin de la formation", null=True, blank=True)
    severe_difficulties = models.BooleanField(
        "difficultés particulièrement importantes (moins de 20 h)", default=False
    )

    # Contract.
    contract_type = models.CharField(
        "type de contrat", max_length=3, choices=ContractType.choices, blank=True
    )
    hire_date = models.DateField("date d'embauche", null=True, blank=True)
    planned_end = models.DateField("date prévue de fin (si CDD)", null=True, blank=True)
    rome_code = models.CharField(
        "emploi proposé (code ROME)", max_length=5, blank=True, validators=[validate_rome_code]
    )
    job_title = models.CharField("intitulé de l'emploi", max_length=150, blank=True)
    gross_monthly_pay = models.DecimalField(
        "salaire brut mensuel (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    weekly_hours = models.PositiveSmallIntegerField(
        "durée hebdomadaire du contrat (h)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(LEGAL_MAX_WEEKLY_HOURS)],
    )
    weekly_minutes = models.PositiveSmallIntegerField(
        "minutes", default=0, validators=[MaxValueValidator(59)]
    )
    modulation = models.BooleanField("modulation", default=False)
    collective_weekly_hours = models.PositiveSmallIntegerField(
        "durée collective dans l'établissement (h)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(LEGAL_MAX_WEEKLY_HOURS)],
    )
    collective_weekly_minutes = models.PositiveSmallIntegerField(
        "minutes (durée collective)", default=0, validators=[MaxValueValidator(59)]
    )
    workplace_street_number = models.CharField("n° (lieu d'exécution)", max_length=10, blank=True)
    workplace_street = models.CharField(
        "rue ou voie (lieu d'exécution)", max_length=200, blank=True
    )
    workplace_postal_code = models.CharField(
        "code postal (lieu d'exécution)", max_length=5, blank=True
    )
    workplace_city = models.CharField("commune (lieu d'exécution)", max_length=100, blank=True)

    # Support and training actions (initiative codes 1, 2, 3).
    social_support = models.BooleanField("actions d'accompagnement social", default=False)
    support_remobilisation = initiative_field("Remobilisation vers l'emploi")
    support_taking_up_post = initiative_field("Aide à la prise de poste")
    support_project = initiative_field("Élaboration du projet professionnel")
    support_assessment = initiative_field("Évaluation des capacités et des compétences")
    support_job_search = initiative_field("Aide à la recherche d'emploi")
    support_other = initiative_field("Autre action d'accompagnement")
    support_other_text = models.CharField("autre action : préciser", max_length=200, blank=True)
    training_adaptation = initiative_field("Adaptation au poste de travail")
    training_refresher = initiative_field("Remise à niveau")
    training_prequalification = initiative_field("Préqualification")
    training_new_skills = initiative_field("Acquisition de nouvelles compétences")
    training_qualifying = initiative_field("Formation qualifiante")
    training_mode = models.CharField(
        "formation", max_length=8, choices=TrainingMode.choices, blank=True
    )
    professionalisation_periods = models.BooleanField(
        "périodes de professionnalisation", default=False
    )
    target_qualification_level = models.CharField(
        "niveau de qualification visé (tableau 2)",
        max_length=2,
        choices=Beneficiary.EducationLevel.choices,
        blank=True,
    )
    vae = models.BooleanField("actions dans le cadre d'une VAE", default=False)
    immersions_planned = models.BooleanField("périodes d'immersion envisagées (CAE)", default=False)

    # Aid box (reserved to the prescriber).
    aid_order = models.ForeignKey(
        AidOrder,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="arrêté préfectoral appliqué",
    )
    aid_category = models.CharField("catégorie de public de l'arrêté", max_length=40, blank=True)
    aid_start = models.DateField("date d'effet de la prise en charge", null=True, blank=True)
    aid_end = models.DateField("date de fin de la prise en charge", null=True, blank=True)
    subsidised_weekly_hours = models.PositiveSmallIntegerField(
        "durée hebdomadaire prise en charge (h)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(int(WEEKLY_HOURS_MAX))],
    )
    subsidised_weekly_minutes = models.PositiveSmallIntegerField(
        "minutes (durée prise en charge)", default=0, validators=[MaxValueValidator(59)]
    )
    special_operation = models.CharField("opération spéciale", max_length=100, blank=True)
    prefect_rate_percent = models.DecimalField(
        "taux fixé par l'arrêté du préfet de région (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(PREFECT_RATE_CAP)],
    )
    department_rate_percent = models.DecimalField(
        "taux du département s'il est supérieur ou s'il finance seul (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        db_column="departement_rate_percent",
    )
    department_rate_percent.audit_name = "departement_rate_percent"
    department_funds_alone = models.BooleanField(
        "financement exclusif du département",
        default=False,
        db_column="departement_funds_alone",
    )
    department_funds_alone.audit_name = "departement_funds_alone"
    # Rule E6: "plus at most 9 months by amendment if the contract continues as a CDI".
    continues_as_cdi = models.BooleanField(
        "le contrat se poursuit en CDI (prolongation dérogatoire de l'aide, E6)",
        default=False,
        help_text="L'aide peut alors être prolongée par avenant de 9 mois au plus, sur des "
        "critères tenant au salarié (règle E6).",
    )
    payer = models.CharField(
        "organisme payeur de l'aide du département",
        max_length=11,
        choices=Payer.choices,
        blank=True,
    )
    payer_name = models.CharField("organisme payeur (nom)", max_length=150, blank=True)
    payer_address = models.CharField("organisme payeur (adresse)", max_length=250, blank=True)
    asp_sent_on = models.DateField("transmis à l'ASP le", null=True, blank=True)

    # Signature (rules A10, F8).
    signed_on = models.DateField("signée le", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_conventions",
        verbose_name="enregistrée par",
    )
    employee_present = models.BooleanField("salarié présent", default=False)
    employer_present = models.BooleanField("employeur présent", default=False)
    operator_present = models.BooleanField("opérateur présent", default=False)
    rsa_adviser_present = models.BooleanField("conseiller RSA présent", default=False)

    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "convention CUI"
        verbose_name_plural = "conventions CUI"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["territory", "aid_start"]),
            models.Index(fields=["beneficiary"]),
            # The drafts to sign of a territory, oldest first (the agent's work queue, its
            # count and its first few): without it, every convention of the territory is read
            # to find none or a few. The territory leads, or SQLite's planner prefers the
            # territory's index (an empty partial index has no statistics).
            models.Index(
                fields=["territory", "created_at", "id"],
                condition=Q(signed_on__isnull=True),
                name="convention_territory_drafts",
            ),
        ]
        constraints = [
            # Rule F2: a number is never given twice.
            models.UniqueConstraint(
                fields=[
                    "number_department",
                    "number_year",
                    "number_order",
                    "renewal_count",
                    "modification_count",
                ],
                condition=Q(number_order__isnull=False),
                name="convention_number_unique",
            ),
            # One order number belongs to one convention, whatever its amendments.
            models.UniqueConstraint(
                fields=["number_department", "number_year", "number_order"],
                condition=Q(number_order__isnull=False),
                name="convention_order_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(hire_date__isnull=True)
                | Q(planned_end__gte=models.F("hire_date")),
                name="convention_contract_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(contract_type="CDD"),
                name="convention_planned_end_only_for_cdd",
            ),
            models.CheckConstraint(
                condition=Q(aid_end__isnull=True)
                | Q(aid_start__isnull=True)
                | Q(aid_end__gte=models.F("aid_start")),
                name="convention_aid_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True)
                | Q(weekly_hours__lte=LEGAL_MAX_WEEKLY_HOURS),
                name="convention_contract_hours_bounded",
            ),
            models.CheckConstraint(
                condition=Q(subsidised_weekly_hours__isnull=True)
                | Q(subsidised_weekly_hours__lte=int(WEEKLY_HOURS_MAX)),
                name="convention_subsidised_hours_at_most_35",
            ),
            models.CheckConstraint(
                condition=Q(weekly_minutes__lte=59)
                & Q(collective_weekly_minutes__lte=59)
                & Q(subsidised_weekly_minutes__lte=59),
                name="convention_minutes_below_60",
            ),
            models.CheckConstraint(
                condition=Q(prefect_rate_percent__isnull=True)
                | Q(prefect_rate_percent__gt=0, prefect_rate_percent__lte=PREFECT_RATE_CAP),
                name="convention_prefect_rate_within_e6",
            ),
            models.CheckConstraint(
                condition=Q(department_rate_percent__isnull=True)
                | Q(department_rate_percent__gt=0, department_rate_percent__lte=100),
                name="convention_departement_rate_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(gross_monthly_pay__isnull=True) | Q(gross_monthly_pay__gte=0),
                name="convention_pay_not_negative",
            ),
            # Rule A10: signing records the four parties present and gives the number.
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True)
                | Q(
                    number_order__isnull=False,
                    employee_present=True,
                    employer_present=True,
                    operator_present=True,
                    rsa_adviser_present=True,
                ),
                name="convention_signed_with_number_and_parties",
            ),
        ]

    def __str__(self) -> str:
        label = self.number or "brouillon"
        return f"Convention {self.sector} {label}"

    def get_absolute_url(self) -> str:
        return reverse("conventions:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = search_key(
            self.beneficiary.last_name if self.beneficiary_id else "",
            self.beneficiary.first_names if self.beneficiary_id else "",
            self.employer.name if self.employer_id else "",
            self.number or "",
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    # --- Derived values ---------------------------------------------------------------------

    @property
    def number(self) -> str:
        if self.number_order is None:
            return ""
        return format_convention_number(
            self.number_department,
            self.number_year,
            self.number_order,
            self.renewal_count,
            self.modification_count,
        )

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    @property
    def contract_weekly_hours(self) -> Decimal | None:
        return hours_and_minutes(self.weekly_hours, self.weekly_minutes)

    @property
    def collective_hours(self) -> Decimal | None:
        return hours_and_minutes(self.collective_weekly_hours, self.collective_weekly_minutes)

    @property
    def subsidised_hours(self) -> Decimal | None:
        return hours_and_minutes(self.subsidised_weekly_hours, self.subsidised_weekly_minutes)

    def rupture_or_none(self):
        try:
            return self.rupture
        except Rupture.DoesNotExist:
            return None

    def status_on(self, day: datetime.date | None = None) -> str:
        """Derived from the dates (never stored, so never stale)."""
        day = day or timezone.localdate()
        if not self.is_signed:
            return self.Status.DRAFT
        if self.rupture_or_none() is not None:
            return self.Status.RUPTURED
        start = self.aid_start or self.hire_date
        if start and day < start:
            return self.Status.SIGNED
        if self.aid_end and day > self.aid_end:
            return self.Status.ENDED
        if self.suspended_on(day):
            return self.Status.SUSPENDED
        return self.Status.ACTIVE

    def suspended_on(self, day: datetime.date) -> bool:
        """A suspension of the contract (rule C9) covers ``day``; reads the prefetched
        suspensions when the list prefetched them (one query for a page)."""
        if self.pk is None:
            return False
        return any(
            suspension.start <= day <= suspension.end for suspension in self.suspensions.all()
        )

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    def actions(self, which) -> list[tuple[str, str]]:
        """[(label, initiative label)] of the actions ticked on the form."""
        return [
            (label, Initiative(getattr(self, name)).label)
            for name, label in which
            if getattr(self, name)
        ]

    @property
    def support_actions(self):
        return self.actions(SUPPORT_ACTIONS)

    @property
    def training_actions(self):
        return self.actions(TRAINING_ACTIONS)


class ImmersionPeriod(models.Model):
    """Immersion in another company during a CAE (rule C13)."""

    convention = models.ForeignKey(
        Convention, models.CASCADE, related_name="immersions", verbose_name="convention"
    )
    start = models.DateField("premier jour")
    end = models.DateField("dernier jour")
    host = models.CharField("structure d'accueil", max_length=200, blank=True)

    class Meta:
        verbose_name = "période d'immersion"
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="immersion_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"Immersion du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


class ChildOfConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            Exists(Convention.objects.visible_to(user).filter(pk=OuterRef("convention_id")))
        )


class Amendment(models.Model):
    """An amendment (rule F2): a renewal (new end date) or a modification (e.g. weekly hours
    from a date, rule F12). The convention's previous values are kept in ``previous``."""

    class Kind(models.TextChoices):
        RENEWAL = "renewal", "Avenant de renouvellement"
        MODIFICATION = "modification", "Avenant de modification"

    convention = models.ForeignKey(
        Convention, models.CASCADE, related_name="amendments", verbose_name="convention"
    )
    kind = models.CharField("type d'avenant", max_length=12, choices=Kind.choices)
    effective_from = models.DateField("date d'effet")
    # Renewal.
    new_aid_end = models.DateField("nouvelle fin de la prise en charge", null=True, blank=True)
    new_planned_end = models.DateField("nouvelle fin du contrat (CDD)", null=True, blank=True)
    employer_request_date = models.DateField(
        "demande de l'employeur reçue le (C6)", null=True, blank=True
    )
    evaluation_done = models.BooleanField("évaluation des actions réalisée (C6)", default=False)
    # Modification.
    new_subsidised_weekly_hours = models.PositiveSmallIntegerField(
        "nouvelle durée prise en charge (h)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(int(WEEKLY_HOURS_MAX))],
    )
    new_subsidised_weekly_minutes = models.PositiveSmallIntegerField(
        "minutes", default=0, validators=[MaxValueValidator(59)]
    )
    new_contract_weekly_hours = models.PositiveSmallIntegerField(
        "nouvelle durée du contrat (h)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(LEGAL_MAX_WEEKLY_HOURS)],
    )
    new_contract_weekly_minutes = models.PositiveSmallIntegerField(
        "minutes (contrat)", default=0, validators=[MaxValueValidator(59)]
    )
    reason = models.TextField("motif", blank=True)
    # Rule E6: a renewal may extend the aid by up to 9 months when the contract continues as
    # a CDI; ticking it records the fact on the convention.
    continues_as_cdi = models.BooleanField(
        "le contrat se poursuit en CDI (prolongation dérogatoire de 9 mois au plus, E6)",
        default=False,
    )
    renewal_number = models.PositiveSmallIntegerField("n° d'avenant de renouvellement")
    modification_number = models.PositiveSmallIntegerField("n° d'avenant de modification")
    previous = models.JSONField("version précédente de la convention", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    objects = ChildOfConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "avenant"
        ordering = ["convention", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "renewal_number", "modification_number"],
                name="amendment_numbers_unique",
            ),
            models.CheckConstraint(
                condition=~Q(kind="renewal") | Q(new_aid_end__isnull=False),
                name="renewal_has_new_end",
            ),
            models.CheckConstraint(
                condition=~Q(kind="modification") | Q(new_subsidised_weekly_hours__isnull=False),
                name="modification_has_new_hours",
            ),
            models.CheckConstraint(
                condition=Q(new_subsidised_weekly_hours__isnull=True)
                | Q(new_subsidised_weekly_hours__lte=int(WEEKLY_HOURS_MAX)),
                name="amendment_hours_at_most_35",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.effective_from:%d/%m/%Y}"

    @property
    def number(self) -> str:
        convention = self.convention
        if convention.number_order is None:
            return ""
        return format_convention_number(
            convention.number_department,
            convention.number_year,
            convention.number_order,
            self.renewal_number,
            self.modification_number,
        )

    @property
    def subsidised_hours(self) -> Decimal | None:
        return hours_and_minutes(
            self.new_subsidised_weekly_hours, self.new_subsidised_weekly_minutes
        )

    @property
    def contract_hours(self) -> Decimal | None:
        return hours_and_minutes(self.new_contract_weekly_hours, self.new_contract_weekly_minutes)


class Acknowledgement(models.Model):
    """The département agent's acknowledgement of a reported event (its work queue): who took
    it into account, and when. Empty: still to process."""

    acknowledged_at = models.DateTimeField("prise en compte le", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="prise en compte par",
    )

    class Meta:
        abstract = True

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class SuspensionQuerySet(ChildOfConventionQuerySet):
    def to_process(self):
        """Reported, not yet taken into account by the département (its work queue)."""
        return self.filter(acknowledged_at__isnull=True, convention__signed_on__isnull=False)


class Suspension(Acknowledgement):
    """A suspension of the contract (rule C9), reported by the employer within 7 days (F12).

    One row per suspension, recorded once — from the convention's page, the in-employment
    support's page or the API (``services.record_suspension``) — and read by the aid (F12:
    no aid for the unpaid days), both pages and the département's work queue."""

    class Reason(models.TextChoices):
        WORK_EVALUATION = "work_evaluation", "Évaluation en milieu de travail (C9)"
        INSERTION_ACTION = "insertion_action", "Action concourant à l'insertion (C9)"
        TRIAL_PERIOD = (
            "trial_period",
            "Période d'essai pour un CDI ou un CDD d'au moins 6 mois (C9)",
        )
        SICKNESS = "sickness", "Arrêt maladie ou accident"
        OTHER = "other", "Autre motif"

    convention = models.ForeignKey(
        Convention, models.CASCADE, related_name="suspensions", verbose_name="convention"
    )
    start = models.DateField("premier jour")
    end = models.DateField("dernier jour")
    paid = models.BooleanField(
        "rémunération maintenue", default=False, help_text="Sans rémunération, pas d'aide (F12)."
    )
    reason = models.CharField("motif", max_length=20, choices=Reason.choices)
    details = models.CharField("précisions", max_length=250, blank=True)
    employer_report_date = models.DateField("signalée par l'employeur le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistrée par",
    )
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = "suspension"
        ordering = ["convention", "start", "id"]
        indexes = [models.Index(fields=["acknowledged_at"], name="suspension_to_process")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="suspension_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(employer_report_date__isnull=True)
                | Q(employer_report_date__gte=models.F("start")),
                name="suspension_reported_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Suspension du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    @property
    def report_due(self) -> datetime.date:
        return self.start + datetime.timedelta(days=EMPLOYER_REPORT_DAYS)

    @property
    def reported_late(self) -> bool:
        """Rule F12: reported more than 7 days after it began (or still not reported)."""
        reported = self.employer_report_date or timezone.localdate()
        return reported > self.report_due

    def clean(self):
        """Rule C9: a signed convention, dates in order, within the aid, no overlap; F12: not
        reported before it began. The same sentences whatever page or API records it."""
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        convention = self.convention if self.convention_id else None
        if convention is not None and not convention.is_signed:
            add("__all__", "Seule une convention signée peut être suspendue (règle C9).")
        start, end = self.start, self.end
        if start and end and end < start:
            add(
                "end",
                f"La suspension finit ({end:%d/%m/%Y}) avant de commencer ({start:%d/%m/%Y}) "
                "(règle C9) : corrigez les dates.",
            )
        elif start and end and convention is not None:
            aid_start, aid_end = convention.aid_start, convention.aid_end
            if aid_start and aid_end and (start < aid_start or end > aid_end):
                add(
                    "start",
                    f"La suspension doit se situer pendant la convention "
                    f"({aid_start:%d/%m/%Y} – {aid_end:%d/%m/%Y}) (règle C9).",
                )
            overlapping = convention.suspensions.filter(start__lte=end, end__gte=start)
            if self.pk:
                overlapping = overlapping.exclude(pk=self.pk)
            if overlapping.exists():
                add("start", "Cette suspension chevauche une suspension déjà enregistrée.")
        if self.employer_report_date and start and self.employer_report_date < start:
            add(
                "employer_report_date",
                "L'employeur ne peut pas signaler une suspension avant son début (règle F12).",
            )
        if errors:
            raise ValidationError(errors)


class RuptureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Through the person whose contract ended: who may see them may see it."""
        scope = scope_of(user)
        if scope.is_admin:
            return self
        # A correlated EXISTS, not ``IN (SELECT …)``: SQLite materialises an IN-subquery over
        # every visible person (100,000 for a département's agent) before counting a handful
        # of drafts; EXISTS looks each convention's person up by key (PostgreSQL plans both
        # as the same semi-join).
        return self.filter(
            Exists(Beneficiary.objects.visible_to(user).filter(pk=OuterRef("beneficiary_id")))
        )

    def to_process(self):
        """Reported, not yet taken into account by the département (its work queue)."""
        return self.filter(acknowledged_at__isnull=True)


class Rupture(Acknowledgement):
    """The end of an employment contract before its term (rules A14, E5, F12, F13).

    **One row per event**, recorded once — from the in-employment support's page, the
    convention's page or the API (``services.record_rupture``) — and read by every module:
    the convention's state and aid (F12, F13), the support's deadlines (A14), the
    indicators and the département's work queue. ``convention`` is the contract's CUI
    convention; it is empty for the contract of a support signed outside Tremplin, whose
    episode then points to this row (``SupportEpisode.contract_rupture``).
    """

    class Initiative(models.TextChoices):
        EMPLOYER = "employer", "L'employeur"
        EMPLOYEE = "employee", "Le salarié"
        MUTUAL = "mutual", "Commun accord"
        AUTHORITY = "authority", "Dénonciation par l'autorité signataire"

    convention = models.OneToOneField(
        Convention,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="rupture",
        verbose_name="convention",
    )
    # The person whose contract ended (the convention's, when there is one): the scope of
    # the row, with or without a convention.
    beneficiary = models.ForeignKey(
        Beneficiary, models.PROTECT, related_name="ruptures", verbose_name="salarié"
    )
    # Rule A14: the 48 hours to report it run from the moment it is known.
    known_at = models.DateTimeField("rupture connue le (date et heure)")
    last_day = models.DateField("date de la rupture (dernier jour du contrat)")
    initiative = models.CharField("à l'initiative de", max_length=10, choices=Initiative.choices)
    reason = models.TextField("motif")
    concertation_held = models.BooleanField("concertation préalable tenue (A14)", default=False)
    lawful_case = models.BooleanField(
        "rupture dans un cas prévu (R.5134-46/47 CAE, R.5134-69/70 CIE)",
        default=False,
        help_text="Hors de ces cas, une rupture à l'initiative de l'employeur oblige à "
        "reverser toute l'aide (règle F13).",
    )
    # Rule E5: the employee may end a CDD early for a CDI, a CDD of at least 6 months or a
    # qualifying training; the ground is recorded (tremplin.rules.ruptures).
    employee_ground = models.CharField(
        "motif justifié par le salarié (rupture anticipée d'un CDD, E5)",
        max_length=20,
        choices=ruptures.EMPLOYEE_GROUND_CHOICES,
        blank=True,
    )
    # Rule F13: with a CAE, the exonerated social contributions are repaid beside the aid.
    exonerated_contributions = models.DecimalField(
        "cotisations sociales exonérées à reverser (CAE, F13)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Montant communiqué par l'organisme de recouvrement ; dû à la première date "
        "d'exigibilité des cotisations qui suit la rupture (règle F13).",
    )
    employer_report_date = models.DateField("signalée par l'employeur le", null=True, blank=True)
    # Rule F13, computed by services.record_rupture from the convention's schedule whenever
    # the rupture or its convention changes.
    repayment_due = models.DecimalField(
        "aide à reverser (€)", max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    repayment_explanation = models.TextField("calcul du reversement", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistrée par",
    )
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = RuptureQuerySet.as_manager()

    class Meta:
        verbose_name = "rupture"
        indexes = [models.Index(fields=["acknowledged_at"], name="rupture_to_process")]
        constraints = [
            models.CheckConstraint(
                condition=Q(repayment_due__gte=0), name="rupture_repayment_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(exonerated_contributions__isnull=True)
                | Q(exonerated_contributions__gte=0),
                name="rupture_contributions_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(employer_report_date__isnull=True)
                | Q(employer_report_date__gte=models.F("last_day")),
                name="rupture_reported_after_it",
            ),
            # Rule F13: only a convention gives aid to repay.
            models.CheckConstraint(
                condition=Q(convention__isnull=False) | Q(repayment_due=0),
                name="rupture_repayment_needs_convention",
            ),
        ]

    INITIATIVE_PHRASES = {
        Initiative.EMPLOYER: "à l'initiative de l'employeur",
        Initiative.EMPLOYEE: "à l'initiative du salarié",
        Initiative.MUTUAL: "d'un commun accord",
        Initiative.AUTHORITY: "sur dénonciation par l'autorité signataire",
    }

    @property
    def initiative_phrase(self) -> str:
        """« à l'initiative du salarié », « d'un commun accord » (never « de le salarié »)."""
        return self.INITIATIVE_PHRASES.get(self.initiative, "")

    def __str__(self) -> str:
        return f"Rupture du {self.last_day:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        if self.convention_id is not None:
            return reverse("conventions:detail", args=[self.convention_id])
        return reverse("conventions:rupture_detail", args=[self.pk])

    @property
    def repayment_required(self) -> bool:
        return self.repayment_due > 0

    @property
    def report_due(self) -> datetime.date:
        return self.last_day + datetime.timedelta(days=EMPLOYER_REPORT_DAYS)

    @property
    def reported_late(self) -> bool:
        reported = self.employer_report_date or timezone.localdate()
        return reported > self.report_due

    @property
    def opens_repayment_check(self) -> bool:
        """Rule F13: on the employer's initiative outside the lawful cases, or denounced by
        the authority, the aid received is repaid (the amount may be nothing yet)."""
        if self.convention_id is None:
            return False
        if self.initiative == self.Initiative.AUTHORITY:
            return True
        return self.initiative == self.Initiative.EMPLOYER and not self.lawful_case

    def as_plan_rupture(self) -> programmes.Rupture:
        """What the support's plan needs (A14): the moment known, the contract's last day."""
        return programmes.Rupture(known_at=to_paris(self.known_at), on=self.last_day)

    def clean(self):
        """The rupture's own checks (E5, F12, F13): the same sentences whatever page or API
        records it. The support's plan adds its own (A14) in ``support.services``."""
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        convention = self.convention if self.convention_id else None
        last_day = self.last_day
        if convention is not None:
            if not convention.is_signed:
                add("__all__", "Seule une convention signée peut être rompue (règle F13).")
            hire = convention.hire_date or convention.aid_start
            if last_day and hire and last_day < hire:
                add(
                    "last_day",
                    f"La rupture du {last_day:%d/%m/%Y} précède l'embauche du {hire:%d/%m/%Y} "
                    "(règle F13) : corrigez la date de rupture.",
                )
            if last_day and convention.aid_end and last_day > convention.aid_end:
                add(
                    "last_day",
                    f"La convention a pris fin le {convention.aid_end:%d/%m/%Y} : une rupture "
                    "ne peut être enregistrée qu'avant son terme (règle F12).",
                )
            if self.exonerated_contributions is not None and convention.sector != "CAE":
                add(
                    "exonerated_contributions",
                    "Seul un CAE ouvre droit à l'exonération de cotisations sociales : laissez "
                    "ce montant vide pour un CIE (règle F13).",
                )
        elif self.exonerated_contributions is not None:
            add(
                "exonerated_contributions",
                "Sans convention CUI enregistrée, aucune cotisation exonérée n'est à reverser "
                "(règle F13) : laissez ce montant vide.",
            )
        if self.employer_report_date and last_day and self.employer_report_date < last_day:
            add(
                "employer_report_date",
                "L'employeur ne peut pas signaler la rupture avant qu'elle ait lieu (règle F12).",
            )
        by_employee = self.initiative == self.Initiative.EMPLOYEE
        if self.employee_ground and self.initiative and not by_employee:
            add(
                "employee_ground",
                "Le motif justifié par le salarié ne concerne qu'une rupture à son initiative "
                "(règle E5) : laissez-le vide ou choisissez « Le salarié ».",
            )
        elif last_day and convention is not None:
            early_end = ruptures.employee_early_end(
                convention.contract_type, by_employee, self.employee_ground, last_day
            )
            if early_end.severity == "blocking":
                add("employee_ground", early_end.message)
        if errors:
            raise ValidationError(errors)


class ActivityProof(models.Model):
    """The employer's quarterly proofs of activity (payslips, attendance), rules E6 and F10."""

    convention = models.ForeignKey(
        Convention, models.CASCADE, related_name="proofs", verbose_name="convention"
    )
    quarter = models.PositiveSmallIntegerField("trimestre", validators=[MinValueValidator(1)])
    received_on = models.DateField("reçus le")
    note = models.CharField("remarque", max_length=200, blank=True)

    objects = ChildOfConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "justificatifs d'activité"
        verbose_name_plural = "justificatifs d'activité"
        ordering = ["convention", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "quarter"], name="one_proof_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1), name="proof_quarter_positive"),
        ]

    def __str__(self) -> str:
        return f"Justificatifs du trimestre {self.quarter}"


audit.register(AidOrder)
audit.register(SmicValue)
audit.register(ActivityProof)
audit.register(Convention)
audit.register(ImmersionPeriod)
audit.register(Amendment)
audit.register(Suspension)
audit.register(Rupture)
