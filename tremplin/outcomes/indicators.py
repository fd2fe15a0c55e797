"""The indicators, computed by the database (aggregates, never Python loops over rows).

The agreements' rates (A3 durable placement, P10 return to activity and exits linked to
employment) are measured on the *ended supports*: each one's exit is classified by the rules
and stored (``SupportExit``, ``tremplin.outcomes.exits``), and a rate is one ``Count`` with
a filter over those rows. What the situations alone tell, shown under its own name, is how
many people *started* a job, a qualifying training or an activity during a period; and the
portfolio per referent FTE (P9) from today's assignments. The funnel of the in-employment
programme reads the plan's stored deadlines (trial review, month 5) and the exits.
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, TruncMonth

from tremplin.accounts.models import Membership, Role
from tremplin.progress.models import ProgressRecord
from tremplin.rules import outcomes as rules
from tremplin.rules.programmes import Programme
from tremplin.support.models import Deadline
from tremplin.web.dates import french_date
from tremplin.web.french import plural

from .models import (
    ACTIVITY_CREATION_KIND_VALUES,
    ACTIVITY_KIND_VALUES,
    EMPLOYMENT_KIND_VALUES,
    PERCENTAGE_INDICATORS,
    AgreementTarget,
    Indicator,
    Situation,
)

HOURS_FIELD = DecimalField(max_digits=6, decimal_places=2)


@dataclass(frozen=True)
class Period:
    first_day: datetime.date
    last_day: datetime.date

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches."""
        months = []
        month = self.first_day.replace(day=1)
        while month <= self.last_day:
            months.append(month)
            days = calendar.monthrange(month.year, month.month)[1]
            month = month + datetime.timedelta(days=days)
        return months


def _employment(period: Period) -> Q:
    return Q(kind__in=EMPLOYMENT_KIND_VALUES)


def _open_ended_at_least_half_time(period: Period) -> Q:
    # rule A4 (a): a CDI (or a subsidised contract concluded as a CDI, rule A13) of at least
    # half of the company's full time, or of the legal weekly duration read at the period's
    # end (rules/data/outcomes.toml, L3121-27). Written as 2 x hours >= full time so that
    # the comparison stays in decimals on both databases.
    legal_full_time = rules.outcome_parameter("legal_full_time_weekly_hours", period.last_day)
    full_time = Coalesce(
        F("company_full_time_hours"),
        Cast(Value(str(legal_full_time)), HOURS_FIELD),
        output_field=HOURS_FIELD,
    )
    open_ended = Q(kind=rules.SituationKind.CDI) | Q(
        kind=rules.SituationKind.SUBSIDISED_CONTRACT, permanent_contract=True
    )
    return open_ended & Q(weekly_hours__isnull=False) & Q(twice_weekly_hours__gte=full_time)


def _qualifying_rncp_training(period: Period) -> Q:
    # rule A4 (d): qualifying or diploma training listed in the RNCP.
    return Q(kind=rules.SituationKind.TRAINING, qualifying=True, rncp_listed=True)


def _activity_creation(period: Period) -> Q:
    # rule A4 (e): an activity created, a CAPE, a DUE in an incubator.
    return Q(kind__in=ACTIVITY_CREATION_KIND_VALUES)


def _any_activity(period: Period) -> Q:
    # What rule P10's "return to activity" counts (rules.Situation.is_activity).
    return Q(kind__in=ACTIVITY_KIND_VALUES) | Q(
        kind=rules.SituationKind.COMPETITIVE_EXAM, appointment=True
    )


@dataclass(frozen=True)
class StartedSituationCount:
    """People who started, in the period, a situation matching ``condition``."""

    code: str
    label: str
    rule: str
    condition: Callable[[Period], Q]


STARTED_SITUATION_COUNTS = [
    StartedSituationCount(
        "emploi",
        "Ont commencé un emploi (CDI, CDD, intérim ou contrat aidé)",
        "P1",
        _employment,
    ),
    StartedSituationCount(
        "cdi-mi-temps",
        "dont un CDI au moins à mi-temps",
        "A4 a",
        _open_ended_at_least_half_time,
    ),
    StartedSituationCount(
        "formation-rncp",
        "Sont entrés en formation qualifiante inscrite au RNCP",
        "A4 d",
        _qualifying_rncp_training,
    ),
    StartedSituationCount(
        "creation",
        "Ont créé une activité (création, CAPE, DUE en couveuse)",
        "A4 e",
        _activity_creation,
    ),
    StartedSituationCount(
        "activite",
        "Ont commencé un emploi, une formation ou une activité",
        "P10",
        _any_activity,
    ),
]
STARTED_SITUATION_COUNTS_BY_CODE = {count.code: count for count in STARTED_SITUATION_COUNTS}


def situations_started(period: Period, condition: Q):
    return (
        Situation.objects.alias(twice_weekly_hours=F("weekly_hours") * 2)
        .filter(start__gte=period.first_day, start__lte=period.last_day)
        .filter(condition)
    )


def started_in_period(period: Period, count: StartedSituationCount) -> Exists:
    """For a beneficiary row: did they start such a situation in the period?"""
    return Exists(
        situations_started(period, count.condition(period)).filter(beneficiary=OuterRef("pk"))
    )


def people_behind(people, period: Period, code: str):
    """The people a number counts, for the list behind it (access already applied)."""
    return people.filter(started_in_period(period, STARTED_SITUATION_COUNTS_BY_CODE[code]))


@dataclass(frozen=True)
class CountRow:
    code: str
    label: str
    rule: str
    people: int
    share: Decimal | None  # percentage of the population, None when it is empty


def _percentage(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class StartedSituations:
    population: int
    rows: list[CountRow]

    @property
    def nothing_started(self) -> bool:
        return all(row.people == 0 for row in self.rows)


def count_started_situations(people, period: Period) -> StartedSituations:
    """Two queries: the population, then, for each count, how many of it started one. The
    second reads the situations started in the period (index on the start) and counts their
    distinct people, rather than asking each person of the population whether they started
    one (a year of the bench's département on SQLite: 0.9 s -> 0.4 s for both). Their people
    are kept by ``IN`` the population's keys, read once from its index, rather than by an
    ``EXISTS`` that looks up each situation's person in the people's table (the same year:
    130 -> 87 ms on SQLite, 73 -> 57 ms on PostgreSQL)."""
    conditions = {count.code: count.condition(period) for count in STARTED_SITUATION_COUNTS}
    any_condition = Q()
    for condition in conditions.values():
        any_condition |= condition
    population = people.order_by().count()
    totals = (
        situations_started(period, any_condition)
        .filter(beneficiary__in=people.order_by().values("pk"))
        .order_by()
        .aggregate(
            **{
                code: Count("beneficiary", filter=condition, distinct=True)
                for code, condition in conditions.items()
            }
        )
    )
    rows = [
        CountRow(
            count.code,
            count.label,
            count.rule,
            totals[count.code],
            _percentage(totals[count.code], population),
        )
        for count in STARTED_SITUATION_COUNTS
    ]
    return StartedSituations(population, rows)


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    employment: int
    activity: int


def monthly_starts(people, period: Period) -> list[MonthCount]:
    """People starting a job, and any activity, month by month (one query; empty months 0)."""
    employment = _employment(period)
    activity = _any_activity(period)
    by_month = (
        situations_started(period, employment | activity)
        .filter(beneficiary__in=people.order_by().values("pk"))
        .annotate(month=TruncMonth("start"))
        .values("month")
        .annotate(
            employment=Count("beneficiary", filter=employment, distinct=True),
            activity=Count("beneficiary", filter=activity, distinct=True),
        )
        .order_by("month")
    )
    found = {}
    for row in by_month:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        found[month] = row
    return [
        MonthCount(
            month,
            found.get(month, {}).get("employment", 0),
            found.get(month, {}).get("activity", 0),
        )
        for month in period.months()
    ]


@dataclass(frozen=True)
class AgreementIndicatorRow:
    indicator: Indicator
    target: AgreementTarget | None
    value: Decimal | None
    detail: str
    available: bool
    numerator_code: str = ""
    denominator_code: str = ""
    numerator: int | None = None
    denominator: int | None = None

    @property
    def is_percentage(self) -> bool:
        return self.indicator in PERCENTAGE_INDICATORS


def agreement_indicators(
    people,
    operators,
    period: Period,
    operator=None,
    referent=None,
    exits=None,
    exit_counts=None,
    episodes=None,
):
    """The agreements' indicators with their targets in force at the period's end."""
    targets = AgreementTarget.objects.in_force(operator, period.last_day)
    if exit_counts is None:
        exit_counts = count_exits(exits, period)
    rows = [
        exit_rate_row(indicator, exit_counts, targets.get(indicator), period)
        for indicator in EXIT_RATES
    ]
    rows.append(cv_online_row(episodes, period, targets.get(Indicator.CV_ONLINE)))
    rows.append(
        portfolio_per_fte(
            episodes, operators, period, targets.get(Indicator.PORTFOLIO_PER_FTE), referent
        )
    )
    return rows


ACTIVE_FILE = "file-active"


def active_file(episodes, period: Period):
    """Rule P9's "file active" on the period's last day: the supports of both programmes
    running that day (a referent's portfolio holds the people they follow in employment as
    well as towards it; counting only professional support showed every referent
    under-loaded). The portfolio page counts the same way."""
    return episodes.filter(started_on__lte=period.last_day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.last_day)
    )


def portfolio_per_fte(
    episodes, operators, period: Period, target, referent=None
) -> AgreementIndicatorRow:
    # rule P9: 60 people in active file per full-time referent.
    # People, not supports: someone followed in both programmes counts once (P9: 60 people).
    active = (
        active_file(episodes, period)
        .order_by()
        .aggregate(n=Count("beneficiary", distinct=True))["n"]
    )
    memberships = Membership.objects.active(on=period.last_day).filter(
        role=Role.REFERENT, organisation__in=operators
    )
    if referent is not None:
        memberships = memberships.filter(user=referent)
    fte = memberships.aggregate(total=Sum("full_time_equivalent"))["total"] or Decimal(0)
    if not fte:
        return AgreementIndicatorRow(
            Indicator.PORTFOLIO_PER_FTE,
            target,
            None,
            "Aucun·e référent·e rattaché·e à la structure à la fin de la période : le "
            "portefeuille par ETP ne se calcule pas.",
            available=False,
        )
    value = (Decimal(active) / fte).quantize(Decimal("0.1"), ROUND_HALF_UP)
    fte_text = f"{fte.normalize():f}".replace(".", ",")
    return AgreementIndicatorRow(
        Indicator.PORTFOLIO_PER_FTE,
        target,
        value,
        plural(
            active,
            "%(count)s personne accompagnée le %(day)s (file active, les deux programmes) "
            "pour %(fte)s ETP de référent·e.",
            "%(count)s personnes accompagnées le %(day)s (file active, les deux programmes) "
            "pour %(fte)s ETP de référent·e.",
            day=french_date(period.last_day),
            fte=fte_text,
        ),
        available=True,
        numerator_code=ACTIVE_FILE,
        numerator=active,
    )


# --- the agreements' rates, over the classified exits of the ended supports -----------------

IN_EMPLOYMENT = Programme.IN_EMPLOYMENT.value
PROFESSIONAL = Programme.PROFESSIONAL.value
CLASSIFIED = ~Q(category="")


@dataclass(frozen=True)
class ExitCount:
    """A count of ended supports whose exit matches ``condition`` (a Q over SupportExit)."""

    code: str
    label: str
    rule: str
    condition: Q


EXIT_COUNTS = [
    ExitCount(
        "sorties-dans-emploi",
        "Accompagnements dans l'emploi terminés, sortie mesurée",
        "A3",
        Q(programme=IN_EMPLOYMENT) & CLASSIFIED,
    ),
    ExitCount(
        "placement-perenne",
        "Sorties en placement pérenne",
        "A3, A4",
        Q(programme=IN_EMPLOYMENT, durable_placement=True),
    ),
    ExitCount(
        "sorties-professionnel",
        "Accompagnements professionnels terminés, sortie mesurée",
        "P10",
        Q(programme=PROFESSIONAL) & CLASSIFIED,
    ),
    ExitCount(
        "reprise-activite",
        "Reprises d'activité ou d'emploi",
        "P10",
        Q(programme=PROFESSIONAL, return_to_activity=True),
    ),
    ExitCount(
        "sortie-emploi",
        "Sorties liées à l'emploi",
        "P10, P1",
        Q(programme=PROFESSIONAL, exit_linked_to_employment=True),
    ),
    ExitCount(
        "en-cours-de-mesure",
        "dont sorties encore en cours de mesure (jusqu'à 3 mois après la fin)",
        "A3",
        CLASSIFIED & Q(evaluation_date__lt=F("window_end")),
    ),
    ExitCount(
        "a-corriger",
        "Sorties non classées : données à corriger",
        "A3, A4, P10",
        ~Q(errors=""),
    ),
]
EXIT_COUNTS_BY_CODE = {count.code: count for count in EXIT_COUNTS}

# rate indicator -> (numerator code, denominator code)
EXIT_RATES = {
    Indicator.DURABLE_PLACEMENT: ("placement-perenne", "sorties-dans-emploi"),
    Indicator.RETURN_TO_ACTIVITY: ("reprise-activite", "sorties-professionnel"),
    Indicator.EXITS_LINKED_TO_EMPLOYMENT: ("sortie-emploi", "sorties-professionnel"),
}


def exits_in_period(exits, period: Period):
    """Exits of the supports that ended in the period (A3, P10 measure them on their end)."""
    return exits.filter(support_end__gte=period.first_day, support_end__lte=period.last_day)


def count_exits(exits, period: Period) -> dict[str, int]:
    """One query: every count of EXIT_COUNTS over the supports ended in the period."""
    return (
        exits_in_period(exits, period)
        .order_by()
        .aggregate(**{count.code: Count("pk", filter=count.condition) for count in EXIT_COUNTS})
    )


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number > 1 else ''}"


def exit_rate_row(indicator, counts: dict[str, int], target, period: Period):
    numerator, denominator = EXIT_RATES[indicator]
    measured = counts[denominator]
    if not measured:
        programme = "dans l'emploi" if indicator == Indicator.DURABLE_PLACEMENT else "professionnel"
        return AgreementIndicatorRow(
            indicator,
            target,
            None,
            f"Aucun accompagnement {programme} terminé entre le {french_date(period.first_day)} et "
            f"le {french_date(period.last_day)} dont la sortie est classée : pas de taux. "
            "Élargissez la période ou vérifiez les dates de fin des accompagnements.",
            available=False,
            numerator_code=numerator,
            denominator_code=denominator,
            numerator=0,
            denominator=0,
        )
    positive = counts[numerator]
    detail = (
        f"{positive} sur {_plural(measured, 'accompagnement')} terminé{'s' if measured > 1 else ''} "
        f"dans la période, sortie classée par les règles."
    )
    return AgreementIndicatorRow(
        indicator,
        target,
        _percentage(positive, measured),
        detail,
        available=True,
        numerator_code=numerator,
        denominator_code=denominator,
        numerator=positive,
        denominator=measured,
    )


@dataclass(frozen=True)
class MonthRates:
    month: datetime.date
    in_employment: int
    durable: int
    professional: int
    returned: int
    linked: int

    @property
    def durable_rate(self):
        return _percentage(self.durable, self.in_employment)

    @property
    def return_rate(self):
        return _percentage(self.returned, self.professional)

    @property
    def linked_rate(self):
        return _percentage(self.linked, self.professional)


def monthly_exit_rates(exits, period: Period) -> list[MonthRates]:
    """The three rates month by month of the supports' end (one query; empty months None)."""
    counted = {
        "in_employment": EXIT_COUNTS_BY_CODE["sorties-dans-emploi"].condition,
        "durable": EXIT_COUNTS_BY_CODE["placement-perenne"].condition,
        "professional": EXIT_COUNTS_BY_CODE["sorties-professionnel"].condition,
        "returned": EXIT_COUNTS_BY_CODE["reprise-activite"].condition,
        "linked": EXIT_COUNTS_BY_CODE["sortie-emploi"].condition,
    }
    rows = (
        exits_in_period(exits, period)
        .order_by()
        .annotate(month=TruncMonth("support_end"))
        .values("month")
        .annotate(**{name: Count("pk", filter=condition) for name, condition in counted.items()})
    )
    found = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        found[month] = row
    return [
        MonthRates(month, *(found.get(month, {}).get(name, 0) for name in counted))
        for month in period.months()
    ]


# --- the funnel of the in-employment programme ----------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    code: str
    label: str
    rule: str
    people: int
    share: Decimal | None  # of the first step


def _deadline_reached(code: str, today: datetime.date) -> Exists:
    # The plan's own deliverables (tremplin.rules.programmes): the trial review is due on
    # the trial's last day (A11), the pathway review on the last day of month 5 (A12); a
    # rupture or an end before them drops them ("sans objet"). Reached: due before today
    # and not dropped.

    return Exists(
        Deadline.objects.filter(episode=OuterRef("pk"), code=code, due_on__lt=today).exclude(
            state=Deadline.State.DROPPED
        )
    )


def funnel_conditions(today: datetime.date) -> dict[str, tuple[str, str, Q]]:
    return {
        "conventions": ("Contrats aidés accompagnés (conventions)", "A1", Q()),
        "essai": (
            "Période d'essai passée",
            "A11",
            Q(_deadline_reached("trial_review", today)),
        ),
        "mois-5": (
            "5e mois atteint",
            "A12",
            Q(_deadline_reached("pathway_review_m5", today)),
        ),
        "perennise": (
            "Pérennisé en CDI",
            "A4 a",
            Q(exit__category=rules.ExitCategory.DURABLE_CDI.value),
        ),
    }


def in_employment_cohort(episodes, period: Period):
    """In-employment supports whose contract started in the period."""
    return episodes.filter(
        programme=IN_EMPLOYMENT,
        contract_start__gte=period.first_day,
        contract_start__lte=period.last_day,
    )


def funnel(episodes, period: Period, today: datetime.date) -> list[FunnelStep]:
    conditions = funnel_conditions(today)
    totals = (
        in_employment_cohort(episodes, period)
        .order_by()
        .aggregate(
            **{
                code: Count("pk", filter=condition)
                for code, (_, _, condition) in conditions.items()
            }
        )
    )
    first = totals["conventions"]
    return [
        FunnelStep(code, label, rule, totals[code], _percentage(totals[code], first))
        for code, (label, rule, _) in conditions.items()
    ]


# --- follow-up of the supports: deliverables on time, ruptures reported within 48 h --------


@dataclass(frozen=True)
class FollowUpCount:
    code: str  # for the people behind the "not on time" number
    label: str
    rule: str
    due: Q  # which deadlines are counted
    # Which of them were sent on time, in SQL; None when the rule decides in Python
    # (rupture notices, counted in hours: ``rupture_notices_on_time``).
    on_time: Q | None


def sent_on_time() -> Q:
    # Sent on or before its due day (deliverables due on a day).
    return Q(state="sent", sent_at__isnull=False, sent_at__lte=F("due_on"))


# The deadlines counted as deliverables (the rupture notices are counted in hours, A14).
DELIVERABLES = ~Q(code="rupture_notice")


def rupture_notices_on_time(deadlines) -> set[int]:
    """Rule A14: the rupture notices (among ``deadlines``) sent within 48 hours of the moment
    the rupture was known, counted in hours (``programmes.sent_by``), not on the due day.

    The moment sent is the first e-mail Tremplin sent the Cellule contrats aidés about the
    rupture (its exact time), or the day the referent recorded the notice as sent: a day
    proves the 48 hours only when it is before the due day. One query, whatever the number
    of notices (ruptures are few).
    """
    from django.db.models import Subquery

    from tremplin.rules.programmes import sent_by
    from tremplin.support.models import Notification

    first_email = (
        Notification.objects.filter(deadline=OuterRef("pk"), kind=Notification.Kind.RUPTURE)
        .order_by("sent_at")
        .values("sent_at")[:1]
    )
    notices = (
        deadlines.filter(code="rupture_notice")
        .order_by()
        .annotate(first_email=Subquery(first_email))
        .values_list("pk", "due_at", "due_on", "state", "sent_at", "first_email")
    )
    on_time = set()
    for pk, due_at, due_on, state, sent_day, emailed in notices:
        if due_at is None:  # a notice due on a day only: sent on or before it
            if state == "sent" and sent_day is not None and sent_day <= due_on:
                on_time.add(pk)
            continue
        moments = [emailed] if emailed is not None else []
        if state == "sent" and sent_day is not None:
            moments.append(sent_day)
        if any(sent_by(due_at, moment) for moment in moments):
            on_time.add(pk)
    return on_time


FOLLOW_UP_COUNTS = [
    FollowUpCount(
        "livrables-en-retard",
        "Livrables remis à l'échéance",
        "A12",
        DELIVERABLES,
        sent_on_time(),
    ),
    FollowUpCount(
        "ruptures-hors-delai",
        "Ruptures signalées dans les 48 heures",
        "A14",
        Q(code="rupture_notice"),
        None,  # counted in hours: rupture_notices_on_time
    ),
]
FOLLOW_UP_COUNTS_BY_CODE = {count.code: count for count in FOLLOW_UP_COUNTS}


@dataclass(frozen=True)
class FollowUpRow:
    count: FollowUpCount
    due: int
    on_time: int

    @property
    def late(self) -> int:
        return self.due - self.on_time

    @property
    def share(self) -> Decimal | None:
        return _percentage(self.on_time, self.due)


def deadlines_due(episodes, period: Period, today: datetime.date):
    """The deliverables of ``episodes`` due in the period and already due today, not
    dropped ("sans objet" is not late)."""

    # A correlated EXISTS: SQLite reads the period's deadlines by their date and checks
    # each one's support by its key (``episode__in`` read every person of the département).
    return (
        Deadline.objects.filter(Exists(episodes.filter(pk=OuterRef("episode_id"))))
        .filter(due_on__gte=period.first_day, due_on__lte=min(period.last_day, today))
        .exclude(state=Deadline.State.DROPPED)
    )


def deliverables_of_period(episodes, period: Period, today: datetime.date) -> tuple[int, int]:
    """The deliverables of ``episodes`` due in the period up to today, and of them those sent
    on time (A12), counted on the rows: one query."""
    totals = (
        deadlines_due(episodes, period, today)
        .filter(DELIVERABLES)
        .order_by()
        .aggregate(due=Count("pk"), on_time=Count("pk", filter=sent_on_time()))
    )
    return totals["due"], totals["on_time"]


def follow_up(
    episodes, period: Period, today: datetime.date, deliverables: tuple[int, int] | None = None
) -> list[FollowUpRow]:
    """One query: for each count, the deliverables due and those sent on time; one more
    for the rupture notices when there are any (A14, counted in hours in Python).

    ``deliverables``: the deliverables' two numbers when the caller has them (summed from
    the monthly facts, ``facts.DashboardCounts.deliverables``); the query then counts the
    rupture notices alone."""
    aggregates = {}
    counts = [count for count in FOLLOW_UP_COUNTS if deliverables is None or count.on_time is None]
    for count in counts:
        aggregates[f"{count.code}-due"] = Count("pk", filter=count.due)
        if count.on_time is not None:
            aggregates[f"{count.code}-on-time"] = Count("pk", filter=count.due & count.on_time)
    due = deadlines_due(episodes, period, today)
    if deliverables is not None:
        due = due.filter(code="rupture_notice")
    totals = due.order_by().aggregate(**aggregates)
    rows = []
    for count in FOLLOW_UP_COUNTS:
        if count.on_time is None:
            due_count = totals[f"{count.code}-due"]
            on_time = len(rupture_notices_on_time(due.filter(count.due))) if due_count else 0
            rows.append(FollowUpRow(count, due_count, on_time))
        elif deliverables is not None:
            rows.append(FollowUpRow(count, *deliverables))
        else:
            rows.append(
                FollowUpRow(count, totals[f"{count.code}-due"], totals[f"{count.code}-on-time"])
            )
    return rows


def late_deadlines(episodes, period: Period, today: datetime.date, code: str):
    count = FOLLOW_UP_COUNTS_BY_CODE[code]
    due = deadlines_due(episodes, period, today).filter(count.due)
    if count.on_time is None:
        return due.exclude(pk__in=rupture_notices_on_time(due))
    return due.exclude(count.on_time)


# --- CVs of the job-ready people on Job Connexion (P6, P10) ---------------------------------


def job_ready_records(episodes, period: Period):
    """The progress records (``tremplin.progress``) of the professional supports running in
    the period whose person was declared job-ready by its end."""

    return ProgressRecord.objects.filter(
        episode__in=episodes.filter(programme=PROFESSIONAL).values("pk"),
        job_ready_on__isnull=False,
        job_ready_on__lte=period.last_day,
    ).filter(Q(episode__ended_on__isnull=True) | Q(episode__ended_on__gte=period.first_day))


CV_ONLINE_BY_THE_END = "cv-en-ligne"
JOB_READY = "prets-a-l-emploi"


def cv_online_condition(period: Period) -> Q:
    return Q(cv_online_on__isnull=False, cv_online_on__lte=period.last_day)


def cv_online_row(episodes, period: Period, target) -> AgreementIndicatorRow:
    totals = (
        job_ready_records(episodes, period)
        .order_by()
        .aggregate(ready=Count("pk"), online=Count("pk", filter=cv_online_condition(period)))
    )
    ready, online = totals["ready"], totals["online"]
    if not ready:
        return AgreementIndicatorRow(
            Indicator.CV_ONLINE,
            target,
            None,
            "Aucune personne d'un accompagnement professionnel de la période n'est déclarée "
            "prête à l'emploi : pas de taux (règles P6, P10).",
            available=False,
            numerator_code=CV_ONLINE_BY_THE_END,
            denominator_code=JOB_READY,
            numerator=0,
            denominator=0,
        )
    return AgreementIndicatorRow(
        Indicator.CV_ONLINE,
        target,
        _percentage(online, ready),
        f"{online} CV en ligne sur {_plural(ready, 'personne')} prête{'s' if ready > 1 else ''} "
        "à l'emploi.",
        available=True,
        numerator_code=CV_ONLINE_BY_THE_END,
        denominator_code=JOB_READY,
        numerator=online,
        denominator=ready,
    )
