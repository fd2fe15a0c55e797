"""The professional support of RSA beneficiaries (seed 004, rules P1–P10).

A professional support is a ``support.SupportEpisode`` with programme ``professional``;
this app adds what that programme needs around it: the facts of the support (project,
intensive period, P3/P4), its chain of CERs (P4, P5), the contacts besides interviews and
the collective actions (P2). Interviews are the episode's ``support.Meeting`` rows of kind
"entretien individuel". Every decision is a call into ``tremplin.rules.programmes``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Organisation, Role
from tremplin.registry.models import Beneficiary
from tremplin.rules.calendar import PARIS
from tremplin.rules.programmes import (
    CerTerm,
    IntensivePeriod,
    Programme,
    RuleError,
    barriers_lifting_day,
    intensive_period,
    propose_cer_renewal,
    validate_cer_chain,
)
from tremplin.support.models import Meeting, SupportEpisode
from tremplin.web.dates import french_date
from tremplin.web.french import of
from tremplin.web.links import reverse

INTERVIEW_KIND = Meeting.Kind.INDIVIDUAL


def professional_episodes(user):
    """The professional supports ``user`` may see (the episode's own rules)."""
    return SupportEpisode.objects.visible_to(user).filter(programme=Programme.PROFESSIONAL.value)


class ProfessionalSupport(models.Model):
    """The facts of one professional support: its project (P3) and what decides its
    intensive period (P4)."""

    class Project(models.TextChoices):
        EMPLOYMENT = "employment", "Retour à l'emploi"
        TRAINING = "training", "Formation qualifiante"

    episode = models.OneToOneField(
        SupportEpisode, models.CASCADE, related_name="professional", verbose_name="accompagnement"
    )
    project = models.CharField("projet de la personne (P3)", max_length=10, choices=Project.choices)
    new_entrant = models.BooleanField(
        "nouvel entrant",
        default=True,
        help_text="Les 3 premiers mois sont un accompagnement intensif (P4).",
    )
    pathway_start = models.DateField(
        "entrée dans le parcours d'insertion",
        null=True,
        blank=True,
        help_text="Pour une personne en parcours depuis plus de 2 ans (P4).",
    )
    barriers_lifted_on = models.DateField(
        "freins levés le",
        null=True,
        blank=True,
        help_text="En parcours depuis plus de 2 ans, freins levés : période intensive (P4). "
        "Utilisée seulement si aucun frein n'est enregistré dans la progression ; sinon, la "
        "date est celle de la levée du dernier frein.",
    )

    class Meta:
        verbose_name = "accompagnement professionnel"
        constraints = [
            models.CheckConstraint(
                condition=Q(project__in=["employment", "training"]),
                name="professional_support_known_project",
            ),
        ]

    def __str__(self) -> str:
        return f"Accompagnement professionnel {of(self.episode.beneficiary)}"

    def recorded_barriers(self) -> list[tuple[dt.date, dt.date | None]]:
        """The episode's barriers (progress app) as (identified_on, lifted_on): one query, or
        none when a list prefetched ``episode__barriers``. Read through the related name so
        that this app never imports ``progress`` (which imports ``support``)."""
        # .all() uses the prefetched rows when there are some, one query otherwise.
        return [(b.identified_on, b.lifted_on) for b in self.episode.barriers.all()]

    def barriers_lifting(self) -> BarriersLifting:
        """The day the barriers count as lifted (P4) and where it comes from. A new entrant,
        or a person without pathway start, does not depend on barriers: no query."""
        if self.new_entrant or self.pathway_start is None:
            return BarriersLifting(self.barriers_lifted_on, recorded=0, standing=0, typed_on=None)
        barriers = self.recorded_barriers()
        return BarriersLifting(
            barriers_lifting_day(barriers, self.barriers_lifted_on),
            recorded=len(barriers),
            standing=sum(1 for _, lifted in barriers if lifted is None),
            typed_on=self.barriers_lifted_on,
        )

    def intensive(self, lifting: BarriersLifting | None = None) -> IntensivePeriod | None:
        """The intensive period (P4), from the recorded barriers when there are any (pass
        ``lifting`` when already computed, to spare its query)."""
        if lifting is None:
            lifting = self.barriers_lifting()
        return intensive_period(
            self.episode.started_on,
            new_entrant=self.new_entrant,
            pathway_start=self.pathway_start,
            barriers_lifted_on=lifting.on,
        )


@dataclass(frozen=True)
class BarriersLifting:
    """The day the barriers count as lifted (P4) and its source, for the pages."""

    on: dt.date | None
    recorded: int  # barriers recorded in the progress app (0: the typed date is used)
    standing: int  # of which not lifted
    typed_on: dt.date | None  # the typed date, shown when the records override it

    @property
    def from_records(self) -> bool:
        return self.recorded > 0

    @property
    def typed_ignored(self) -> bool:
        """The referent typed a date that the recorded barriers override."""
        return self.from_records and self.typed_on is not None and self.typed_on != self.on


class Cer(models.Model):
    """One contrat d'engagement réciproque of the chain (P4: 6 months; P5: renewals)."""

    episode = models.ForeignKey(
        SupportEpisode, models.CASCADE, related_name="cers", verbose_name="accompagnement"
    )
    number = models.PositiveSmallIntegerField("n° dans la chaîne")
    start = models.DateField("début")
    end = models.DateField("fin (dernier jour)")
    objectives = models.TextField("objectifs")
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé par (département)",
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "CER"
        verbose_name_plural = "CER"
        ordering = ["episode", "number"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "number"], name="cer_one_per_number"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="cer_end_after"),
            models.CheckConstraint(condition=Q(number__gte=1), name="cer_number_positive"),
            models.CheckConstraint(
                condition=Q(validated_by__isnull=True, validated_at__isnull=True)
                | Q(validated_by__isnull=False, validated_at__isnull=False),
                name="cer_validation_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"CER n° {self.number} du {french_date(self.start)} au {french_date(self.end)}"

    @property
    def is_validated(self) -> bool:
        return self.validated_at is not None

    def term(self, assume_validated: bool = False) -> CerTerm:
        return CerTerm(self.start, self.end, assume_validated or self.is_validated)


class CadenceState(models.Model):
    """What a support's interview cadence (P4) is on any day, kept so that a dashboard counts
    thousands of supports without reading their interviews: derived data, never a fact.

    A support is compliant on a day when every calendar month of it already over had the
    interviews required; so it is enough to know the last day (inside the support) of its
    first month short of them, ``short_month_end``: compliant on ``day`` when there is none
    or when that month is not over (``short_month_end >= day``). This does not depend on the
    day asked about, only on the support's dates, its CERs, its interviews held and the
    dated parameters (``parameters``: their fingerprint when computed; a state of other
    parameters is not read).

    Written only by ``tremplin.professional.cadence_states``: the services that write an
    interview, a CER or the support recompute it in their transaction, the nightly job and
    ``tremplin rebuild-facts`` rebuild them all. A support without a state (rows written in
    bulk) is counted from its rows (docs/decisions.md, "Cadence states").
    """

    episode = models.OneToOneField(
        SupportEpisode,
        models.CASCADE,
        primary_key=True,
        related_name="cadence_state",
        verbose_name="accompagnement",
    )
    last_day = models.DateField("dernier jour de l'accompagnement", null=True)
    short_month_end = models.DateField("fin du premier mois sans les entretiens requis", null=True)
    parameters = models.CharField("paramètres appliqués", max_length=16)

    class Meta:
        verbose_name = "état de la cadence"
        verbose_name_plural = "états de la cadence"
        constraints = [
            models.CheckConstraint(
                condition=Q(short_month_end__isnull=True) | Q(last_day__isnull=False),
                name="cadence_state_short_within_a_support",
            ),
        ]

    def __str__(self) -> str:
        if self.short_month_end is None:
            return f"Cadence de l'accompagnement n° {self.episode_id} : aucun mois manqué"
        return (
            f"Cadence de l'accompagnement n° {self.episode_id} : premier mois manqué "
            f"jusqu'au {french_date(self.short_month_end)}"
        )


def cer_terms(cers, assume_validated: bool = False) -> tuple[CerTerm, ...]:
    return tuple(cer.term(assume_validated) for cer in cers)


def needing_validation(episode: SupportEpisode, cers=None) -> list[int]:
    """Numbers of the CERs of the chain that need the département's validation (P5)."""
    cers = list(episode.cers.all()) if cers is None else cers
    if not cers:
        return []
    check = validate_cer_chain(cer_terms(cers, True), support_start=episode.started_on)
    return list(check.needs_validation)


def awaiting_validation(episode: SupportEpisode, cers=None) -> list[int]:
    """Numbers of the CERs that need the département's validation and lack it (P5)."""
    cers = list(episode.cers.all()) if cers is None else cers
    return [n for n in needing_validation(episode, cers) if not cers[n - 1].is_validated]


def support_end(episode: SupportEpisode, cers=None) -> dt.date | None:
    """The support's last day: its end when closed, otherwise the last CER's end."""
    cers = list(episode.cers.all()) if cers is None else cers
    last = cers[-1].end if cers else None
    if episode.ended_on and (last is None or episode.ended_on < last):
        return episode.ended_on
    return last


def can_validate(user, episode: SupportEpisode) -> bool:
    """P5: the département validates — an agent of the person's territory (or an admin)."""
    scope = scope_of(user)
    if scope.is_admin:
        return True
    return (
        Role.DEPARTMENT_AGENT in scope.roles
        and episode.beneficiary.territory_id in scope.agent_territory_ids
    )


def next_renewal(episode: SupportEpisode, cers=None):
    """The renewal the rules allow now (P5), or a RuleError in French: a CER still awaiting
    the département's validation, or the 18-month limit reached."""
    cers = list(episode.cers.all()) if cers is None else cers
    pending = awaiting_validation(episode, cers)
    if pending:
        raise RuleError(
            f"Le CER n° {pending[0]} attend la validation du département (P5) : aucun "
            "renouvellement avant elle.",
            rule="P5",
        )
    return propose_cer_renewal(cer_terms(cers), support_start=episode.started_on)


class Contact(models.Model):
    """A contact besides the interviews (P4: logged in the intensive period)."""

    class Channel(models.TextChoices):
        PHONE = "phone", "Téléphone"
        EMAIL = "email", "Courriel"
        SMS = "sms", "SMS"
        VISIT = "visit", "Visite"

    episode = models.ForeignKey(
        SupportEpisode, models.CASCADE, related_name="contacts", verbose_name="accompagnement"
    )
    on = models.DateField("date")
    channel = models.CharField("moyen", max_length=5, choices=Channel.choices)
    note = models.TextField("objet, compte-rendu", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["episode", "on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["phone", "email", "sms", "visit"]),
                name="contact_known_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} du {french_date(self.on)}"


class CollectiveActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.is_admin:
            return self
        return self.filter(
            Q(operator_id__in=scope.organisation_ids)
            | Q(operator__territory_id__in=scope.agent_territory_ids)
        )

    def search(self, text: str):
        query = self
        for word in (text or "").split():
            query = query.filter(Q(theme__icontains=word) | Q(place__icontains=word))
        return query


class CollectiveAction(models.Model):
    """A workshop or an information session (P2); attendance counts as a contact."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "Atelier"
        INFORMATION = "information", "Réunion d'information"

    operator = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="collective_actions",
        verbose_name="structure",
        limit_choices_to={"kind": Organisation.Kind.OPERATOR},
    )
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    on = models.DateField("date")
    start_time = models.TimeField(
        "heure de début", null=True, blank=True, help_text="Indiquée dans les invitations."
    )
    theme = models.CharField("thème", max_length=200)
    place = models.CharField("lieu", max_length=200)
    # When the attendance was first recorded: from then on (and once its day has come) an
    # invited person not marked present is absent (F8, the no-show list of the invitations);
    # before, nobody is, as nobody said who came.
    attendance_taken_on = models.DateField("présences relevées le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = CollectiveActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action collective"
        verbose_name_plural = "actions collectives"
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} « {self.theme} » du {french_date(self.on)}"

    def get_absolute_url(self) -> str:
        return reverse("professional:action_detail", args=[self.pk])

    @property
    def starts_at(self) -> dt.datetime:
        """Its start in Paris time (the day's start when no time is given)."""
        return dt.datetime.combine(self.on, self.start_time or dt.time(0, 0), tzinfo=PARIS)

    def is_held(self, today: dt.date) -> bool:
        """Its day has come and its attendance was recorded: who was not there is absent."""
        return self.attendance_taken_on is not None and self.on <= today


class InvitationQuerySet(models.QuerySet):
    def absent(self, today: dt.date):
        """The invitations of held actions (``CollectiveAction.is_held``) whose person was
        not marked present: absences read from ``present``, the one recorded fact (F8)."""
        return self.filter(
            present=False, action__attendance_taken_on__isnull=False, action__on__lte=today
        )


class Invitation(models.Model):
    action = models.ForeignKey(
        CollectiveAction, models.CASCADE, related_name="invitations", verbose_name="action"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, models.PROTECT, related_name="collective_invitations", verbose_name="personne"
    )
    present = models.BooleanField("présent·e", default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["beneficiary__last_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "beneficiary"], name="invitation_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} à {self.action}"


audit.register(ProfessionalSupport)
audit.register(Cer)
audit.register(Contact)
audit.register(CollectiveAction)
audit.register(Invitation)
