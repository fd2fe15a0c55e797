"""A person's situations during and after support, and the targets of the operators'
agreements (rules A3, A4, P1, P9, P10).

A ``Situation`` is what ``tremplin.rules.outcomes`` classifies: the model stores it, the
rules decide (``as_rules_situation``). The check constraints repeat, in the database, the
rules' refusals that concern one row alone (an end before a start, hours out of the legal
bounds, an indication that does not apply to the kind), so that no import, API call or
admin edit can store a row the classification would refuse; contradictions between rows
are the form's job (``SituationForm``), through the rules' ``exit_case_errors``.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from tremplin.accounts import audit
from tremplin.accounts.models import Organisation, Territory
from tremplin.registry.models import Beneficiary, Employer
from tremplin.rules import outcomes as rules
from tremplin.support.models import SupportEpisode
from tremplin.web.dates import french_date
from tremplin.web.links import reverse


def _label(kind: rules.SituationKind) -> str:
    label = rules.SITUATION_KIND_LABELS[kind]
    return label[0].upper() + label[1:]


# The select shows the kinds grouped as the seeds list them (A4, P1, P10).
SITUATION_KIND_CHOICES = [
    (
        "Emploi",
        [
            (kind.value, _label(kind))
            for kind in (
                rules.SituationKind.CDI,
                rules.SituationKind.CDD,
                rules.SituationKind.TEMPORARY_WORK,
                rules.SituationKind.SUBSIDISED_CONTRACT,
            )
        ],
    ),
    (
        "Formation, concours, création d'activité",
        [
            (kind.value, _label(kind))
            for kind in (
                rules.SituationKind.TRAINING,
                rules.SituationKind.COMPETITIVE_EXAM,
                rules.SituationKind.ACTIVITY_CREATION,
                rules.SituationKind.CAPE,
                rules.SituationKind.DUE_INCUBATOR,
            )
        ],
    ),
    (
        "Autres situations",
        [
            (kind.value, _label(kind))
            for kind in (
                rules.SituationKind.JOB_SEARCH,
                rules.SituationKind.INACTIVITY,
                rules.SituationKind.MOVE,
            )
        ],
    ),
]

EMPLOYMENT_KIND_VALUES = sorted(kind.value for kind in rules.EMPLOYMENT_KINDS)
# rule A4 (e) and P10: an independent activity in its three forms.
ACTIVITY_CREATION_KIND_VALUES = sorted(kind.value for kind in rules.ACTIVITY_CREATION_KINDS)
# What "return to activity" counts (rule P10, ``rules.Situation.is_activity``), in SQL. A
# competitive exam counts only with an appointment, which the queries add.
ACTIVITY_KIND_VALUES = sorted(
    {*EMPLOYMENT_KIND_VALUES, *ACTIVITY_CREATION_KIND_VALUES, rules.SituationKind.TRAINING.value}
)

# The legal weekly maximum (Code du travail, L3121-20), as a coarse bound in the database.
# The form checks the dated value of rules/data/outcomes.toml ("maximum_weekly_hours");
# should the law change it, a migration changes this bound.
DATABASE_MAXIMUM_WEEKLY_HOURS = Decimal(48)


class SituationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A situation is seen by whoever sees the person (DESIGN.md, one place decides)."""
        return self.filter(beneficiary__in=Beneficiary.objects.visible_to(user).values("pk"))

    def chronological(self):
        return self.order_by("start", "end", "id")


def _hours_in_bounds(field_name: str) -> Q:
    return Q(**{f"{field_name}__isnull": True}) | Q(**{f"{field_name}__gt": 0}) & Q(
        **{f"{field_name}__lte": DATABASE_MAXIMUM_WEEKLY_HOURS}
    )


def _only_for(field_name: str, kinds: list[str]) -> Q:
    return Q(**{field_name: False}) | Q(kind__in=kinds)


class Situation(models.Model):
    """One situation of a person, from ``start`` to ``end`` (both included; no end: going on)."""

    Kind = rules.SituationKind

    beneficiary = models.ForeignKey(
        Beneficiary, models.CASCADE, related_name="situations", verbose_name="bénéficiaire"
    )
    kind = models.CharField("situation", max_length=24, choices=SITUATION_KIND_CHOICES)
    start = models.DateField("début")
    end = models.DateField(
        "fin",
        null=True,
        blank=True,
        help_text="Dernier jour, inclus. Vide si la situation continue. Obligatoire pour un "
        "CDD, une mission d'intérim ou un contrat aidé en CDD (leur terme).",
    )
    weekly_hours = models.DecimalField(
        "durée hebdomadaire (heures)",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Pour un emploi. Nécessaire dans l'accompagnement dans l'emploi pour juger "
        "du mi-temps (règle A4).",
    )
    company_full_time_hours = models.DecimalField(
        "temps complet de l'entreprise (heures)",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Seulement si le contrat le précise ; sinon le mi-temps se mesure sur la "
        "durée légale de 35 h.",
    )
    in_siae = models.BooleanField(
        "dans une SIAE",
        default=False,
        help_text="Structure d'insertion par l'activité économique : un CUI en SIAE ne compte "
        "pas dans le cumul des CDD (règle A4 b).",
    )
    rncp_listed = models.BooleanField("inscrite au RNCP", default=False)
    qualifying = models.BooleanField("qualifiante ou diplômante", default=False)
    appointment = models.BooleanField(
        "nomination ou prise de poste",
        default=False,
        help_text="Concours réussi débouchant effectivement sur une nomination (règle A4 c).",
    )
    permanent_contract = models.BooleanField(
        "contrat aidé en CDI", default=False, help_text="Règle C7."
    )
    supported_contract = models.BooleanField(
        "CUI-CIE objet de l'accompagnement dans l'emploi",
        default=False,
        help_text="Son propre terme n'est pas une sortie positive (règle A13).",
    )
    employer = models.ForeignKey(
        Employer,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="situations",
        verbose_name="employeur enregistré",
    )
    employer_name = models.CharField(
        "employeur, organisme ou lieu",
        max_length=200,
        blank=True,
        help_text="Si l'employeur n'est pas enregistré : nom de l'employeur, de l'organisme "
        "de formation ou de la couveuse.",
    )
    notes = models.TextField("remarques", blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = SituationQuerySet.as_manager()

    class Meta:
        verbose_name = "situation"
        ordering = ["beneficiary", "start", "end", "id"]
        indexes = [
            models.Index(fields=["beneficiary", "start"]),
            models.Index(fields=["kind", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="situation_end_not_before_start",
                violation_error_message="La fin de la situation précède son début : "
                "corrigez les dates.",
            ),
            models.CheckConstraint(
                condition=_hours_in_bounds("weekly_hours"),
                name="situation_weekly_hours_in_legal_bounds",
                violation_error_message="La durée hebdomadaire doit être de plus de 0 h et d'au "
                "plus 48 h (Code du travail, art. L3121-20).",
            ),
            models.CheckConstraint(
                condition=_hours_in_bounds("company_full_time_hours"),
                name="situation_full_time_in_legal_bounds",
                violation_error_message="Le temps complet de l'entreprise doit être de plus de "
                "0 h et d'au plus 48 h (Code du travail, art. L3121-20).",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True, company_full_time_hours__isnull=True)
                | Q(kind__in=EMPLOYMENT_KIND_VALUES),
                name="situation_hours_only_for_employment",
                violation_error_message="Des heures par semaine ne s'indiquent que pour un emploi.",
            ),
            models.CheckConstraint(
                # A CDD, a temporary work mission, a subsidised contract in CDD have a term.
                condition=Q(end__isnull=False)
                | ~Q(kind__in=["cdd", "temporary_work", "subsidised_contract"])
                | Q(kind="subsidised_contract", permanent_contract=True),
                name="situation_fixed_term_contract_has_end",
                violation_error_message="Un CDD, une mission d'intérim ou un contrat aidé en "
                "CDD a une date de fin : indiquez son terme.",
            ),
            models.CheckConstraint(
                condition=_only_for("in_siae", EMPLOYMENT_KIND_VALUES),
                name="situation_siae_only_for_employment",
                violation_error_message="« Dans une SIAE » ne s'applique qu'à un emploi.",
            ),
            models.CheckConstraint(
                condition=_only_for("rncp_listed", ["training"])
                & _only_for("qualifying", ["training"]),
                name="situation_rncp_qualifying_only_for_training",
                violation_error_message="« Inscrite au RNCP » et « qualifiante » ne "
                "s'appliquent qu'à une formation.",
            ),
            models.CheckConstraint(
                condition=_only_for("appointment", ["competitive_exam"]),
                name="situation_appointment_only_for_exam",
                violation_error_message="« Nomination » ne s'applique qu'à un concours.",
            ),
            models.CheckConstraint(
                condition=_only_for("permanent_contract", ["subsidised_contract"])
                & _only_for("supported_contract", ["subsidised_contract"]),
                name="situation_contract_flags_only_for_subsidised",
                violation_error_message="« En CDI » et « contrat suivi » ne s'appliquent qu'à "
                "un contrat aidé.",
            ),
        ]

    def __str__(self) -> str:
        return rules.describe_situation(0, self.as_rules_situation()).replace(" n°1", "")

    def get_absolute_url(self) -> str:
        return reverse("outcomes:beneficiary_situations", args=[self.beneficiary_id])

    @property
    def employer_display(self) -> str:
        return str(self.employer) if self.employer_id else self.employer_name

    def as_rules_situation(self) -> rules.Situation:
        """The value the classification reads (``tremplin.rules.outcomes.Situation``)."""
        return rules.Situation(
            kind=rules.SituationKind(self.kind),
            start=self.start,
            end=self.end,
            weekly_hours=self.weekly_hours,
            company_full_time_hours=self.company_full_time_hours,
            in_siae=self.in_siae,
            rncp_listed=self.rncp_listed,
            qualifying=self.qualifying,
            appointment=self.appointment,
            permanent_contract=self.permanent_contract,
            supported_contract=self.supported_contract,
        )


class Indicator(models.TextChoices):
    """The indicators of the operators' agreements (rules A3, P9, P10)."""

    DURABLE_PLACEMENT = "durable_placement", "Taux de placement pérenne (A3)"
    RETURN_TO_ACTIVITY = "return_to_activity", "Taux de reprise d'activité ou d'emploi (P10)"
    EXITS_LINKED_TO_EMPLOYMENT = (
        "exits_linked_to_employment",
        "Taux de sortie du dispositif liée à l'emploi (P10)",
    )
    CV_ONLINE = "cv_online", "CV des personnes prêtes à l'emploi déposés sur Job Connexion (P10)"
    PORTFOLIO_PER_FTE = (
        "portfolio_per_fte",
        "Bénéficiaires en file active par référent équivalent temps plein (P9)",
    )


# Indicators that are a share of people (a percentage); the portfolio is a head count.
PERCENTAGE_INDICATORS = frozenset(
    {
        Indicator.DURABLE_PLACEMENT,
        Indicator.RETURN_TO_ACTIVITY,
        Indicator.EXITS_LINKED_TO_EMPLOYMENT,
        Indicator.CV_ONLINE,
    }
)


class AgreementTargetQuerySet(models.QuerySet):
    def in_force(self, operator, on: datetime.date) -> dict[str, "AgreementTarget"]:
        """Per indicator, the target in force on ``on``: the operator's own agreement's if
        it sets one, else the default of the seeds (no operator). A handful of rows."""
        candidates = self.filter(valid_from__lte=on).filter(
            Q(operator=operator) | Q(operator__isnull=True)
            if operator is not None
            else Q(operator__isnull=True)
        )
        targets: dict[str, AgreementTarget] = {}
        for target in candidates.order_by("valid_from", "id"):
            current = targets.get(target.indicator)
            # A later row replaces an earlier one; an operator's own never yields to a default.
            if current is None or target.operator_id or not current.operator_id:
                targets[target.indicator] = target
        return targets


class AgreementTarget(models.Model):
    """A target of an operator's agreement with the département, dated like every rule
    value (DESIGN.md, "Rules as data"): a new agreement adds a row, never edits a past one.
    No operator: the default of the seeds for every operator (A3 70 %, P10 50 %, 40 %,
    100 %, P9 60 per FTE)."""

    operator = models.ForeignKey(
        Organisation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="agreement_targets",
        limit_choices_to={"kind": Organisation.Kind.OPERATOR},
        verbose_name="structure d'accompagnement",
        help_text="Vide : la cible par défaut de toutes les structures.",
    )
    indicator = models.CharField("indicateur", max_length=32, choices=Indicator.choices)
    valid_from = models.DateField("en vigueur à partir du")
    value = models.DecimalField(
        "valeur cible",
        max_digits=6,
        decimal_places=2,
        help_text="Un pourcentage (70 pour 70 %), ou un nombre de personnes par ETP pour le "
        "portefeuille.",
    )
    source = models.CharField(
        "source", max_length=300, help_text="La convention, l'annexe ou la règle qui la fixe."
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )

    objects = AgreementTargetQuerySet.as_manager()

    class Meta:
        verbose_name = "cible de la convention"
        verbose_name_plural = "cibles des conventions"
        ordering = ["operator", "indicator", "-valid_from"]
        constraints = [
            # Two partial indexes rather than nulls_distinct, which SQLite does not support.
            models.UniqueConstraint(
                fields=["operator", "indicator", "valid_from"],
                condition=Q(operator__isnull=False),
                name="agreement_target_one_per_operator_and_date",
                violation_error_message="Une cible existe déjà pour cet indicateur à cette date.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "valid_from"],
                condition=Q(operator__isnull=True),
                name="agreement_target_one_default_per_date",
                violation_error_message="Une cible par défaut existe déjà pour cet indicateur à "
                "cette date.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0)
                & (Q(value__lte=100) | Q(indicator=Indicator.PORTFOLIO_PER_FTE)),
                name="agreement_target_value_in_bounds",
                violation_error_message="Un taux cible est entre 0 et 100 %.",
            ),
        ]

    def __str__(self) -> str:
        unit = " %" if self.indicator in PERCENTAGE_INDICATORS else " par ETP"
        who = self.operator or "toutes les structures"
        value = f"{self.value.normalize():f}".replace(".", ",")
        since = french_date(self.valid_from)
        return f"{self.get_indicator_display()} : {value}{unit} ({who}, dès le {since})"

    @property
    def is_percentage(self) -> bool:
        return self.indicator in PERCENTAGE_INDICATORS


EXIT_CATEGORY_CHOICES = [
    (category.value, rules.EXIT_CATEGORY_LABELS[category]) for category in rules.ExitCategory
]


class SupportExit(models.Model):
    """The classified exit of one ended support, as the rules decided it (rules A3, A4, P10).

    Written by ``tremplin.outcomes.exits.classify_episode`` whenever the support or the
    person's situations change (and every night by ``tremplin classify-exits``, since an
    in-employment exit is measured up to 3 months after the support's end, A3): the
    indicators are then aggregates over these rows, in the database. The classification is
    provisional while ``window_end`` is in the future. When the rules refuse the input
    (contradicting situations, A3 dates), ``category`` is empty and ``errors`` says why, in
    French: the exit is counted apart, never as a silent negative.
    """

    episode = models.OneToOneField(
        SupportEpisode, models.CASCADE, related_name="exit", verbose_name="accompagnement"
    )
    programme = models.CharField("programme", max_length=20)
    support_end = models.DateField("fin de l'accompagnement")
    evaluation_date = models.DateField("date d'évaluation")
    window_end = models.DateField(
        "fin de la période de mesure",
        help_text="Dans l'emploi : 3 mois après la fin de l'accompagnement (A3). "
        "Professionnel : la fin de l'accompagnement (P10).",
    )
    category = models.CharField(
        "catégorie", max_length=32, choices=EXIT_CATEGORY_CHOICES, blank=True
    )
    positive = models.BooleanField("sortie positive", null=True)
    rule = models.CharField("règle", max_length=20, blank=True)
    explanation = models.TextField("explication", blank=True)
    errors = models.TextField("données à corriger", blank=True)
    durable_placement = models.BooleanField("placement pérenne (A3)", null=True)
    return_to_activity = models.BooleanField("reprise d'activité (P10)", null=True)
    exit_linked_to_employment = models.BooleanField("sortie liée à l'emploi (P10)", null=True)
    classified_at = models.DateTimeField("classée le", auto_now=True)

    class Meta:
        verbose_name = "sortie d'accompagnement"
        verbose_name_plural = "sorties d'accompagnement"
        indexes = [models.Index(fields=["programme", "support_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="") | Q(errors=""),
                name="support_exit_classified_or_in_error",
            ),
        ]

    def __str__(self) -> str:
        return f"Sortie de {self.episode}"

    @property
    def is_classified(self) -> bool:
        return bool(self.category)


class MonthlyFact(models.Model):
    """A count the dashboard sums over a period, for one month, one operator, the people's
    territory and one programme: derived data, never written by hand.

    Written only by ``tremplin.outcomes.facts`` from the rows (``SupportExit``,
    ``Situation``), the single source of truth: the months a write touches are recomputed in
    the writing service's transaction, every fact is rebuilt by the nightly
    ``tremplin classify-exits`` and on demand by ``tremplin rebuild-facts``. ``measure``
    is the code of a count of ``tremplin.outcomes.indicators`` (docs/decisions.md,
    "Monthly facts for the dashboard").
    """

    month = models.DateField("mois", help_text="Premier jour du mois.")
    operator = models.ForeignKey(
        Organisation, models.CASCADE, related_name="+", verbose_name="structure"
    )
    territory = models.ForeignKey(
        Territory, models.CASCADE, related_name="+", verbose_name="département des personnes"
    )
    programme = models.CharField("programme", max_length=20, blank=True)
    measure = models.CharField("mesure", max_length=40)
    value = models.PositiveIntegerField("valeur")

    class Meta:
        verbose_name = "chiffre mensuel"
        verbose_name_plural = "chiffres mensuels"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "operator", "territory", "programme", "measure"],
                name="monthly_fact_one_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m} : {self.value}"


audit.register(Situation)
audit.register(AgreementTarget)
