"""Convention checks: each finding cites its rule (C1–C13, E1–E12, F5, F8).

The baseline is the issue's example (CDD from 15 March 2025, 26 h a week, 47 %), with the
seed 002 order; each test changes one field and expects the finding of one rule.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules import eligibility, ruptures
from tremplin.rules.eligibility import (
    BLOCKING,
    WARNING,
    ConventionDraft,
    add_months,
    blocking_findings,
    check_convention,
    check_renewal,
    earliest_hire_after_dismissal,
    economic_dismissal_blocks,
    minimum_monthly_pay,
    signable,
)
from tremplin.rules.parameters import aid_order_in_force

D = datetime.date
HIRE = D(2025, 3, 15)
# Seed 002's order (Rhône-Alpes, 28 July 2017, valid through 2017), its validity moved to the
# example's year: the terms are the seed's, only the dates are the test's (rule E1: an order
# is fixed year by year).
SEED_ORDER = aid_order_in_force("84", D(2017, 7, 28))
ORDER = dataclasses.replace(SEED_ORDER, valid_from=D(2025, 1, 1), valid_until=D(2025, 12, 31))

VALID = ConventionDraft(
    sector="CIE",
    employer_status="99",
    unemployment_insurance="unedic",
    last_economic_dismissal=None,
    replaces_dismissed_employee=False,
    contributions_up_to_date=True,
    employee_without_employment=True,
    contract_type="CDD",
    hire_date=HIRE,
    planned_end=D(2025, 12, 14),  # 9 months: the order's minimum for an aided CDD (E12)
    contract_weekly_hours=Decimal(26),
    # 11,88 × 26 × 52 / 12 = 308,88 × 52 / 12 = 16 061,76 / 12 = 1 338,48 €
    gross_monthly_pay=Decimal("1338.48"),
    tutor_named=True,
    tutor_experience_years=Decimal(5),
    tutor_employees_followed=1,
    signature_date=D(2025, 3, 10),
    aid_start=HIRE,
    aid_end=D(2025, 9, 14),  # 6 months of aid for a CDD (E12)
    subsidised_weekly_hours=Decimal(26),
    rate_percent=Decimal(47),
    order=ORDER,
)


def findings_of(**changes):
    return check_convention(dataclasses.replace(VALID, **changes))


def only(findings, rule):
    return [finding for finding in findings if finding.rule == rule]


def assert_one(findings, rule, severity, field):
    matching = only(findings, rule)
    assert [(f.severity, f.field) for f in matching] == [(severity, field)], findings
    assert "règle" in matching[0].message  # the sentence cites its rule


def test_valid_convention_has_no_finding():
    assert check_convention(VALID) == []


def test_empty_draft_is_checked_without_error():
    assert check_convention(ConventionDraft()) == []


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2025, 3, 15), -6) == D(2024, 9, 15)


# C1
def test_person_in_employment_is_blocked():
    assert_one(
        findings_of(employee_without_employment=False),
        "C1",
        BLOCKING,
        "employee_without_employment",
    )


# C2
def test_cae_with_a_company_is_blocked():
    assert_one(findings_of(sector="CAE", employer_status="99"), "C2", BLOCKING, "employer_status")


@pytest.mark.parametrize("status", ["10", "50", "60", "80"])
def test_cae_employers_allowed(status):
    assert only(findings_of(sector="CAE", employer_status=status), "C2") == []


def test_cie_with_a_self_insured_public_employer_is_blocked():
    assert_one(
        findings_of(unemployment_insurance="self_insured"), "C2", BLOCKING, "unemployment_insurance"
    )


def test_cie_employer_group_is_allowed():
    assert only(findings_of(employer_status="98", unemployment_insurance=None), "C2") == []


# C3 / E2
def test_economic_dismissal_within_six_months_blocks_a_cie():
    # Hire 15/03/2025: the 6 months before start on 15/09/2024.
    assert_one(
        findings_of(last_economic_dismissal=D(2024, 9, 15)),
        "C3",
        BLOCKING,
        "last_economic_dismissal",
    )
    assert only(findings_of(last_economic_dismissal=D(2024, 9, 14)), "C3") == []


def test_c3_message_agrees_with_its_check_at_the_seeds_boundary():
    # Seed 001: no CIE « avec un établissement ayant procédé à un licenciement économique
    # dans les 6 mois précédant la date d'embauche ». The 6 months before a hire on
    # 15/09/2025 start on 15/03/2025: a dismissal that day is within them.
    dismissal = D(2025, 3, 15)
    blocked = findings_of(
        last_economic_dismissal=dismissal,
        hire_date=D(2025, 9, 15),
        signature_date=D(2025, 9, 10),
        aid_start=D(2025, 9, 15),
        aid_end=D(2026, 3, 14),
        planned_end=D(2026, 6, 14),
    )
    assert_one(blocked, "C3", BLOCKING, "last_economic_dismissal")
    message = only(blocked, "C3")[0].message
    # The message used to say « à partir du 15/09/2025 », the very day it blocked.
    assert "à partir du 16/09/2025" in message and "15/09/2025" in message
    free = findings_of(
        last_economic_dismissal=dismissal,
        hire_date=D(2025, 9, 16),
        signature_date=D(2025, 9, 10),
        aid_start=D(2025, 9, 16),
        aid_end=D(2026, 3, 15),
        planned_end=D(2026, 6, 15),
    )
    assert only(free, "C3") == []


def test_earliest_hire_after_a_dismissal_at_the_end_of_a_month():
    # 29/02/2024 + 6 months = 29/08/2024; 30/08 and 31/08 go back 6 months to 29/02 too
    # (clamped): the first free hire is 01/09/2024.
    assert earliest_hire_after_dismissal(D(2024, 2, 29)) == D(2024, 9, 1)
    assert economic_dismissal_blocks(D(2024, 2, 29), D(2024, 8, 31))
    assert earliest_hire_after_dismissal(D(2025, 3, 15)) == D(2025, 9, 16)


@given(
    dismissal=st.dates(min_value=D(2010, 1, 1), max_value=D(2030, 12, 31)),
    offset=st.integers(-30, 400),
)
def test_c3_check_and_message_always_agree(dismissal, offset):
    hire = dismissal + datetime.timedelta(days=offset)
    earliest = earliest_hire_after_dismissal(dismissal)
    # The day the message names is free and the day before it is not.
    assert not economic_dismissal_blocks(dismissal, earliest)
    assert economic_dismissal_blocks(dismissal, earliest - datetime.timedelta(days=1))
    # Every hire from the dismissal on is blocked exactly before that day.
    if hire >= dismissal:
        assert economic_dismissal_blocks(dismissal, hire) == (hire < earliest)
    findings = check_convention(
        ConventionDraft(sector="CIE", last_economic_dismissal=dismissal, hire_date=hire)
    )
    c3 = only(findings, "C3")
    assert bool(c3) == economic_dismissal_blocks(dismissal, hire)
    if c3:
        assert f"à partir du {earliest:%d/%m/%Y}" in c3[0].message
        assert earliest > hire


def test_economic_dismissal_does_not_concern_a_cae():
    draft = findings_of(sector="CAE", employer_status="50", last_economic_dismissal=D(2025, 1, 1))
    assert only(draft, "C3") == []


def test_replacement_and_late_contributions_block_a_cie():
    assert_one(
        findings_of(replaces_dismissed_employee=True), "C3", BLOCKING, "replaces_dismissed_employee"
    )
    assert_one(
        findings_of(contributions_up_to_date=False), "C3", BLOCKING, "contributions_up_to_date"
    )


# C7 / E3: CDD of at least 6 months (3 for a sentence adjustment)
def test_cdd_minimum_duration():
    short = findings_of(planned_end=D(2025, 9, 13), aid_end=D(2025, 9, 13), order=None)
    assert_one(short, "C7", BLOCKING, "planned_end")
    assert only(findings_of(planned_end=D(2025, 9, 14), order=None), "C7") == []
    adjusted = findings_of(
        planned_end=D(2025, 6, 14), aid_end=D(2025, 6, 14), sentence_adjustment=True, order=None
    )
    assert only(adjusted, "C7") == []


def test_cdd_without_end_date_is_blocked():
    assert_one(findings_of(planned_end=None), "C7", BLOCKING, "planned_end")


# C5 / C7 / E3: at most 24 months, 60 with a derogation
def test_cdd_maximum_duration_and_derogations():
    ok = findings_of(planned_end=D(2027, 3, 14))
    assert only(ok, "C5") == []
    too_long = findings_of(planned_end=D(2027, 3, 15))
    assert_one(too_long, "C5", BLOCKING, "planned_end")
    assert only(findings_of(planned_end=D(2027, 3, 15), disabled_worker=True), "C5") == []
    assert only(findings_of(planned_end=D(2027, 3, 15), aged_58_plus=True), "C5") == []
    both = findings_of(planned_end=D(2027, 3, 15), aged_50_plus=True, receives_minimum_income=True)
    assert only(both, "C5") == []
    # 50+ without RSA/ASS/ATA/AAH: seeds 001 (C5) and 002 (E3) differ, the agent checks.
    assert_one(
        findings_of(planned_end=D(2027, 3, 15), aged_50_plus=True), "C5", WARNING, "planned_end"
    )
    beyond_five_years = findings_of(planned_end=D(2030, 3, 15), disabled_worker=True)
    assert_one(beyond_five_years, "C5", BLOCKING, "planned_end")


def test_training_derogation_stops_at_the_end_of_the_training():
    draft = findings_of(
        planned_end=D(2027, 6, 30), training_in_progress=True, training_end=D(2027, 5, 31)
    )
    assert_one(draft, "C5", BLOCKING, "planned_end")


# C5: convention not beyond the contract
def test_convention_beyond_the_contract_is_blocked():
    draft = findings_of(aid_end=D(2025, 12, 15), order=None)
    assert_one(draft, "C5", BLOCKING, "aid_end")


def test_aid_before_the_hire_is_blocked():
    assert_one(findings_of(aid_start=D(2025, 3, 14)), "C5", BLOCKING, "aid_start")


# C8 / E4: 20 to 35 hours
def test_weekly_hours_bounds_and_exceptions():
    below = findings_of(
        contract_weekly_hours=Decimal(19),
        subsidised_weekly_hours=Decimal(19),
        gross_monthly_pay=Decimal(2000),
        order=None,
    )
    assert_one(below, "C8", BLOCKING, "contract_weekly_hours")
    for exception in ({"aged_58_plus": True}, {"ass_beneficiary": True}):
        draft = findings_of(
            contract_weekly_hours=Decimal(19),
            subsidised_weekly_hours=Decimal(19),
            gross_monthly_pay=Decimal(2000),
            order=None,
            **exception,
        )
        assert only(draft, "C8") == []
    above = findings_of(contract_weekly_hours=Decimal(36), gross_monthly_pay=Decimal(2000))
    assert_one(above, "C8", BLOCKING, "contract_weekly_hours")


def test_varying_hours_only_in_a_public_cae():
    assert_one(findings_of(variable_weekly_hours=True), "C8", BLOCKING, "variable_weekly_hours")
    public_cae = findings_of(
        sector="CAE",
        employer_status="10",
        variable_weekly_hours=True,
        contract_weekly_hours=Decimal(18),
        subsidised_weekly_hours=Decimal(18),
        gross_monthly_pay=Decimal(2000),
        order=None,
    )
    assert_one(public_cae, "C8", WARNING, "contract_weekly_hours")


# F5 and E12: subsidised hours
def test_subsidised_hours_lower_than_contract_hours_are_allowed():
    # Seed 003's example: a 30-hour CUI supported on 25 hours.
    draft = findings_of(
        contract_weekly_hours=Decimal(30),
        subsidised_weekly_hours=Decimal(25),
        gross_monthly_pay=Decimal(2000),
    )
    assert draft == []


def test_subsidised_hours_above_contract_hours_are_blocked():
    draft = findings_of(contract_weekly_hours=Decimal(25), subsidised_weekly_hours=Decimal(30))
    assert_one(draft, "F5", BLOCKING, "subsidised_weekly_hours")


def test_subsidised_hours_outside_the_order_bounds_are_blocked():
    draft = findings_of(subsidised_weekly_hours=Decimal(19))
    assert_one(draft, "E12", BLOCKING, "subsidised_weekly_hours")


# E9: pay at least the SMIC for the hours
def test_minimum_pay_matches_the_decree_figures():
    # Décret n° 2024-951: 11,88 € an hour, 1 801,80 € a month for 35 hours.
    assert minimum_monthly_pay(Decimal("11.88"), Decimal(35)) == Decimal("1801.80")
    # Décret n° 2025-1228: 12,02 € an hour, 1 823,03 € a month for 35 hours.
    assert minimum_monthly_pay(Decimal("12.02"), Decimal(35)) == Decimal("1823.03")


def test_pay_below_the_smic_is_blocked():
    assert_one(
        findings_of(gross_monthly_pay=Decimal("1338.47")), "E9", BLOCKING, "gross_monthly_pay"
    )


def test_pay_below_a_later_smic_is_a_warning():
    # Contract to 14/03/2026: from 01/01/2026 the minimum is 12,02 × 26 × 52 / 12
    #   = 312,52 × 52 / 12 = 16 251,04 / 12 = 1 354,2533 → 1 354,25 €.
    draft = findings_of(planned_end=D(2026, 3, 14))
    assert_one(draft, "E9", WARNING, "gross_monthly_pay")
    assert "1\u202f354,25 €" in only(draft, "E9")[0].message
    assert (
        only(findings_of(planned_end=D(2026, 3, 14), gross_monthly_pay=Decimal("1354.25")), "E9")
        == []
    )


# C12 and F8: tutor
def test_tutor_rules():
    assert_one(
        findings_of(tutor_experience_years=Decimal("1.5")),
        "C12",
        BLOCKING,
        "tutor_experience_years",
    )
    assert only(findings_of(tutor_experience_years=Decimal(2)), "C12") == []
    assert_one(findings_of(tutor_employees_followed=4), "C12", BLOCKING, "tutor_employees_followed")
    assert only(findings_of(tutor_employees_followed=3), "C12") == []
    assert_one(findings_of(tutor_is_employer=True), "C12", BLOCKING, "employer_tutor_authorised")
    authorised = findings_of(tutor_is_employer=True, employer_tutor_authorised=True)
    assert only(authorised, "C12") == []
    assert_one(findings_of(tutor_named=False), "F8", WARNING, "tutor_named")


# C13: immersions
CAE = {"sector": "CAE", "employer_status": "50", "order": None, "planned_end": D(2025, 9, 14)}


def test_immersions_only_in_a_cae():
    draft = findings_of(immersions=((D(2025, 4, 1), D(2025, 4, 30)),))
    assert_one(draft, "C13", BLOCKING, "immersions")
    assert only(findings_of(immersions=((D(2025, 4, 1), D(2025, 4, 30)),), **CAE), "C13") == []


def test_each_immersion_lasts_at_most_one_month():
    draft = findings_of(immersions=((D(2025, 4, 1), D(2025, 5, 1)),), **CAE)
    assert_one(draft, "C13", BLOCKING, "immersions")


def test_immersions_total_at_most_a_quarter_of_the_contract():
    # Contract 15/03/2025–14/09/2025: 17 + 30 + 31 + 30 + 31 + 31 + 14 = 184 days; 25 % = 46.
    thirty = (D(2025, 4, 1), D(2025, 4, 30))
    assert (
        only(findings_of(immersions=(thirty, (D(2025, 6, 1), D(2025, 6, 16))), **CAE), "C13") == []
    )  # 30 + 16 = 46 days
    draft = findings_of(immersions=(thirty, (D(2025, 6, 1), D(2025, 6, 17))), **CAE)
    assert_one(draft, "C13", BLOCKING, "immersions")  # 30 + 17 = 47 days


# F8 / E10: signature before the hire
def test_hire_before_signature_is_blocked():
    assert_one(findings_of(signature_date=D(2025, 3, 16)), "F8", BLOCKING, "hire_date")
    assert only(findings_of(signature_date=HIRE), "F8") == []


# E6 and E12: rate and aid duration
def test_rate_above_the_cap_is_blocked():
    assert_one(findings_of(rate_percent=Decimal("47.5")), "E6", BLOCKING, "rate_percent")


def test_rate_outside_the_order_categories_is_a_warning():
    assert_one(findings_of(rate_percent=Decimal(40)), "E12", WARNING, "rate_percent")


def test_order_durations():
    # CDD shorter than 9 months: not supported by the order.
    short = findings_of(planned_end=D(2025, 12, 13))
    assert_one(short, "E12", BLOCKING, "planned_end")
    # CDD: at most 6 months of aid.
    assert_one(findings_of(aid_end=D(2025, 9, 15)), "E12", BLOCKING, "aid_end")
    # CDI: at most 12 months of aid.
    cdi = {"contract_type": "CDI", "planned_end": None}
    assert only(findings_of(aid_end=D(2026, 3, 14), **cdi), "E12") == []
    assert_one(findings_of(aid_end=D(2026, 3, 15), **cdi), "E12", BLOCKING, "aid_end")


def test_without_order_the_aid_is_limited_to_12_months():
    cdi = {"contract_type": "CDI", "planned_end": None, "order": None}
    assert only(findings_of(aid_end=D(2026, 3, 14), **cdi), "E6") == []
    assert_one(findings_of(aid_end=D(2026, 3, 15), **cdi), "E6", BLOCKING, "aid_end")
    assert only(findings_of(aid_end=D(2026, 3, 15), disabled_worker=True, **cdi), "E6") == []


def test_order_not_yet_in_force_is_a_warning():
    draft = findings_of(
        hire_date=D(2017, 7, 1),
        signature_date=D(2017, 6, 30),
        aid_start=D(2017, 7, 1),
        aid_end=D(2017, 12, 31),
        planned_end=D(2018, 3, 31),
        gross_monthly_pay=Decimal(2000),
    )
    assert_one(draft, "E1", WARNING, "order")


def test_blocking_findings_filter():
    findings = findings_of(tutor_named=False, rate_percent=Decimal(48))
    assert [f.rule for f in blocking_findings(findings)] == ["E6"]


# E1: the order proposed must be in force at the hire
def test_an_order_past_its_validity_is_a_warning_that_names_it():
    # Seed 002's order as shipped (valid through 2017) proposed for a hire in 2025.
    draft = findings_of(order=SEED_ORDER)
    assert_one(draft, "E1", WARNING, "order")
    message = only(draft, "E1")[0].message
    assert "du 28/07/2017 au 31/12/2017" in message and "2025" in message
    assert signable(draft)  # a warning: the agent checks, nothing is blocked


def test_a_demonstration_order_is_said_to_be_one():
    demo = dataclasses.replace(ORDER, demonstration=True)
    assert_one(findings_of(order=demo), "E1", WARNING, "order")
    assert "démonstration" in only(findings_of(order=demo), "E1")[0].message


# E4: below 20 h for people aged 58+ and ASS beneficiaries, unless the order is stricter
def test_short_hours_exception_meets_a_stricter_order():
    # Seed 002: « durée minimale de 20h hebdomadaire (exception pour les salariés de 58 ans
    # et plus, les bénéficiaires de l'allocation de solidarité spécifique) » and « des
    # conditions particulières (plus strictes) peuvent résulter de l'arrêté préfectoral »:
    # the order supports 20 to 35 hours only.
    short = {
        "contract_weekly_hours": Decimal(15),
        "subsidised_weekly_hours": Decimal(15),
        "gross_monthly_pay": Decimal(2000),
    }
    for exception in ({"aged_58_plus": True}, {"ass_beneficiary": True}):
        with_order = findings_of(**short, **exception)
        assert only(with_order, "C8") == []  # the law allows it (E4)
        assert only(with_order, "E12") == []  # said once, by the E4 finding
        assert_one(with_order, "E4", BLOCKING, "contract_weekly_hours")
        assert "plus strict" in only(with_order, "E4")[0].message
        assert findings_of(**short, **exception, order=None) == []
    # Without the exception, the law itself refuses it (C8), whatever the order.
    assert_one(findings_of(**short, order=None), "C8", BLOCKING, "contract_weekly_hours")


# E9: the hourly wage of the check from outside
def test_hourly_wage_below_the_smic_at_the_hire_is_blocked():
    # 11,88 € an hour from 1 November 2024 (décret n° 2024-951): 11,87 € is below it.
    assert_one(findings_of(hourly_gross_wage=Decimal("11.87")), "E9", BLOCKING, "hourly_gross_wage")
    assert only(findings_of(hourly_gross_wage=Decimal("11.88")), "E9") == []


def test_hourly_wage_below_a_later_smic_is_a_warning():
    # A CDD to 14/12/2025 at 11,90 €: above 11,88 €, but no SMIC rise before its end.
    assert only(findings_of(hourly_gross_wage=Decimal("11.90")), "E9") == []
    # Contract to 14/03/2026 at 11,90 €: the SMIC rises to 12,02 € on 01/01/2026.
    later = findings_of(
        hourly_gross_wage=Decimal("11.90"),
        gross_monthly_pay=None,  # the check from outside gives the hourly wage only
        planned_end=D(2026, 3, 14),
        aid_end=D(2025, 9, 14),
    )
    assert_one(later, "E9", WARNING, "hourly_gross_wage")
    assert "01/01/2026" in only(later, "E9")[0].message


# E11: training written in the convention may raise the aid (from the order)
def test_seed_002_order_gives_no_raise_for_training():
    # The order's table has no raise for training: with a training written in the
    # convention, a rate above every category is not explained by E11.
    draft = findings_of(rate_percent=Decimal(47), training_planned=True)
    assert draft == []
    assert eligibility.training_raise(ORDER, True) == 0
    assert "ne prévoit aucune majoration" in eligibility.training_raise_text(ORDER, True)
    assert eligibility.training_raise_text(ORDER, False) == ""
    cas_1 = dataclasses.replace(
        ORDER, categories=tuple(c for c in ORDER.categories if c.code == "cas_1")
    )
    above = findings_of(order=cas_1, rate_percent=Decimal(30), training_planned=True)
    assert_one(above, "E11", WARNING, "rate_percent")


def test_an_order_raise_for_training_is_added_up_to_the_cap():
    # A fictitious order adding 5 points for a training: Cas 1 25 % → 30 %, Cas 4 47 % stays
    # at the 47 % cap (rule E6).
    raising = dataclasses.replace(ORDER, training_raise_percent=Decimal(5))
    assert eligibility.raised_rate(raising, Decimal(25), True) == Decimal(30)
    assert eligibility.raised_rate(raising, Decimal(47), True) == Decimal(47)
    assert eligibility.raised_rate(raising, Decimal(25), False) == Decimal(25)
    assert (
        only(findings_of(order=raising, rate_percent=Decimal(30), training_planned=True), "E12")
        == []
    )
    assert_one(
        findings_of(order=raising, rate_percent=Decimal(30), training_planned=False),
        "E12",
        WARNING,
        "rate_percent",
    )


# E6: at most 9 more months of aid by amendment when the contract continues as a CDI
def test_cdi_continuation_extends_the_aid_by_nine_months_at_most():
    # CDD aided 6 months by the order; continuing as a CDI: 6 + 9 = 15 months, from
    # 15/03/2025 to 14/06/2026 at the latest.
    cdi = {"continues_as_cdi": True, "planned_end": D(2025, 12, 14)}
    assert only(findings_of(aid_end=D(2026, 6, 14), **cdi), "E12") == []
    assert only(findings_of(aid_end=D(2026, 6, 14), **cdi), "C5") == []  # beyond the CDD term
    too_long = findings_of(aid_end=D(2026, 6, 15), **cdi)
    assert_one(too_long, "E12", BLOCKING, "aid_end")
    assert "9 mois en CDI" in only(too_long, "E12")[0].message
    # Without the continuation, the message says the extension exists.
    plain_cdd = only(findings_of(aid_end=D(2025, 9, 15)), "E12")[0].message
    assert "prolongée de 9 mois au plus" in plain_cdd


# C5: beyond 24 months for the publics it names, by yearly amendments, up to 5 years
def test_aci_exception_for_people_aged_50_and_more_is_a_warning():
    # Seed 001: « à titre exceptionnel, les salariés âgés de 50 ans minimum à l'échéance des
    # 24 mois … embauchés dans les ateliers et chantiers d'insertion ».
    long_cdd = {"planned_end": D(2027, 3, 15), "aged_50_plus": True, "order": None}
    aci = findings_of(employer_is_aci=True, **long_cdd)
    assert_one(aci, "C5", WARNING, "planned_end")
    assert "à titre exceptionnel" in only(aci, "C5")[0].message


def test_renewals_beyond_24_months_are_yearly():
    th = dataclasses.replace(VALID, disabled_worker=True, aid_end=D(2027, 3, 14))
    # Convention from 15/03/2025 to 14/03/2027 (24 months): one more year to 14/03/2028 is
    # allowed, a renewal to 15/03/2028 is more than a year.
    assert check_renewal(th, D(2027, 3, 14), D(2028, 3, 14)) == []
    too_long = check_renewal(th, D(2027, 3, 14), D(2028, 3, 15))
    assert [(f.rule, f.severity) for f in too_long] == [("C5", BLOCKING)]
    assert "14/03/2028" in too_long[0].message
    # Within the first 24 months, any length (rule C5's ordinary extensions).
    assert check_renewal(th, D(2025, 9, 14), D(2027, 3, 14)) == []
    # Without one of C5's publics, beyond 24 months is check_convention's refusal, not this.
    assert check_renewal(VALID, D(2027, 3, 14), D(2028, 6, 1)) == []


# E5: the employee's grounds for ending a CDD early
def test_employee_ending_a_cdd_early_records_a_lawful_ground():
    rupture = {"rupture_last_day": D(2025, 6, 30), "rupture_by_employee": True}
    for ground in (ruptures.GROUND_CDI, ruptures.GROUND_CDD, ruptures.GROUND_TRAINING):
        assert findings_of(rupture_employee_ground=ground, **rupture) == []
    # On the convention, a warning: the rupture is already recorded (its form refuses a
    # missing ground; one recorded before the ground was asked only lacks it).
    missing = findings_of(**rupture)
    assert_one(missing, "E5", WARNING, "employee_ground")
    other = findings_of(rupture_employee_ground=ruptures.GROUND_NONE, **rupture)
    assert_one(other, "E5", WARNING, "employee_ground")
    # E5 concerns a CDD ended by the employee only.
    assert findings_of(rupture_last_day=D(2025, 6, 30)) == []
