"""The two support programmes as code: one engine, two sets of rules.

Pure Python (no Django). The Django apps persist and present; they call the functions below
with plain values and store what comes back (a ``SupportPlan``'s deliverables become the
``Deadline`` rows, recomputed whenever a date changes).

- ``in_employment`` (seed 000, rules A1–A14, C10, E6, F12): phases of the six-month support
  of a CUI-CIE, its deliverables and their due dates, the 12-hour budget;
- ``professional`` (seed 004, rules P1–P10): the CER chain (6 months, one free renewal, up to
  18 months with the département's validation), the interview cadence per calendar month,
  the intensive period, the portfolio norm of 60 people per full-time referent.

Both programmes share the same shapes (``Phase``, ``Deliverable``, ``SupportPlan``,
``RuleViolation``), the same calendar (``tremplin.rules.calendar``) and the same dated
parameters (``data/programmes.toml``): every number a decree or an agreement could change is
read "as in force on date D" from that file, never written here. docs/rules-programmes.md is
the product's reading of the seeds in prose.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from tremplin.rules.calendar import (
    Period,
    add_months,
    calendar_months_overlapping,
    hours_after,
    support_month,
    support_month_number,
    to_paris,
)

PARAMETERS_FILE = Path(__file__).with_name("data") / "programmes.toml"
ONE_DAY = dt.timedelta(days=1)


class Programme(StrEnum):
    IN_EMPLOYMENT = "in_employment"
    PROFESSIONAL = "professional"


class ContractType(StrEnum):
    CDI = "CDI"
    CDD = "CDD"


class RuleError(ValueError):
    """Input that a rule forbids. ``message`` is a French sentence that cites ``rule``."""

    def __init__(self, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule


def parse_contract_type(text: str) -> ContractType:
    """ "CDD" / "cdi" -> ContractType; anything else is a French error."""
    try:
        return ContractType(text.strip().upper())
    except ValueError:
        raise RuleError(
            f"Type de contrat inconnu : « {text} ». Un CUI-CIE est un CDI ou un CDD (C7).",
            rule="C7",
        ) from None


# --- dated parameters -------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterValue:
    valid_from: dt.date
    value: int
    source: str


@dataclass(frozen=True)
class Parameter:
    key: str  # "programme.name", e.g. "in_employment.rupture_notice_hours"
    description: str
    values: tuple[ParameterValue, ...]  # sorted by valid_from

    def at(self, on: dt.date) -> ParameterValue:
        in_force = [value for value in self.values if value.valid_from <= on]
        if not in_force:
            raise RuleError(
                f"Aucune valeur du paramètre « {self.description} » n'est en vigueur le "
                f"{on:%d/%m/%Y} (première valeur au {self.values[0].valid_from:%d/%m/%Y})."
            )
        return in_force[-1]


@lru_cache(maxsize=4)
def load_parameters(path: Path = PARAMETERS_FILE) -> dict[str, Parameter]:
    """Every parameter of the file, keyed "programme.name"."""
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    parameters: dict[str, Parameter] = {}
    for programme, entries in document.items():
        for name, entry in entries.items():
            values = tuple(
                sorted(
                    (
                        ParameterValue(row["valid_from"], row["value"], row["source"])
                        for row in entry["values"]
                    ),
                    key=lambda value: value.valid_from,
                )
            )
            if not values or any(not isinstance(v.valid_from, dt.date) for v in values):
                raise ValueError(f"{path}: {programme}.{name} needs dated values")
            key = f"{programme}.{name}"
            parameters[key] = Parameter(key, entry["description"], values)
    return parameters


def parameter(key: str, on: dt.date) -> ParameterValue:
    """The value of ``key`` in force on ``on``, with its source."""
    return load_parameters()[key].at(on)


def parameters_in_force(programme: Programme, on: dt.date) -> dict[str, ParameterValue]:
    """All parameters of a programme as in force on a date (for pages and documentation)."""
    prefix = f"{programme.value}."
    return {
        key.removeprefix(prefix): item.at(on)
        for key, item in load_parameters().items()
        if key.startswith(prefix)
    }


def _value(programme: Programme, name: str, on: dt.date) -> int:
    return parameter(f"{programme.value}.{name}", on).value


# --- the shared shapes of a plan --------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    code: str
    label: str  # French, shown on the timeline
    rule: str
    period: Period

    @property
    def first(self) -> dt.date:
        return self.period.first

    @property
    def last(self) -> dt.date:
        return self.period.last


@dataclass(frozen=True)
class Deliverable:
    """Something to produce and send by a due date (a day, or a Paris moment for "48 h")."""

    code: str
    label: str  # French
    rule: str
    due: dt.date | dt.datetime
    responsible: str  # French: who produces it
    recipient: str | None  # French: who receives it; None when the seed does not say
    note: str | None = None  # French: why the due date is what it is, when not obvious

    @property
    def due_day(self) -> dt.date:
        """The due date as a day (the Paris day of a due moment)."""
        if isinstance(self.due, dt.datetime):
            return to_paris(self.due).date()
        return self.due


@dataclass(frozen=True)
class DroppedDeliverable:
    """A deliverable the plan no longer asks for, with the French reason (shown, then
    used by the app to close the stored deadline rather than delete it silently)."""

    deliverable: Deliverable
    reason: str


@dataclass(frozen=True)
class SupportPlan:
    programme: Programme
    phases: tuple[Phase, ...]
    deliverables: tuple[Deliverable, ...]  # sorted by due day
    dropped: tuple[DroppedDeliverable, ...] = ()

    def deliverable(self, code: str) -> Deliverable | None:
        return next((item for item in self.deliverables if item.code == code), None)

    def phases_on(self, day: dt.date) -> tuple[Phase, ...]:
        return tuple(phase for phase in self.phases if day in phase.period)


@dataclass(frozen=True)
class RuleViolation:
    rule: str
    message: str  # French, cites the rule
    term_number: int | None = None  # 1-based position in a chain, when it concerns one


def _sorted_deliverables(items: Iterable[Deliverable]) -> tuple[Deliverable, ...]:
    return tuple(sorted(items, key=lambda item: (item.due_day, item.code)))


def _fr(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- in-employment support (seed 000) ---------------------------------------------------

OPERATOR = "Opérateur d'accompagnement"
EMPLOYER = "Employeur"
CELLULE = "Cellule contrats aidés (SAF/DIES)"


@dataclass(frozen=True)
class Rupture:
    """A rupture of the employment contract (rule A14).

    ``known_at`` is the moment the operator learns of it (starts the 48-hour clock); ``on`` is
    the contract's last day, by default the Paris day of ``known_at``.
    """

    known_at: dt.datetime
    on: dt.date | None = None

    @property
    def day(self) -> dt.date:
        return self.on if self.on is not None else to_paris(self.known_at).date()


def rupture_notice_due(rupture: Rupture) -> dt.datetime:
    """Rule A14: the moment the rupture notice is due, 48 hours (dated parameter) after the
    moment the rupture was known, on the Paris wall clock (``calendar.hours_after``)."""
    hours = _value(Programme.IN_EMPLOYMENT, "rupture_notice_hours", rupture.day)
    return hours_after(rupture.known_at, hours)


def sent_by(due: dt.datetime, sent: dt.datetime | dt.date) -> bool:
    """Whether a notice due at ``due`` was sent in time, counting hours (rule A14).

    ``sent`` is the moment it went (an e-mail's time), compared to the hour; or only the day
    it went, when no hour is known: a day proves the notice in time only when the whole day
    is before the due moment, i.e. when it is earlier than the due moment's Paris day — a
    notice dated on its due day may have left after the hour, and is not counted as in time.
    """
    if isinstance(sent, dt.datetime):
        # Compared as instants (in UTC): two Paris times of the autumn's repeated hour
        # compare by their wall clock otherwise.
        return to_paris(sent).astimezone(dt.UTC) <= to_paris(due).astimezone(dt.UTC)
    return sent < to_paris(due).date()


def rupture_reported_in_time(rupture: Rupture, sent: dt.datetime | dt.date) -> bool:
    """Rule A14: « signalée dans les 48 heures » — within 48 hours of the moment the rupture
    was known (Europe/Paris), not merely on the due day."""
    return sent_by(rupture_notice_due(rupture), sent)


@dataclass(frozen=True)
class InEmploymentFacts:
    """What the plan of an in-employment support depends on (all dates as entered)."""

    contract_start: dt.date  # the hire; the support starts the same day (A5)
    contract_type: ContractType
    contract_end: dt.date | None = None  # last day of a CDD; None for a CDI
    trial_end: dt.date | None = None  # last day of the trial period; None: default (A11)
    rupture: Rupture | None = None
    not_renewed: bool = False  # the CDD ends with no solution (A13)
    aid_end: dt.date | None = None  # last day of the aid, when known (quarterly proofs, E6)


def default_trial_end(
    contract_start: dt.date, contract_type: ContractType, contract_end: dt.date | None
) -> dt.date:
    """Last day of the trial period when the contract does not state it (rule A11).

    CDI: two months, the Code du travail's length for workers and employees (L1221-19),
    the category of most CUI-CIE hires. CDD: one day per week of contract, at most two weeks
    for a contract of at most six months, one month otherwise (L1242-10). Values in
    data/programmes.toml. Days are calendar days and the trial starts with the contract.
    """
    on = contract_start
    programme = Programme.IN_EMPLOYMENT
    if contract_type is ContractType.CDI:
        return add_months(contract_start, _value(programme, "trial_cdi_months", on)) - ONE_DAY
    if contract_end is None:
        raise RuleError("Un CDD doit avoir une date de fin (C7).", rule="C7")
    weeks = ((contract_end - contract_start).days + 1) // 7
    trial_days = max(1, weeks * _value(programme, "trial_cdd_days_per_week", on))
    short_months = _value(programme, "trial_cdd_short_contract_months", on)
    # "au plus égale à six mois": the contract ends at the latest the day before start + 6 m.
    if contract_end < add_months(contract_start, short_months):
        trial_days = min(trial_days, _value(programme, "trial_cdd_short_cap_days", on))
        return contract_start + dt.timedelta(days=trial_days - 1)
    cap = add_months(contract_start, _value(programme, "trial_cdd_long_cap_months", on)) - ONE_DAY
    return min(contract_start + dt.timedelta(days=trial_days - 1), cap)


def _check_in_employment_facts(facts: InEmploymentFacts) -> None:
    start = facts.contract_start
    if facts.contract_type is ContractType.CDD and facts.contract_end is None:
        raise RuleError("Un CDD doit avoir une date de fin (C7).", rule="C7")
    if facts.contract_type is ContractType.CDI and facts.contract_end is not None:
        raise RuleError(
            "Un CDI n'a pas de date de fin (C7) : pour un départ, déclarez une rupture (A14).",
            rule="C7",
        )
    if facts.contract_end is not None and facts.contract_end < start:
        raise RuleError(
            f"La fin du contrat ({_fr(facts.contract_end)}) précède son début ({_fr(start)}) (C7).",
            rule="C7",
        )
    if facts.trial_end is not None:
        if facts.trial_end < start:
            raise RuleError(
                f"La fin de la période d'essai ({_fr(facts.trial_end)}) précède le début du "
                f"contrat ({_fr(start)}) (A11).",
                rule="A11",
            )
        if facts.contract_end is not None and facts.trial_end > facts.contract_end:
            raise RuleError(
                f"La fin de la période d'essai ({_fr(facts.trial_end)}) dépasse la fin du "
                f"contrat ({_fr(facts.contract_end)}) (A11).",
                rule="A11",
            )
    if facts.not_renewed and facts.contract_type is not ContractType.CDD:
        raise RuleError(
            "Seul un CDD peut se terminer sans pérennisation (A13) ; pour un CDI, déclarez "
            "une rupture (A14).",
            rule="A13",
        )
    if facts.rupture is not None:
        rupture_day = facts.rupture.day
        if rupture_day < start:
            raise RuleError(
                f"La rupture ({_fr(rupture_day)}) ne peut pas précéder l'embauche "
                f"({_fr(start)}) (A14).",
                rule="A14",
            )
        if to_paris(facts.rupture.known_at).date() < start:
            raise RuleError(
                f"La rupture ne peut pas être connue ({_fr(to_paris(facts.rupture.known_at))}) "
                f"avant l'embauche ({_fr(start)}) (A14).",
                rule="A14",
            )
        if facts.contract_end is not None and rupture_day > facts.contract_end:
            raise RuleError(
                f"La rupture ({_fr(rupture_day)}) est postérieure à la fin du contrat "
                f"({_fr(facts.contract_end)}) : un CDD arrivé à son terme n'est pas rompu (A14) ; "
                "indiquez plutôt une fin sans pérennisation (A13).",
                rule="A14",
            )


def in_employment_plan(facts: InEmploymentFacts) -> SupportPlan:
    """Phases and deliverables of an in-employment support (rules A11–A14, C10, E6).

    Due dates (docs/rules-programmes.md); month k is ``calendar.support_month``:
    - trial_review: last day of the trial period (A11);
    - synthesis_m4 / pathway_review_m5: last day of month 4 / month 5 (A12);
    - non_renewal_review: 3 months after the day the CDD ended with no solution (A13);
    - rupture_notice: 48 hours (Paris wall clock) after the rupture is known (A14);
    - post_rupture_review: 3 months after the rupture day (A14);
    - experience_certificate: 1 month before the contract's end (C10);
    - quarterly_proof_N: hire + 3N months, for each quarter that starts while the aid runs
      (E6).

    When the employment ends early (a rupture, or a CDD not made permanent), deliverables
    due after its last day that concern the job are dropped with a reason: trial review,
    synthesis, pathway review, proofs of quarters that start later, the non-renewal review
    after a rupture. The experience certificate is kept and brought forward to the last day
    (the employee needs it all the more, C10 says "at the latest").
    """
    _check_in_employment_facts(facts)
    programme = Programme.IN_EMPLOYMENT
    start = facts.contract_start
    trial_end = facts.trial_end or default_trial_end(start, facts.contract_type, facts.contract_end)
    trial_note = (
        None
        if facts.trial_end
        else "Fin de période d'essai non saisie : durée par défaut du Code du travail "
        "(CDI : L1221-19 ; CDD : L1242-10), à corriger sur le contrat."
    )
    support_months = _value(programme, "support_months", start)
    synthesis_month = _value(programme, "synthesis_month", start)
    review_month = _value(programme, "pathway_review_month", start)

    rupture = facts.rupture
    # The last day in the job when it ends before the support does: the rupture, or the
    # CDD's end without a solution. None: the employment goes on (or is made permanent).
    employment_end: dt.date | None = None
    if rupture is not None:
        employment_end = rupture.day
    elif facts.not_renewed:
        employment_end = facts.contract_end

    # Phases (A11, A12, A13), cut at the last day in the job.
    phases: list[Phase] = []
    review_month_end = support_month(start, review_month).last
    month_six = support_month(start, support_months)
    candidate_phases = [
        Phase("trial", "Phase 1 : période d'essai", "A11", Period(start, trial_end)),
    ]
    if trial_end < review_month_end:
        candidate_phases.append(
            Phase(
                "consolidation",
                f"Phase 2 : de la fin de la période d'essai au {review_month}e mois",
                "A12",
                Period(trial_end + ONE_DAY, review_month_end),
            )
        )
    if month_six.last > max(trial_end, review_month_end):
        candidate_phases.append(
            Phase(
                "final_month",
                f"Phase 3 : le {support_months}e mois",
                "A13",
                Period(max(month_six.first, trial_end + ONE_DAY), month_six.last),
            )
        )
    for phase in candidate_phases:
        if employment_end is None:
            phases.append(phase)
        elif phase.first <= employment_end:
            phases.append(
                Phase(
                    phase.code,
                    phase.label,
                    phase.rule,
                    Period(phase.first, min(phase.last, employment_end)),
                )
            )

    job_search_rule = "A14" if rupture is not None else "A13"
    if employment_end is not None:
        months = _value(programme, "job_search_months", employment_end)
        phases.append(
            Phase(
                "job_search",
                f"Accompagnement actif à la recherche d'emploi ({months} mois)",
                job_search_rule,
                Period(employment_end + ONE_DAY, add_months(employment_end, months)),
            )
        )

    # Deliverables as the seed asks for them, before any early end.
    planned: list[Deliverable] = [
        Deliverable(
            "trial_review",
            "Bilan de fin de période d'essai",
            "A11",
            trial_end,
            OPERATOR,
            CELLULE,
            trial_note,
        ),
        Deliverable(
            "synthesis_m4",  # stable code of the issue-4 contract, whatever the month
            "Synthèse du suivi",
            "A12",
            support_month(start, synthesis_month).last,
            OPERATOR,
            "Conseiller RSA",
        ),
        Deliverable(
            "pathway_review_m5",  # stable code, likewise
            f"Bilan de parcours (rencontre du {review_month}e mois à organiser)",
            "A12",
            review_month_end,
            OPERATOR,
            "Employeur, salarié et conseiller RSA (rencontre tripartite)",
        ),
    ]
    if facts.not_renewed and facts.contract_end is not None:
        planned.append(
            Deliverable(
                "non_renewal_review",
                "Bilan suite à non pérennisation",
                "A13",
                add_months(
                    facts.contract_end,
                    _value(programme, "job_search_months", facts.contract_end),
                ),
                OPERATOR,
                None,
            )
        )
    if facts.contract_end is not None:
        months_before = _value(programme, "experience_certificate_months_before_end", start)
        planned.append(
            Deliverable(
                "experience_certificate",
                "Attestation d'expérience professionnelle",
                "C10",
                add_months(facts.contract_end, -months_before),
                EMPLOYER,
                "Salarié",
            )
        )
    planned.extend(_quarterly_proofs(facts))

    deliverables: list[Deliverable] = []
    dropped: list[DroppedDeliverable] = []
    for item in planned:
        kept, reason = _after_early_end(item, facts, employment_end)
        if kept is not None:
            deliverables.append(kept)
        else:
            assert reason is not None
            dropped.append(DroppedDeliverable(item, reason))

    if rupture is not None:
        notice_hours = _value(programme, "rupture_notice_hours", rupture.day)
        months = _value(programme, "job_search_months", rupture.day)
        deliverables.append(
            Deliverable(
                "rupture_notice",
                "Signalement de la rupture, avec les pièces justificatives",
                "A14",
                hours_after(rupture.known_at, notice_hours),
                OPERATOR,
                CELLULE,
                f"{notice_hours} heures après la connaissance de la rupture, heure de Paris.",
            )
        )
        deliverables.append(
            Deliverable(
                "post_rupture_review",
                "Bilan de suivi post-rupture",
                "A14",
                add_months(rupture.day, months),
                OPERATOR,
                None,
            )
        )

    return SupportPlan(programme, tuple(phases), _sorted_deliverables(deliverables), tuple(dropped))


def _quarterly_proofs(facts: InEmploymentFacts) -> list[Deliverable]:
    """quarterly_proof_N due hire + 3N months, for each quarter starting while aid runs (E6).

    The aid runs to ``aid_end`` when known, else to the contract's end, else (a CDI) for the
    maximum aid duration; a quarter cut by the end still needs its proofs (aid was paid).
    """
    programme = Programme.IN_EMPLOYMENT
    start = facts.contract_start
    interval = _value(programme, "proof_interval_months", start)
    if facts.aid_end is not None:
        aid_last_day = facts.aid_end
    elif facts.contract_end is not None:
        aid_last_day = facts.contract_end
    else:
        aid_last_day = (
            add_months(start, _value(programme, "aid_months_without_end", start)) - ONE_DAY
        )
    proofs = []
    number = 1
    while add_months(start, interval * (number - 1)) <= aid_last_day:
        proofs.append(
            Deliverable(
                f"quarterly_proof_{number}",
                f"Justificatifs d'activité du trimestre {number} (bulletins de paie, présence)",
                "E6",
                add_months(start, interval * number),
                EMPLOYER,
                "Payeur de l'aide (ASP ou département)",
            )
        )
        number += 1
    return proofs


def _after_early_end(
    item: Deliverable, facts: InEmploymentFacts, employment_end: dt.date | None
) -> tuple[Deliverable | None, str | None]:
    """The deliverable as it stands once the job ended on ``employment_end``, or a reason."""
    if employment_end is None or item.due_day <= employment_end:
        return item, None
    if item.code == "non_renewal_review" and facts.rupture is None:
        return item, None  # the follow-up of the CDD's end itself (A13)
    ended = (
        f"la rupture du {_fr(employment_end)}"
        if facts.rupture is not None
        else f"la fin du CDD sans pérennisation le {_fr(employment_end)}"
    )
    if item.code == "experience_certificate":
        # C10: "at the latest 1 month before the end": the end came earlier, so the latest
        # possible day is now the last day in the job.
        return (
            Deliverable(
                item.code,
                item.label,
                item.rule,
                employment_end,
                item.responsible,
                item.recipient,
                f"Avancée au dernier jour du contrat, à la suite de {ended} (C10).",
            ),
            None,
        )
    if item.code.startswith("quarterly_proof_"):
        interval = _value(Programme.IN_EMPLOYMENT, "proof_interval_months", facts.contract_start)
        number = int(item.code.removeprefix("quarterly_proof_"))
        quarter_start = add_months(facts.contract_start, interval * (number - 1))
        if quarter_start <= employment_end:
            return item, None  # the quarter was (partly) worked and aided
        return None, f"Trimestre commençant après {ended} : pas d'aide, pas de justificatif (E6)."
    if item.code == "non_renewal_review":
        return None, f"Remplacé par le bilan de suivi post-rupture, à la suite de {ended} (A14)."
    rule = "A14" if facts.rupture is not None else "A13"
    return None, f"Sans objet après {ended} : le salarié n'est plus dans l'emploi ({rule})."


@dataclass(frozen=True)
class HourBudget:
    """The support hours used against the budget (rule A5)."""

    budget: dt.timedelta
    used: dt.timedelta
    rule: str = "A5"

    @property
    def remaining(self) -> dt.timedelta:
        return max(self.budget - self.used, dt.timedelta(0))

    @property
    def exceeded(self) -> bool:
        return self.used > self.budget

    @property
    def exceeded_by(self) -> dt.timedelta:
        return max(self.used - self.budget, dt.timedelta(0))

    @property
    def used_percent(self) -> int:
        """For the gauge; above 100 when exceeded."""
        return round(100 * self.used / self.budget) if self.budget else 0


def hour_budget(contract_start: dt.date, meeting_durations: Iterable[dt.timedelta]) -> HourBudget:
    """Hours used by the meetings of a support against the budget in force at the hire."""
    total = dt.timedelta(0)
    for duration in meeting_durations:
        if duration < dt.timedelta(0):
            raise RuleError("La durée d'une rencontre ne peut pas être négative (A5).", rule="A5")
        total += duration
    hours = _value(Programme.IN_EMPLOYMENT, "hour_budget_hours", contract_start)
    return HourBudget(budget=dt.timedelta(hours=hours), used=total)


# --- professional support (seed 004) ----------------------------------------------------


@dataclass(frozen=True)
class CerTerm:
    """One CER of the chain (rule P4): its first and last days, and whether the département
    validated it (needed beyond the free renewal or beyond 12 months, rule P5)."""

    start: dt.date
    end: dt.date
    department_validated: bool = False


@dataclass(frozen=True)
class CerChainCheck:
    support_start: dt.date
    last_day_without_validation: dt.date  # start + 12 months - 1 day (P5)
    last_day_allowed: dt.date  # start + 18 months - 1 day (P5)
    violations: tuple[RuleViolation, ...]
    needs_validation: tuple[int, ...]  # term numbers that require the département (P5)

    @property
    def ok(self) -> bool:
        return not self.violations


def _cer_limits(support_start: dt.date) -> tuple[dt.date, dt.date]:
    programme = Programme.PROFESSIONAL
    free_months = _value(programme, "months_without_validation", support_start)
    max_months = _value(programme, "max_months", support_start)
    return (
        add_months(support_start, free_months) - ONE_DAY,
        add_months(support_start, max_months) - ONE_DAY,
    )


def _latest_cer_end(term_start: dt.date, support_start: dt.date, cer_months: int) -> dt.date:
    """The last day a CER starting on ``term_start`` may run to: 6 months (rule P4).

    Counted from the CER's own start, or, when the CER starts on a boundary of the support's
    months, as 6 months of the support: month arithmetic clamps at the end of short months,
    so a renewal from 29/02 counted on its own start (-> 28/08) would end a day before the
    same renewal counted on a support started on 30/08 (-> 29/08). Both readings are 6 months.
    """
    own = add_months(term_start, cer_months) - ONE_DAY
    if term_start < support_start:
        return own
    k = support_month_number(support_start, term_start)
    if support_month(support_start, k).first != term_start:
        return own
    return max(own, support_month(support_start, k + cer_months - 1).last)


def validate_cer_chain(
    terms: Sequence[CerTerm], *, support_start: dt.date | None = None
) -> CerChainCheck:
    """Check a proposed chain of CERs (rules P4, P5); returns every violation in French.

    - each CER lasts at most 6 months and ends after it starts (P4);
    - each renewal starts the day after the previous CER ends: no gap, no overlap (P5);
    - the first CER plus one renewal, within 12 months of the support's start, need nothing;
      a further renewal, or any day beyond 12 months, needs the département's validation;
      beyond 18 months the support is refused even with a validation (P5).
    ``support_start`` defaults to the first CER's start.
    """
    if not terms:
        raise RuleError("Un accompagnement professionnel commence par un CER (P4).", rule="P4")
    programme = Programme.PROFESSIONAL
    start = support_start or terms[0].start
    free_last_day, last_day_allowed = _cer_limits(start)
    free_renewals = _value(programme, "free_renewals", start)
    max_months = _value(programme, "max_months", start)
    free_months = _value(programme, "months_without_validation", start)
    violations: list[RuleViolation] = []
    needs_validation: list[int] = []
    for number, term in enumerate(terms, start=1):
        name = f"Le CER n° {number} (du {_fr(term.start)} au {_fr(term.end)})"
        if term.end < term.start:
            violations.append(
                RuleViolation(
                    "P4",
                    f"Le CER n° {number} se termine le {_fr(term.end)}, avant de commencer le "
                    f"{_fr(term.start)} (P4).",
                    number,
                )
            )
            continue
        cer_months = _value(programme, "cer_months", term.start)
        if term.end > _latest_cer_end(term.start, start, cer_months):
            violations.append(
                RuleViolation(
                    "P4",
                    f"{name} dure plus de {cer_months} mois : un CER est conclu pour "
                    f"{cer_months} mois au plus (P4).",
                    number,
                )
            )
        if term.start < start:
            violations.append(
                RuleViolation(
                    "P4",
                    f"{name} commence avant l'accompagnement ({_fr(start)}) (P4).",
                    number,
                )
            )
        if number > 1:
            previous = terms[number - 2]
            expected = previous.end + ONE_DAY
            if term.start != expected:
                kind = "chevauche le précédent" if term.start < expected else "laisse un trou"
                violations.append(
                    RuleViolation(
                        "P5",
                        f"{name} {kind} : un renouvellement commence le lendemain de la fin du "
                        f"CER précédent, le {_fr(expected)} (P5).",
                        number,
                    )
                )
        if term.end > last_day_allowed:
            violations.append(
                RuleViolation(
                    "P5",
                    f"{name} dépasse {max_months} mois d'accompagnement (au-delà du "
                    f"{_fr(last_day_allowed)}) : refusé, même avec la validation du "
                    f"département (P5).",
                    number,
                )
            )
            continue
        renewals = number - 1
        if renewals > free_renewals or term.end > free_last_day:
            needs_validation.append(number)
            if not term.department_validated:
                why = (
                    f"va au-delà de {free_months} mois d'accompagnement (après le "
                    f"{_fr(free_last_day)})"
                    if term.end > free_last_day
                    else f"est un renouvellement au-delà du {free_renewals}er"
                )
                violations.append(
                    RuleViolation(
                        "P5",
                        f"{name} {why} : il faut la validation du département, jusqu'à "
                        f"{max_months} mois au plus (P5).",
                        number,
                    )
                )
    return CerChainCheck(
        support_start=start,
        last_day_without_validation=free_last_day,
        last_day_allowed=last_day_allowed,
        violations=tuple(violations),
        needs_validation=tuple(needs_validation),
    )


def first_cer_term(start: dt.date) -> CerTerm:
    """The first CER of a support starting on ``start``: 6 months (rule P4)."""
    months = _value(Programme.PROFESSIONAL, "cer_months", start)
    return CerTerm(start, add_months(start, months) - ONE_DAY)


@dataclass(frozen=True)
class CerRenewal:
    """The next CER the chain allows: dates, and whether the département must validate."""

    term: CerTerm
    requires_validation: bool
    rule: str = "P5"


def propose_cer_renewal(
    terms: Sequence[CerTerm], *, support_start: dt.date | None = None
) -> CerRenewal:
    """The longest renewal the rules allow after ``terms``; a French RuleError if none."""
    check = validate_cer_chain(terms, support_start=support_start)
    if not check.ok:
        raise RuleError(check.violations[0].message, rule=check.violations[0].rule)
    last = terms[-1]
    start = last.end + ONE_DAY
    if start > check.last_day_allowed:
        max_months = _value(Programme.PROFESSIONAL, "max_months", check.support_start)
        raise RuleError(
            f"L'accompagnement a atteint {max_months} mois (fin le "
            f"{_fr(check.last_day_allowed)}) : aucun renouvellement possible (P5).",
            rule="P5",
        )
    cer_months = _value(Programme.PROFESSIONAL, "cer_months", start)
    end = min(_latest_cer_end(start, check.support_start, cer_months), check.last_day_allowed)
    free_renewals = _value(Programme.PROFESSIONAL, "free_renewals", check.support_start)
    requires_validation = len(terms) > free_renewals or end > check.last_day_without_validation
    return CerRenewal(CerTerm(start, end), requires_validation)


@dataclass(frozen=True)
class MonthCadence:
    """Interviews of one calendar month of a professional support (rule P4)."""

    year: int
    month: int
    first: dt.date  # first day of the month inside the support
    last: dt.date  # last day of the month inside the support
    full: bool  # the whole calendar month lies inside the support
    required: int
    done: int
    ended: bool  # the month is over on the report's date

    @property
    def missing(self) -> int:
        return max(self.required - self.done, 0)

    @property
    def compliant(self) -> bool:
        return self.done >= self.required


@dataclass(frozen=True)
class CadenceReport:
    support: Period
    as_of: dt.date | None
    months: tuple[MonthCadence, ...]
    rule: str = "P4"

    @property
    def compliant(self) -> bool:
        """Every month already over had its interviews (the current one is not judged)."""
        return all(month.compliant for month in self.months if month.ended)

    @property
    def missing(self) -> int:
        """Interviews missing to date, the current month included (for "below cadence")."""
        return sum(month.missing for month in self.months)

    @property
    def behind_months(self) -> tuple[MonthCadence, ...]:
        return tuple(month for month in self.months if month.ended and not month.compliant)


def interview_cadence(
    support_start: dt.date,
    support_end: dt.date,
    interview_days: Iterable[dt.date],
    *,
    as_of: dt.date | None = None,
) -> CadenceReport:
    """Interviews required and done per calendar month of the support (rule P4).

    A calendar month entirely inside [support_start, support_end] needs at least 2
    interviews, a partial month (the first or the last) at least 1 (values dated in the
    parameters). With ``as_of``, months that have not begun are left out, the month in
    progress is reported but not judged (``ended`` False), and interviews after ``as_of``
    (planned, not held) are not counted. An interview outside the support is an error.
    """
    support = Period(support_start, support_end)
    counts: dict[tuple[int, int], int] = {}
    for day in interview_days:
        if day not in support:
            raise RuleError(
                f"L'entretien du {_fr(day)} est en dehors de l'accompagnement (du "
                f"{_fr(support_start)} au {_fr(support_end)}) (P4).",
                rule="P4",
            )
        if as_of is not None and day > as_of:
            continue
        counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + 1
    months = []
    for overlap in calendar_months_overlapping(support_start, support_end):
        if as_of is not None and overlap.first > as_of:
            break
        name = "interviews_per_full_month" if overlap.full else "interviews_per_partial_month"
        months.append(
            MonthCadence(
                year=overlap.year,
                month=overlap.month,
                first=overlap.first,
                last=overlap.last,
                full=overlap.full,
                required=_value(Programme.PROFESSIONAL, name, overlap.first),
                done=counts.get((overlap.year, overlap.month), 0),
                ended=as_of is None or overlap.last < as_of,
            )
        )
    return CadenceReport(support, as_of, tuple(months))


@dataclass(frozen=True)
class IntensivePeriod:
    period: Period
    reason: str  # French
    rule: str = "P4"


def barriers_lifting_day(
    barriers: Iterable[tuple[dt.date, dt.date | None]],
    typed_on: dt.date | None = None,
) -> dt.date | None:
    """The day the person's barriers count as lifted for the intensive period (rule P4).

    ``barriers`` are the barriers recorded for the support, as (identified_on, lifted_on)
    pairs, lifted_on None while the barrier stands; ``typed_on`` is the day the referent
    typed on the support. The product follows what is recorded (derived from dates, never a
    flag):

    - at least one barrier recorded: the day the last one was lifted (the greatest
      ``lifted_on``) when all are lifted; None as soon as one still stands. The typed day is
      then ignored, even when it disagrees;
    - no barrier recorded: the typed day (it covers barriers lifted before this support,
      outside our records), or None.

    The reading is not "as of a day": a barrier identified after the others were lifted and
    still standing withdraws the period; lifted later, it moves the period's start to its own
    lifting (the period is recomputed from the records, not frozen). Adding a standing
    barrier therefore never makes a period start, and the order of the barriers is
    irrelevant. A barrier lifted before it was identified is refused (the database refuses
    it too).
    """
    recorded = list(barriers)
    if not recorded:
        return typed_on
    for identified_on, lifted_on in recorded:
        if lifted_on is not None and lifted_on < identified_on:
            raise RuleError(
                f"Un frein identifié le {_fr(identified_on)} ne peut pas être levé avant, le "
                f"{_fr(lifted_on)} : corrigez l'une des deux dates dans la progression de la "
                "personne (P4).",
                rule="P4",
            )
    if any(lifted_on is None for _, lifted_on in recorded):
        return None
    return max(lifted_on for _, lifted_on in recorded)


def intensive_period(
    support_start: dt.date,
    *,
    new_entrant: bool,
    pathway_start: dt.date | None = None,
    barriers_lifted_on: dt.date | None = None,
) -> IntensivePeriod | None:
    """The intensive months of a professional support (rule P4), or None.

    - a new entrant: the first 3 months of the support;
    - a person in the pathway for more than 2 years whose barriers are lifted: 3 months from
      the support's start, or from the day the barriers were lifted when that comes later
      (the product's reading: the intensity follows the lifting). ``barriers_lifted_on`` is
      that lifting day, as ``barriers_lifting_day`` derives it from the recorded barriers.
    """
    programme = Programme.PROFESSIONAL
    months = _value(programme, "intensive_months", support_start)
    if new_entrant:
        return IntensivePeriod(
            Period(support_start, add_months(support_start, months) - ONE_DAY),
            f"Nouvel entrant : {months} premiers mois d'accompagnement intensif (P4).",
        )
    if pathway_start is None or barriers_lifted_on is None:
        return None
    from_day = max(support_start, barriers_lifted_on)
    long_pathway = _value(programme, "long_pathway_months", from_day)
    if from_day <= add_months(pathway_start, long_pathway):
        return None
    return IntensivePeriod(
        Period(from_day, add_months(from_day, months) - ONE_DAY),
        f"En parcours depuis plus de {long_pathway // 12} ans, freins levés le "
        f"{_fr(barriers_lifted_on)} : {months} mois d'accompagnement intensif (P4).",
    )


class LoadStatus(StrEnum):
    OVER = "over"
    BALANCED = "balanced"
    UNDER = "under"


LOAD_STATUS_LABELS = {
    LoadStatus.OVER: "Surchargé",
    LoadStatus.BALANCED: "Conforme",
    LoadStatus.UNDER: "Sous-chargé",
}


@dataclass(frozen=True)
class PortfolioLoad:
    """A referent's active file against the norm of 60 per full-time equivalent (P9)."""

    active: int
    fte: Decimal
    capacity: Decimal  # norm x FTE
    ratio: Decimal  # active / capacity, 2 decimals (1.00 = exactly the norm)
    status: LoadStatus
    rule: str = "P9"

    @property
    def label(self) -> str:
        return LOAD_STATUS_LABELS[self.status]

    @property
    def difference(self) -> Decimal:
        """People above (positive) or below (negative) the norm."""
        return Decimal(self.active) - self.capacity


def portfolio_load(active_people: int, fte: Decimal | int | str, *, on: dt.date) -> PortfolioLoad:
    try:
        fte_value = Decimal(str(fte))
    except InvalidOperation:
        raise RuleError(f"Équivalent temps plein illisible : « {fte} » (P9).", rule="P9") from None
    if not fte_value.is_finite() or fte_value <= 0:
        raise RuleError(
            f"L'équivalent temps plein du référent doit être positif (reçu {fte}) (P9).",
            rule="P9",
        )
    if active_people < 0:
        raise RuleError("Le nombre de personnes en file active ne peut être négatif (P9).", "P9")
    programme = Programme.PROFESSIONAL
    capacity = Decimal(_value(programme, "portfolio_per_fte", on)) * fte_value
    tolerance = Decimal(_value(programme, "portfolio_tolerance_percent", on)) / 100
    active = Decimal(active_people)
    if active > capacity * (1 + tolerance):
        status = LoadStatus.OVER
    elif active < capacity * (1 - tolerance):
        status = LoadStatus.UNDER
    else:
        status = LoadStatus.BALANCED
    ratio = (active / capacity).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return PortfolioLoad(active_people, fte_value, capacity, ratio, status)


@dataclass(frozen=True)
class ProfessionalFacts:
    """What the plan of a professional support depends on."""

    cer_terms: tuple[CerTerm, ...]
    new_entrant: bool = True
    pathway_start: dt.date | None = None
    barriers_lifted_on: dt.date | None = None
    support_start: dt.date | None = None  # default: the first CER's start


def professional_plan(facts: ProfessionalFacts) -> SupportPlan:
    """Phases (each CER, the intensive period) and deadlines (each CER's end) (P4, P5).

    The phases may overlap: the intensive period lies within the CERs. A chain that breaks
    a rule raises a RuleError citing it (see ``validate_cer_chain`` for all of them).
    """
    check = validate_cer_chain(facts.cer_terms, support_start=facts.support_start)
    if not check.ok:
        raise RuleError(
            " ".join(violation.message for violation in check.violations),
            rule=check.violations[0].rule,
        )
    phases: list[Phase] = []
    deliverables: list[Deliverable] = []
    for number, term in enumerate(facts.cer_terms, start=1):
        kind = "initial" if number == 1 else "renouvellement"
        rule = "P4" if number == 1 else "P5"
        phases.append(
            Phase(f"cer_{number}", f"CER n° {number} ({kind})", rule, Period(term.start, term.end))
        )
        deliverables.append(
            Deliverable(
                f"cer_end_{number}",
                f"Échéance du CER n° {number} : renouveler ou clore l'accompagnement",
                rule,
                term.end,
                "Référent",
                None,
            )
        )
    intensive = intensive_period(
        check.support_start,
        new_entrant=facts.new_entrant,
        pathway_start=facts.pathway_start,
        barriers_lifted_on=facts.barriers_lifted_on,
    )
    if intensive is not None:
        phases.append(
            Phase("intensive", "Accompagnement intensif", intensive.rule, intensive.period)
        )
    phases.sort(key=lambda phase: (phase.first, phase.code))
    return SupportPlan(Programme.PROFESSIONAL, tuple(phases), _sorted_deliverables(deliverables))


def build_plan(facts: InEmploymentFacts | ProfessionalFacts) -> SupportPlan:
    """The one entry point: the plan of either programme from its facts."""
    if isinstance(facts, InEmploymentFacts):
        return in_employment_plan(facts)
    if isinstance(facts, ProfessionalFacts):
        return professional_plan(facts)
    raise TypeError(f"unknown facts: {type(facts).__name__}")
