"""What the indicators can say today from the recorded situations, computed by the database.

The agreements' rates (A3 durable placement, P10 return to activity and exits linked to
employment) are measured on *supports*: who was followed, from when to when, and how the
support ended. Support episodes do not exist yet, so those rates are shown as "à venir"
with their targets, never approximated under their names. What the situations alone can
tell, and is shown under its own name, is how many of an operator's people *started* a
job, a qualifying training or an activity during a period, and the portfolio per referent
FTE (P9) from today's assignments.

Every number is one SQL aggregate (``Count`` with ``filter=Exists(...)``), never a Python
loop over rows; the kinds each count reads are the rules' (``tremplin.rules.outcomes``).
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, TruncMonth

from tremplin.accounts.models import Membership, Role
from tremplin.rules import outcomes as rules

from .models import (
    ACTIVITY_CREATION_KIND_VALUES,
    ACTIVITY_KIND_VALUES,
    EMPLOYMENT_KIND_VALUES,
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
    """One query: the population and, for each count, how many of it started one."""
    aggregates = {
        count.code: Count("pk", filter=Q(started_in_period(period, count)))
        for count in STARTED_SITUATION_COUNTS
    }
    totals = people.order_by().aggregate(population=Count("pk"), **aggregates)
    population = totals["population"]
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


# Why each rate of the agreements is not computed yet: what it needs that does not exist.
COMING_WITH_SUPPORT_EPISODES = {
    Indicator.DURABLE_PLACEMENT: "À venir : se mesure sur les accompagnements dans l'emploi "
    "terminés, à la fin des 6 mois ou dans les 3 mois suivant un CDD non pérennisé ou une "
    "rupture (règle A3). Il faut les accompagnements (en cours de construction).",
    Indicator.RETURN_TO_ACTIVITY: "À venir : se mesure sur les accompagnements professionnels "
    "(une reprise commencée pendant l'accompagnement, règle P10). Il faut les accompagnements "
    "(en cours de construction). Les situations commencées dans la période sont ci-dessous.",
    Indicator.EXITS_LINKED_TO_EMPLOYMENT: "À venir : se mesure sur les accompagnements "
    "professionnels terminés (règles P10 et P1). Il faut les accompagnements (en cours de "
    "construction).",
    Indicator.CV_ONLINE: "À venir : il faut savoir qui est « prêt à l'emploi » et si son CV est "
    "déposé sur Job Connexion, ce que suivra l'accompagnement professionnel (règles P6, P10).",
}


def agreement_indicators(people, operators, period: Period, operator=None, referent=None):
    """The agreements' indicators with their targets in force at the period's end."""
    targets = AgreementTarget.objects.in_force(operator, period.last_day)
    rows = [
        AgreementIndicatorRow(
            indicator,
            targets.get(indicator),
            None,
            COMING_WITH_SUPPORT_EPISODES[indicator],
            available=False,
        )
        for indicator in (
            Indicator.DURABLE_PLACEMENT,
            Indicator.RETURN_TO_ACTIVITY,
            Indicator.EXITS_LINKED_TO_EMPLOYMENT,
            Indicator.CV_ONLINE,
        )
    ]
    rows.append(
        portfolio_per_fte(
            people, operators, period, targets.get(Indicator.PORTFOLIO_PER_FTE), referent
        )
    )
    return rows


def portfolio_per_fte(
    people, operators, period: Period, target, referent=None
) -> AgreementIndicatorRow:
    # rule P9: 60 people in active file per full-time referent. Until support episodes say
    # who is "in active file", the people entrusted to a referent stand for it, and the
    # row says so.
    entrusted = people.filter(referent__isnull=False).order_by().aggregate(n=Count("pk"))["n"]
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
    value = (Decimal(entrusted) / fte).quantize(Decimal("0.1"), ROUND_HALF_UP)
    fte_text = f"{fte.normalize():f}".replace(".", ",")
    return AgreementIndicatorRow(
        Indicator.PORTFOLIO_PER_FTE,
        target,
        value,
        f"{entrusted} personne{'s' if entrusted > 1 else ''} confiée{'s' if entrusted > 1 else ''}"
        f" à un·e référent·e pour {fte_text} ETP de référent·e. Approximation : la file active "
        "se comptera sur les accompagnements en cours.",
        available=True,
    )
