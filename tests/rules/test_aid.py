"""The monthly aid schedule (rules E6, E12, F5, F6, F12, F13).

Golden amounts are worked by hand in the comments, from the SMIC of the decrees (11,88 € from
1 November 2024, décret n° 2024-951; 12,02 € from 1 January 2026, décret n° 2025-1228) and
the issue's example (47 %, 26 h, 15 March to 14 September 2025).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tremplin.rules.aid import (
    FUNDER_DEPARTMENT,
    FUNDER_STATE,
    AidRuleError,
    AidTerms,
    FunderShare,
    PersonSituation,
    Suspension,
    aid_schedule,
    decide_rate,
    monthly_cap,
    propose_category,
    repayment_on_rupture,
)
from tremplin.rules.parameters import aid_order_in_force, series

D = datetime.date
# Seed 002's order (rule E12), as shipped: in force in 2017 (rule E1).
SEED_ORDER = aid_order_in_force("84", datetime.date(2017, 7, 28))
START, END = D(2025, 3, 15), D(2025, 9, 14)


def amounts(schedule):
    return {month.month: month.amount for month in schedule.months}


# --- Golden cases ----------------------------------------------------------------------------

# Full month: 47 % × 11,88 × 26 × 52 / 12
#   0,47 × 11,88 = 5,5836 ; × 26 = 145,1736 ; × 52 = 7 549,0272 ; / 12 = 629,0856 → 629,09 €
FULL_MONTH_2025 = Decimal("629.09")
# March 2025 from the 15th: 17 days of 31 → 629,0856 × 17 / 31 = 10 694,4552 / 31
#   = 344,9824… → 344,98 €
MARCH_2025 = Decimal("344.98")
# September 2025 to the 14th: 14 days of 30 → 629,0856 × 14 / 30 = 8 807,1984 / 30
#   = 293,5733 → 293,57 €
SEPTEMBER_2025 = Decimal("293.57")


def test_issue_example_month_by_month():
    schedule = aid_schedule(START, END, Decimal(47), Decimal(26))
    assert amounts(schedule) == {
        "2025-03": MARCH_2025,
        "2025-04": FULL_MONTH_2025,
        "2025-05": FULL_MONTH_2025,
        "2025-06": FULL_MONTH_2025,
        "2025-07": FULL_MONTH_2025,
        "2025-08": FULL_MONTH_2025,
        "2025-09": SEPTEMBER_2025,
    }
    # 344,98 + 5 × 629,09 + 293,57 = 344,98 + 3 145,45 + 293,57 = 3 784,00 €
    assert schedule.total == Decimal("3784.00")
    march = schedule.months[0]
    assert (march.days_covered, march.days_in_month, march.smic_hourly) == (
        17,
        31,
        Decimal("11.88"),
    )
    assert "17/31" in march.explanation and "344,98 €" in march.explanation


def test_unpaid_suspension_days_are_not_covered():
    suspension = Suspension(D(2025, 5, 1), D(2025, 5, 10))
    schedule = aid_schedule(START, END, Decimal(47), Decimal(26), suspensions=[suspension])
    may = schedule.months[2]
    # May: 31 − 10 suspended = 21 days → 629,0856 × 21 / 31 = 13 210,7976 / 31 = 426,1548
    #   → 426,15 €
    assert (may.days_covered, may.suspended_days, may.amount) == (21, 10, Decimal("426.15"))
    assert "F12" in may.explanation
    # 3 784,00 − 629,09 + 426,15 = 3 581,06 €
    assert schedule.total == Decimal("3581.06")


def test_paid_suspension_keeps_the_aid():
    suspension = Suspension(D(2025, 5, 1), D(2025, 5, 10), paid=True)
    schedule = aid_schedule(START, END, Decimal(47), Decimal(26), suspensions=[suspension])
    assert schedule.total == Decimal("3784.00")


def test_each_month_uses_the_smic_of_its_first_covered_day():
    schedule = aid_schedule(D(2025, 12, 1), D(2026, 1, 31), Decimal(47), Decimal(26))
    december, january = schedule.months
    assert december.smic_hourly == Decimal("11.88")
    assert january.smic_hourly == Decimal("12.02")
    # January 2026: 0,47 × 12,02 = 5,6494 ; × 26 = 146,8844 ; × 52 = 7 637,9888 ; / 12
    #   = 636,4990… → 636,50 €
    assert january.amount == Decimal("636.50")
    assert "2025-1228" in january.smic_source


def test_aid_months_since_june_2026_use_the_revalued_smic():
    # The SMIC rose to 12,31 € on 1 June 2026 (arrêté du 22 mai 2026).
    schedule = aid_schedule(D(2026, 5, 1), D(2026, 6, 30), Decimal(47), Decimal(26))
    may, june = schedule.months
    assert (may.smic_hourly, june.smic_hourly) == (Decimal("12.02"), Decimal("12.31"))
    # June 2026: 0,47 × 12,31 = 5,7857 ; × 26 = 150,4282 ; × 52 = 7 822,2664 ; / 12
    #   = 651,8555… → 651,86 € (May, at 12,02 €: 636,50 €, 2,4 % less)
    assert (may.amount, june.amount) == (Decimal("636.50"), Decimal("651.86"))
    assert "22 mai 2026" in june.smic_source


def test_amendment_splits_the_month_and_rounds_once():
    # Hours raised from 26 to 30 on 16 June 2025 (F12: a change of hours is an amendment).
    schedule = aid_schedule(
        START,
        END,
        Decimal(47),
        Decimal(26),
        amendments=[AidTerms(D(2025, 6, 16), Decimal(47), Decimal(30))],
    )
    june = schedule.months[3]
    # 15 days at 26 h: 629,0856 × 15/30 = 314,5428
    # 15 days at 30 h: 0,47 × 11,88 × 30 × 52 / 12 = 725,868 ; × 15/30 = 362,934
    # Sum 677,4768 → 677,48 € (rounding each part first would give 314,54 + 362,93 = 677,47).
    assert june.amount == Decimal("677.48")
    assert len(june.segments) == 2 and "avenant du 16/06/2025" in june.explanation
    # July at 30 h: 725,868 → 725,87 €
    assert schedule.months[4].amount == Decimal("725.87")


def test_monthly_cap_is_47_percent_of_35_hours():
    # 0,47 × 11,88 × 35 = 195,426 ; × 52 = 10 162,152 ; / 12 = 846,846 → 846,85 €
    assert monthly_cap(Decimal("11.88")) == Decimal("846.85")


def test_one_day_period():
    schedule = aid_schedule(D(2025, 3, 31), D(2025, 3, 31), Decimal(47), Decimal(26))
    # 629,0856 / 31 = 20,2931 → 20,29 €
    assert schedule.total == Decimal("20.29")


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"end": D(2025, 3, 14)}, "C5"),
        ({"rate_percent": Decimal("47.01")}, "E6"),
        ({"rate_percent": Decimal(0)}, "E6"),
        ({"weekly_hours": Decimal("35.5")}, "C8"),
        ({"suspensions": [Suspension(D(2025, 5, 10), D(2025, 5, 1))]}, "C9"),
    ],
)
def test_bad_input_is_refused_with_the_rule(kwargs, rule):
    arguments = {
        "start": START,
        "end": END,
        "rate_percent": Decimal(47),
        "weekly_hours": Decimal(26),
    } | kwargs
    with pytest.raises(AidRuleError) as error:
        aid_schedule(**arguments)
    assert error.value.rule == rule


def test_amendment_after_the_end_is_refused():
    with pytest.raises(AidRuleError, match="après la fin"):
        aid_schedule(
            START,
            END,
            Decimal(47),
            Decimal(26),
            amendments=[AidTerms(D(2025, 10, 1), Decimal(47), Decimal(30))],
        )


# --- Rate decision and funders (F6) ----------------------------------------------------------


def test_state_prescription_always_uses_the_prefect_rate():
    decision = decide_rate(
        Decimal(33), prescribed_for_department=False, department_rate_percent=Decimal(47)
    )
    assert (decision.rate_percent, decision.applied) == (Decimal(33), "prefet")
    assert decision.funder_shares == (FunderShare(FUNDER_STATE, Decimal(1)),)


def test_department_rate_applies_when_higher_and_state_pays_the_prefect_part():
    decision = decide_rate(
        Decimal(33), prescribed_for_department=True, department_rate_percent=Decimal(47)
    )
    assert (decision.rate_percent, decision.applied) == (Decimal(47), "departement")
    schedule = aid_schedule(
        START, END, decision.rate_percent, Decimal(26), funder_shares=decision.funder_shares
    )
    april = {part.funder: part.amount for part in schedule.months[1].funder_amounts}
    # State: 629,09 × 33/47 = 20 759,97 / 47 = 441,7015 → 441,70 €; département: the rest,
    # 629,09 − 441,70 = 187,39 € (= 14 % × 11,88 × 26 × 52/12 = 187,3872 → 187,39 €).
    assert april == {FUNDER_STATE: Decimal("441.70"), FUNDER_DEPARTMENT: Decimal("187.39")}
    totals = {part.funder: part.amount for part in schedule.funder_totals()}
    assert sum(totals.values()) == schedule.total


def test_department_rate_not_higher_gives_the_prefect_rate():
    decision = decide_rate(
        Decimal(47), prescribed_for_department=True, department_rate_percent=Decimal(40)
    )
    assert (decision.rate_percent, decision.applied) == (Decimal(47), "prefet")


def test_department_funding_alone_uses_its_rate_and_pays_everything():
    decision = decide_rate(
        Decimal(33),
        prescribed_for_department=True,
        department_rate_percent=Decimal(30),
        department_funds_alone=True,
    )
    assert decision.rate_percent == Decimal(30)
    assert decision.funder_shares == (FunderShare(FUNDER_DEPARTMENT, Decimal(1)),)
    with pytest.raises(AidRuleError, match="F6"):
        decide_rate(Decimal(33), prescribed_for_department=True, department_funds_alone=True)


# --- Category proposal (E12) -----------------------------------------------------------------


def test_rsa_socle_is_proposed_cas_4_at_47_percent():
    order = SEED_ORDER
    proposal = propose_category(order, PersonSituation(age=40, rsa_socle=True))
    assert proposal.category.label == "Cas 4"
    assert proposal.category.rate_percent == Decimal(47)
    assert "RSA socle" in proposal.explanation


@pytest.mark.parametrize(
    ("situation", "label"),
    [
        (PersonSituation(age=35, job_seeker=True, months_registered_in_last_18=12), "Cas 1"),
        (PersonSituation(age=35, job_seeker=True, months_registered_in_last_18=11), None),
        (PersonSituation(age=20, education_level_code="51"), "Cas 1"),
        (PersonSituation(age=20, education_level_code="30"), None),
        (PersonSituation(age=26, education_level_code="51", in_aij=True), "Cas 1"),
        (PersonSituation(age=52, job_seeker=True), "Cas 2 et cas 3"),
        (PersonSituation(age=40, disabled_worker=True), "Cas 2 et cas 3"),
        (PersonSituation(age=35, job_seeker=True, qpv_resident=True), "Cas 2 et cas 3"),
        (PersonSituation(age=24, garantie_jeunes=True), "Cas 5 CIE STAR-TER"),
        # Under 30 in a QPV and on RSA socle: the highest rate, Cas 4 (47 %) over Cas 5 (45 %).
        (PersonSituation(age=24, qpv_resident=True, rsa_socle=True), "Cas 4"),
        (PersonSituation(age=40), None),
    ],
)
def test_category_proposal(situation, label):
    proposal = propose_category(SEED_ORDER, situation)
    assert (proposal.category.label if proposal else None) == label


# --- Repayment (F13) -------------------------------------------------------------------------


def test_unlawful_employer_rupture_repays_all_aid_up_to_the_rupture():
    schedule = aid_schedule(START, END, Decimal(47), Decimal(26))
    repayment = repayment_on_rupture(
        schedule, D(2025, 6, 10), employer_initiative=True, lawful_case=False
    )
    # June to the 10th: 629,0856 × 10/30 = 209,6952 → 209,70 €
    # 344,98 + 629,09 + 629,09 + 209,70 = 1 812,86 €
    assert repayment.required
    assert [m.month for m in repayment.months] == ["2025-03", "2025-04", "2025-05", "2025-06"]
    assert repayment.amount == Decimal("1812.86")
    assert "F13" in repayment.explanation


def test_repayment_only_of_the_months_actually_paid():
    schedule = aid_schedule(START, END, Decimal(47), Decimal(26))
    repayment = repayment_on_rupture(
        schedule,
        D(2025, 6, 10),
        employer_initiative=True,
        lawful_case=False,
        paid_months=["2025-03", "2025-04"],
    )
    # 344,98 + 629,09 = 974,07 €
    assert repayment.amount == Decimal("974.07")


@pytest.mark.parametrize(("employer", "lawful"), [(True, True), (False, False)])
def test_no_repayment_for_a_lawful_or_employee_rupture(employer, lawful):
    schedule = aid_schedule(START, END, Decimal(47), Decimal(26))
    repayment = repayment_on_rupture(
        schedule, D(2025, 6, 10), employer_initiative=employer, lawful_case=lawful
    )
    assert not repayment.required and repayment.amount == 0


def test_denounced_convention_is_repaid():
    schedule = aid_schedule(START, END, Decimal(47), Decimal(26))
    repayment = repayment_on_rupture(
        schedule,
        D(2025, 4, 30),
        employer_initiative=False,
        lawful_case=True,
        denounced_by_authority=True,
    )
    # 344,98 + 629,09 = 974,07 €
    assert repayment.amount == Decimal("974.07")


def test_rupture_before_the_hire_is_refused():
    schedule = aid_schedule(START, END, Decimal(47), Decimal(26))
    with pytest.raises(AidRuleError, match="précède l'embauche"):
        repayment_on_rupture(schedule, D(2025, 3, 1), employer_initiative=True, lawful_case=False)


# --- Properties ------------------------------------------------------------------------------

dates = st.dates(min_value=D(2010, 1, 1), max_value=D(2027, 12, 31))
rates = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(47), places=1)
hours = st.decimals(min_value=Decimal(1), max_value=Decimal(35), places=2)


@st.composite
def periods(draw):
    start = draw(dates)
    length = draw(st.integers(min_value=0, max_value=5 * 366))
    end = min(start + datetime.timedelta(days=length), D(2027, 12, 31))
    return start, end


@st.composite
def periods_with_suspensions(draw):
    start, end = draw(periods())
    span = (end - start).days
    suspensions = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        offset = draw(st.integers(min_value=0, max_value=span))
        length = draw(st.integers(min_value=0, max_value=90))
        first = start + datetime.timedelta(days=offset)
        suspensions.append(Suspension(first, min(end, first + datetime.timedelta(days=length))))
    return start, end, suspensions


def _unpaid_days(start, end, suspensions):
    """Suspended days counted independently of the code under test: day by day."""
    days = set()
    for suspension in suspensions:
        day = max(suspension.start, start)
        while day <= min(suspension.end, end):
            days.add(day)
            day += datetime.timedelta(days=1)
    return len(days)


@settings(max_examples=150, deadline=None)
@given(periods_with_suspensions(), rates, hours)
def test_months_partition_the_period(case, rate, weekly_hours):
    start, end, suspensions = case
    schedule = aid_schedule(start, end, rate, weekly_hours, suspensions=suspensions)
    period_days = (end - start).days + 1
    assert sum(m.days_covered + m.suspended_days for m in schedule.months) == period_days
    assert sum(m.suspended_days for m in schedule.months) == _unpaid_days(start, end, suspensions)
    # One row per calendar month from the start's month to the end's, in order.
    expected_months = (end.year - start.year) * 12 + end.month - start.month + 1
    assert len(schedule.months) == expected_months
    assert schedule.months[0].month == f"{start.year:04d}-{start.month:02d}"
    assert schedule.months[-1].month == f"{end.year:04d}-{end.month:02d}"


@settings(max_examples=150, deadline=None)
@given(periods_with_suspensions(), rates, hours)
def test_total_is_the_sum_of_the_months(case, rate, weekly_hours):
    start, end, suspensions = case
    schedule = aid_schedule(start, end, rate, weekly_hours, suspensions=suspensions)
    assert schedule.total == sum(m.amount for m in schedule.months)
    assert all(m.amount == m.amount.quantize(Decimal("0.01")) for m in schedule.months)


@settings(max_examples=150, deadline=None)
@given(periods_with_suspensions(), rates, hours)
def test_a_month_never_exceeds_the_cap(case, rate, weekly_hours):
    start, end, suspensions = case
    schedule = aid_schedule(start, end, rate, weekly_hours, suspensions=suspensions)
    for month in schedule.months:
        # Every SMIC change takes effect on the 1st, so the month's SMIC is the 1st's.
        smic = series("smic_hourly").value_at(D(int(month.month[:4]), int(month.month[5:]), 1))
        # Cap written out independently: 47 % × SMIC × 35 h × 52 / 12, half up to the cent.
        cap = (Decimal("0.47") * smic * 35 * 52 / 12).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        assert month.amount <= cap


@settings(max_examples=150, deadline=None)
@given(periods_with_suspensions(), rates, hours, hours)
def test_more_hours_never_lower_the_aid(case, rate, hours_a, hours_b):
    start, end, suspensions = case
    fewer, more = sorted((hours_a, hours_b))
    low = aid_schedule(start, end, rate, fewer, suspensions=suspensions)
    high = aid_schedule(start, end, rate, more, suspensions=suspensions)
    assert all(a.amount <= b.amount for a, b in zip(low.months, high.months, strict=True))
    assert low.total <= high.total


@settings(max_examples=150, deadline=None)
@given(periods_with_suspensions(), rates, hours)
def test_a_suspension_never_raises_the_aid(case, rate, weekly_hours):
    start, end, suspensions = case
    assume(suspensions)
    without = aid_schedule(start, end, rate, weekly_hours)
    with_suspensions = aid_schedule(start, end, rate, weekly_hours, suspensions=suspensions)
    pairs = zip(with_suspensions.months, without.months, strict=True)
    assert all(a.amount <= b.amount for a, b in pairs)
    assert with_suspensions.total <= without.total


@settings(max_examples=100, deadline=None)
@given(periods(), rates, hours)
def test_full_months_follow_the_formula(period, rate, weekly_hours):
    start, end = period
    schedule = aid_schedule(start, end, rate, weekly_hours)
    for month in schedule.months:
        if month.days_covered == month.days_in_month:
            expected = (rate / 100 * month.smic_hourly * weekly_hours * 52 / 12).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            assert month.amount == expected


@settings(max_examples=100, deadline=None)
@given(
    periods(),
    rates,
    hours,
    st.lists(st.decimals(min_value=0, max_value=1, places=3), min_size=1, max_size=3),
)
def test_funder_shares_always_add_up_to_the_month(period, rate, weekly_hours, weights):
    assume(sum(weights) > 0)
    total_weight = sum(weights)
    fractions = [w / total_weight for w in weights[:-1]]
    fractions.append(1 - sum(fractions))
    shares = [FunderShare(f"financeur-{i}", f) for i, f in enumerate(fractions)]
    start, end = period
    schedule = aid_schedule(start, end, rate, weekly_hours, funder_shares=shares)
    for month in schedule.months:
        assert sum(part.amount for part in month.funder_amounts) == month.amount


def test_explanations_are_built_only_when_shown(monkeypatch):
    """A schedule computes no French sentence (a payment list over 20,000 conventions reads
    none); each month's explanation is built when read, the same as before (rules E6, F12)."""
    from tremplin.rules import aid

    built = []
    original = aid._explain
    monkeypatch.setattr(aid, "_explain", lambda *args: built.append(args) or original(*args))
    schedule = aid_schedule(
        datetime.date(2025, 3, 15), datetime.date(2025, 9, 14), Decimal(47), Decimal(26)
    )
    assert built == []
    explanation = schedule.months[0].explanation
    assert "17/31" in explanation and "344,98 €" in explanation
    assert len(built) == 1
