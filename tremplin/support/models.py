"""Support episodes of both programmes, their meetings, deadlines, deliverables, ruptures.

In-employment support (seed 000, rules A1–A14) is built; the professional programme
(seed 004) reuses ``SupportEpisode`` (programme ``professional``), ``Meeting``,
``Deadline`` and ``Document``. Every decision (phases, due dates, the hour budget) is a call
into ``tremplin.rules.programmes``; these models store what comes back.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Organisation
from tremplin.registry.models import Beneficiary, Employer, Tutor
from tremplin.rules import aims, attendance
from tremplin.rules.attendance import LABELS, MeetingStatus
from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import (
    ContractType,
    InEmploymentFacts,
    Programme,
    RuleError,
    SupportPlan,
    hour_budget,
    in_employment_plan,
)
from tremplin.web.dates import french_date, french_datetime
from tremplin.web.french import of
from tremplin.web.links import reverse

from . import deliverables as deliverable_items


def french_hours(duration: dt.timedelta) -> str:
    """12 h, 12 h 30."""
    minutes = round(duration.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def team_keys(operator_ids, *, open_only: bool = False, programme: str | None = None):
    """The keys of the supports of the operators' teams (``of_teams``), as a subquery to
    filter other tables by (``episode_id__in=``) without reading the supports once more."""
    base = SupportEpisode.objects.order_by()
    if open_only:
        base = base.open()
    if programme:
        base = base.filter(programme=programme)
    # The people the teams follow first, then their supports by the person's index: joined
    # the other way, SQLite read every open support of the département (8 → 2 ms for an
    # operator's 2,000 open professional supports at 100,000 people).
    followed = Beneficiary.with_merged.filter(operator_id__in=operator_ids).values("pk")
    return (
        base.filter(operator_id__in=operator_ids)
        .values("pk")
        .union(base.filter(beneficiary_id__in=followed).values("pk"))
    )


class SupportEpisodeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Through the beneficiary's visibility rules (DESIGN.md), plus the episodes a
        referent runs for a person followed by someone else."""
        scope = scope_of(user)
        if scope.is_admin:
            return self
        condition = Q(pk__in=[])
        if scope.is_referent:
            condition |= Q(referent=user) | Q(beneficiary__referent=user)
        if scope.coordinated_operator_ids:
            condition |= Q(operator_id__in=scope.coordinated_operator_ids) | Q(
                beneficiary__operator_id__in=scope.coordinated_operator_ids
            )
        if scope.agent_territory_ids:
            condition |= Q(beneficiary__territory_id__in=scope.agent_territory_ids)
        return self.filter(condition)

    def open(self):
        return self.filter(ended_on__isnull=True)

    def of_teams(self, operator_ids, *, open_only: bool = False, programme: str | None = None):
        """The supports of the operators' teams: run by one of them, or whose person one of
        them follows (only the open ones, only those of ``programme``, when asked). The keys
        come from two indexed lookups joined by UNION, read as a subquery: an OR across the
        join to the person made PostgreSQL read every late deadline of the département
        (36,000 at 100,000 people) to keep an operator's few. Each lookup reads only the
        supports asked for: the one through the person otherwise joined the département's
        42,000 supports to keep an operator's 2,000 open professional ones (PostgreSQL,
        100,000 people: 22 → 7 ms)."""
        return self.filter(pk__in=team_keys(operator_ids, open_only=open_only, programme=programme))

    def _followed(self, user, programme: str | None, *fields: str):
        """The open supports ``user`` runs or whose person they follow, as rows of
        ``fields``: two indexed lookups joined by UNION (an OR across the join to the person
        reads every support of the département)."""
        mine = self.filter(ended_on__isnull=True).order_by()
        if programme:
            mine = mine.filter(programme=programme)
        return (
            mine.filter(referent=user)
            .values_list(*fields)
            .union(mine.filter(beneficiary__referent=user).values_list(*fields))
        )

    def followed_by(self, user, programme: str | None = None) -> list[int]:
        """The keys of the open supports ``user`` runs or whose person they follow (only
        those of ``programme`` when given)."""
        return [pk for (pk,) in self._followed(user, programme, "pk")]

    def followed_programmes(self, user) -> dict[int, str]:
        """``followed_by(user)`` with each support's programme, {key: programme}, in the same
        one query: a page that needs both programmes and one of them reads it once."""
        return dict(self._followed(user, None, "pk", "programme"))


class ProgrammeChoices(models.TextChoices):
    IN_EMPLOYMENT = Programme.IN_EMPLOYMENT.value, "Accompagnement dans l'emploi (CUI-CIE)"
    PROFESSIONAL = Programme.PROFESSIONAL.value, "Accompagnement professionnel"


class ContractTypeChoices(models.TextChoices):
    CDI = ContractType.CDI.value, "CDI"
    CDD = ContractType.CDD.value, "CDD"


class SupportEpisode(models.Model):
    # Fields whose change changes the plan: services.save_episode recomputes it then.
    PLAN_FIELDS = ("contract_type", "contract_start", "trial_end", "contract_end", "not_renewed")
    # The support's part of the dashboard's facts' key (``outcomes.facts``): its operator and
    # its programme.
    FACTS_KEY_FIELDS = ("operator_id", "programme")

    beneficiary = models.ForeignKey(
        Beneficiary, models.PROTECT, related_name="support_episodes", verbose_name="bénéficiaire"
    )
    programme = models.CharField("programme", max_length=20, choices=ProgrammeChoices.choices)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="support_episodes",
        verbose_name="référent·e",
    )
    operator = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="support_episodes",
        limit_choices_to={"kind": Organisation.Kind.OPERATOR},
        verbose_name="structure d'accompagnement",
    )
    employer = models.ForeignKey(
        Employer,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="support_episodes",
        verbose_name="employeur",
    )
    tutor = models.ForeignKey(
        Tutor,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_episodes",
        verbose_name="tuteur·rice",
    )
    # A8, A9: the conseiller RSA référent is a user when they have an account, otherwise a
    # name and an e-mail address (a conseiller of another service).
    rsa_adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="advised_support_episodes",
        verbose_name="conseiller RSA (compte Tremplin)",
    )
    rsa_adviser_name = models.CharField("conseiller RSA (nom)", max_length=150, blank=True)
    rsa_adviser_email = models.EmailField("conseiller RSA (adresse électronique)", blank=True)

    contract_type = models.CharField(
        "type de contrat", max_length=3, choices=ContractTypeChoices.choices, blank=True
    )
    contract_start = models.DateField("début du contrat (embauche)", null=True, blank=True)
    trial_end = models.DateField(
        "dernier jour de la période d'essai",
        null=True,
        blank=True,
        help_text="Vide : durée par défaut du Code du travail (règle A11).",
    )
    contract_end = models.DateField("dernier jour du CDD", null=True, blank=True)
    not_renewed = models.BooleanField(
        "le CDD se termine sans pérennisation",
        default=False,
        help_text="Ouvre 3 mois d'accompagnement à la recherche d'emploi (règle A13).",
    )
    # Started from a signed convention (or by hand for a person hired outside the
    # product, then empty). One in-employment support per convention.
    convention = models.OneToOneField(
        "conventions.Convention",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_episode",
        verbose_name="convention CUI-CIE",
    )
    # Rule A14: the rupture of the contract is one row of ``conventions.Rupture``, read from
    # the convention when the support has one (``convention.rupture``); a support of a
    # contract signed outside Tremplin points to its rupture here (no convention then).
    contract_rupture = models.OneToOneField(
        "conventions.Rupture",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rupture du contrat (signé hors Tremplin)",
    )
    started_on = models.DateField("début de l'accompagnement")
    ended_on = models.DateField("fin de l'accompagnement", null=True, blank=True)

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = SupportEpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = "accompagnement"
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["referent", "ended_on"]),
            models.Index(fields=["operator", "ended_on"]),
            # The open supports of a programme (a team's queue, the cadence): a tenth of the
            # supports once the département has a few years of them.
            models.Index(
                fields=["programme"],
                condition=Q(ended_on__isnull=True),
                name="support_open_by_programme",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__in=[p.value for p in Programme]),
                name="support_episode_known_programme",
            ),
            # A1, C7: an in-employment support follows a CUI-CIE, a CDI or a CDD.
            models.CheckConstraint(
                condition=~Q(programme=Programme.IN_EMPLOYMENT.value)
                | (Q(contract_start__isnull=False) & Q(contract_type__in=["CDI", "CDD"])),
                name="support_episode_in_employment_has_contract",
            ),
            models.CheckConstraint(
                condition=~Q(contract_type="CDD") | Q(contract_end__isnull=False),
                name="support_episode_cdd_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(contract_type="CDI") | Q(contract_end__isnull=True),
                name="support_episode_cdi_has_no_end",
            ),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_end__gte=models.F("contract_start")),
                name="support_episode_contract_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(trial_end__isnull=True) | Q(trial_end__gte=models.F("contract_start")),
                name="support_episode_trial_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(not_renewed=False) | Q(contract_type="CDD"),
                name="support_episode_only_cdd_not_renewed",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="support_episode_end_after_start",
            ),
            # One rupture per event: a support with a convention reads the convention's.
            models.CheckConstraint(
                condition=Q(convention__isnull=True) | Q(contract_rupture__isnull=True),
                name="support_episode_rupture_of_its_convention",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} {of(self.beneficiary)}"

    def get_absolute_url(self) -> str:
        """The support's own page: the professional support's (cadence, CER) for that
        programme, the in-employment page (employer, 12 hours, rupture) otherwise. By the
        URL's name: the professional app sits above this one (``make lint``)."""
        if self.programme == Programme.PROFESSIONAL.value:
            return reverse("professional:episode_detail", args=[self.pk])
        return reverse("support:episode_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_plan_values = instance._plan_values()
        instance._loaded_facts_key = instance._facts_key()
        return instance

    def _plan_values(self) -> tuple:
        return tuple(self.__dict__.get(name) for name in self.PLAN_FIELDS)

    def _facts_key(self) -> tuple:
        return tuple(self.__dict__.get(name) for name in self.FACTS_KEY_FIELDS)

    @property
    def facts_key_changed(self) -> bool:
        """Whether the support's operator or programme changed since the row was read (not
        for a new one): its deliverables then count under another key of the dashboard's
        facts, in every month they are due."""
        loaded = getattr(self, "_loaded_facts_key", None)
        return loaded is not None and self._facts_key() != loaded

    @property
    def plan_changed(self) -> bool:
        """Whether a date the plan depends on changed since the row was read (or it is new):
        ``services.save_episode`` then recomputes the deadlines."""
        return self._plan_values() != getattr(self, "_loaded_plan_values", None)

    @property
    def is_in_employment(self) -> bool:
        return self.programme == Programme.IN_EMPLOYMENT

    @property
    def rsa_adviser_display(self) -> str:
        if self.rsa_adviser_id:
            return self.rsa_adviser.get_full_name()
        return self.rsa_adviser_name

    @property
    def rsa_adviser_address(self) -> str:
        if self.rsa_adviser_id and self.rsa_adviser.email:
            return self.rsa_adviser.email
        return self.rsa_adviser_email

    # --- the plan --------------------------------------------------------------------

    def plan_facts(self, rupture=True) -> InEmploymentFacts:
        """The facts the rules need; ``rupture`` True reads the stored one, None ignores it,
        a ``conventions.Rupture`` (being recorded) replaces it."""
        if rupture is True:
            rupture = self.current_rupture()
        contract = self.contract_terms()
        return InEmploymentFacts(
            contract_start=contract["contract_start"],
            contract_type=ContractType(contract["contract_type"]),
            contract_end=contract["contract_end"],
            trial_end=self.trial_end,
            rupture=rupture.as_plan_rupture() if rupture else None,
            not_renewed=self.not_renewed,
        )

    CONTRACT_FIELDS = ("contract_type", "contract_start", "contract_end")

    def contract_terms(self) -> dict:
        """The contract the support follows. A support of a convention reads it from the
        convention, as amended (one fact: a renewal moves the CDD's end, C5; a CDD that goes on
        as a CDI has no end any more, E6); a support of a contract signed outside Tremplin
        has its own."""
        if self.convention_id is None:
            return {name: getattr(self, name) for name in self.CONTRACT_FIELDS}
        convention = self.convention
        open_ended = convention.contract_type == "CDI" or convention.continues_as_cdi
        return {
            "contract_type": "CDI" if open_ended else convention.contract_type,
            "contract_start": convention.hire_date,
            "contract_end": None if open_ended else convention.planned_end,
        }

    def current_rupture(self):
        """The rupture of the support's contract (A14): the convention's when the support
        follows a convention, its own otherwise — one row either way
        (``conventions.Rupture``)."""
        if self.convention_id is not None:
            return self.convention.rupture_or_none()
        if self.contract_rupture_id is not None:
            return self.contract_rupture
        return None

    def plan(self) -> SupportPlan | None:
        """The plan from the rules; None for the professional programme."""
        if not self.is_in_employment:
            return None
        return in_employment_plan(self.plan_facts())

    def clean(self):
        errors = {}
        if self.is_in_employment:
            if not self.contract_start:
                errors["contract_start"] = (
                    "Indiquez la date d'embauche : l'accompagnement dans l'emploi commence avec "
                    "le contrat (A5)."
                )
            if not self.contract_type:
                errors["contract_type"] = "Choisissez CDI ou CDD (C7)."
            if not self.employer_id:
                errors["employer"] = "Indiquez l'employeur du CUI-CIE (A1)."
        if self.tutor_id and self.employer_id and self.tutor.employer_id != self.employer_id:
            errors["tutor"] = "Ce tuteur n'appartient pas à l'employeur choisi (C12)."
        if self.rsa_adviser_id is None and not (self.rsa_adviser_name or "").strip():
            if self.is_in_employment:
                errors["rsa_adviser_name"] = (
                    "Indiquez le conseiller RSA référent, compte Tremplin ou nom et adresse : "
                    "il est informé des refus et reçoit la Synthèse du suivi (A8, A9, A12)."
                )
        elif self.rsa_adviser_id is None and not self.rsa_adviser_email:
            errors["rsa_adviser_email"] = (
                "Indiquez l'adresse électronique du conseiller RSA : un refus lui est signalé "
                "sans délai (A9)."
            )
        if errors:
            raise ValidationError(errors)
        if self.is_in_employment:
            try:
                in_employment_plan(self.plan_facts())
            except RuleError as error:
                raise ValidationError(error.message) from None
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": "La fin de l'accompagnement précède son début : corrigez une date."}
            )

    def _default_started_on(self) -> None:
        if self.is_in_employment and self.started_on is None:
            self.started_on = self.contract_start  # A5: from the contract's start

    def clean_fields(self, exclude=None):
        self._default_started_on()
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        # A default of the row itself (A5: the support starts with the contract), not a side
        # effect: the plan's deadlines are recomputed by ``services.save_episode``.
        self._default_started_on()
        super().save(*args, **kwargs)

    def mark_plan_stored(self) -> None:
        self._loaded_plan_values = self._plan_values()
        self._loaded_facts_key = self._facts_key()

    def hours(self):
        """Hours of the meetings held against the 12-hour budget (A5): a meeting planned,
        missed, excused, cancelled or rescheduled uses none."""
        start = self.contract_start or self.started_on
        return hour_budget(start, (m.duration for m in self.meetings.all() if m.counts))

    def hours_with(self, meeting: Meeting):
        """The hour budget (A5) once ``meeting`` (new, or changed) is saved as it stands:
        the other meetings held, and this one if it is held."""
        start = self.contract_start or self.started_on
        others = (
            self.meetings.counted()
            .exclude(pk=meeting.pk)
            .values_list("duration_minutes", flat=True)
        )
        durations = [dt.timedelta(minutes=minutes) for minutes in others]
        if meeting.counts:
            durations.append(meeting.duration)
        return hour_budget(start, durations)

    def budget_error(self, meeting: Meeting, over_budget_reason: str) -> str | None:
        """The French error when ``meeting``, saved as it stands, takes the support beyond
        its hour budget without a reason (A5); None otherwise (and always for a support
        without a budget, or a meeting not held)."""
        if not self.is_in_employment or not meeting.counts:
            return None
        budget = self.hours_with(meeting)
        if budget.exceeded and not (over_budget_reason or "").strip():
            return (
                f"Avec cette rencontre, l'accompagnement atteint {french_hours(budget.used)} "
                f"pour un budget de {french_hours(budget.budget)} (A5) : indiquez le motif du "
                "dépassement."
            )
        return None

    @property
    def support_start(self) -> dt.date:
        return self.contract_start or self.started_on

    def aims_in_force(self) -> tuple[aims.Aim, ...]:
        """The qualitative aims of the in-employment support (A2), as listed on its first
        day; none for the professional programme (seed 004 has its own work areas)."""
        if not self.is_in_employment or self.support_start is None:
            return ()
        try:
            return aims.aims_on(self.support_start).aims
        except aims.AimError:
            return ()

    def aim_points(self) -> list[tuple[aims.Aim, QualitativeAim | None]]:
        """Each aim in force (A2) with where it stands for the person, None when nothing is
        recorded yet; in the list's order (reads ``qualitative_aims``, prefetched or not)."""
        recorded = {point.code: point for point in self.qualitative_aims.all()}
        return [(item, recorded.get(item.code)) for item in self.aims_in_force()]


def supports_on_file(request, beneficiary) -> list[SupportEpisode]:
    """The supports of ``beneficiary`` that the request's user may see (``visible_to``), with
    their employer, operator and referent, the newest first: read once per request and
    shared by the person's file's panels (the in-employment and professional supports, the
    summary, the invitations), which read it instead of five queries of their own."""
    memo = request.__dict__.setdefault("_tremplin_supports_on_file", {})
    if beneficiary.pk not in memo:
        episodes = list(
            SupportEpisode.objects.visible_to(request.user)
            .filter(beneficiary=beneficiary)
            .select_related("employer", "operator", "referent")
            .order_by("-started_on", "-id")
        )
        for episode in episodes:
            episode.beneficiary = beneficiary  # the file's person, already read
        memo[beneficiary.pk] = episodes
    return memo[beneficiary.pk]


class Deadline(models.Model):
    """One deliverable of one episode with its due date, stored (the in-employment support: "everything due
    this week for these referents" is one indexed query)."""

    class State(models.TextChoices):
        TO_DO = "to_do", "À faire"
        DRAFT = "draft", "Brouillon"
        SENT = "sent", "Envoyé"
        DROPPED = "dropped", "Sans objet"

    OPEN_STATES = (State.TO_DO, State.DRAFT)

    episode = models.ForeignKey(SupportEpisode, models.CASCADE, related_name="deadlines")
    code = models.CharField("code", max_length=40)
    label = models.CharField("livrable", max_length=200)
    rule = models.CharField("règle", max_length=10)
    due_on = models.DateField("échéance (jour)")
    # Set for a deadline counted in hours (A14's 48 hours): an aware moment; due_on is then
    # its Paris day, so that every listing sorts and filters on one indexed column.
    due_at = models.DateTimeField("échéance (heure)", null=True, blank=True)
    responsible = models.CharField("produit par", max_length=100, blank=True)
    recipient = models.CharField("destinataire prévu", max_length=200, blank=True)
    note = models.TextField("remarque", blank=True)
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.TO_DO)
    dropped_reason = models.TextField("pourquoi sans objet", blank=True)
    sent_to = models.CharField("envoyé à", max_length=300, blank=True)
    sent_at = models.DateField("envoyé le", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "échéance"
        ordering = ["due_on", "due_at", "code"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="deadline_state_due"),
            # A portfolio's open deadlines (the referent's day): by episode first.
            models.Index(fields=["episode", "state", "due_on"], name="deadline_episode_state_due"),
            models.Index(fields=["due_on"], name="deadline_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["episode", "code"], name="deadline_one_per_code"),
            models.CheckConstraint(
                condition=Q(state__in=["to_do", "draft", "sent", "dropped"]),
                name="deadline_known_state",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | (Q(sent_at__isnull=False) & ~Q(sent_to="")),
                name="deadline_sent_has_date_and_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.due_display}"

    def get_absolute_url(self) -> str:
        return reverse("support:deliverable", args=[self.episode_id, self.code])

    @property
    def due(self) -> dt.date | dt.datetime:
        return self.due_at or self.due_on

    @property
    def due_display(self) -> str:
        if self.due_at:
            return french_datetime(self.due_at)
        return french_date(self.due_on)

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def has_items(self) -> bool:
        return bool(deliverable_items.items_of(self.code))

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        if not self.is_open:
            return False
        now = now or timezone.now()
        if self.due_at:
            return self.due_at < now
        return self.due_on < timezone.localdate(now)

    def fill_from_rule(self, item) -> None:
        self.label = item.label
        self.rule = item.rule
        self.due_on = item.due_day
        self.due_at = to_paris(item.due) if isinstance(item.due, dt.datetime) else None
        self.responsible = item.responsible
        self.recipient = item.recipient or ""
        self.note = item.note or ""

    def drop(self, reason: str) -> None:
        if self.state != self.State.SENT:
            self.state = self.State.DROPPED
        self.dropped_reason = reason
        self.save()

    def mark_sent(self, sent_to: str, sent_at: dt.date) -> None:
        """Record the sending; refused without the required items (A11–A14)."""
        errors = []
        if not (sent_to or "").strip():
            errors.append("Indiquez à qui le livrable a été envoyé.")
        if sent_at is None:
            errors.append("Indiquez la date d'envoi.")
        values = self.content.items if hasattr(self, "content") else {}
        missing = deliverable_items.missing_items(self.code, values)
        if missing:
            names = ", ".join(f"« {item.label} »" for item in missing)
            errors.append(
                f"Le livrable « {self.label} » ne peut pas être envoyé sans : {names} ({self.rule}). "
                "Complétez-le puis enregistrez l'envoi."
            )
        if self.state == self.State.DROPPED:
            errors.append(f"Ce livrable est sans objet : {self.dropped_reason}")
        if errors:
            raise ValidationError(errors)
        self.state = self.State.SENT
        self.sent_to = sent_to.strip()
        self.sent_at = sent_at
        self.save()


class DeliverableContent(models.Model):
    """What the operator writes in a deliverable (items of A11–A14, keyed by item)."""

    deadline = models.OneToOneField(Deadline, models.CASCADE, related_name="content")
    items = models.JSONField("contenu", default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "contenu d'un livrable"

    def __str__(self) -> str:
        return f"Contenu de {self.deadline.label}"


STATUS_BADGES = {
    MeetingStatus.PLANNED: "text-bg-info",
    MeetingStatus.HELD: "text-bg-success",
    MeetingStatus.EXCUSED: "text-bg-secondary",
    MeetingStatus.NO_SHOW: "text-bg-danger",
    MeetingStatus.CANCELLED: "text-bg-dark",
    MeetingStatus.RESCHEDULED: "text-bg-warning",
}


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The meetings of the supports ``user`` may see."""
        return self.filter(episode__in=SupportEpisode.objects.visible_to(user).values("pk"))

    def counted(self):
        """Held meetings: the only ones the cadence (P4) and the budget (A5) count."""
        return self.filter(status__in=[status.value for status in attendance.COUNTED])


class Meeting(models.Model):
    """A meeting of the support (A5: at the company during working time, 12 hours)."""

    class Place(models.TextChoices):
        COMPANY = "company", "En entreprise"
        OPERATOR = "operator", "Dans les locaux de l'opérateur"
        PHONE = "phone", "Par téléphone"
        VIDEO = "video", "En visioconférence"

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Entretien individuel"
        WITH_EMPLOYER = "with_employer", "Avec le tuteur ou l'employeur"
        TRIPARTITE = "tripartite", "Rencontre tripartite (employeur, salarié, conseiller RSA)"
        CONCERTATION = "concertation", "Concertation"

    class Status(models.TextChoices):
        """The statuses of ``tremplin.rules.attendance`` with their French labels."""

        PLANNED = MeetingStatus.PLANNED.value, LABELS[MeetingStatus.PLANNED]
        HELD = MeetingStatus.HELD.value, LABELS[MeetingStatus.HELD]
        EXCUSED = MeetingStatus.EXCUSED.value, LABELS[MeetingStatus.EXCUSED]
        NO_SHOW = MeetingStatus.NO_SHOW.value, LABELS[MeetingStatus.NO_SHOW]
        CANCELLED = MeetingStatus.CANCELLED.value, LABELS[MeetingStatus.CANCELLED]
        RESCHEDULED = MeetingStatus.RESCHEDULED.value, LABELS[MeetingStatus.RESCHEDULED]

    episode = models.ForeignKey(SupportEpisode, models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField("date et heure")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)")
    place = models.CharField("lieu", max_length=10, choices=Place.choices)
    kind = models.CharField("type de rencontre", max_length=15, choices=Kind.choices)
    participants = models.CharField("participants", max_length=300, blank=True)
    report = models.TextField("compte-rendu", blank=True)
    over_budget_reason = models.TextField(
        "motif du dépassement des 12 heures",
        blank=True,
        help_text="Obligatoire quand la rencontre dépasse le budget d'heures (règle A5).",
    )
    # F8, P4, A5: one fact on the meeting, read by every module (cadence, budget,
    # indicators, agenda, invitations); only "held" counts (tremplin.rules.attendance).
    status = models.CharField(
        "statut", max_length=12, choices=Status.choices, default=MeetingStatus.PLANNED.value
    )
    status_reason = models.TextField(
        "motif",
        blank=True,
        help_text="Obligatoire pour une annulation ; utile pour une absence excusée.",
    )
    status_changed_at = models.DateTimeField("statut enregistré le", null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name="reportée à",
    )
    # RFC 5545 SEQUENCE of the calendar feed: raised at each change of time or status.
    sequence = models.PositiveIntegerField("révision", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "rencontre"
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["episode", "starts_at"]),
            models.Index(fields=["status", "starts_at"], name="meeting_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=24 * 60),
                name="meeting_duration_positive",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[status.value for status in MeetingStatus]),
                name="meeting_known_status",
            ),
            # F8: a cancellation keeps its reason; a rescheduled meeting names its replacement.
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.CANCELLED.value) | ~Q(status_reason=""),
                name="meeting_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.RESCHEDULED.value, replaced_by__isnull=False)
                | (~Q(status=MeetingStatus.RESCHEDULED.value) & Q(replaced_by__isnull=True)),
                name="meeting_rescheduled_has_replacement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {french_datetime(self.starts_at, ' ')}"

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes or 0)

    @property
    def counts(self) -> bool:
        """Counts for the cadence (P4) and the hour budget (A5): held."""
        return attendance.counts(self.status)

    @property
    def status_badge(self) -> str:
        """The Bootstrap class of the status's badge."""
        return STATUS_BADGES.get(self.status, "text-bg-light")

    @property
    def is_closed(self) -> bool:
        """Cancelled or rescheduled: its status no longer changes."""
        return MeetingStatus(self.status) in attendance.CLOSED

    @property
    def awaits_status(self) -> bool:
        """Planned and begun: the referent has to say whether it took place."""
        return self.status == MeetingStatus.PLANNED and self.starts_at <= timezone.now()

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + self.duration

    def clean(self):
        start = self.episode.support_start if self.episode_id else None
        if self.starts_at and start and to_paris(self.starts_at).date() < start:
            raise ValidationError(
                {
                    "starts_at": f"La rencontre du {french_date(self.starts_at)} précède le "
                    f"début du contrat ({french_date(start)}) : l'accompagnement commence à "
                    "l'embauche (A5). Corrigez la date."
                }
            )


class Refusal(models.Model):
    """The employee or the employer refuses the support (A9): the conseiller RSA is told."""

    class By(models.TextChoices):
        EMPLOYEE = "employee", "Le salarié"
        EMPLOYER = "employer", "L'employeur"

    episode = models.ForeignKey(SupportEpisode, models.CASCADE, related_name="refusals")
    by = models.CharField("refus exprimé par", max_length=10, choices=By.choices)
    on = models.DateField("date du refus")
    reason = models.TextField("motif")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "refus d'accompagnement"
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"Refus de {self.get_by_display().lower()} le {french_date(self.on)}"


class QualitativeAimQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The aims of the supports ``user`` may see."""
        return self.filter(episode__in=SupportEpisode.objects.visible_to(user).values("pk"))


class QualitativeAim(models.Model):
    """Where one of the five qualitative aims of the in-employment support stands for the
    person (rule A2: « each recordable per person »): its state, the day of the point, and
    what was observed. One row per aim and support, written by ``services.record_aims``;
    an aim without a row is « non renseigné ». The list and its codes are the rules' dated
    data (``tremplin.rules.aims``), read on the support's first day."""

    class Status(models.TextChoices):
        TO_WORK = aims.AimStatus.TO_WORK.value, aims.STATUS_LABELS[aims.AimStatus.TO_WORK]
        IN_PROGRESS = (
            aims.AimStatus.IN_PROGRESS.value,
            aims.STATUS_LABELS[aims.AimStatus.IN_PROGRESS],
        )
        ACHIEVED = aims.AimStatus.ACHIEVED.value, aims.STATUS_LABELS[aims.AimStatus.ACHIEVED]
        NOT_APPLICABLE = (
            aims.AimStatus.NOT_APPLICABLE.value,
            aims.STATUS_LABELS[aims.AimStatus.NOT_APPLICABLE],
        )

    episode = models.ForeignKey(
        SupportEpisode,
        models.CASCADE,
        related_name="qualitative_aims",
        verbose_name="accompagnement",
    )
    code = models.CharField("objectif", max_length=40)
    # « Sans objet » asks for its reason (``rules.aims.check_point``), not the database: the
    # anonymisation blanks the notes and keeps the states (registry/lifecycle.py).
    status = models.CharField("état", max_length=20, choices=Status.choices)
    assessed_on = models.DateField("point fait le")
    note = models.TextField("observations", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = QualitativeAimQuerySet.as_manager()

    class Meta:
        verbose_name = "objectif qualitatif"
        verbose_name_plural = "objectifs qualitatifs"
        ordering = ["episode", "id"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "code"], name="qualitative_aim_once"),
            models.CheckConstraint(
                condition=Q(status__in=[status.value for status in aims.AimStatus]),
                name="qualitative_aim_known_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} : {self.get_status_display().lower()}"

    @property
    def label(self) -> str:
        try:
            return aims.aim(self.code, self.episode.support_start).label
        except aims.AimError:
            return self.code

    def clean(self):
        errors = aims.check_point(
            self.code,
            self.status,
            self.assessed_on,
            self.note,
            support_start=self.episode.support_start,
            today=timezone.localdate(),
        )
        if errors:
            raise ValidationError(errors)


class Notification(models.Model):
    """An e-mail sent; unique per (subject, kind, recipient) so that the daily job sends
    each one once, however often it runs."""

    class Kind(models.TextChoices):
        COMING = "coming", "Échéance proche"
        OVERDUE = "overdue", "Échéance dépassée"
        RUPTURE = "rupture", "Rupture à signaler (A14)"
        REFUSAL = "refusal", "Refus d'accompagnement (A9)"

    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    deadline = models.ForeignKey(
        Deadline, models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    refusal = models.ForeignKey(
        Refusal, models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    recipient = models.EmailField("destinataire")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "notification"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "recipient"],
                condition=Q(deadline__isnull=False),
                name="notification_once_per_deadline",
            ),
            models.UniqueConstraint(
                fields=["refusal", "kind", "recipient"],
                condition=Q(refusal__isnull=False),
                name="notification_once_per_refusal",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=False) | Q(refusal__isnull=False),
                name="notification_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} à {self.recipient}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret of a user's private iCalendar feed (whoever has the URL reads it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feed_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lien d'agenda privé"

    def __str__(self) -> str:
        return f"Agenda de {self.user}"

    def renew(self) -> None:
        self.token = _new_token()
        self.save(update_fields=["token"])


audit.register(SupportEpisode)
audit.register(Deadline)
audit.register(DeliverableContent)
audit.register(Meeting)
audit.register(Refusal)
audit.register(QualitativeAim)
audit.register(CalendarFeedToken, secret_fields={"token"})


def _document_path(instance, filename: str) -> str:
    # Random names: the stored path reveals neither the person nor the original file name.
    return f"livrets/{instance.episode_id}/{secrets.token_hex(16)}.{instance.extension}"


class Document(models.Model):
    """A piece of the livret d'accompagnement (A6), uploaded and checked by content."""

    class Category(models.TextChoices):
        CV = "cv", "CV"
        JOB_DESCRIPTION = "job_description", "Fiche de poste"
        CONTRACT = "contract", "Contrat de travail"
        PROJECT = "project", "Projet professionnel"
        MEETING_REPORT = "meeting_report", "Compte-rendu de rencontre"
        TRAINING_CERTIFICATE = "training_certificate", "Attestation de formation"
        RUPTURE_EVIDENCE = "rupture_evidence", "Pièce justificative de rupture (A14)"
        OTHER = "other", "Autre document"

    episode = models.ForeignKey(SupportEpisode, models.CASCADE, related_name="documents")
    category = models.CharField("catégorie", max_length=25, choices=Category.choices)
    title = models.CharField("titre", max_length=200)
    file = models.FileField("fichier", upload_to=_document_path)
    original_name = models.CharField("nom du fichier déposé", max_length=255)
    content_type = models.CharField("type (lu dans le contenu)", max_length=120)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "document du livret"
        ordering = ["category", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} — {self.title}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


audit.register(Document)
