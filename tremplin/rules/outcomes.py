"""Classification of the exits of both support programmes (rules A3, A4, P1, P10).

A person's *situations* (jobs, trainings, exams, activities, job search, inactivity, moves)
and the dates of their support go in; the *classification* of the exit comes out: a
category, whether the exit is positive, the rule that decided it and one French sentence
that names the situation(s) behind it.

* In-employment support of a CUI-CIE (seed 000, rules A3 and A4): the exit is measured at
  the end of the 6 months of support, or within the 3 months after a CDD not made permanent
  or a rupture. It is positive ("insertion durable") for (a) a CDI of at least half time,
  (b) one or several CDD of at least half time totalling at least 6 months (a CUI in an
  SIAE excluded), (c) a competitive exam leading to an appointment, (d) an entry into a
  qualifying or diploma training listed in the RNCP, (e) the creation of an activity, a
  CAPE, or a DUE in a business incubator. The first of (a)..(e) that holds decides.
* Professional support (seed 004, rules P1 and P10): two indicators, "return to activity or
  employment" (any employment, training or activity started during support) and "exit
  linked to employment" (the support ended with a CDI, a CDD or temporary work of more than
  6 months, a subsidised contract, or an appointment after a competitive exam).

How the seeds are read where they are silent is written in ``docs/rules-outcomes.md`` and
in the comments below. Values the law can change (35 h, 48 h, 6 months...) are dated in
``data/outcomes.toml``, asked at the evaluation date, never literals here.

Public entry points: ``classify_exit(case)``, ``exit_case_errors(case)``,
``exit_case_from_mapping(data)`` and ``ExitClassification.as_dict()``. Nothing here imports
Django.
"""

from __future__ import annotations

import datetime
import functools
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

OUTCOMES_PARAMETERS_FILE = Path(__file__).resolve().parent / "data" / "outcomes.toml"

ONE_DAY = datetime.timedelta(days=1)


# --- dated parameters -----------------------------------------------------------------------


class OutcomeParameterError(ValueError):
    """The parameter file is malformed, or no value is in force at the date asked."""


@dataclass(frozen=True)
class DatedParameterValue:
    """One value of a parameter, in force from ``valid_from`` until the next value."""

    valid_from: datetime.date
    value: Decimal
    source: str


@functools.cache
def _parameter_series(path: Path) -> dict[str, tuple[DatedParameterValue, ...]]:
    with path.open("rb") as parameter_file:
        document = tomllib.load(parameter_file)
    series: dict[str, tuple[DatedParameterValue, ...]] = {}
    for name, table in document.items():
        values = []
        for row in table.get("values", []):
            try:
                # Values are written as text so that 17.5 never passes through a float.
                value = Decimal(str(row["value"]))
                dated = DatedParameterValue(row["valid_from"], value, str(row["source"]))
            except (KeyError, InvalidOperation, TypeError) as error:
                raise OutcomeParameterError(
                    f"{path.name} : la valeur {row!r} du paramètre « {name} » doit avoir "
                    "valid_from (date), value (nombre) et source."
                ) from error
            if not isinstance(dated.valid_from, datetime.date) or not dated.source.strip():
                raise OutcomeParameterError(
                    f"{path.name} : la valeur {row!r} du paramètre « {name} » doit avoir une "
                    "date valid_from et une source non vide."
                )
            values.append(dated)
        if not values:
            raise OutcomeParameterError(f"{path.name} : le paramètre « {name} » n'a aucune valeur.")
        series[name] = tuple(sorted(values, key=lambda dated: dated.valid_from))
    return series


def outcome_parameter_value(
    name: str, on: datetime.date, path: Path | None = None
) -> DatedParameterValue:
    """The value of parameter ``name`` in force on ``on``, with its source."""
    series = _parameter_series(path or OUTCOMES_PARAMETERS_FILE)
    if name not in series:
        raise OutcomeParameterError(f"Paramètre de classement inconnu : « {name} ».")
    in_force = [dated for dated in series[name] if dated.valid_from <= on]
    if not in_force:
        raise OutcomeParameterError(
            f"Aucune valeur du paramètre « {name} » n'est en vigueur le {french_date(on)} : "
            f"la première date du {french_date(series[name][0].valid_from)}."
        )
    return in_force[-1]


def outcome_parameter(name: str, on: datetime.date) -> Decimal:
    return outcome_parameter_value(name, on).value


@dataclass(frozen=True)
class OutcomeParameters:
    """The parameters of one classification, all read at its evaluation date."""

    legal_full_time_weekly_hours: Decimal
    maximum_weekly_hours: Decimal
    in_employment_support_months: int
    in_employment_measure_window_months: int
    durable_cdd_total_months: int
    days_per_month_when_adding_contracts: int
    professional_durable_contract_months: int

    @classmethod
    def on(cls, day: datetime.date) -> OutcomeParameters:
        return cls(
            legal_full_time_weekly_hours=outcome_parameter("legal_full_time_weekly_hours", day),
            maximum_weekly_hours=outcome_parameter("maximum_weekly_hours", day),
            in_employment_support_months=int(
                outcome_parameter("in_employment_support_months", day)
            ),
            in_employment_measure_window_months=int(
                outcome_parameter("in_employment_measure_window_months", day)
            ),
            durable_cdd_total_months=int(outcome_parameter("durable_cdd_total_months", day)),
            days_per_month_when_adding_contracts=int(
                outcome_parameter("days_per_month_when_adding_contracts", day)
            ),
            professional_durable_contract_months=int(
                outcome_parameter("professional_durable_contract_months", day)
            ),
        )


# --- vocabulary -----------------------------------------------------------------------------


class Programme(StrEnum):
    IN_EMPLOYMENT = "in_employment"
    PROFESSIONAL = "professional"


PROGRAMME_LABELS = {
    Programme.IN_EMPLOYMENT: "accompagnement dans l'emploi (CUI-CIE)",
    Programme.PROFESSIONAL: "accompagnement professionnel",
}


class SituationKind(StrEnum):
    CDI = "cdi"
    CDD = "cdd"
    TEMPORARY_WORK = "temporary_work"
    SUBSIDISED_CONTRACT = "subsidised_contract"
    TRAINING = "training"
    COMPETITIVE_EXAM = "competitive_exam"
    ACTIVITY_CREATION = "activity_creation"
    CAPE = "cape"
    DUE_INCUBATOR = "due_incubator"
    JOB_SEARCH = "job_search"
    INACTIVITY = "inactivity"
    MOVE = "move"


SITUATION_KIND_LABELS = {
    SituationKind.CDI: "CDI",
    SituationKind.CDD: "CDD",
    SituationKind.TEMPORARY_WORK: "mission d'intérim",
    SituationKind.SUBSIDISED_CONTRACT: "contrat aidé (CUI)",
    SituationKind.TRAINING: "formation",
    SituationKind.COMPETITIVE_EXAM: "concours",
    SituationKind.ACTIVITY_CREATION: "création d'activité",
    SituationKind.CAPE: "CAPE",
    SituationKind.DUE_INCUBATOR: "DUE en couveuse",
    SituationKind.JOB_SEARCH: "recherche d'emploi",
    SituationKind.INACTIVITY: "inactivité",
    SituationKind.MOVE: "déménagement",
}

EMPLOYMENT_KINDS = frozenset(
    {
        SituationKind.CDI,
        SituationKind.CDD,
        SituationKind.TEMPORARY_WORK,
        SituationKind.SUBSIDISED_CONTRACT,
    }
)
# Rule A4 (e) and P10: an independent activity in its three forms.
ACTIVITY_CREATION_KINDS = frozenset(
    {SituationKind.ACTIVITY_CREATION, SituationKind.CAPE, SituationKind.DUE_INCUBATOR}
)


class ExitCategory(StrEnum):
    # in-employment support, rule A4 (a)..(e), and its negative
    DURABLE_CDI = "durable_cdi"
    DURABLE_CDD = "durable_cdd"
    COMPETITIVE_EXAM_APPOINTMENT = "competitive_exam_appointment"
    QUALIFYING_TRAINING = "qualifying_training"
    ACTIVITY_CREATION = "activity_creation"
    NOT_DURABLE = "not_durable"
    # professional support, rules P10 and P1
    EXIT_LINKED_TO_EMPLOYMENT = "exit_linked_to_employment"
    RETURN_TO_ACTIVITY = "return_to_activity"
    NO_RETURN_TO_ACTIVITY = "no_return_to_activity"


EXIT_CATEGORY_LABELS = {
    ExitCategory.DURABLE_CDI: "CDI au moins à mi-temps",
    ExitCategory.DURABLE_CDD: "CDD au moins à mi-temps totalisant au moins 6 mois",
    ExitCategory.COMPETITIVE_EXAM_APPOINTMENT: "Concours réussi avec nomination",
    ExitCategory.QUALIFYING_TRAINING: "Formation qualifiante ou diplômante inscrite au RNCP",
    ExitCategory.ACTIVITY_CREATION: "Création d'activité, CAPE ou DUE en couveuse",
    ExitCategory.NOT_DURABLE: "Pas d'insertion durable",
    ExitCategory.EXIT_LINKED_TO_EMPLOYMENT: "Sortie liée à l'emploi",
    ExitCategory.RETURN_TO_ACTIVITY: "Reprise d'activité ou d'emploi",
    ExitCategory.NO_RETURN_TO_ACTIVITY: "Pas de reprise d'activité ou d'emploi",
}


# --- input ----------------------------------------------------------------------------------


def _as_hours(value: object) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    # ints and floats from callers: through str so that 17.5 stays exactly 17.5.
    return Decimal(str(value))


@dataclass(frozen=True)
class Situation:
    """One situation of the person, from ``start`` to ``end`` (both days included).

    ``end`` is None while the situation goes on (a CDI, an activity). A CDD, a temporary
    work mission and a subsidised contract in CDD always have an end: their term.
    ``company_full_time_hours`` is the company's full time when the contract states one;
    half time is otherwise half of the legal weekly duration (rule A4, L3121-27).
    ``permanent_contract`` marks a subsidised contract concluded as a CDI (rule C7).
    ``supported_contract`` marks the CUI-CIE under which the in-employment support takes
    place (rule A1): its own term is not a durable exit (rule A13, see ``_durable_cdds``).
    """

    kind: SituationKind
    start: datetime.date
    end: datetime.date | None = None
    weekly_hours: Decimal | None = None
    company_full_time_hours: Decimal | None = None
    in_siae: bool = False
    rncp_listed: bool = False
    qualifying: bool = False
    appointment: bool = False
    permanent_contract: bool = False
    supported_contract: bool = False

    def __post_init__(self) -> None:
        # Accept "cdd" and 24 from callers; store the enum and Decimals.
        object.__setattr__(self, "kind", SituationKind(self.kind))
        object.__setattr__(self, "weekly_hours", _as_hours(self.weekly_hours))
        object.__setattr__(self, "company_full_time_hours", _as_hours(self.company_full_time_hours))

    @property
    def label(self) -> str:
        return SITUATION_KIND_LABELS[self.kind]

    @property
    def is_employment(self) -> bool:
        return self.kind in EMPLOYMENT_KINDS

    @property
    def is_open_ended_contract(self) -> bool:
        return self.kind == SituationKind.CDI or (
            self.kind == SituationKind.SUBSIDISED_CONTRACT and self.permanent_contract
        )

    @property
    def is_fixed_term_contract(self) -> bool:
        return self.kind in {SituationKind.CDD, SituationKind.TEMPORARY_WORK} or (
            self.kind == SituationKind.SUBSIDISED_CONTRACT and not self.permanent_contract
        )

    @property
    def is_activity(self) -> bool:
        """Employment, training or activity: what "return to activity" counts (rule P10)."""
        return (
            self.is_employment
            or self.kind == SituationKind.TRAINING
            or self.kind in ACTIVITY_CREATION_KINDS
            or (self.kind == SituationKind.COMPETITIVE_EXAM and self.appointment)
        )

    def is_in_force_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Situation) -> bool:
        self_ends_after = self.end is None or other.start <= self.end
        other_ends_after = other.end is None or self.start <= other.end
        return self_ends_after and other_ends_after


@dataclass(frozen=True)
class ExitCase:
    """What the classification needs: the programme, the support dates, the situations.

    ``support_end`` is the last day of the support. For the in-employment programme it is
    the end of the 6 months (the default), the end of a CDD not made permanent or the day
    of a rupture (rule A3). For the professional programme, None means the support goes on.
    """

    programme: Programme
    support_start: datetime.date
    evaluation_date: datetime.date
    situations: tuple[Situation, ...] = ()
    support_end: datetime.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "programme", Programme(self.programme))
        object.__setattr__(self, "situations", tuple(self.situations))


class ExitInputError(ValueError):
    """The input cannot be classified; ``messages`` are French sentences for the user."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = tuple(messages)
        super().__init__("\n".join(self.messages))


# --- output ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExitClassification:
    """The classified exit. ``deciding_situations`` are indexes (from 0) into the input.

    The indicator fields are those of the programme (the others are None):
    ``durable_placement`` (rule A3) for the in-employment programme;
    ``return_to_activity`` and ``exit_linked_to_employment`` (rule P10) for the professional
    one, where ``positive`` is the return to activity.
    """

    programme: Programme
    category: ExitCategory
    positive: bool
    rule: str
    explanation: str
    deciding_situations: tuple[int, ...] = ()
    durable_placement: bool | None = None
    return_to_activity: bool | None = None
    exit_linked_to_employment: bool | None = None

    @property
    def category_label(self) -> str:
        return EXIT_CATEGORY_LABELS[self.category]

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the command and the API; situations numbered from 1."""
        indicators: dict[str, bool] = {}
        for name in ("durable_placement", "return_to_activity", "exit_linked_to_employment"):
            value = getattr(self, name)
            if value is not None:
                indicators[name] = value
        return {
            "programme": str(self.programme),
            "category": str(self.category),
            "category_label": self.category_label,
            "positive": self.positive,
            "rule": self.rule,
            "explanation": self.explanation,
            "deciding_situations": [index + 1 for index in self.deciding_situations],
            "indicators": indicators,
        }


# --- French text ----------------------------------------------------------------------------


def french_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def french_hours(hours: Decimal) -> str:
    text = f"{hours.normalize():f}".replace(".", ",")
    return f"{text} h"


def french_duration(months: int, days: int) -> str:
    parts = []
    if months:
        parts.append(f"{months} mois")
    if days or not months:
        parts.append(f"{days} jour" + ("s" if days > 1 else ""))
    return " et ".join(parts)


def _number(index: int) -> str:
    return f"n°{index + 1}"


def _period(situation: Situation) -> str:
    if situation.end is None:
        return f"depuis le {french_date(situation.start)}"
    if situation.end == situation.start:
        return f"du {french_date(situation.start)}"
    return f"du {french_date(situation.start)} au {french_date(situation.end)}"


def describe_situation(index: int, situation: Situation) -> str:
    """« CDD n°2 du 01/01/2025 au 31/03/2025 », « CDI n°1 depuis le 01/03/2025 »."""
    return f"{situation.label} {_number(index)} {_period(situation)}"


def _situation_reference(index: int, situation: Situation) -> str:
    """« situation n°2 (CDI depuis le 01/03/2025) »: reads right whatever the kind's gender."""
    return f"situation {_number(index)} ({situation.label} {_period(situation)})"


def _join_french(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


# --- durations ------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole calendar months; the 31st becomes the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    next_month_first = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month_first - ONE_DAY).day
    return datetime.date(year, month, min(day.day, last_day))


@dataclass(frozen=True, order=True)
class Duration:
    """Whole calendar months, then the days left over."""

    months: int
    days: int

    def __str__(self) -> str:
        return french_duration(self.months, self.days)


def contract_duration(start: datetime.date, end: datetime.date) -> Duration:
    """Duration of a contract from ``start`` to ``end``, both included.

    1 March to 31 August is 6 months; 1 March to 30 August is 5 months and 30 days.
    """
    day_after_end = end + ONE_DAY
    months = 0
    while add_months(start, months + 1) <= day_after_end:
        months += 1
    return Duration(months, (day_after_end - add_months(start, months)).days)


def total_duration(durations: Iterable[Duration], days_per_month: int) -> Duration:
    """Durations added one to the other (rule A4 b "durée totale").

    Whole months add up; the days left over add up and every ``days_per_month`` of them
    make one more month (31 in data/outcomes.toml: a single contract's leftover days, at
    most 30, never round it up to a month it has not completed). ``worked_duration`` adds
    the blocks of time worked this way, never the contracts themselves.
    """
    months = days = 0
    for duration in durations:
        months += duration.months
        days += duration.days
    extra_months, days = divmod(days, days_per_month)
    return Duration(months + extra_months, days)


def merged_periods(
    periods: Iterable[tuple[datetime.date, datetime.date]],
) -> list[tuple[datetime.date, datetime.date]]:
    """The union of the periods (days included) as disjoint blocks, in date order.

    Overlapping periods, and periods where one ends the day before the next starts, make one
    block: two back-to-back CDDs are one stretch of time worked.
    """
    blocks: list[tuple[datetime.date, datetime.date]] = []
    for start, end in sorted(periods):
        if blocks and start <= blocks[-1][1] + ONE_DAY:
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], end))
        else:
            blocks.append((start, end))
    return blocks


def worked_duration(
    periods: Iterable[tuple[datetime.date, datetime.date]], days_per_month: int
) -> Duration:
    """Rule A4 b: the total duration of the time worked under the periods.

    « Un ou plusieurs CDD … dont la durée totale est égale à au moins 6 mois »: the total is a
    property of the time worked, never of how it is cut into contracts. The periods are
    merged (``merged_periods``), each block is measured like one contract
    (``contract_duration``) and the blocks are added (``total_duration``). Two back-to-back
    CDDs over 6 months therefore total exactly what one CDD over them does, and two CDDs
    held at the same time count their common days once.
    """
    return total_duration(
        (contract_duration(start, end) for start, end in merged_periods(periods)),
        days_per_month,
    )


# --- validation -----------------------------------------------------------------------------


def _default_in_employment_support_end(
    support_start: datetime.date, parameters: OutcomeParameters
) -> datetime.date:
    # Rule A3: "au terme des 6 mois d'accompagnement"; the last day of the 6th month.
    return add_months(support_start, parameters.in_employment_support_months) - ONE_DAY


def _situation_errors(
    index: int, situation: Situation, case: ExitCase, parameters: OutcomeParameters
) -> list[str]:
    errors = []
    name = f"La situation {_number(index)} ({situation.label})"
    if situation.end is not None and situation.end < situation.start:
        errors.append(
            f"{name} se termine le {french_date(situation.end)}, avant son début le "
            f"{french_date(situation.start)} : corrigez les dates."
        )
    if situation.is_fixed_term_contract and situation.end is None:
        errors.append(
            f"{name} n'a pas de date de fin : indiquez le terme du contrat (pour un CDD sans "
            "terme précis, la fin de sa durée minimale)."
        )
    for field_name, value, label in (
        ("weekly_hours", situation.weekly_hours, "la durée hebdomadaire"),
        ("company_full_time_hours", situation.company_full_time_hours, "le temps complet"),
    ):
        if value is None:
            continue
        if not situation.is_employment:
            errors.append(f"{name} n'est pas un emploi : retirez {label} ({field_name}).")
        elif not value.is_finite() or value <= 0 or value > parameters.maximum_weekly_hours:
            errors.append(
                f"{name} : {label} ({field_name}) de {french_hours(value)} par semaine est hors "
                f"des bornes, plus de 0 h et au plus {french_hours(parameters.maximum_weekly_hours)}"
                " (Code du travail, art. L3121-20)."
            )
    flag_rules = (
        ("in_siae", "« en SIAE »", situation.is_employment, "à un emploi"),
        ("rncp_listed", "« inscrite au RNCP »", situation.kind == "training", "à une formation"),
        ("qualifying", "« qualifiante »", situation.kind == "training", "à une formation"),
        ("appointment", "« nomination »", situation.kind == "competitive_exam", "à un concours"),
        (
            "permanent_contract",
            "« en CDI »",
            situation.kind == "subsidised_contract",
            "à un contrat aidé",
        ),
        (
            "supported_contract",
            "« contrat suivi »",
            situation.kind == "subsidised_contract",
            "au contrat aidé (CUI-CIE) objet de l'accompagnement",
        ),
    )
    for field_name, label, applies, applies_to in flag_rules:
        if getattr(situation, field_name) and not applies:
            errors.append(
                f"{name} : l'indication {label} ({field_name}) ne s'applique qu'{applies_to}."
            )
    if situation.supported_contract and case.programme != Programme.IN_EMPLOYMENT:
        errors.append(
            f"{name} : le contrat suivi (supported_contract) n'existe que dans "
            "l'accompagnement dans l'emploi (règle A1)."
        )
    needs_hours = situation.is_open_ended_contract or situation.kind in {
        SituationKind.CDD,
        SituationKind.SUBSIDISED_CONTRACT,
    }
    if case.programme == Programme.IN_EMPLOYMENT and needs_hours and situation.weekly_hours is None:
        errors.append(
            f"{name} n'a pas de durée hebdomadaire (weekly_hours) : elle est nécessaire pour "
            "juger du mi-temps (règle A4)."
        )
    return errors


def _case_date_errors(case: ExitCase, parameters: OutcomeParameters) -> list[str]:
    errors = []
    if case.support_end is not None and case.support_end < case.support_start:
        errors.append(
            f"La fin de l'accompagnement ({french_date(case.support_end)}) précède son début "
            f"({french_date(case.support_start)}) : corrigez les dates."
        )
        return errors
    if case.evaluation_date < case.support_start:
        errors.append(
            f"La date d'évaluation ({french_date(case.evaluation_date)}) précède le début de "
            f"l'accompagnement ({french_date(case.support_start)}) : une sortie ne se mesure "
            "qu'après le début de l'accompagnement."
        )
        return errors
    if case.programme == Programme.IN_EMPLOYMENT:
        support_end = case.support_end or _default_in_employment_support_end(
            case.support_start, parameters
        )
        window_months = parameters.in_employment_measure_window_months
        window_end = add_months(support_end, window_months)
        if case.evaluation_date < support_end:
            errors.append(
                "La sortie de l'accompagnement dans l'emploi se mesure au terme de "
                f"l'accompagnement (règle A3) : la date d'évaluation du "
                f"{french_date(case.evaluation_date)} précède sa fin le "
                f"{french_date(support_end)}. Indiquez la fin réelle (support_end : fin des "
                "6 mois, CDD non pérennisé ou rupture) ou une date d'évaluation plus tardive."
            )
        elif case.evaluation_date > window_end:
            errors.append(
                f"La sortie se mesure au plus tard {window_months} mois après la fin de "
                f"l'accompagnement (règle A3) : la date d'évaluation du "
                f"{french_date(case.evaluation_date)} est après le {french_date(window_end)}."
            )
    return errors


def _contradiction_errors(case: ExitCase, parameters: OutcomeParameters) -> list[str]:
    errors = []
    situations = case.situations
    for first in range(len(situations)):
        for second in range(first + 1, len(situations)):
            if situations[first] == situations[second]:
                errors.append(
                    f"Les situations {_number(first)} et {_number(second)} sont identiques : "
                    "supprimez la saisie en double."
                )
    # Being inactive contradicts working, training, creating an activity or searching a job.
    for inactive_index, inactive in enumerate(situations):
        if inactive.kind != SituationKind.INACTIVITY:
            continue
        for other_index, other in enumerate(situations):
            active = other.is_activity or other.kind == SituationKind.JOB_SEARCH
            if active and inactive.overlaps(other):
                errors.append(
                    f"La {_situation_reference(inactive_index, inactive)} chevauche la "
                    f"{_situation_reference(other_index, other)} : une personne inactive ne "
                    "peut pas être en même temps en emploi, en formation, en activité ou en "
                    "recherche d'emploi. Corrigez les dates."
                )
    # Jobs held at the same time may not exceed the legal weekly maximum together: two
    # full-time jobs at once is a typing error. The busiest day is a start day.
    timed_jobs = [
        (index, situation)
        for index, situation in enumerate(situations)
        if situation.is_employment and situation.weekly_hours is not None
    ]
    reported: set[frozenset[int]] = set()
    for _, starting in timed_jobs:
        concurrent = [
            (index, job) for index, job in timed_jobs if job.is_in_force_on(starting.start)
        ]
        total_hours = sum((job.weekly_hours for _, job in concurrent), Decimal(0))
        indexes = frozenset(index for index, _ in concurrent)
        if total_hours > parameters.maximum_weekly_hours and indexes not in reported:
            reported.add(indexes)
            jobs = _join_french(
                [
                    f"{describe_situation(index, job)} ({french_hours(job.weekly_hours)})"
                    for index, job in concurrent
                ]
            )
            errors.append(
                f"Emplois simultanés le {french_date(starting.start)} : {jobs} font "
                f"{french_hours(total_hours)} par semaine, plus que le maximum légal de "
                f"{french_hours(parameters.maximum_weekly_hours)} (Code du travail, "
                "art. L3121-20). Corrigez les dates ou les horaires."
            )
    supported = [index for index, s in enumerate(situations) if s.supported_contract]
    if len(supported) > 1:
        numbers = _join_french([_number(index) for index in supported])
        errors.append(
            f"Les situations {numbers} sont toutes marquées comme le contrat suivi : "
            "l'accompagnement dans l'emploi porte sur un seul CUI-CIE (règle A1)."
        )
    return errors


def _parameters_or_error(case: ExitCase) -> OutcomeParameters:
    try:
        return OutcomeParameters.on(case.evaluation_date)
    except OutcomeParameterError as error:
        raise ExitInputError([str(error)]) from error


def exit_case_errors(case: ExitCase) -> list[str]:
    """Every reason why ``case`` cannot be classified, as French sentences (empty: valid)."""
    try:
        parameters = _parameters_or_error(case)
    except ExitInputError as error:
        return list(error.messages)
    errors = _case_date_errors(case, parameters)
    for index, situation in enumerate(case.situations):
        errors.extend(_situation_errors(index, situation, case, parameters))
    errors.extend(_contradiction_errors(case, parameters))
    return errors


# --- classification: in-employment support (rules A3, A4) -----------------------------------


def full_time_hours(situation: Situation, parameters: OutcomeParameters) -> Decimal:
    """The company's full time if the contract states one, else the legal 35 h (L3121-27)."""
    return situation.company_full_time_hours or parameters.legal_full_time_weekly_hours


def half_time_hours(situation: Situation, parameters: OutcomeParameters) -> Decimal:
    return full_time_hours(situation, parameters) / 2


def is_at_least_half_time(situation: Situation, parameters: OutcomeParameters) -> bool:
    return situation.weekly_hours is not None and situation.weekly_hours >= half_time_hours(
        situation, parameters
    )


def _relevant_to_support(situation: Situation, case: ExitCase) -> bool:
    # A situation counts for this support if it had begun by the evaluation date and did
    # not end before the support began.
    return situation.start <= case.evaluation_date and (
        situation.end is None or situation.end >= case.support_start
    )


def _durable_cdi(
    case: ExitCase, parameters: OutcomeParameters, findings: list[str]
) -> tuple[int, ...] | None:
    # rule A4 (a): a CDI of at least half time, held on the evaluation date. A CUI-CIE
    # concluded as a CDI is a CDI (rule A13: "maintien en CDI").
    for index, situation in enumerate(case.situations):
        if not situation.is_open_ended_contract:
            continue
        name = describe_situation(index, situation)
        if situation.start > case.evaluation_date:
            findings.append(f"{name} commence après la date d'évaluation")
        elif not situation.is_in_force_on(case.evaluation_date):
            findings.append(f"{name} a pris fin avant la date d'évaluation")
        elif not is_at_least_half_time(situation, parameters):
            findings.append(
                f"{name} à {french_hours(situation.weekly_hours)} par semaine, sous le mi-temps "
                f"de {french_hours(half_time_hours(situation, parameters))}"
            )
        else:
            return (index,)
    return None


def _durable_cdds(
    case: ExitCase, parameters: OutcomeParameters, findings: list[str]
) -> tuple[tuple[int, ...], Duration] | None:
    # rule A4 (b): one or several CDD of at least half time totalling at least 6 months. The
    # contracts that may count are chosen by what they are (a CDD, not a CUI in an SIAE, not
    # the supported contract, at least half time); the time they cover is then merged into
    # blocks, and a block counts when it had begun by the evaluation date and did not end
    # before the support began -- so that the total never depends on how a stretch of time
    # worked is cut into contracts.
    eligible: list[int] = []
    for index, situation in enumerate(case.situations):
        is_cdd = situation.kind == SituationKind.CDD or (
            situation.kind == SituationKind.SUBSIDISED_CONTRACT and not situation.permanent_contract
        )
        if not is_cdd or situation.end is None:
            continue
        name = describe_situation(index, situation)
        if situation.kind == SituationKind.SUBSIDISED_CONTRACT and situation.in_siae:
            # rule A4 (b): "hors contrats uniques d'insertion dans une SIAE".
            findings.append(f"{name} en SIAE, exclu du cumul des CDD")
        elif situation.supported_contract:
            # rule A13: "le CDD de 6 mois se termine sans solution pour le salarié" -- the
            # term of the supported CUI-CIE itself is "no solution", not a durable exit.
            findings.append(f"{name} est le contrat suivi, non pérennisé")
        elif not is_at_least_half_time(situation, parameters):
            findings.append(
                f"{name} à {french_hours(situation.weekly_hours)} par semaine, sous le mi-temps "
                f"de {french_hours(half_time_hours(situation, parameters))}"
            )
        else:
            eligible.append(index)
    if not eligible:
        return None
    counted: list[int] = []
    blocks: list[tuple[datetime.date, datetime.date]] = []
    for first, last in merged_periods(
        (case.situations[i].start, case.situations[i].end) for i in eligible
    ):
        members = [i for i in eligible if first <= case.situations[i].start <= last]
        if first > case.evaluation_date or last < case.support_start:
            findings.extend(
                f"{describe_situation(i, case.situations[i])} hors de la période de "
                "l'accompagnement"
                for i in members
            )
            continue
        counted.extend(members)
        blocks.append((first, last))
    if not counted:
        return None
    total = worked_duration(blocks, parameters.days_per_month_when_adding_contracts)
    counted.sort()
    if total >= Duration(parameters.durable_cdd_total_months, 0):
        return tuple(counted), total
    names = _join_french([f"CDD {_number(index)}" for index in counted])
    findings.append(
        f"{names} au moins à mi-temps : {total} au total, il en faut "
        f"{parameters.durable_cdd_total_months}"
    )
    return None


def _first_relevant(
    case: ExitCase, findings: list[str], qualifies, reason_if_not: str, kinds
) -> tuple[int, ...] | None:
    for index, situation in enumerate(case.situations):
        if situation.kind not in kinds:
            continue
        name = describe_situation(index, situation)
        if not _relevant_to_support(situation, case):
            findings.append(f"{name} hors de la période de l'accompagnement")
        elif not qualifies(situation):
            findings.append(f"{name} {reason_if_not}")
        else:
            return (index,)
    return None


def _classify_in_employment(case: ExitCase, parameters: OutcomeParameters) -> ExitClassification:
    # Why each examined situation did not make the exit positive, for the explanation.
    findings: list[str] = []

    def positive(category: ExitCategory, letter: str, deciding: tuple[int, ...], text: str):
        return ExitClassification(
            programme=case.programme,
            category=category,
            positive=True,
            rule=f"A4 {letter}",
            explanation=f"Sortie positive (règle A4 {letter}) : {text}.",
            deciding_situations=deciding,
            durable_placement=True,
        )

    # The seed's order (a) to (e) decides when several hold.
    cdi = _durable_cdi(case, parameters, findings)
    if cdi is not None:
        situation = case.situations[cdi[0]]
        return positive(
            ExitCategory.DURABLE_CDI,
            "a",
            cdi,
            f"{describe_situation(cdi[0], situation)} à "
            f"{french_hours(situation.weekly_hours)} par semaine, au moins à mi-temps "
            f"({french_hours(half_time_hours(situation, parameters))} sur un temps complet de "
            f"{french_hours(full_time_hours(situation, parameters))})",
        )
    cdds = _durable_cdds(case, parameters, findings)
    if cdds is not None:
        indexes, total = cdds
        names = _join_french([describe_situation(i, case.situations[i]) for i in indexes])
        verb = "totalise" if len(indexes) == 1 else "totalisent"
        return positive(
            ExitCategory.DURABLE_CDD,
            "b",
            indexes,
            f"{names}, au moins à mi-temps, {verb} {total} (il en faut au moins "
            f"{parameters.durable_cdd_total_months})",
        )
    exam = _first_relevant(
        case,
        findings,
        lambda situation: situation.appointment,
        "réussi sans nomination ni prise de poste",
        {SituationKind.COMPETITIVE_EXAM},
    )
    if exam is not None:
        return positive(
            ExitCategory.COMPETITIVE_EXAM_APPOINTMENT,
            "c",
            exam,
            f"{describe_situation(exam[0], case.situations[exam[0]])}, réussi avec nomination "
            "ou prise de poste",
        )
    training = _first_relevant(
        case,
        findings,
        lambda situation: situation.qualifying and situation.rncp_listed,
        "non qualifiante ou non inscrite au RNCP",
        {SituationKind.TRAINING},
    )
    if training is not None:
        return positive(
            ExitCategory.QUALIFYING_TRAINING,
            "d",
            training,
            "entrée en formation qualifiante ou diplômante inscrite au RNCP, "
            f"{describe_situation(training[0], case.situations[training[0]])}",
        )
    activity = _first_relevant(case, findings, lambda situation: True, "", ACTIVITY_CREATION_KINDS)
    if activity is not None:
        return positive(
            ExitCategory.ACTIVITY_CREATION,
            "e",
            activity,
            describe_situation(activity[0], case.situations[activity[0]]),
        )
    if findings:
        why = " ; ".join(findings)
    else:
        why = (
            "aucun emploi, concours, formation ou création d'activité entre le "
            f"{french_date(case.support_start)} et le {french_date(case.evaluation_date)}"
        )
    return ExitClassification(
        programme=case.programme,
        category=ExitCategory.NOT_DURABLE,
        positive=False,
        rule="A4",
        explanation=f"Sortie non positive (règle A4) : {why}.",
        durable_placement=False,
    )


# --- classification: professional support (rules P1, P10) ------------------------------------


def _links_exit_to_employment(
    situation: Situation, parameters: OutcomeParameters
) -> tuple[bool, str]:
    """Whether a situation is one of P1's jobs, and if not, why (in French)."""
    if situation.is_open_ended_contract or situation.kind == SituationKind.SUBSIDISED_CONTRACT:
        return True, ""
    if situation.kind == SituationKind.COMPETITIVE_EXAM and situation.appointment:
        # An appointment in the public service is employment, and a more durable one
        # than a CDI; P1 lists contracts "essentiellement".
        return True, ""
    if situation.kind in {SituationKind.CDD, SituationKind.TEMPORARY_WORK}:
        # rule P1: "CDI, CDD et intérim de plus de 6 mois": strictly more than 6 months.
        duration = contract_duration(situation.start, situation.end)
        months = parameters.professional_durable_contract_months
        if duration > Duration(months, 0):
            return True, ""
        return False, f"de {duration}, il faut plus de {months} mois"
    return False, "n'est pas un emploi"


def _classify_professional(case: ExitCase, parameters: OutcomeParameters) -> ExitClassification:
    # rule P10 "reprise d'activité ou d'emploi": an employment, a training or an activity
    # that started during the support (up to the evaluation date while it goes on).
    window_end = case.evaluation_date
    if case.support_end is not None:
        window_end = min(case.support_end, case.evaluation_date)
    started = [
        index
        for index, situation in enumerate(case.situations)
        if situation.is_activity and case.support_start <= situation.start <= window_end
    ]
    # rule P10 "sortie du dispositif liée à l'emploi", P1's jobs: the support has ended,
    # with a job that began during it and was still held on its last day.
    support_ended = case.support_end is not None and case.support_end <= case.evaluation_date
    linked: list[int] = []
    not_linked_reasons: list[str] = []
    if support_ended:
        for index in started:
            situation = case.situations[index]
            if not situation.is_in_force_on(case.support_end):
                if situation.is_employment:
                    not_linked_reasons.append(
                        f"{describe_situation(index, situation)} a pris fin avant la fin de "
                        "l'accompagnement"
                    )
                continue
            links, why_not = _links_exit_to_employment(situation, parameters)
            if links:
                linked.append(index)
            elif situation.is_employment:
                not_linked_reasons.append(f"{describe_situation(index, situation)} {why_not}")

    if linked:
        names = _join_french([describe_situation(i, case.situations[i]) for i in linked])
        return ExitClassification(
            programme=case.programme,
            category=ExitCategory.EXIT_LINKED_TO_EMPLOYMENT,
            positive=True,
            rule="P10, P1",
            explanation=(
                "Sortie liée à l'emploi (règles P10 et P1) : l'accompagnement a pris fin le "
                f"{french_date(case.support_end)} avec {names}."
            ),
            deciding_situations=tuple(linked),
            return_to_activity=True,
            exit_linked_to_employment=True,
        )
    if started:
        names = _join_french([describe_situation(i, case.situations[i]) for i in started])
        if not support_ended:
            not_linked = "l'accompagnement n'est pas terminé, la sortie n'est pas encore mesurée"
        elif not_linked_reasons:
            not_linked = "sortie non liée à l'emploi : " + ", ".join(not_linked_reasons)
        else:
            not_linked = "sortie non liée à l'emploi : aucun emploi à la fin de l'accompagnement"
        return ExitClassification(
            programme=case.programme,
            category=ExitCategory.RETURN_TO_ACTIVITY,
            positive=True,
            rule="P10",
            explanation=(
                "Reprise d'activité ou d'emploi (règle P10) : début pendant l'accompagnement "
                f"de {names} ; {not_linked}."
            ),
            deciding_situations=tuple(started),
            return_to_activity=True,
            exit_linked_to_employment=False,
        )
    return ExitClassification(
        programme=case.programme,
        category=ExitCategory.NO_RETURN_TO_ACTIVITY,
        positive=False,
        rule="P10",
        explanation=(
            "Pas de reprise d'activité ou d'emploi (règle P10) : aucun emploi, formation ou "
            f"activité n'a commencé entre le {french_date(case.support_start)} et le "
            f"{french_date(window_end)}."
        ),
        return_to_activity=False,
        exit_linked_to_employment=False,
    )


def classify_exit(case: ExitCase) -> ExitClassification:
    """Classify the exit of ``case`` at its evaluation date.

    Raises ``ExitInputError`` (French messages) when the input is inconsistent: an end
    before a start, situations that contradict each other, an evaluation date outside the
    period where the rule measures the exit.
    """
    errors = exit_case_errors(case)
    if errors:
        raise ExitInputError(errors)
    parameters = _parameters_or_error(case)
    if case.programme == Programme.IN_EMPLOYMENT:
        return _classify_in_employment(case, parameters)
    return _classify_professional(case, parameters)


# --- input from JSON-like data (the command, the API) ---------------------------------------

CASE_FIELDS = {"programme", "support_start", "support_end", "evaluation_date", "situations"}
SITUATION_FIELDS = {
    "kind",
    "start",
    "end",
    "weekly_hours",
    "company_full_time_hours",
    "in_siae",
    "rncp_listed",
    "qualifying",
    "appointment",
    "permanent_contract",
    "supported_contract",
}
SITUATION_FLAGS = SITUATION_FIELDS - {
    "kind",
    "start",
    "end",
    "weekly_hours",
    "company_full_time_hours",
}


def _parse_date(value: object, where: str, errors: list[str]) -> datetime.date | None:
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    errors.append(f"{where} : « {value} » n'est pas une date au format AAAA-MM-JJ.")
    return None


def _parse_hours(value: object, where: str, errors: list[str]) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        errors.append(f"{where} : « {value} » n'est pas un nombre d'heures.")
        return None
    try:
        hours = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        errors.append(f"{where} : « {value} » n'est pas un nombre d'heures.")
        return None
    if not hours.is_finite():
        errors.append(f"{where} : « {value} » n'est pas un nombre d'heures.")
        return None
    return hours


def _unknown_fields(data: Mapping, expected: set[str], where: str) -> list[str]:
    unknown = sorted(str(key) for key in data if key not in expected)
    if not unknown:
        return []
    return [
        f"{where} : champ inconnu « {name} » (champs possibles : {', '.join(sorted(expected))})."
        for name in unknown
    ]


def _parse_situation(number: int, data: object, errors: list[str]) -> Situation | None:
    where = f"Situation n°{number}"
    if not isinstance(data, Mapping):
        errors.append(f'{where} : un objet JSON est attendu ({{"kind": ..., "start": ...}}).')
        return None
    local_errors = _unknown_fields(data, SITUATION_FIELDS, where)
    kind = data.get("kind")
    if kind not in set(SituationKind):
        local_errors.append(
            f"{where} : le type (kind) « {kind} » est inconnu ; types possibles : "
            f"{', '.join(SituationKind)}."
        )
    if "start" not in data:
        local_errors.append(f"{where} : la date de début (start) manque.")
        start = None
    else:
        start = _parse_date(data["start"], f"{where}, début (start)", local_errors)
    end = None
    if data.get("end") is not None:
        end = _parse_date(data["end"], f"{where}, fin (end)", local_errors)
    weekly_hours = _parse_hours(
        data.get("weekly_hours"), f"{where}, durée hebdomadaire (weekly_hours)", local_errors
    )
    full_time = _parse_hours(
        data.get("company_full_time_hours"),
        f"{where}, temps complet de l'entreprise (company_full_time_hours)",
        local_errors,
    )
    flags = {}
    for flag in sorted(SITUATION_FLAGS):
        value = data.get(flag, False)
        if not isinstance(value, bool):
            local_errors.append(f"{where} : {flag} doit valoir true ou false, pas « {value} ».")
        flags[flag] = value is True
    errors.extend(local_errors)
    if local_errors:
        return None
    return Situation(
        kind=SituationKind(kind),
        start=start,
        end=end,
        weekly_hours=weekly_hours,
        company_full_time_hours=full_time,
        **flags,
    )


def exit_case_from_mapping(data: object) -> ExitCase:
    """Build an ``ExitCase`` from decoded JSON, or raise ``ExitInputError`` in French.

    The shape (``docs/rules-outcomes.md``)::

        {"programme": "in_employment" | "professional",
         "support_start": "2025-03-03", "support_end": "2025-09-02" (optional),
         "evaluation_date": "2025-09-02",
         "situations": [{"kind": "cdd", "start": "...", "end": "...", "weekly_hours": 24,
                         "company_full_time_hours": 39, "in_siae": false, ...}]}
    """
    if not isinstance(data, Mapping):
        raise ExitInputError(
            [
                "Un objet JSON est attendu, avec programme, support_start, evaluation_date et "
                "situations."
            ]
        )
    errors = _unknown_fields(data, CASE_FIELDS, "Données")
    programme = data.get("programme")
    if programme not in set(Programme):
        errors.append(
            f"Le programme « {programme} » est inconnu ; programmes possibles : "
            f"{', '.join(Programme)}."
        )
    dates: dict[str, datetime.date | None] = {}
    for field_name, label in (
        ("support_start", "début de l'accompagnement"),
        ("evaluation_date", "date d'évaluation"),
    ):
        if field_name not in data:
            errors.append(f"Le champ « {field_name} » ({label}) manque.")
            dates[field_name] = None
        else:
            dates[field_name] = _parse_date(data[field_name], f"{label} ({field_name})", errors)
    support_end = None
    if data.get("support_end") is not None:
        support_end = _parse_date(
            data["support_end"], "fin de l'accompagnement (support_end)", errors
        )
    raw_situations = data.get("situations", [])
    situations = []
    if not isinstance(raw_situations, list):
        errors.append("situations : une liste JSON est attendue ([...]).")
    else:
        for number, raw in enumerate(raw_situations, start=1):
            situation = _parse_situation(number, raw, errors)
            if situation is not None:
                situations.append(situation)
    if errors:
        raise ExitInputError(errors)
    return ExitCase(
        programme=Programme(programme),
        support_start=dates["support_start"],
        evaluation_date=dates["evaluation_date"],
        situations=tuple(situations),
        support_end=support_end,
    )
