"""From the database to the rules and back: every decision is a call into ``tremplin.rules``.

Views, API and PDF call these functions; none of them decides anything itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tremplin.registry.models import IDENTITY_FOR_CONVENTION, Beneficiary, Employer
from tremplin.rules import aid, convention_check, eligibility, programmes
from tremplin.rules.parameters import AidOrder as RuleAidOrder
from tremplin.rules.parameters import ParameterError
from tremplin.web import hooks
from tremplin.web.french import plural

from .models import (
    TRAINING_ACTIONS,
    AidOrder,
    Amendment,
    Convention,
    ConventionNumberSequence,
    Rupture,
    SmicValue,
    Suspension,
    hours_and_minutes,
)


class ConventionRefused(Exception):
    """A French sentence citing the rule; nothing is written when it is raised."""

    def __init__(self, message: str, findings: list[eligibility.Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


# --- Orders and draft -----------------------------------------------------------------------


def reference_day(convention: Convention) -> datetime.date:
    return convention.hire_date or convention.aid_start or timezone.localdate()


def order_in_force(convention: Convention) -> RuleAidOrder | None:
    """The order of the département's region for the hire (rule E1), if any.

    An order chosen explicitly on the convention wins; otherwise the one in force at the
    hire, else the newest known one outside its validity — proposed all the same, and the
    checks warn that it is not in force (rule E1).
    """
    if convention.aid_order_id:
        return convention.aid_order.to_rule()
    try:
        return AidOrder.objects.at(
            convention.territory.region_code, reference_day(convention), convention.sector
        ).order
    except ParameterError:
        return None


def tutor_employees_followed(convention: Convention) -> int | None:
    """Rule C12: employees the tutor follows at once, this one included."""
    if convention.tutor_id is None:
        return None
    start = convention.aid_start or convention.hire_date or timezone.localdate()
    others = (
        Convention.objects.filter(tutor_id=convention.tutor_id, signed_on__isnull=False)
        .exclude(pk=convention.pk)
        .exclude(aid_end__lt=start)
        .exclude(rupture__last_day__lt=start)
    )
    return others.count() + 1


def draft_of(
    convention: Convention,
    order: RuleAidOrder | None = None,
    *,
    signature_date: datetime.date | None = None,
) -> eligibility.ConventionDraft:
    """The plain values the checks need, from the convention and the registry."""
    beneficiary, employer, tutor = convention.beneficiary, convention.employer, convention.tutor
    ages = convention_check.ages_of(beneficiary.birth_date, reference_day(convention))
    rupture = convention.rupture_or_none() if convention.pk else None
    insurance = {
        Employer.UnemploymentInsurance.UNEDIC: eligibility.UNEMPLOYMENT_INSURANCE_UNEDIC,
        Employer.UnemploymentInsurance.SELF_INSURED: eligibility.UNEMPLOYMENT_INSURANCE_SELF,
    }.get(employer.unemployment_insurance)
    return eligibility.ConventionDraft(
        sector=convention.sector,
        employer_status=employer.status,
        unemployment_insurance=insurance,
        last_economic_dismissal=convention.last_economic_dismissal,
        replaces_dismissed_employee=convention.replaces_dismissed_employee,
        contributions_up_to_date=convention.contributions_up_to_date,
        employee_without_employment=convention.employee_without_employment,
        disabled_worker=convention.disabled_worker == Beneficiary.DisabledWorker.YES,
        aged_50_plus=ages.aged_50_plus,
        aged_58_plus=ages.aged_58_plus,
        receives_minimum_income=any(
            (
                convention.receives_rsa,
                convention.receives_ass,
                convention.receives_ata,
                convention.receives_aah,
            )
        ),
        ass_beneficiary=convention.receives_ass,
        training_in_progress=convention.training_in_progress,
        training_end=convention.training_end,
        sentence_adjustment=convention.sentence_adjustment,
        severe_difficulties=convention.severe_difficulties,
        employer_is_aci=employer.is_aci,
        training_planned=training_planned(convention),
        continues_as_cdi=convention.continues_as_cdi,
        contract_type=convention.contract_type or None,
        hire_date=convention.hire_date,
        planned_end=convention.planned_end,
        contract_weekly_hours=convention.contract_weekly_hours,
        variable_weekly_hours=convention.modulation,
        gross_monthly_pay=convention.gross_monthly_pay,
        tutor_named=tutor is not None,
        tutor_experience_years=Decimal(tutor.experience_years) if tutor else None,
        tutor_employees_followed=tutor_employees_followed(convention),
        tutor_is_employer=convention.tutor_is_employer,
        employer_tutor_authorised=convention.employer_tutor_authorised,
        immersions=tuple((period.start, period.end) for period in convention.immersions.all())
        if convention.pk
        else (),
        signature_date=signature_date or convention.signed_on,
        aid_start=convention.aid_start,
        aid_end=convention.aid_end,
        subsidised_weekly_hours=convention.subsidised_hours,
        rate_percent=convention.prefect_rate_percent,
        order=order,
        rupture_last_day=rupture.last_day if rupture else None,
        rupture_by_employee=rupture is not None
        and rupture.initiative == Rupture.Initiative.EMPLOYEE,
        rupture_employee_ground=rupture.employee_ground or None if rupture else None,
    )


def training_planned(convention: Convention) -> bool:
    """Rule E11: a training action is written in the convention (any of the cerfa's)."""
    return any(getattr(convention, name) for name, _ in TRAINING_ACTIONS)


def findings_of(
    convention: Convention, *, signature_date: datetime.date | None = None
) -> list[eligibility.Finding]:
    """Every check at once, each finding citing its rule (E9 with the SMIC of the day,
    the département's values layered over the shipped ones)."""
    order = order_in_force(convention)
    draft = draft_of(convention, order, signature_date=signature_date)
    if order is None:
        # Rule E1: no order at all for the region at the hire — a warning, never silence.
        draft = replace(draft, region_without_order=convention.territory.region_name)
    return eligibility.check_convention(draft, smic=smic_series()) + completeness_findings(
        convention
    )


def smic_series():
    """The hourly gross SMIC: the values a département entered on the SMIC page layered
    over the shipped file (rules E1, F10); one query. Every schedule, check and simulation
    reads it, so that a value typed on the page changes the next schedule without a
    release."""
    return SmicValue.objects.series()


def completeness_findings(convention: Convention) -> list[eligibility.Finding]:
    """Rule F1: the cerfa needs the person's birth place, nationality and address, and their
    situation; a file created from a list may lack them. Blocking until given."""
    missing = [
        label
        for name, label in (
            ("education_level", "niveau de formation"),
            ("unemployed_for", "sans emploi depuis"),
            ("disabled_worker", "reconnaissance travailleur handicapé"),
        )
        if not getattr(convention, name)
    ]
    findings = []
    beneficiary = convention.beneficiary
    identity = [
        str(Beneficiary._meta.get_field(name).verbose_name)
        for name in IDENTITY_FOR_CONVENTION
        if not getattr(beneficiary, name)
    ]
    if identity:
        findings.append(
            eligibility.Finding(
                "F1",
                eligibility.BLOCKING,
                "beneficiary",
                "Le dossier du salarié est incomplet pour le cerfa : "
                + ", ".join(identity)
                + ". Complétez-les à l'étape « Situation du salarié » (règle F1).",
            )
        )
    if missing:
        findings.append(
            eligibility.Finding(
                "F1",
                eligibility.BLOCKING,
                "education_level",
                "La situation du salarié est incomplète : "
                + ", ".join(missing)
                + ". Renseignez-la à l'étape « Situation du salarié » (règle F1).",
            )
        )
    return findings


@transaction.atomic
def save_situation_step(convention_form, employee_form) -> Convention:
    """The situation step: the convention's situation and the person's cerfa fields, both
    in one transaction; the file's situation fields still empty take the convention's
    (rule F1: the file shows what the convention learnt)."""
    convention = convention_form.save()
    beneficiary = employee_form.save(commit=False)
    for name in ("education_level", "unemployed_for", "disabled_worker"):
        if not getattr(beneficiary, name) and getattr(convention, name):
            setattr(beneficiary, name, getattr(convention, name))
    beneficiary.save()
    return convention


def check_from_outside(data: object) -> convention_check.CheckResult:
    """``tremplin convention-check`` and ``POST /api/v1/conventions/check``: the wizard's
    checks on a convention given as JSON, with the orders the wizard would choose from (the
    database's over the shipped files). Reads only; raises ``CheckInputError`` (French)."""
    # The orders are read only once the input is valid (bad input never touches the base).
    return convention_check.check_mapping(data, orders=AidOrder.objects.layered, smic=smic_series())


def propose_category(convention: Convention) -> aid.CategoryProposal | None:
    """The order's category that fits the person (rule E12); the agent confirms it."""
    order = order_in_force(convention)
    if order is None:
        return None
    beneficiary = convention.beneficiary
    situation = aid.PersonSituation(
        age=convention_check.ages_of(beneficiary.birth_date, reference_day(convention)).age,
        rsa_socle=convention.receives_rsa and not convention.rsa_increased,
        job_seeker=convention.france_travail_registered,
        education_level_code=convention.education_level or None,
        disabled_worker=convention.disabled_worker == Beneficiary.DisabledWorker.YES,
        justice_measure=convention.sentence_adjustment,
    )
    return aid.propose_category(order, situation)


@dataclass(frozen=True)
class AidBoxProposal:
    """What the product proposes for the aid box (rules E1, E12); the agent confirms it by
    saving the step, or changes it. ``initial`` holds only the fields still empty."""

    order: RuleAidOrder
    category: aid.CategoryProposal | None
    initial: dict[str, object]
    explanation: str


def propose_aid_box(convention: Convention) -> AidBoxProposal | None:
    """The order in force at the hire for the département's region, the category that fits
    the person and its rate, the aid period within the order's durations (rule E12)."""
    order = order_in_force(convention)
    if order is None:
        return None
    proposal = propose_category(convention)
    initial: dict[str, object] = {}
    if convention.aid_order_id is None and (row := AidOrder.objects.row_of(order)) is not None:
        initial["aid_order"] = row.pk
    with_training = training_planned(convention)
    if proposal is not None:
        if not convention.aid_category:
            initial["aid_category"] = proposal.category.code
        if convention.prefect_rate_percent is None:
            # Rule E11: the order's raise for a training written in the convention, if any.
            initial["prefect_rate_percent"] = eligibility.raised_rate(
                order, proposal.category.rate_percent, with_training
            )
    start = convention.aid_start or convention.hire_date
    if convention.aid_start is None and start is not None:
        initial["aid_start"] = start
    if convention.aid_end is None and start is not None and convention.contract_type:
        months = (
            order.aid_months_cdi
            if convention.contract_type == Convention.ContractType.CDI
            else order.aid_months_cdd
        )
        end = eligibility.add_months(start, months) - datetime.timedelta(days=1)
        if convention.planned_end is not None:
            end = min(end, convention.planned_end)
        initial["aid_end"] = end
    if convention.subsidised_weekly_hours is None and convention.weekly_hours is not None:
        if convention.contract_weekly_hours >= order.weekly_hours_max:
            # Rule F5: the aid covers at most the order's maximum, even for longer contracts.
            initial["subsidised_weekly_hours"] = int(order.weekly_hours_max)
            initial["subsidised_weekly_minutes"] = 0
        else:
            initial["subsidised_weekly_hours"] = convention.weekly_hours
            initial["subsidised_weekly_minutes"] = convention.weekly_minutes
    durations = (
        f"aide de {order.aid_months_cdi} mois pour un CDI, {order.aid_months_cdd} mois pour un "
        f"CDD d'au moins {order.cdd_min_months_for_aid} mois, "
        f"{aid.french_number(order.weekly_hours_min)} à "
        f"{aid.french_number(order.weekly_hours_max)} h par semaine prises en charge"
    )
    day = reference_day(convention)
    if order.in_force_on(day):
        heading = f"Arrêté en vigueur à l'embauche : {order.reference} ({durations}). "
    else:
        heading = (
            f"Attention : aucun arrêté n'est connu en vigueur à l'embauche du {day:%d/%m/%Y} ; "
            f"le dernier connu, {order.reference}, était valable {order.validity_text} "
            f"({durations}). Les arrêtés sont fixés année par année (règle E1) : saisissez "
            "l'arrêté de l'année sur la page des arrêtés avant de confirmer. "
        )
    if order.demonstration:
        heading += "Cet arrêté est une donnée de démonstration, pas un arrêté réel (règle E1). "
    explanation = heading + (
        proposal.explanation
        if proposal is not None
        else "Aucune catégorie de l'arrêté ne correspond d'office à la situation connue : "
        "choisissez-la (règle E12)."
    )
    if training := eligibility.training_raise_text(order, with_training):
        explanation += " " + training
    return AidBoxProposal(order, proposal, initial, explanation)


# --- Rate and schedule (rules F6, E6, F12) ---------------------------------------------------


def rate_decision(convention: Convention) -> aid.RateDecision | None:
    if convention.prefect_rate_percent is None:
        return None
    return aid.decide_rate(
        convention.prefect_rate_percent,
        prescribed_for_department=convention.prescribed_for_department,
        department_rate_percent=convention.department_rate_percent,
        department_funds_alone=convention.department_funds_alone,
    )


def aid_terms(convention: Convention, rate: Decimal) -> list[aid.AidTerms]:
    """The modifications' new hours, from their effective dates (rule F12)."""
    terms = []
    for amendment in convention.amendments.all():
        if amendment.kind == Amendment.Kind.MODIFICATION and amendment.subsidised_hours:
            terms.append(aid.AidTerms(amendment.effective_from, rate, amendment.subsidised_hours))
    return terms


def schedule_missing(convention) -> list[str]:
    missing = []
    if convention.aid_start is None:
        missing.append("la date d'effet de la prise en charge")
    if convention.aid_end is None:
        missing.append("la date de fin de la prise en charge")
    if convention.subsidised_weekly_hours is None:
        missing.append("la durée hebdomadaire prise en charge")
    if convention.prefect_rate_percent is None:
        missing.append("le taux fixé par l'arrêté du préfet")
    return missing


@dataclass(frozen=True)
class ScheduleFacts:
    """Everything the aid schedule reads from a convention, as plain values.

    ``schedule_of`` builds it from a model instance (with its amendments, suspensions and
    rupture); the payment list builds it from a few ``values()`` queries over thousands of
    conventions, without instantiating a model per row (a month at département scale).
    """

    aid_start: datetime.date | None
    aid_end: datetime.date | None
    subsidised_weekly_hours: int | None
    subsidised_hours: Decimal | None
    prefect_rate_percent: Decimal | None
    prescribed_for_department: bool
    department_rate_percent: Decimal | None
    department_funds_alone: bool
    rupture_last_day: datetime.date | None
    suspensions: tuple[aid.Suspension, ...]
    # (effective_from, new subsidised hours) of each modification with hours (rule F12), in
    # the amendments' order.
    modifications: tuple[tuple[datetime.date, Decimal], ...]

    @classmethod
    def of(cls, convention: Convention) -> ScheduleFacts:
        rupture = convention.rupture_or_none()
        return cls(
            aid_start=convention.aid_start,
            aid_end=convention.aid_end,
            subsidised_weekly_hours=convention.subsidised_weekly_hours,
            subsidised_hours=convention.subsidised_hours,
            prefect_rate_percent=convention.prefect_rate_percent,
            prescribed_for_department=convention.prescribed_for_department,
            department_rate_percent=convention.department_rate_percent,
            department_funds_alone=convention.department_funds_alone,
            rupture_last_day=rupture.last_day if rupture is not None else None,
            suspensions=tuple(
                aid.Suspension(s.start, s.end, paid=s.paid, reason=s.get_reason_display())
                for s in convention.suspensions.all()
            ),
            modifications=tuple(
                (amendment.effective_from, amendment.subsidised_hours)
                for amendment in convention.amendments.all()
                if amendment.kind == Amendment.Kind.MODIFICATION and amendment.subsidised_hours
            ),
        )


def schedule_of(
    convention: Convention,
    *,
    until: datetime.date | None = None,
    since: datetime.date | None = None,
    smic=None,
) -> aid.AidSchedule:
    """The aid month by month (rules E6, F5, F6, F10, F12): raises ``aid.AidRuleError``.

    ``since`` and ``until`` restrict it to a window (the payment list of one month): each
    month of the window has the same amount as in the whole schedule, since a month depends
    only on its own days, the SMIC of its first covered day and the terms then in force."""
    if missing := schedule_missing(convention):
        raise aid.AidRuleError(
            "Le calendrier de l'aide ne peut pas être calculé : il manque "
            + ", ".join(missing)
            + " (cadre « prise en charge » de la convention)."
        )
    return schedule_from_facts(
        ScheduleFacts.of(convention), until=until, since=since, smic=smic or smic_series()
    )


def schedule_from_facts(
    facts: ScheduleFacts,
    *,
    until: datetime.date | None = None,
    since: datetime.date | None = None,
    memo: dict | None = None,
    smic=None,
) -> aid.AidSchedule:
    """``schedule_of`` on plain values: raises ``aid.AidRuleError``. ``smic`` is the SMIC
    series (``smic_series()``, read once by the caller of many schedules); the shipped one
    when None.

    ``memo``, a dict owned by the caller for one computation, keeps the schedules already
    computed: the rules are a pure function of their inputs (and of the SMIC series, fixed
    for the call), and in a month's payment list most conventions share the same window,
    rate, hours and funder shares, so each distinct case is computed once."""
    if missing := schedule_missing(facts):
        raise aid.AidRuleError(
            "Le calendrier de l'aide ne peut pas être calculé : il manque "
            + ", ".join(missing)
            + " (cadre « prise en charge » de la convention)."
        )
    rate_inputs = (
        facts.prefect_rate_percent,
        facts.prescribed_for_department,
        facts.department_rate_percent,
        facts.department_funds_alone,
    )
    rate_key = ("F6", *rate_inputs, str(facts.prefect_rate_percent), str(rate_inputs[2]))
    decision = memo.get(rate_key) if memo is not None else None
    if decision is None:
        decision = aid.decide_rate(
            facts.prefect_rate_percent,
            prescribed_for_department=facts.prescribed_for_department,
            department_rate_percent=facts.department_rate_percent,
            department_funds_alone=facts.department_funds_alone,
        )
        if memo is not None:
            memo[rate_key] = decision
    end = facts.aid_end
    if facts.rupture_last_day is not None:
        end = min(end, facts.rupture_last_day)
    if until is not None:
        end = min(end, until)
    start = facts.aid_start
    if since is not None and since > start:
        start = since
    hours = facts.subsidised_hours
    terms = []
    modifications = [
        aid.AidTerms(effective_from, decision.rate_percent, new_hours)
        for effective_from, new_hours in facts.modifications
    ]
    for t in sorted(modifications, key=lambda t: t.effective_from) if modifications else ():
        if not facts.aid_start < t.effective_from <= end:
            continue
        if t.effective_from <= start:
            hours = t.weekly_hours  # a modification already in force when the window opens
        else:
            terms.append(t)
    # A département rate above 47 % is its own business (rule F6): the cap of rule E6 binds
    # the prefect's rate, which the database already constrains.
    cap = max(aid.RATE_CAP_PERCENT, decision.rate_percent)
    arguments = (
        start,
        end,
        decision.rate_percent,
        hours,
        facts.suspensions,
        tuple(terms),
        decision.funder_shares,
        cap,
        smic,
    )
    if memo is not None:
        # Decimal("33") == Decimal("33.00"): the texts keep apart what the explanations
        # would print differently.
        # The SMIC series is one object for the whole computation: its identity suffices.
        key = (*arguments[:-1], id(smic), str(decision.rate_percent), str(hours), str(cap))
        if key not in memo:
            memo[key] = _schedule(*arguments)
        return memo[key]
    return _schedule(*arguments)


def _schedule(
    start, end, rate, hours, suspensions, terms, funder_shares, cap, smic
) -> aid.AidSchedule:
    return aid.aid_schedule(
        start,
        end,
        rate,
        hours,
        suspensions=suspensions,
        amendments=terms,
        funder_shares=funder_shares,
        cap_percent=cap,
        smic=smic,
    )


# --- Signing (rules A10, F2, F8) -------------------------------------------------------------


@dataclass(frozen=True)
class Parties:
    employee: bool
    employer: bool
    operator: bool
    rsa_adviser: bool

    @property
    def all_present(self) -> bool:
        return self.employee and self.employer and self.operator and self.rsa_adviser


def sign(convention: Convention, *, user, day: datetime.date, parties: Parties) -> Convention:
    """Record the signature and give the number; refuse while blocking findings remain."""
    if convention.is_signed:
        raise ConventionRefused(f"La convention est déjà signée (n° {convention.number}).")
    if not parties.all_present:
        raise ConventionRefused(
            "La convention se signe en présence du salarié, de l'employeur, de l'opérateur "
            "et du conseiller RSA (règle A10) : cochez les quatre présences."
        )
    findings = findings_of(convention, signature_date=day)
    blocking = eligibility.blocking_findings(findings)
    if blocking:
        raise ConventionRefused(
            plural(
                len(blocking),
                "La convention ne peut pas être signée : %(count)s point bloquant reste à "
                "corriger.",
                "La convention ne peut pas être signée : %(count)s points bloquants restent à "
                "corriger.",
            ),
            blocking,
        )
    with transaction.atomic():
        department = convention.territory.code
        convention.number_department = department
        convention.number_year = day.year
        convention.number_order = ConventionNumberSequence.allocate(department, day.year)
        convention.signed_on = day
        convention.signed_by = user
        convention.employee_present = parties.employee
        convention.employer_present = parties.employer
        convention.operator_present = parties.operator
        convention.rsa_adviser_present = parties.rsa_adviser
        convention.save()
    return convention


# --- Amendments (rules C5, C6, F2, F12) ------------------------------------------------------

VERSIONED_FIELDS = (
    "renewal_count",
    "modification_count",
    "planned_end",
    "aid_end",
    "weekly_hours",
    "weekly_minutes",
    "subsidised_weekly_hours",
    "subsidised_weekly_minutes",
)


def _version(convention: Convention) -> dict[str, object]:
    values = {}
    for name in VERSIONED_FIELDS:
        value = getattr(convention, name)
        values[name] = value.isoformat() if isinstance(value, datetime.date) else value
    values["number"] = convention.number
    return values


def check_amendable(
    convention: Convention, effective_from: datetime.date, *, renewal: bool = False
) -> None:
    if not convention.is_signed:
        raise ConventionRefused(
            "Un avenant ne porte que sur une convention signée (règle F2) : modifiez "
            "directement le brouillon."
        )
    rupture = convention.rupture_or_none()
    if rupture is not None:
        raise ConventionRefused(
            f"La convention a pris fin par la rupture du {rupture.last_day:%d/%m/%Y} : "
            "aucun avenant n'est possible (règle F13)."
        )
    # A renewal takes effect at the latest on the day after the current end (rule C5).
    last_day = convention.aid_end
    if last_day and renewal:
        last_day += datetime.timedelta(days=1)
    if last_day and effective_from > last_day:
        raise ConventionRefused(
            f"La convention a pris fin le {convention.aid_end:%d/%m/%Y} : un avenant prenant "
            f"effet le {effective_from:%d/%m/%Y} n'est pas possible ; rédigez une nouvelle "
            "convention (règle C5)."
        )


def amend(convention: Convention, amendment: Amendment, *, user) -> Amendment:
    """Apply a renewal or a modification; the checks re-run on the whole new duration."""
    check_amendable(
        convention, amendment.effective_from, renewal=amendment.kind == Amendment.Kind.RENEWAL
    )
    previous = _version(convention)
    if amendment.kind == Amendment.Kind.RENEWAL:
        if amendment.new_aid_end <= convention.aid_end:
            raise ConventionRefused(
                f"Le renouvellement doit prolonger la prise en charge au-delà du "
                f"{convention.aid_end:%d/%m/%Y} (règle C5)."
            )
        if not (amendment.employer_request_date and amendment.evaluation_done):
            raise ConventionRefused(
                "Une prolongation suppose une demande préalable de l'employeur et une "
                "évaluation des actions réalisées (règle C6) : renseignez la date de la demande "
                "et cochez l'évaluation."
            )
        # Rule C5: beyond 24 months, successive amendments of one year at most.
        yearly = eligibility.check_renewal(
            draft_of(convention), convention.aid_end, amendment.new_aid_end
        )
        if yearly:
            raise ConventionRefused(yearly[0].message, yearly)
        if amendment.continues_as_cdi:
            # Rule E6: the contract goes on as a CDI; the aid may run 9 more months.
            convention.continues_as_cdi = True
        convention.aid_end = amendment.new_aid_end
        if amendment.new_planned_end:
            convention.planned_end = amendment.new_planned_end
        convention.renewal_count += 1
    else:
        if convention.aid_start and amendment.effective_from <= convention.aid_start:
            raise ConventionRefused(
                "Un avenant de modification prend effet après le début de la prise en charge "
                f"({convention.aid_start:%d/%m/%Y}) (règle F12)."
            )
        if amendment.contract_hours is not None:
            convention.weekly_hours = amendment.new_contract_weekly_hours
            convention.weekly_minutes = amendment.new_contract_weekly_minutes
        convention.modification_count += 1
    # The checks see the whole convention as amended (the conventions and their aid: "checks re-run on the whole
    # duration"); the modified subsidised hours are checked against the contract hours.
    check_target = convention
    if amendment.kind == Amendment.Kind.MODIFICATION:
        check_target.subsidised_weekly_hours = amendment.new_subsidised_weekly_hours
        check_target.subsidised_weekly_minutes = amendment.new_subsidised_weekly_minutes
    blocking = eligibility.blocking_findings(findings_of(check_target))
    if blocking:
        raise ConventionRefused(
            "L'avenant ne peut pas être enregistré : la convention modifiée ne respecterait "
            "plus les règles.",
            blocking,
        )
    if amendment.kind == Amendment.Kind.MODIFICATION:
        # The initial subsidised hours stay on the convention: the schedule applies the
        # amendment from its effective date only (aid rule 4).
        convention.subsidised_weekly_hours = previous["subsidised_weekly_hours"]
        convention.subsidised_weekly_minutes = previous["subsidised_weekly_minutes"]
    amendment.convention = convention
    amendment.previous = previous
    amendment.renewal_number = convention.renewal_count
    amendment.modification_number = convention.modification_count
    amendment.created_by = user
    with transaction.atomic():
        convention.save()
        amendment.save()
        hooks.notify(hooks.CONVENTION_AMENDED, convention=convention)
    return amendment


def current_subsidised_hours(convention: Convention, day: datetime.date) -> Decimal | None:
    hours = convention.subsidised_hours
    for amendment in convention.amendments.all():
        if amendment.kind == Amendment.Kind.MODIFICATION and amendment.effective_from <= day:
            hours = hours_and_minutes(
                amendment.new_subsidised_weekly_hours, amendment.new_subsidised_weekly_minutes
            )
    return hours


# --- Ruptures and suspensions: one row per event (rules A14, C9, F12, F13) --------------------


def schedule_without_rupture(convention: Convention, *, smic=None) -> aid.AidSchedule:
    """The convention's whole schedule as if no rupture were recorded (the repayment of
    rule F13 counts the months up to the rupture being recorded, whatever its former date)."""
    if missing := schedule_missing(convention):
        raise aid.AidRuleError(
            "Le calendrier de l'aide ne peut pas être calculé : il manque "
            + ", ".join(missing)
            + " (cadre « prise en charge » de la convention)."
        )
    facts = replace(ScheduleFacts.of(convention), rupture_last_day=None)
    return schedule_from_facts(facts, smic=smic)


def repayment_of(convention: Convention, rupture: Rupture, *, smic=None) -> aid.Repayment:
    """Rule F13: the aid to repay after the rupture (all aid received up to it)."""
    smic = smic or smic_series()
    return aid.repayment_on_rupture(
        schedule_without_rupture(convention, smic=smic),
        rupture.last_day,
        employer_initiative=rupture.initiative == Rupture.Initiative.EMPLOYER,
        lawful_case=rupture.lawful_case,
        denounced_by_authority=rupture.initiative == Rupture.Initiative.AUTHORITY,
        smic=smic,
        # Rule F13: a CAE repays the exonerated contributions too, at the first due date.
        sector=convention.sector,
        exonerated_contributions=rupture.exonerated_contributions,
        employer_headcount=convention.employer.headcount_dec31,
    )


def compute_repayment(rupture: Rupture) -> None:
    """Rule F13 on the rupture's facts of the day (nothing to repay without a convention)."""
    convention = rupture.convention if rupture.convention_id else None
    if convention is None:
        rupture.repayment_due = Decimal("0.00")
        rupture.repayment_explanation = ""
        return
    try:
        repayment = repayment_of(convention, rupture)
    except aid.AidRuleError as error:
        raise ValidationError({"last_day": str(error)}) from None
    rupture.repayment_due = repayment.amount
    rupture.repayment_explanation = repayment.explanation


@transaction.atomic
def record_rupture(
    rupture: Rupture,
    *,
    convention: Convention | None = None,
    beneficiary: Beneficiary | None = None,
    user=None,
) -> Rupture:
    """Record a rupture — new, or changed — from any page or the API: the one row of the
    event (rules A14, E5, F12, F13).

    ``convention`` is the contract's convention (None for a contract signed outside
    Tremplin, then ``beneficiary`` names the person). Checks the rupture (``Rupture.clean``,
    a French ``ValidationError`` naming the fields), computes the repayment of rule F13,
    writes, puts it back in the département's work queue, and tells the apps above
    (``hooks.RUPTURE_CHANGED``: the support's deadlines, the exits) — one transaction."""
    if convention is not None:
        existing = convention.rupture_or_none()
        if existing is not None and existing.pk != rupture.pk:
            raise ValidationError(
                f"Une rupture est déjà enregistrée pour cette convention ({existing}) : "
                "modifiez-la plutôt que d'en déclarer une autre."
            )
        rupture.convention = convention
        rupture.beneficiary = convention.beneficiary
    elif beneficiary is not None:
        rupture.beneficiary = beneficiary
    if rupture.recorded_by_id is None and user is not None:
        rupture.recorded_by = user
    rupture.full_clean()
    compute_repayment(rupture)
    # A new or changed rupture is (again) for the département to take into account.
    rupture.acknowledged_at = None
    rupture.acknowledged_by = None
    rupture.save()
    if convention is not None:
        convention.rupture = rupture  # what the convention reads from now on
    hooks.notify(hooks.RUPTURE_CHANGED, rupture=rupture, withdrawn=False)
    return rupture


@transaction.atomic
def withdraw_rupture(rupture: Rupture) -> None:
    """A rupture recorded by mistake is withdrawn: the aid and the support's plan come back.
    The apps above are told first (``withdrawn=True``: they ignore the row), then it goes."""
    hooks.notify(hooks.RUPTURE_CHANGED, rupture=rupture, withdrawn=True)
    convention = rupture.convention if rupture.convention_id else None
    rupture.delete()
    if convention is not None:
        convention._state.fields_cache.pop("rupture", None)


@transaction.atomic
def record_suspension(suspension: Suspension, *, convention: Convention, user=None) -> Suspension:
    """Record a suspension — new or changed — from the convention's page, the support's page
    or the API (rules C9, F12): checked (``Suspension.clean``, French), written once, back in
    the département's work queue. The aid reads it (F12: no aid for the unpaid days)."""
    rupture = convention.rupture_or_none()
    if rupture is not None and suspension.start and suspension.start > rupture.last_day:
        raise ValidationError(
            {
                "start": f"Le contrat a été rompu le {rupture.last_day:%d/%m/%Y} : une suspension "
                "ne peut pas commencer après (règle C9)."
            }
        )
    suspension.convention = convention
    if suspension.recorded_by_id is None and user is not None:
        suspension.recorded_by = user
    suspension.full_clean()
    suspension.acknowledged_at = None
    suspension.acknowledged_by = None
    suspension.save()
    return suspension


@transaction.atomic
def record_employer_report(event: Suspension | Rupture, day: datetime.date) -> None:
    """Rule F12: the day the employer reported the suspension or the rupture (checked by
    ``EmployerReportForm`` and the database: never before the event)."""
    event.employer_report_date = day
    event.save(update_fields=["employer_report_date"])


@transaction.atomic
def acknowledge(event: Suspension | Rupture, *, user) -> None:
    """The département agent takes a reported suspension or rupture into account (its work
    queue): who and when. A rupture's repayment (F13) is computed again from the facts of
    the day, so that the amount the agent confirms is the current one. Already taken into
    account: nothing changes (who and when stay the first)."""
    if event.acknowledged_at is not None:
        return
    fields = ["acknowledged_at", "acknowledged_by"]
    if isinstance(event, Rupture):
        compute_repayment(event)
        fields += ["repayment_due", "repayment_explanation"]
    event.acknowledged_at = timezone.now()
    event.acknowledged_by = user
    event.save(update_fields=fields)


# --- Pre-filling from the registry (rule F1) -------------------------------------------------

SITUATION_FIELDS = (
    "education_level",
    "unemployed_for",
    "france_travail_registered",
    "france_travail_for",
    "receives_ass",
    "receives_rsa",
    "rsa_increased",
    "receives_aah",
    "receives_ata",
    "minimum_income_for",
    "disabled_worker",
)


def initial_from_registry(beneficiary: Beneficiary | None, employer: Employer | None) -> dict:
    """What the registry already knows, to pre-fill a new convention."""
    initial: dict[str, object] = {}
    if beneficiary is not None:
        initial["beneficiary"] = beneficiary.pk
        for name in SITUATION_FIELDS:
            initial[name] = getattr(beneficiary, name)
        initial["france_travail_id"] = beneficiary.france_travail_id
        initial["referent"] = beneficiary.referent_id
        initial["operator"] = beneficiary.operator_id
        initial["prescribed_for_department"] = beneficiary.receives_rsa
    if employer is not None:
        initial["employer"] = employer.pk
        initial["sector"] = (
            Convention.Sector.CAE
            if employer.sector == Employer.Sector.NON_MARKET
            else Convention.Sector.CIE
        )
        tutors = list(employer.tutors.all()[:2])
        if len(tutors) == 1:
            initial["tutor"] = tutors[0].pk
    return initial


# --- Quarterly proofs of activity (rules E6, F10) --------------------------------------------


@dataclass(frozen=True)
class ExpectedProof:
    quarter: int
    label: str
    due: datetime.date
    received_on: datetime.date | None

    def missing_on(self, day: datetime.date) -> bool:
        return self.received_on is None and self.due < day


def expected_proofs(convention: Convention) -> list[ExpectedProof]:
    """Every 3 months from the hire while the aid runs (the programmes' rule, E6)."""
    if not convention.is_signed or convention.hire_date is None or not convention.contract_type:
        return []
    rupture = convention.rupture_or_none()
    plan = quarterly_proof_plan(
        convention.hire_date,
        convention.contract_type,
        convention.planned_end,
        convention.aid_end,
        rupture.last_day if rupture is not None else None,
    )
    if plan is None:
        return []
    received = {proof.quarter: proof.received_on for proof in convention.proofs.all()}
    return proofs_with_receipts(plan, received)


def quarterly_proof_plan(
    hire_date: datetime.date,
    contract_type: str,
    planned_end: datetime.date | None,
    aid_end: datetime.date | None,
    rupture_last_day: datetime.date | None,
    memo: dict | None = None,
) -> tuple[tuple[int, str, datetime.date], ...] | None:
    """(quarter, label, due day) of each quarterly proof the programme asks for (rule E6);
    None when the programme cannot plan the support (its ``RuleError``).

    A pure function of its arguments: ``memo``, a dict the caller keeps for one computation,
    spares the plan of conventions hired the same day on the same terms (the payment list)."""
    if rupture_last_day is not None and aid_end is not None:
        aid_end = min(aid_end, rupture_last_day)
    key = (hire_date, contract_type, planned_end, aid_end)
    if memo is not None and key in memo:
        return memo[key]
    try:
        plan = programmes.in_employment_plan(
            programmes.InEmploymentFacts(
                contract_start=hire_date,
                contract_type=programmes.parse_contract_type(contract_type),
                contract_end=planned_end,
                aid_end=aid_end,
            )
        )
    except programmes.RuleError:
        proofs: tuple[tuple[int, str, datetime.date], ...] | None = None
    else:
        proofs = tuple(
            (int(item.code.rsplit("_", 1)[1]), item.label, item.due_day)
            for item in plan.deliverables
            if item.code.startswith("quarterly_proof_")
        )
    if memo is not None:
        memo[key] = proofs
    return proofs


def proofs_with_receipts(
    plan: tuple[tuple[int, str, datetime.date], ...],
    received: dict[int, datetime.date | None],
) -> list[ExpectedProof]:
    return [
        ExpectedProof(quarter, label, due, received.get(quarter)) for quarter, label, due in plan
    ]


def missing_proofs(convention: Convention, day: datetime.date | None = None) -> list[ExpectedProof]:
    day = day or timezone.localdate()
    return [proof for proof in expected_proofs(convention) if proof.missing_on(day)]


# --- The SMIC entered by the département (rules E1, F10) --------------------------------------


@transaction.atomic
def record_smic_value(value: SmicValue, *, user) -> SmicValue:
    """A new value of the hourly gross SMIC (audited), layered over the shipped series: the
    next schedules, payment lists and forecasts read it (``smic_series``)."""
    value.created_by = user
    value.full_clean()
    value.save()
    return value
