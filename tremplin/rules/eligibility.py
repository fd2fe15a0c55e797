"""Checks of a CUI convention: plain values in, findings out, each citing its rule.

``check_convention(draft)`` runs every check of a convention ("See every check at once") on a draft,
complete or not, and returns a list of ``Finding``: the rule (``"C8"``), the severity
(``"blocking"`` prevents signing, ``"warning"`` asks the agent to look), the field of the form
concerned and a French sentence saying what is wrong and how to fix it. A field left empty
(``None``) skips the checks that need it: the form's required fields handle missing values,
so a draft can be checked live, step by step.

Checks and their rules: C1 person without employment; C2 employer allowed for the sector;
C3/E2 no economic dismissal in the 6 months before the hire, no replacement of a dismissed
employee, contributions up to date (CIE); C5, C7, E3 contract and convention durations
(beyond 24 months only for C5's publics, by yearly amendments: ``check_renewal``); C8, E4
weekly hours (below 20 h for people aged 58+ and ASS beneficiaries, unless the order is
stricter); F5 subsidised hours; E9 pay at least the SMIC (monthly or hourly); C12 tutor; C13
immersions (CAE only); F8 hire not before signature; E1 the order in force at the hire
(validity period, demonstration data); E6 rate cap and aid duration (plus 9 months when the
contract continues as a CDI); E11 the order's raise for a training written in the
convention; E12 the order's hour bounds and aid durations; E5 the employee's ground for
ending a CDD early.

Durations in months are calendar months counted from the first day: a CDD hired on
15 March 2025 lasts 6 months when it ends on 14 September 2025 or later.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from tremplin.rules import ruptures
from tremplin.rules.aid import (
    RATE_CAP_PERCENT,
    WEEKLY_HOURS_MAX,
    WEEKLY_HOURS_MIN,
    french_date,
    french_euros,
    french_number,
    round_cent,
)
from tremplin.rules.parameters import AidOrder, DatedSeries, NoValueInForce, series

BLOCKING = "blocking"
WARNING = "warning"

SECTOR_CIE = "CIE"
SECTOR_CAE = "CAE"
CDI = "CDI"
CDD = "CDD"

# Cerfa table 1 (seed 003): employer status codes.
PUBLIC_LAW_STATUSES = frozenset({"10", "11", "21", "22", "70", "80", "90"})
ASSOCIATION = "50"
PRIVATE_BODY_RUNNING_PUBLIC_SERVICE = "60"
EMPLOYER_GROUP = "98"
# Rule C2: a CAE is signed by a public body, a non-profit or a private body running a public
# service.
CAE_STATUSES = PUBLIC_LAW_STATUSES | {ASSOCIATION, PRIVATE_BODY_RUNNING_PUBLIC_SERVICE}

UNEMPLOYMENT_INSURANCE_UNEDIC = "unedic"
UNEMPLOYMENT_INSURANCE_SELF = "self_insured"

# Rules C5, C7, E3 (durations in months).
CDD_MIN_MONTHS = 6
CDD_MIN_MONTHS_SENTENCE_ADJUSTMENT = 3
MAX_MONTHS = 24
MAX_MONTHS_DEROGATION = 60
# Rule C3 / E2.
ECONOMIC_DISMISSAL_MONTHS = 6
# Rule E6: aid at most 12 months including renewals, 60 in the derogation cases, plus at most
# 9 months by amendment when the contract continues as a CDI.
AID_MAX_MONTHS = 12
AID_CDI_EXTENSION_MONTHS = 9
# Rule C5: beyond 24 months, "par avenants successifs d'un an".
RENEWAL_BEYOND_24_MAX_MONTHS = 12
# Rule C12.
TUTOR_MIN_EXPERIENCE_YEARS = Decimal(2)
TUTOR_MAX_EMPLOYEES = 3
# Rule C13.
IMMERSION_MAX_MONTHS = 1
IMMERSIONS_MAX_SHARE = Decimal("0.25")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # "blocking" | "warning"
    field: str
    message: str

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING


@dataclass(frozen=True)
class ConventionDraft:
    """What the convention form knows; every field optional except the sector."""

    sector: str = SECTOR_CIE
    # Employer (rules C2, C3).
    employer_status: str | None = None  # cerfa table 1 code
    unemployment_insurance: str | None = None  # "unedic" | "self_insured"
    employer_is_maritime_fishing: bool = False
    last_economic_dismissal: datetime.date | None = None
    replaces_dismissed_employee: bool | None = None
    contributions_up_to_date: bool | None = None
    # Employee (rules C1, C5, E3, E4).
    employee_without_employment: bool | None = None
    disabled_worker: bool = False  # TH
    aged_50_plus: bool = False  # 50 or more at the 24-month date
    aged_58_plus: bool = False
    receives_minimum_income: bool = False  # RSA, ASS, ATA or AAH
    ass_beneficiary: bool = False
    training_in_progress: bool = False  # training action defined in the initial convention
    training_end: datetime.date | None = None
    sentence_adjustment: bool = False
    # Seed 003: "la convention peut prévoir une durée moindre pour les salariés confrontés à
    # des difficultés particulièrement importantes".
    severe_difficulties: bool = False
    # Rule C5: "à titre exceptionnel", people aged 50+ or TH hired by an ACI.
    employer_is_aci: bool = False
    # Rule E11: a training action is written in the convention.
    training_planned: bool = False
    # Contract (rules C7, C8, E9).
    contract_type: str | None = None  # "CDI" | "CDD"
    hire_date: datetime.date | None = None
    planned_end: datetime.date | None = None
    contract_weekly_hours: Decimal | None = None
    variable_weekly_hours: bool = False  # hours varying over the period (CAE, public employer)
    gross_monthly_pay: Decimal | None = None
    hourly_gross_wage: Decimal | None = None  # the check's input (convention-check)
    # Rule E6: the contract continues as a CDI (up to 9 more months of aid by amendment).
    continues_as_cdi: bool = False
    # Tutor (rules C12, F8).
    tutor_named: bool | None = None
    tutor_experience_years: Decimal | None = None
    tutor_employees_followed: int | None = None  # at once, including this employee
    tutor_is_employer: bool = False
    employer_tutor_authorised: bool = False
    # Immersions (rule C13): (first day, last day) of each period.
    immersions: tuple[tuple[datetime.date, datetime.date], ...] = ()
    # Signature and aid box (rules F8, E6, E12).
    signature_date: datetime.date | None = None
    aid_start: datetime.date | None = None
    aid_end: datetime.date | None = None
    subsidised_weekly_hours: Decimal | None = None
    rate_percent: Decimal | None = None
    # Aid months including renewals; computed from aid_start and aid_end when None.
    aid_months: int | None = None
    # The order proposed for the hire: in force, or the newest one outside its validity (E1).
    order: AidOrder | None = None
    # A recorded rupture (rule E5): the employee's initiative and the ground given.
    rupture_last_day: datetime.date | None = None
    rupture_by_employee: bool = False
    rupture_employee_ground: str | None = None
    # Facts about the employee not known (``FACT_*``): the convention check's absent keys;
    # the wizard knows them all. An exception a fact not known might allow (C5, E4, E6)
    # turns a blocking finding into a warning naming that fact.
    unknown_facts: frozenset[str] = frozenset()
    # The region whose orders were searched for the hire, when none at all is known (E1).
    region_without_order: str | None = None


# The facts ``ConventionDraft.unknown_facts`` may name, in French for the messages.
FACT_AGE = "age"
FACT_RSA = "rsa"
FACT_ASS = "ass"
FACT_DISABLED_WORKER = "disabled_worker"
FACT_LABELS = {
    FACT_AGE: "l'âge du salarié à l'embauche (date de naissance)",
    FACT_RSA: "le bénéfice du RSA",
    FACT_ASS: "le bénéfice de l'ASS",
    FACT_DISABLED_WORKER: "la reconnaissance de travailleur handicapé",
}


def french_list(items: list[str], last: str = "et") -> str:
    """``["a", "b", "c"]`` → ``"a, b et c"``."""
    return ", ".join(items[:-1]) + f" {last} " + items[-1] if len(items) > 1 else items[0]


def _unknown_facts_text(facts: list[str]) -> str:
    return f"ce qui ne peut être vérifié faute de connaître {french_list(facts)}"


def _long_derogation_unknowns(draft: ConventionDraft) -> tuple[list[str], list[str]]:
    """Rule C5's publics (beyond 24 months) that facts not known leave possible, and those
    facts, in French; empty when every fact is known (the wizard)."""
    unknown = draft.unknown_facts
    publics: list[str] = []
    facts: list[str] = []
    if FACT_DISABLED_WORKER in unknown:
        publics.append("un travailleur handicapé")
        facts.append(FACT_LABELS[FACT_DISABLED_WORKER])
    if FACT_AGE in unknown:
        publics.append(
            "une personne de 58 ans et plus, ou de 50 ans et plus bénéficiaire du RSA, de "
            "l'ASS, de l'ATA ou de l'AAH"
        )
        facts.append(FACT_LABELS[FACT_AGE])
    elif draft.aged_50_plus:
        publics.append(
            "une personne de 50 ans et plus bénéficiaire du RSA, de l'ASS, de l'ATA ou de l'AAH"
        )
    if (FACT_AGE in unknown or draft.aged_50_plus) and not draft.receives_minimum_income:
        facts.extend(FACT_LABELS[fact] for fact in (FACT_RSA, FACT_ASS) if fact in unknown)
    if not facts:
        return [], []
    return publics, facts


def _short_hours_unknowns(draft: ConventionDraft) -> tuple[list[str], list[str]]:
    """Rule E4's publics (below 20 hours) that facts not known leave possible, and those
    facts, in French."""
    publics: list[str] = []
    facts: list[str] = []
    if FACT_AGE in draft.unknown_facts:
        publics.append("un salarié de 58 ans et plus à l'embauche")
        facts.append(FACT_LABELS[FACT_AGE])
    if FACT_ASS in draft.unknown_facts:
        publics.append("un bénéficiaire de l'allocation de solidarité spécifique (ASS)")
        facts.append(FACT_LABELS[FACT_ASS])
    return publics, facts


def _order_name(order: AidOrder, start_of_sentence: bool = False) -> str:
    """``"l'arrêté préfectoral n° 17-322 du 28 juillet 2017"`` from the order's reference."""
    name = order.reference[:1].lower() + order.reference[1:]
    article = "L'" if start_of_sentence else "l'"
    return f"{article}{name}" if name.startswith(("a", "é", "e")) else name


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def lasts_at_least(start: datetime.date, end: datetime.date, months: int) -> bool:
    """True when the period [start, end] covers at least ``months`` calendar months."""
    return end >= add_months(start, months) - datetime.timedelta(days=1)


def lasts_more_than(start: datetime.date, end: datetime.date, months: int) -> bool:
    return end > add_months(start, months) - datetime.timedelta(days=1)


def _has_long_derogation(draft: ConventionDraft) -> bool:
    """Rule C5: beyond 24 months (up to 60) for TH, 50+ on RSA/ASS/ATA/AAH, training, 58+
    (rule E3), and exceptionally people aged 50+ hired by an ACI."""
    return (
        draft.disabled_worker
        or draft.aged_58_plus
        or draft.training_in_progress
        or (draft.aged_50_plus and (draft.receives_minimum_income or draft.employer_is_aci))
    )


def _only_exceptional_aci(draft: ConventionDraft) -> bool:
    """C5's exceptional case is the only ground: 50+ in an ACI without RSA/ASS/ATA/AAH."""
    return (
        draft.employer_is_aci
        and draft.aged_50_plus
        and not (
            draft.disabled_worker
            or draft.aged_58_plus
            or draft.training_in_progress
            or draft.receives_minimum_income
        )
    )


# --- Economic dismissal (C3, E2) -------------------------------------------------------------


def economic_dismissal_blocks(dismissal: datetime.date, hire: datetime.date) -> bool:
    """Rules C3, E2: a dismissal « dans les 6 mois précédant la date d'embauche ».

    The 6 months before a hire on 15/09/2025 run from 15/03/2025 (the hire's date 6 calendar
    months earlier): a dismissal on 15/03/2025 is within them, one on 14/03/2025 is not. A
    dismissal on the hire day itself counts too.
    """
    return add_months(hire, -ECONOMIC_DISMISSAL_MONTHS) <= dismissal <= hire


def earliest_hire_after_dismissal(dismissal: datetime.date) -> datetime.date:
    """The first hire date that ``economic_dismissal_blocks`` no longer refuses (C3, E2).

    6 months after the dismissal is still within the window (15/03 → 15/09 is blocked): the
    first free day follows; near the end of a month the clamping of ``add_months`` may push
    it a day or two further (29/02/2024 → 01/09/2024).
    """
    day = add_months(dismissal, ECONOMIC_DISMISSAL_MONTHS)
    while economic_dismissal_blocks(dismissal, day):
        day += datetime.timedelta(days=1)
    return day


def check_convention(draft: ConventionDraft, smic: DatedSeries | None = None) -> list[Finding]:
    """Every finding on the draft, in the order of the form (employer, employee, contract…)."""
    smic = smic or series("smic_hourly")
    findings: list[Finding] = []
    for check in (
        _employer_allowed,
        _cie_exclusions,
        _without_employment,
        _contract_duration,
        _convention_duration,
        _weekly_hours,
        _pay,
        _tutor,
        _immersions,
        _signature,
        _rate_and_aid_duration,
        _rupture,
    ):
        findings.extend(check(draft, smic))
    return findings


def signable(findings: list[Finding]) -> bool:
    """No blocking finding: the convention may be signed (warnings ask the agent to look)."""
    return not blocking_findings(findings)


def blocking_findings(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.blocking]


# --- Employer (C2, C3/E2) --------------------------------------------------------------------


def _employer_allowed(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    status = draft.employer_status
    if draft.sector == SECTOR_CAE:
        if status is not None and status not in CAE_STATUSES:
            return [
                Finding(
                    "C2",
                    BLOCKING,
                    "employer_status",
                    "Un CAE ne peut être conclu qu'avec une collectivité ou une autre personne "
                    "morale de droit public, un organisme privé à but non lucratif ou une "
                    "personne morale de droit privé chargée d'un service public (règle C2) : "
                    "pour une entreprise, choisissez un CIE.",
                )
            ]
        return []
    if status == EMPLOYER_GROUP or draft.employer_is_maritime_fishing:
        return []
    findings = []
    if draft.unemployment_insurance == UNEMPLOYMENT_INSURANCE_SELF:
        findings.append(
            Finding(
                "C2",
                BLOCKING,
                "unemployment_insurance",
                "Un CIE est réservé aux employeurs tenus d'affilier leurs salariés à "
                "l'assurance chômage (Unédic), aux groupements d'employeurs et aux employeurs "
                "de pêche maritime (règle C2) : un employeur public qui assure lui-même le "
                "risque chômage relève du CAE.",
            )
        )
    elif status in PUBLIC_LAW_STATUSES:
        findings.append(
            Finding(
                "C2",
                WARNING,
                "employer_status",
                "L'employeur est une personne morale de droit public : le CIE concerne le "
                "secteur marchand (règle C2). Vérifiez le secteur ; un CAE est probablement "
                "attendu.",
            )
        )
    return findings


def _cie_exclusions(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    if draft.sector != SECTOR_CIE:
        return []
    findings = []
    dismissal, hire = draft.last_economic_dismissal, draft.hire_date
    if dismissal is not None and hire is not None and economic_dismissal_blocks(dismissal, hire):
        findings.append(
            Finding(
                "C3",
                BLOCKING,
                "last_economic_dismissal",
                f"L'établissement a procédé à un licenciement économique le "
                f"{french_date(dismissal)}, dans les 6 mois précédant l'embauche du "
                f"{french_date(hire)} (règles C3, E2) : un CIE n'est possible qu'avec une "
                f"embauche à partir du {french_date(earliest_hire_after_dismissal(dismissal))}. "
                "Reportez l'embauche ou vérifiez la date du licenciement.",
            )
        )
    if draft.replaces_dismissed_employee:
        findings.append(
            Finding(
                "C3",
                BLOCKING,
                "replaces_dismissed_employee",
                "L'embauche remplace un salarié licencié pour un motif autre qu'une faute grave "
                "ou lourde : un CIE n'est pas possible (règle C3).",
            )
        )
    if draft.contributions_up_to_date is False:
        findings.append(
            Finding(
                "C3",
                BLOCKING,
                "contributions_up_to_date",
                "L'employeur n'est pas à jour de ses cotisations et contributions sociales : "
                "un CIE n'est possible qu'après régularisation auprès de l'organisme de "
                "recouvrement (règle C3).",
            )
        )
    return findings


# --- Employee (C1) ---------------------------------------------------------------------------


def _without_employment(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    if draft.employee_without_employment is False:
        return [
            Finding(
                "C1",
                BLOCKING,
                "employee_without_employment",
                "Le CUI est réservé aux personnes sans emploi (règle C1) : la personne doit être "
                "sans emploi à la signature de la convention.",
            )
        ]
    return []


# --- Durations (C5, C7, E3) ------------------------------------------------------------------


def _contract_duration(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    if draft.contract_type != CDD or draft.hire_date is None:
        return []
    hire, end = draft.hire_date, draft.planned_end
    if end is None:
        return [
            Finding(
                "C7",
                BLOCKING,
                "planned_end",
                "Un CDD doit indiquer sa date de fin prévue (règle C7).",
            )
        ]
    if end < hire:
        return [
            Finding(
                "C7",
                BLOCKING,
                "planned_end",
                f"La fin prévue du contrat ({french_date(end)}) précède l'embauche "
                f"({french_date(hire)}) (règle C7) : corrigez l'une des deux dates.",
            )
        ]
    findings = []
    minimum = CDD_MIN_MONTHS_SENTENCE_ADJUSTMENT if draft.sentence_adjustment else CDD_MIN_MONTHS
    if not lasts_at_least(hire, end, minimum):
        earliest_end = add_months(hire, minimum) - datetime.timedelta(days=1)
        findings.append(
            Finding(
                "C7",
                BLOCKING,
                "planned_end",
                f"Un CDD en CUI dure au moins {minimum} mois"
                + (" (aménagement de peine)" if draft.sentence_adjustment else "")
                + f" (règles C7, E3) : la fin prévue doit être au plus tôt le "
                f"{french_date(earliest_end)}.",
            )
        )
    findings.extend(_maximum_duration(draft, hire, end, "planned_end", "du CDD"))
    return findings


def _maximum_duration(
    draft: ConventionDraft,
    start: datetime.date,
    end: datetime.date,
    field: str,
    what: str,
) -> list[Finding]:
    latest = add_months(start, MAX_MONTHS_DEROGATION) - datetime.timedelta(days=1)
    if lasts_more_than(start, end, MAX_MONTHS_DEROGATION):
        return [
            Finding(
                "C5",
                BLOCKING,
                field,
                f"La durée {what} ne peut pas dépasser 5 ans, dérogations comprises "
                f"(règles C5, C7, E3) : fin au plus tard le {french_date(latest)}.",
            )
        ]
    if not lasts_more_than(start, end, MAX_MONTHS):
        return []
    latest_common = add_months(start, MAX_MONTHS) - datetime.timedelta(days=1)
    if _only_exceptional_aci(draft):
        return [
            Finding(
                "C5",
                WARNING,
                field,
                f"Plus de 24 mois pour une personne de 50 ans et plus embauchée par un atelier "
                f"et chantier d'insertion : possible seulement à titre exceptionnel, si elle "
                f"rencontre des difficultés particulières qui font obstacle à son insertion "
                f"durable (règle C5). Justifiez-les dans la demande, sinon fin au plus tard le "
                f"{french_date(latest_common)}.",
            )
        ]
    if _has_long_derogation(draft):
        only_training = draft.training_in_progress and not (
            draft.disabled_worker
            or draft.aged_58_plus
            or (draft.aged_50_plus and draft.receives_minimum_income)
        )
        if only_training and draft.training_end is not None and end > draft.training_end:
            return [
                Finding(
                    "C5",
                    BLOCKING,
                    field,
                    f"Au-delà de 24 mois pour une formation en cours, la prolongation ne peut "
                    f"pas dépasser la fin de la formation ({french_date(draft.training_end)}) "
                    "(règle C5).",
                )
            ]
        return []
    publics, facts = _long_derogation_unknowns(draft)
    if publics and not draft.aged_50_plus:
        # The convention check: absent facts are not known, never false (an exception may
        # apply); the 50+ case below already says which allowance to check.
        return [
            Finding(
                "C5",
                WARNING,
                field,
                f"La durée {what} dépasse 24 mois : c'est possible pour "
                f"{french_list(publics, 'ou')} (règle C5), {_unknown_facts_text(facts)}. "
                f"Sinon, fin au plus tard le {french_date(latest_common)} (règles C5, C7, E3).",
            )
        ]
    if draft.aged_50_plus:
        # Seed 002 (E3) allows 60 months for people aged 50+, seed 001 (C5) only when they
        # also receive RSA, ASS, ATA or AAH: the agent checks which applies.
        return [
            Finding(
                "C5",
                WARNING,
                field,
                f"Plus de 24 mois pour une personne de 50 ans et plus : la règle générale du CUI "
                f"exige aussi le RSA, l'ASS, l'ATA ou l'AAH (règle C5 ; la fiche CIE, règle E3, "
                f"ne l'exige pas). Vérifiez l'allocation, sinon fin au plus tard le "
                f"{french_date(latest_common)}.",
            )
        ]
    return [
        Finding(
            "C5",
            BLOCKING,
            field,
            f"La durée {what} est limitée à 24 mois (règles C5, C7, E3) : fin au plus tard le "
            f"{french_date(latest_common)}, sauf travailleur handicapé, personne de 50 ans et "
            "plus bénéficiaire du RSA, de l'ASS, de l'ATA ou de l'AAH, personne de 58 ans et "
            "plus ou formation en cours.",
        )
    ]


def _convention_duration(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    start, end = draft.aid_start, draft.aid_end
    findings = []
    if start is not None and draft.hire_date is not None and start < draft.hire_date:
        findings.append(
            Finding(
                "C5",
                BLOCKING,
                "aid_start",
                f"La prise en charge ne peut pas commencer ({french_date(start)}) avant "
                f"l'embauche ({french_date(draft.hire_date)}) (règle C5) : pour une convention "
                "initiale, la date d'effet est la date d'embauche.",
            )
        )
    if start is None or end is None:
        return findings
    if end < start:
        return [
            *findings,
            Finding(
                "C5",
                BLOCKING,
                "aid_end",
                f"La fin de la prise en charge ({french_date(end)}) précède son début "
                f"({french_date(start)}) (règle C5) : corrigez l'une des deux dates.",
            ),
        ]
    if (
        draft.contract_type == CDD
        and draft.planned_end is not None
        and end > draft.planned_end
        and not draft.continues_as_cdi  # rule E6: the contract goes on as a CDI
    ):
        findings.append(
            Finding(
                "C5",
                BLOCKING,
                "aid_end",
                f"La convention ne peut pas aller au-delà du terme du contrat "
                f"({french_date(draft.planned_end)}) (règle C5) : avancez la fin de la prise en "
                "charge ou prolongez d'abord le contrat.",
            )
        )
    findings.extend(_maximum_duration(draft, start, end, "aid_end", "de la convention"))
    return findings


# --- Working time (C8, E4, F5, E12) ----------------------------------------------------------


def _weekly_hours(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    findings = []
    hours = draft.contract_weekly_hours
    variation_allowed = draft.sector == SECTOR_CAE and draft.employer_status in PUBLIC_LAW_STATUSES
    if draft.variable_weekly_hours and not variation_allowed:
        findings.append(
            Finding(
                "C8",
                BLOCKING,
                "variable_weekly_hours",
                "La durée du travail ne peut varier sur la période que dans un CAE conclu avec "
                "une collectivité territoriale ou une autre personne morale de droit public "
                "(règle C8) : indiquez une durée hebdomadaire fixe.",
            )
        )
    order = draft.order
    stricter_order = False
    if hours is not None:
        if hours > WEEKLY_HOURS_MAX:
            findings.append(
                Finding(
                    "C8",
                    BLOCKING,
                    "contract_weekly_hours",
                    f"La durée hebdomadaire du contrat ({french_number(hours)} h) dépasse "
                    f"{french_number(WEEKLY_HOURS_MAX)} heures (règle C8).",
                )
            )
        elif hours < WEEKLY_HOURS_MIN:
            findings.extend(_short_hours(draft, hours, variation_allowed))
            stricter_order = (
                _short_hours_exception(draft) is not None
                and order is not None
                and hours < order.weekly_hours_min
            )
    if stricter_order:
        assert order is not None and hours is not None
        findings.append(
            Finding(
                "E4",
                BLOCKING,
                "contract_weekly_hours",
                f"La durée du contrat ({french_number(hours)} h par semaine) peut être inférieure "
                f"à 20 heures pour {_short_hours_exception(draft)} (règle E4), mais "
                f"{_order_name(order)} est plus strict : il ne prend en charge que "
                f"{french_number(order.weekly_hours_min)} à {french_number(order.weekly_hours_max)}"
                f" heures par semaine (règles E4, E12). Portez la durée du contrat à "
                f"{french_number(order.weekly_hours_min)} heures au moins pour que l'aide soit "
                "possible.",
            )
        )
    subsidised = draft.subsidised_weekly_hours
    if subsidised is not None:
        if hours is not None and subsidised > hours:
            findings.append(
                Finding(
                    "F5",
                    BLOCKING,
                    "subsidised_weekly_hours",
                    f"La durée prise en charge ({french_number(subsidised)} h) ne peut pas "
                    f"dépasser la durée du contrat ({french_number(hours)} h) (règle F5).",
                )
            )
        low = order.weekly_hours_min if order else None
        high = order.weekly_hours_max if order else WEEKLY_HOURS_MAX
        too_low = low is not None and subsidised < low
        # Below the order's minimum because the contract itself is: the E4 finding says it.
        if subsidised > high or (too_low and not stricter_order):
            source = _order_name(order) if order else "le code du travail"
            bounds = (
                f"entre {french_number(low)} et {french_number(high)} heures"
                if low is not None
                else f"au plus {french_number(high)} heures"
            )
            findings.append(
                Finding(
                    "E12" if order else "C8",
                    BLOCKING,
                    "subsidised_weekly_hours",
                    f"La durée hebdomadaire prise en charge ({french_number(subsidised)} h) doit "
                    f"être comprise {bounds} selon {source} (règle {'E12' if order else 'C8'}).",
                )
            )
    return findings


def _short_hours_exception(draft: ConventionDraft) -> str | None:
    """Rule E4: who may work less than 20 hours a week, in French; None for anyone else."""
    if draft.aged_58_plus:
        return "un salarié de 58 ans et plus"
    if draft.ass_beneficiary:
        return "un bénéficiaire de l'allocation de solidarité spécifique (ASS)"
    return None


def _short_hours(draft: ConventionDraft, hours: Decimal, variation_allowed: bool) -> list[Finding]:
    text = f"La durée hebdomadaire du contrat ({french_number(hours)} h) est inférieure à 20 heures"
    if _short_hours_exception(draft) is not None:
        # Rule E4: lawful for people aged 58+ and ASS beneficiaries; an order may be stricter
        # (checked in _weekly_hours against the order's minimum).
        return []
    if variation_allowed and draft.variable_weekly_hours:
        return [
            Finding(
                "C8",
                WARNING,
                "contract_weekly_hours",
                f"{text} : en CAE avec un employeur public la durée peut varier ; vérifiez que "
                "le programme prévisionnel de répartition figure au contrat (règle C8).",
            )
        ]
    if draft.severe_difficulties:
        return [
            Finding(
                "C8",
                WARNING,
                "contract_weekly_hours",
                f"{text} : possible seulement si la convention le prévoit pour des difficultés "
                "particulièrement importantes (conditions générales du CUI) ; justifiez-le.",
            )
        ]
    publics, facts = _short_hours_unknowns(draft)
    if publics:
        # The convention check: an absent age or ASS is not known, never false.
        return [
            Finding(
                "C8",
                WARNING,
                "contract_weekly_hours",
                f"{text} : c'est possible pour {french_list(publics, 'ou')} (règle E4), "
                f"{_unknown_facts_text(facts)}. Sinon, portez-la à 20 heures au moins "
                "(règle C8).",
            )
        ]
    return [
        Finding(
            "C8",
            BLOCKING,
            "contract_weekly_hours",
            f"{text} (règles C8, E4) : portez-la à 20 heures au moins, sauf salarié de 58 ans "
            "et plus ou bénéficiaire de l'ASS.",
        )
    ]


# --- Pay (E9) --------------------------------------------------------------------------------


def minimum_monthly_pay(smic_hourly: Decimal, weekly_hours: Decimal) -> Decimal:
    """Monthly SMIC for ``weekly_hours``: SMIC hourly × hours × 52 / 12, rounded half up."""
    return round_cent(smic_hourly * weekly_hours * 52 / 12)


def _pay(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    return _monthly_pay(draft, smic) + _hourly_wage(draft, smic)


def _hourly_wage(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    wage, hire = draft.hourly_gross_wage, draft.hire_date
    if wage is None or hire is None:
        return []
    try:
        entry = smic.entry_at(hire)
    except NoValueInForce:
        return []
    if wage < entry.value:
        return [
            Finding(
                "E9",
                BLOCKING,
                "hourly_gross_wage",
                f"Le salaire horaire brut ({french_euros(wage)}) est inférieur au SMIC horaire "
                f"brut en vigueur à l'embauche du {french_date(hire)} ({french_euros(entry.value)}, "
                f"{entry.source}) (règle E9). Portez-le au moins à ce montant, ou au minimum "
                "conventionnel s'il est plus élevé.",
            )
        ]
    until = draft.planned_end or draft.aid_end
    if until is not None:
        for change in smic.changes_between(hire, until):
            if wage < change.value:
                return [
                    Finding(
                        "E9",
                        WARNING,
                        "hourly_gross_wage",
                        f"Le SMIC horaire brut passe à {french_euros(change.value)} le "
                        f"{french_date(change.valid_from)} : le salaire horaire devra alors "
                        f"être porté à au moins ce montant (règle E9).",
                    )
                ]
    return []


def _monthly_pay(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    pay, hours, hire = draft.gross_monthly_pay, draft.contract_weekly_hours, draft.hire_date
    if pay is None or hours is None or hire is None:
        return []
    try:
        entry = smic.entry_at(hire)
    except NoValueInForce:
        return []
    findings = []
    minimum = minimum_monthly_pay(entry.value, hours)
    if pay < minimum:
        findings.append(
            Finding(
                "E9",
                BLOCKING,
                "gross_monthly_pay",
                f"Le salaire brut mensuel ({french_euros(pay)}) est inférieur au SMIC pour "
                f"{french_number(hours)} h par semaine : {french_euros(entry.value)} × "
                f"{french_number(hours)} h × 52/12 = {french_euros(minimum)} au "
                f"{french_date(hire)} (règle E9). Portez-le au moins à ce montant, ou au minimum "
                "conventionnel s'il est plus élevé.",
            )
        )
        return findings
    # A later SMIC increase during the contract raises the minimum: warn ahead of time.
    until = draft.planned_end or draft.aid_end
    if until is not None:
        for change in smic.changes_between(hire, until):
            later_minimum = minimum_monthly_pay(change.value, hours)
            if pay < later_minimum:
                findings.append(
                    Finding(
                        "E9",
                        WARNING,
                        "gross_monthly_pay",
                        f"Le SMIC horaire passe à {french_euros(change.value)} le "
                        f"{french_date(change.valid_from)} : le salaire devra alors être porté "
                        f"à au moins {french_euros(later_minimum)} (règle E9).",
                    )
                )
                break
    return findings


# --- Tutor (C12, F8) -------------------------------------------------------------------------


def _tutor(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    findings = []
    if draft.tutor_named is False:
        findings.append(
            Finding(
                "F8",
                WARNING,
                "tutor_named",
                "Le tuteur doit être désigné dès la conclusion de la convention, et au plus tard "
                "le jour de l'embauche (règle F8).",
            )
        )
    if draft.tutor_is_employer:
        if not draft.employer_tutor_authorised:
            findings.append(
                Finding(
                    "C12",
                    BLOCKING,
                    "employer_tutor_authorised",
                    "L'employeur ne peut être lui-même tuteur qu'avec l'autorisation de "
                    "l'autorité signataire de la convention (règle C12) : joignez "
                    "l'autorisation ou désignez un salarié.",
                )
            )
    elif (
        draft.tutor_experience_years is not None
        and draft.tutor_experience_years < TUTOR_MIN_EXPERIENCE_YEARS
    ):
        findings.append(
            Finding(
                "C12",
                BLOCKING,
                "tutor_experience_years",
                f"Le tuteur doit justifier d'au moins 2 ans d'expérience professionnelle "
                f"(saisi : {french_number(Decimal(draft.tutor_experience_years))} "
                f"an{'s' if draft.tutor_experience_years >= 2 else ''}) "
                "(règle C12) : désignez un autre salarié qualifié et volontaire.",
            )
        )
    if (
        draft.tutor_employees_followed is not None
        and draft.tutor_employees_followed > TUTOR_MAX_EMPLOYEES
    ):
        findings.append(
            Finding(
                "C12",
                BLOCKING,
                "tutor_employees_followed",
                f"Un tuteur suit au plus 3 salariés à la fois ; celui-ci en suivrait "
                f"{draft.tutor_employees_followed} (règle C12) : désignez un autre tuteur.",
            )
        )
    return findings


# --- Immersions (C13) ------------------------------------------------------------------------


def _immersions(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    if not draft.immersions:
        return []
    if draft.sector != SECTOR_CAE:
        return [
            Finding(
                "C13",
                BLOCKING,
                "immersions",
                "Les périodes d'immersion ne sont possibles qu'en CAE, pas en CIE (règle C13) : "
                "retirez-les.",
            )
        ]
    findings = []
    # The contract's span: hire to planned end for a CDD; for a CDI, the aid period stands in
    # for the "durée totale du contrat" of the 25 % rule.
    span_start = draft.hire_date or draft.aid_start
    span_end = draft.planned_end if draft.contract_type == CDD else draft.aid_end
    total_days = 0
    for number, (first, last) in enumerate(draft.immersions, start=1):
        label = f"La période d'immersion n° {number}"
        if last < first:
            findings.append(
                Finding(
                    "C13",
                    BLOCKING,
                    "immersions",
                    f"{label} finit ({french_date(last)}) avant de commencer "
                    f"({french_date(first)}) (règle C13) : corrigez les dates.",
                )
            )
            continue
        total_days += (last - first).days + 1
        if lasts_more_than(first, last, IMMERSION_MAX_MONTHS):
            findings.append(
                Finding(
                    "C13",
                    BLOCKING,
                    "immersions",
                    f"{label} dépasse 1 mois (règle C13) : elle doit finir au plus tard le "
                    f"{french_date(add_months(first, 1) - datetime.timedelta(days=1))}.",
                )
            )
        if (span_start and first < span_start) or (span_end and last > span_end):
            findings.append(
                Finding(
                    "C13",
                    BLOCKING,
                    "immersions",
                    f"{label} sort de la durée du contrat : elle doit se dérouler pendant le CAE "
                    "(règle C13).",
                )
            )
    if span_start and span_end and span_end >= span_start:
        contract_days = (span_end - span_start).days + 1
        if total_days > IMMERSIONS_MAX_SHARE * contract_days:
            allowed = int(IMMERSIONS_MAX_SHARE * contract_days)
            findings.append(
                Finding(
                    "C13",
                    BLOCKING,
                    "immersions",
                    f"Les immersions totalisent {total_days} jours, plus de 25 % de la durée du "
                    f"contrat ({contract_days} jours, soit {allowed} jours au plus) (règle C13).",
                )
            )
    return findings


# --- Signature (F8, E10) ---------------------------------------------------------------------


def _signature(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    if draft.signature_date and draft.hire_date and draft.hire_date < draft.signature_date:
        return [
            Finding(
                "F8",
                BLOCKING,
                "hire_date",
                f"L'embauche ({french_date(draft.hire_date)}) ne peut pas avoir lieu avant la "
                f"signature de la convention ({french_date(draft.signature_date)}) (règles F8, "
                "E10) : signez la convention au plus tard le jour de l'embauche.",
            )
        ]
    return []


# --- Rate and aid duration (E6, E12) ---------------------------------------------------------


def _rate_and_aid_duration(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    findings = []
    order = draft.order
    cap = min(order.rate_cap_percent, RATE_CAP_PERCENT) if order else RATE_CAP_PERCENT
    rate = draft.rate_percent
    if rate is not None:
        if rate <= 0 or rate > cap:
            findings.append(
                Finding(
                    "E6",
                    BLOCKING,
                    "rate_percent",
                    f"Le taux de prise en charge ({french_number(rate)} %) doit être positif et "
                    f"au plus de {french_number(cap)} % du SMIC horaire brut (règle E6).",
                )
            )
        elif order and rate not in allowed_rates(order, draft.training_planned):
            findings.append(_rate_outside_order(order, rate, draft.training_planned))
    findings.extend(_order_validity(draft))
    findings.extend(_aid_duration(draft))
    return findings


def training_raise(order: AidOrder, training_planned: bool) -> Decimal:
    """Rule E11: the points of SMIC the order adds for a training written in the convention
    (0 when no training is written, or when the order gives no raise)."""
    if not training_planned or order.training_raise_percent is None:
        return Decimal(0)
    return order.training_raise_percent


def raised_rate(order: AidOrder, category_rate: Decimal, training_planned: bool) -> Decimal:
    """A category's rate plus the E11 raise, never above the cap (rule E6)."""
    cap = min(order.rate_cap_percent, RATE_CAP_PERCENT)
    return min(category_rate + training_raise(order, training_planned), cap)


def allowed_rates(order: AidOrder, training_planned: bool) -> set[Decimal]:
    """The rates the order gives: its categories', raised for a training (rule E11)."""
    rates = {category.rate_percent for category in order.categories}
    if training_raise(order, training_planned):
        rates |= {raised_rate(order, rate, training_planned) for rate in set(rates)}
    return rates


def training_raise_text(order: AidOrder, training_planned: bool) -> str:
    """What rule E11 gives for this convention, in French (empty without a training)."""
    if not training_planned:
        return ""
    if order.training_raise_percent is None:
        return (
            f"Une formation est inscrite à la convention, mais {_order_name(order)} ne prévoit "
            "aucune majoration de l'aide pour formation : le taux reste celui de la catégorie "
            "(règle E11)."
        )
    return (
        f"Une formation est inscrite à la convention : {_order_name(order)} majore le taux de "
        f"{french_number(order.training_raise_percent)} points, dans la limite de "
        f"{french_number(min(order.rate_cap_percent, RATE_CAP_PERCENT))} % (règles E11, E6)."
    )


def _rate_outside_order(order: AidOrder, rate: Decimal, training_planned: bool) -> Finding:
    above_every_category = rate > max(c.rate_percent for c in order.categories)
    if training_planned and order.training_raise_percent is None and above_every_category:
        return Finding(
            "E11",
            WARNING,
            "rate_percent",
            f"Le taux de {french_number(rate)} % dépasse ceux de {_order_name(order)} : une "
            "formation est inscrite à la convention, mais l'arrêté ne prévoit aucune "
            "majoration de l'aide pour formation (règle E11). Retenez le taux de la catégorie, "
            "sauf taux du département (règle F6).",
        )
    return Finding(
        "E12",
        WARNING,
        "rate_percent",
        f"Le taux de {french_number(rate)} % ne correspond à aucune catégorie de "
        f"{_order_name(order)} : vérifiez la catégorie, sauf taux du département (règle F6).",
    )


def _order_validity(draft: ConventionDraft) -> list[Finding]:
    """Rule E1: the order proposed must be in force at the hire; demonstration data is said."""
    order = draft.order
    day = draft.hire_date or draft.aid_start
    if order is None:
        if draft.region_without_order is None:
            return []
        # No order at all for the region: nothing can be proposed, and saying nothing would
        # let the convention be signed on an aid no order sets.
        at_hire = f" à l'embauche du {french_date(day)}" if day is not None else ""
        return [
            Finding(
                "E1",
                WARNING,
                "order",
                f"Aucun arrêté d'aide n'est connu pour la région {draft.region_without_order}"
                f"{at_hire} : le taux, la catégorie et les durées de l'aide ne peuvent pas être "
                "proposés. Les arrêtés sont fixés année par année (règle E1) : saisissez "
                "l'arrêté préfectoral de la région sur la page des arrêtés avant de signer.",
            )
        ]
    findings = []
    name = _order_name(order, start_of_sentence=True)
    if day is not None and order.valid_from > day:
        findings.append(
            Finding(
                "E1",
                WARNING,
                "order",
                f"{name} n'était pas encore en vigueur à l'embauche ({french_date(day)}) "
                "(règle E1) : choisissez l'arrêté applicable à cette date.",
            )
        )
    elif day is not None and order.valid_until is not None and day > order.valid_until:
        findings.append(
            Finding(
                "E1",
                WARNING,
                "order",
                f"{name} n'est plus en vigueur à l'embauche du {french_date(day)} : il était "
                f"valable {order.validity_text}. Les arrêtés sont fixés année par année "
                f"(règle E1) : saisissez l'arrêté de {day.year} sur la page des arrêtés, puis "
                "vérifiez le taux et les durées proposés.",
            )
        )
    if order.demonstration:
        findings.append(
            Finding(
                "E1",
                WARNING,
                "order",
                f"{name} est une donnée de démonstration, pas un arrêté réel : saisissez "
                "l'arrêté préfectoral de la région sur la page des arrêtés avant de signer "
                "(règle E1).",
            )
        )
    return findings


def _aid_duration(draft: ConventionDraft) -> list[Finding]:
    order = draft.order
    start, end = draft.aid_start, draft.aid_end
    if draft.aid_months is None and (start is None or end is None or end < start):
        return []
    findings = []
    if (
        order
        and draft.contract_type == CDD
        and draft.hire_date
        and draft.planned_end
        and not lasts_at_least(draft.hire_date, draft.planned_end, order.cdd_min_months_for_aid)
    ):
        findings.append(
            Finding(
                "E12",
                BLOCKING,
                "planned_end",
                f"{_order_name(order, start_of_sentence=True)} ne prend en charge un CDD que s'il dure au moins "
                f"{order.cdd_min_months_for_aid} mois (règle E12) : allongez le contrat.",
            )
        )
    if order and draft.contract_type in (CDD, CDI):
        limit = order.aid_months_cdd if draft.contract_type == CDD else order.aid_months_cdi
        rule, source = "E12", _order_name(order)
    else:
        limit = MAX_MONTHS_DEROGATION if _has_long_derogation(draft) else AID_MAX_MONTHS
        rule, source = "E6", "le code du travail"
    publics, facts = (
        _long_derogation_unknowns(draft)
        if rule == "E6" and not _has_long_derogation(draft)
        else ([], [])
    )
    extension = ""
    if draft.continues_as_cdi:
        # Rule E6: at most 9 more months by amendment when the contract continues as a CDI.
        limit += AID_CDI_EXTENSION_MONTHS
        extension = f", prolongation de {AID_CDI_EXTENSION_MONTHS} mois en CDI comprise (E6)"
    exceeds = (
        draft.aid_months > limit
        if draft.aid_months is not None
        else lasts_more_than(start, end, limit)  # type: ignore[arg-type]
    )
    if exceeds:
        latest = (
            f" : fin de la prise en charge au plus tard le "
            f"{french_date(add_months(start, limit) - datetime.timedelta(days=1))}"
            if start is not None
            else ""
        )
        unknown = ""
        longest = MAX_MONTHS_DEROGATION + limit - AID_MAX_MONTHS  # with E6's extension
        if publics and (
            draft.aid_months <= longest
            if draft.aid_months is not None
            else not lasts_more_than(start, end, longest)  # type: ignore[arg-type]
        ):
            # The convention check: up to 60 months for C5's publics, whom facts not known
            # may include — a warning naming them.
            unknown = (
                f" Jusqu'à {MAX_MONTHS_DEROGATION} mois pour {french_list(publics, 'ou')} "
                f"(règle C5), {_unknown_facts_text(facts)}."
            )
        findings.append(
            Finding(
                rule,
                WARNING if unknown else BLOCKING,
                "aid_end",
                f"La durée de l'aide est limitée à {limit} mois, renouvellements compris"
                f"{extension}, selon {source} (règle {rule}){latest}.{unknown}"
                + (
                    ""
                    if draft.continues_as_cdi
                    else f" Si le contrat se poursuit en CDI, l'aide peut être prolongée de "
                    f"{AID_CDI_EXTENSION_MONTHS} mois au plus par avenant (règle E6)."
                ),
            )
        )
    return findings


# --- Rupture (E5) ----------------------------------------------------------------------------


def _rupture(draft: ConventionDraft, smic: DatedSeries) -> list[Finding]:
    if draft.rupture_last_day is None:
        return []
    early_end = ruptures.employee_early_end(
        draft.contract_type,
        draft.rupture_by_employee,
        draft.rupture_employee_ground,
        draft.rupture_last_day,
    )
    if early_end.lawful:
        return []
    # A warning on the convention: the rupture is a fact already recorded (the rupture form
    # itself refuses a missing ground); a rupture recorded before the ground was asked only
    # lacks it.
    return [Finding("E5", WARNING, "employee_ground", early_end.message)]


# --- Renewals beyond 24 months (C5) ----------------------------------------------------------


def check_renewal(
    draft: ConventionDraft, current_end: datetime.date, new_end: datetime.date
) -> list[Finding]:
    """Rule C5 on a renewal from ``current_end`` to ``new_end`` (the draft is the convention
    before it, with its first day in ``aid_start``).

    Up to 24 months in all, a renewal may take any length; beyond, only for C5's publics and
    « par avenants successifs d'un an »: each renewal adds at most 12 months, up to 5 years
    (the 5-year and 24-month limits themselves are ``check_convention``'s, on the renewed
    convention).
    """
    start = draft.aid_start or draft.hire_date
    if start is None or new_end <= current_end:
        return []
    if not lasts_more_than(start, new_end, MAX_MONTHS) or not _has_long_derogation(draft):
        return []
    renewal_start = current_end + datetime.timedelta(days=1)
    if not lasts_more_than(renewal_start, new_end, RENEWAL_BEYOND_24_MAX_MONTHS):
        return []
    latest = add_months(renewal_start, RENEWAL_BEYOND_24_MAX_MONTHS) - datetime.timedelta(days=1)
    return [
        Finding(
            "C5",
            BLOCKING,
            "new_aid_end",
            f"Au-delà de 24 mois, la convention se prolonge par avenants successifs d'un an au "
            f"plus (règle C5) : ce renouvellement, qui commence le {french_date(renewal_start)}, "
            f"doit finir au plus tard le {french_date(latest)}. Prolongez d'un an, puis rédigez "
            "un nouvel avenant l'an prochain.",
        )
    ]
