"""The two support programmes: plans, due dates, hour budget, CER chain, cadence, portfolio.

Golden cases are worked by hand in the comments; properties check what must hold for any
dates. Month k of a support runs from start + (k-1) months to the day before start + k months.
"""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tremplin.rules import programmes
from tremplin.rules.calendar import PARIS
from tremplin.rules.programmes import (
    CerTerm,
    ContractType,
    InEmploymentFacts,
    LoadStatus,
    ProfessionalFacts,
    Programme,
    RuleError,
    Rupture,
    barriers_lifting_day,
    build_plan,
    default_trial_end,
    hour_budget,
    in_employment_plan,
    intensive_period,
    interview_cadence,
    parameter,
    parameters_in_force,
    parse_contract_type,
    portfolio_load,
    professional_plan,
    propose_cer_renewal,
    validate_cer_chain,
)

D = dt.date
H = dt.timedelta


def golden_facts(**changes) -> InEmploymentFacts:
    # The example: CDD from Monday 2025-03-03 to 2025-09-02 (exactly 6 months),
    # trial period entered as ending 2025-04-02.
    facts = InEmploymentFacts(
        contract_start=D(2025, 3, 3),
        contract_type=ContractType.CDD,
        contract_end=D(2025, 9, 2),
        trial_end=D(2025, 4, 2),
    )
    return dataclasses.replace(facts, **changes)


def dues(plan) -> dict:
    return {item.code: item.due for item in plan.deliverables}


# --- parameters ----------------------------------------------------------------------------


def test_parameters_carry_their_value_and_rule(tmp_path):
    assert parameter("in_employment.rupture_notice_hours", D(2025, 1, 1)).value == 48
    assert "A14" in parameter("in_employment.rupture_notice_hours", D(2025, 1, 1)).source
    assert parameter("professional.portfolio_per_fte", D(2025, 1, 1)).value == 60
    in_force = parameters_in_force(Programme.PROFESSIONAL, D(2025, 1, 1))
    assert in_force["max_months"].value == 18 and "P5" in in_force["max_months"].source


def test_a_later_dated_value_wins_from_its_date(tmp_path):
    # A decree moving the 48 hours to 72 hours from 2026-01-01: both values coexist.
    data = tmp_path / "programmes.toml"
    data.write_text(
        '[in_employment.rupture_notice_hours]\ndescription = "délai"\nvalues = [\n'
        '  { valid_from = 2010-01-01, value = 48, source = "A14" },\n'
        '  { valid_from = 2026-01-01, value = 72, source = "décret imaginaire" },\n]\n',
        encoding="utf-8",
    )
    series = programmes.load_parameters(data)["in_employment.rupture_notice_hours"]
    assert series.at(D(2025, 12, 31)).value == 48
    assert series.at(D(2026, 1, 1)).value == 72
    with pytest.raises(RuleError, match="Aucune valeur"):
        series.at(D(2009, 12, 31))


def test_every_parameter_cites_a_source():
    for key, series in programmes.load_parameters().items():
        assert series.values, key
        for value in series.values:
            assert value.source.strip(), key


# --- in-employment plan: golden case ---------------------------------------------------------


def test_golden_plan_without_incident():
    plan = in_employment_plan(golden_facts())
    assert dues(plan) == {
        "trial_review": D(2025, 4, 2),  # the trial's last day, as entered (A11)
        # month 4 = 2025-06-03 .. 2025-07-02 (03/03 + 3 m .. 03/03 + 4 m - 1 day) (A12)
        "synthesis_m4": D(2025, 7, 2),
        # month 5 = 2025-07-03 .. 2025-08-02 (A12)
        "pathway_review_m5": D(2025, 8, 2),
        # 1 month before the end 2025-09-02 (C10)
        "experience_certificate": D(2025, 8, 2),
        # hire + 3 months, hire + 6 months; the 3rd quarter would start 2025-09-03, after
        # the contract (E6)
        "quarterly_proof_1": D(2025, 6, 3),
        "quarterly_proof_2": D(2025, 9, 3),
    }
    assert {item.code: item.rule for item in plan.deliverables} == {
        "trial_review": "A11", "synthesis_m4": "A12", "pathway_review_m5": "A12",
        "experience_certificate": "C10", "quarterly_proof_1": "E6", "quarterly_proof_2": "E6",
    }  # fmt: skip
    assert not plan.dropped
    # Phases: trial 03/03..02/04; phase 2 from 03/04 to the end of month 5 (02/08);
    # month 6 = 03/08..02/09.
    assert [(p.code, p.first, p.last) for p in plan.phases] == [
        ("trial", D(2025, 3, 3), D(2025, 4, 2)),
        ("consolidation", D(2025, 4, 3), D(2025, 8, 2)),
        ("final_month", D(2025, 8, 3), D(2025, 9, 2)),
    ]
    due_days = [item.due_day for item in plan.deliverables]
    assert due_days == sorted(due_days)


def test_golden_rupture_on_10_june_at_14h():
    # Known Tuesday 2025-06-10 14:00 Paris (+02:00) -> notice due Thursday 12/06 14:00+02:00;
    # post-rupture review 3 months after the rupture day: 2025-09-10 (A14).
    plan = in_employment_plan(golden_facts(rupture=Rupture(dt.datetime(2025, 6, 10, 14, 0))))
    result = dues(plan)
    assert result["rupture_notice"].isoformat() == "2025-06-12T14:00:00+02:00"
    assert result["post_rupture_review"] == D(2025, 9, 10)
    # Still due: trial review (02/04, before), proof of quarter 1 (due 03/06), proof of
    # quarter 2 (the quarter began on 03/06, before the rupture: aid was paid for it).
    assert result["trial_review"] == D(2025, 4, 2)
    assert result["quarterly_proof_1"] == D(2025, 6, 3)
    assert result["quarterly_proof_2"] == D(2025, 9, 3)
    # The certificate is due at the latest on the last day in the job (C10, brought forward).
    assert result["experience_certificate"] == D(2025, 6, 10)
    # The synthesis (02/07) and the pathway review (02/08) are no longer due.
    assert {item.deliverable.code for item in plan.dropped} == {"synthesis_m4", "pathway_review_m5"}
    assert all("rupture du 10/06/2025" in item.reason for item in plan.dropped)
    # Phase 2 is cut at the rupture day, then 3 months of job search from the next day.
    assert [(p.code, p.first, p.last) for p in plan.phases] == [
        ("trial", D(2025, 3, 3), D(2025, 4, 2)),
        ("consolidation", D(2025, 4, 3), D(2025, 6, 10)),
        ("job_search", D(2025, 6, 11), D(2025, 9, 10)),
    ]
    assert plan.phases[-1].rule == "A14"


def test_golden_cdd_not_renewed():
    # The CDD ends on 2025-09-02 with no solution: review 3 months later, 2025-12-02 (A13);
    # job search from 03/09 to 02/12.
    plan = in_employment_plan(golden_facts(not_renewed=True))
    assert dues(plan)["non_renewal_review"] == D(2025, 12, 2)
    assert plan.deliverable("non_renewal_review").rule == "A13"
    assert plan.phases[-1].code == "job_search"
    assert (plan.phases[-1].first, plan.phases[-1].last) == (D(2025, 9, 3), D(2025, 12, 2))
    assert plan.phases[-1].rule == "A13"


def test_rupture_during_the_trial_drops_the_trial_review_and_the_non_renewal_review():
    plan = in_employment_plan(
        golden_facts(not_renewed=True, rupture=Rupture(dt.datetime(2025, 3, 20, 9, 0)))
    )
    dropped = {item.deliverable.code for item in plan.dropped}
    assert {"trial_review", "synthesis_m4", "pathway_review_m5", "non_renewal_review"} <= dropped
    # Quarter 2 starts 2025-06-03, after the rupture of 20/03: no aid, no proof.
    assert "quarterly_proof_2" in dropped
    assert plan.deliverable("quarterly_proof_1") is not None
    assert [p.code for p in plan.phases] == ["trial", "job_search"]
    assert plan.phases[0].last == D(2025, 3, 20)


def test_rupture_with_a_contract_last_day_distinct_from_the_moment_known():
    # Learned on Friday 2025-06-13 at 18:30; the contract's last day was 2025-06-11.
    rupture = Rupture(known_at=dt.datetime(2025, 6, 13, 18, 30), on=D(2025, 6, 11))
    result = dues(in_employment_plan(golden_facts(rupture=rupture)))
    assert result["rupture_notice"].isoformat() == "2025-06-15T18:30:00+02:00"
    assert result["post_rupture_review"] == D(2025, 9, 11)


def test_rupture_notice_across_the_spring_change():
    # Known Saturday 2025-03-29 10:00 (+01:00); clocks go forward on the 30th.
    facts = golden_facts(trial_end=None, rupture=Rupture(dt.datetime(2025, 3, 29, 10, 0)))
    notice = in_employment_plan(facts).deliverable("rupture_notice").due
    assert notice.isoformat() == "2025-03-31T10:00:00+02:00"


def test_cdi_plan_uses_the_default_two_month_trial_and_a_year_of_proofs():
    # CDI from 2025-03-03: trial 2 months -> last day 2025-05-02 (L1221-19). No end: proofs
    # for the 12 months of aid (E6): due 03/06, 03/09, 03/12/2025 and 03/03/2026.
    plan = in_employment_plan(InEmploymentFacts(D(2025, 3, 3), ContractType.CDI))
    result = dues(plan)
    assert result["trial_review"] == D(2025, 5, 2)
    assert plan.deliverable("trial_review").note  # says the default was used, and why
    assert [result[f"quarterly_proof_{n}"] for n in range(1, 5)] == [
        D(2025, 6, 3), D(2025, 9, 3), D(2025, 12, 3), D(2026, 3, 3),
    ]  # fmt: skip
    assert "quarterly_proof_5" not in result
    assert "experience_certificate" not in result


def test_aid_end_sets_the_horizon_of_the_proofs():
    # Aid to 2026-03-02 on a CDI: 4 quarters, the last starting 2025-12-03.
    facts = InEmploymentFacts(D(2025, 3, 3), ContractType.CDI, aid_end=D(2025, 11, 30))
    result = dues(in_employment_plan(facts))
    assert "quarterly_proof_3" in result and "quarterly_proof_4" not in result


@pytest.mark.parametrize(
    ("start", "end", "expected", "why"),
    [
        # 03/03..02/09/2025: 184 days = 26 weeks -> 26 days, capped at 14 (contract of at
        # most 6 months): 03/03 + 13 days = 16/03.
        (D(2025, 3, 3), D(2025, 9, 2), D(2025, 3, 16), "6 months, capped at 2 weeks"),
        # 03/03..02/06/2025: 92 days = 13 weeks -> 13 days: 03/03 + 12 = 15/03.
        (D(2025, 3, 3), D(2025, 6, 2), D(2025, 3, 15), "3 months, one day per week"),
        # 03/03/2025..02/03/2026: 365 days = 52 weeks, more than 6 months: cap 1 month,
        # 03/03 + 1 month - 1 day = 02/04.
        (D(2025, 3, 3), D(2026, 3, 2), D(2025, 4, 2), "12 months, capped at 1 month"),
        # 03/03..03/09/2025 is one day over 6 months: 185 days = 26 weeks, cap 1 month -> 26
        # days: 03/03 + 25 = 28/03.
        (D(2025, 3, 3), D(2025, 9, 3), D(2025, 3, 28), "just over 6 months"),
    ],
)
def test_default_cdd_trial_period(start, end, expected, why):
    assert default_trial_end(start, ContractType.CDD, end) == expected, why


@pytest.mark.parametrize(
    ("changes", "rule", "fragment"),
    [
        ({"trial_end": D(2025, 3, 2)}, "A11", "précède le début"),
        ({"trial_end": D(2025, 9, 3)}, "A11", "dépasse la fin"),
        ({"contract_end": D(2025, 3, 1), "trial_end": None}, "C7", "précède son début"),
        ({"contract_end": None}, "C7", "date de fin"),
        ({"rupture": Rupture(dt.datetime(2025, 3, 2, 23, 0))}, "A14", "précéder l'embauche"),
        ({"rupture": Rupture(dt.datetime(2025, 9, 5, 9, 0))}, "A14", "postérieure"),
        ({"contract_type": ContractType.CDI}, "C7", "CDI n'a pas de date de fin"),
    ],
)
def test_bad_in_employment_input_is_a_french_error_citing_the_rule(changes, rule, fragment):
    with pytest.raises(RuleError, match=fragment) as raised:
        in_employment_plan(golden_facts(**changes))
    assert raised.value.rule == rule
    assert f"({rule})" in raised.value.message


def test_not_renewed_applies_only_to_a_cdd():
    with pytest.raises(RuleError, match="Seul un CDD") as raised:
        in_employment_plan(InEmploymentFacts(D(2025, 3, 3), ContractType.CDI, not_renewed=True))
    assert raised.value.rule == "A13"


def test_contract_type_parsing():
    assert parse_contract_type(" cdd ") is ContractType.CDD
    with pytest.raises(RuleError, match="Type de contrat inconnu"):
        parse_contract_type("CDX")


# --- in-employment properties ----------------------------------------------------------------

starts = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


@st.composite
def cdd_facts(draw):
    start = draw(starts)
    end = start + H(days=draw(st.integers(min_value=90, max_value=730)))
    trial_end = draw(st.one_of(st.none(), st.integers(0, 60).map(lambda n: start + H(days=n))))
    return InEmploymentFacts(start, ContractType.CDD, end, trial_end)


@given(cdd_facts(), st.integers(min_value=1, max_value=400))
def test_due_dates_move_with_the_contract_start(facts, shift_days):
    # Moving the hire later never brings the month-4/5 deliverables earlier (month k is
    # computed from the start; clamping only ever removes days at a month's end).
    later_start = facts.contract_start + H(days=shift_days)
    later = dataclasses.replace(
        facts,
        contract_start=later_start,
        contract_end=facts.contract_end + H(days=shift_days),
        trial_end=None if facts.trial_end is None else facts.trial_end + H(days=shift_days),
    )
    before, after = dues(in_employment_plan(facts)), dues(in_employment_plan(later))
    for code in ("synthesis_m4", "pathway_review_m5", "quarterly_proof_1"):
        assert after[code] >= before[code]
        assert after[code] > facts.contract_start
    assert after["trial_review"] == later.trial_end or later.trial_end is None


@given(cdd_facts(), st.integers(min_value=1, max_value=400))
def test_certificate_moves_with_the_contract_end(facts, extra_days):
    longer = dataclasses.replace(facts, contract_end=facts.contract_end + H(days=extra_days))
    before = in_employment_plan(facts).deliverable("experience_certificate").due
    after = in_employment_plan(longer).deliverable("experience_certificate").due
    assert after >= before
    # "1 month before the end": adding the month back lands on the end (or on the clamped
    # end of a shorter month, never later).
    assert before < facts.contract_end
    assert (longer.contract_end - after).days in range(28, 32)


@given(cdd_facts())
def test_trial_review_is_due_on_the_last_day_of_the_trial(facts):
    plan = in_employment_plan(facts)
    trial_phase = plan.phases[0]
    assert trial_phase.code == "trial"
    assert plan.deliverable("trial_review").due == trial_phase.last
    if facts.trial_end is not None:
        assert trial_phase.last == facts.trial_end


@given(cdd_facts())
def test_in_employment_phases_do_not_overlap(facts):
    phases = in_employment_plan(facts).phases
    for previous, following in zip(phases, phases[1:], strict=False):
        assert following.first > previous.last


@given(
    cdd_facts(),
    st.integers(min_value=0, max_value=800),
    st.integers(min_value=0, max_value=23),
)
def test_rupture_plan_properties(facts, offset, hour):
    rupture_day = facts.contract_start + H(days=offset)
    assume(rupture_day <= facts.contract_end)
    known_at = dt.datetime.combine(rupture_day, dt.time(hour), tzinfo=PARIS)
    plan = in_employment_plan(dataclasses.replace(facts, rupture=Rupture(known_at)))
    notice = plan.deliverable("rupture_notice").due
    # 48 hours on the Paris wall clock: two days later, same hour (or one hour later if that
    # hour is skipped by the spring change).
    assert notice.date() == rupture_day + H(days=2)
    assert notice.hour in (hour, hour + 1)
    assert notice.utcoffset() is not None
    # Nothing about the job is due after the job ended, except proofs of a started quarter
    # and the post-rupture follow-up.
    for item in plan.deliverables:
        if item.due_day > rupture_day:
            assert item.code in {"rupture_notice", "post_rupture_review"} or item.code.startswith(
                "quarterly_proof_"
            )
    # Every planned deliverable is either kept or dropped with a French reason.
    for dropped in plan.dropped:
        assert dropped.reason and dropped.deliverable.due_day > rupture_day
    # The support ends with 3 months of job search starting the day after.
    assert plan.phases[-1].code == "job_search"
    assert plan.phases[-1].first == rupture_day + H(days=1)
    assert plan.phases[-1].last == plan.deliverable("post_rupture_review").due


# --- hour budget (A5) ----------------------------------------------------------------------


def test_hour_budget_within_and_beyond_twelve_hours():
    within = hour_budget(D(2025, 3, 3), [H(hours=1, minutes=30), H(hours=2)])
    assert (within.used, within.remaining, within.exceeded) == (H(hours=3.5), H(hours=8.5), False)
    assert within.exceeded_by == H(0)
    assert within.used_percent == 29  # 3.5 / 12 = 29.2 %

    beyond = hour_budget(D(2025, 3, 3), [H(hours=5)] * 3)
    assert (beyond.remaining, beyond.exceeded, beyond.exceeded_by) == (H(0), True, H(hours=3))
    assert beyond.used_percent == 125


def test_exactly_twelve_hours_is_not_exceeded():
    budget = hour_budget(D(2025, 3, 3), [H(hours=12)])
    assert not budget.exceeded and budget.remaining == H(0)


def test_negative_meeting_duration_is_refused():
    with pytest.raises(RuleError, match="négative"):
        hour_budget(D(2025, 3, 3), [H(hours=-1)])


@given(st.lists(st.integers(min_value=0, max_value=600), max_size=20))
def test_hour_budget_balances(minutes):
    budget = hour_budget(D(2025, 3, 3), [H(minutes=m) for m in minutes])
    assert budget.used == H(minutes=sum(minutes))
    assert budget.used - budget.exceeded_by + budget.remaining == H(hours=12)


# --- CER chain (P4, P5) ----------------------------------------------------------------------


def six_month_chain(start: D, count: int, validated_from: int = 99) -> list[CerTerm]:
    # Terms of 6 months each, chained day after day: term n covers
    # start + 6(n-1) months .. start + 6n months - 1 day.
    from dateutil.relativedelta import relativedelta

    return [
        CerTerm(
            start + relativedelta(months=6 * (n - 1)),
            start + relativedelta(months=6 * n) - H(days=1),
            department_validated=n >= validated_from,
        )
        for n in range(1, count + 1)
    ]


def test_initial_cer_and_one_renewal_need_nothing():
    # 2025-01-15..2025-07-14, then 2025-07-15..2026-01-14: 12 months exactly.
    check = validate_cer_chain(six_month_chain(D(2025, 1, 15), 2))
    assert check.ok and check.needs_validation == ()
    assert check.last_day_without_validation == D(2026, 1, 14)
    assert check.last_day_allowed == D(2026, 7, 14)  # 15/01/2025 + 18 months - 1 day


def test_third_cer_needs_the_departments_validation():
    chain = six_month_chain(D(2025, 1, 15), 3)
    check = validate_cer_chain(chain)
    assert not check.ok and check.needs_validation == (3,)
    [violation] = check.violations
    assert violation.rule == "P5" and violation.term_number == 3
    assert "validation du département" in violation.message and "(P5)" in violation.message
    assert validate_cer_chain(six_month_chain(D(2025, 1, 15), 3, validated_from=3)).ok


def test_beyond_eighteen_months_is_refused_even_with_validation():
    check = validate_cer_chain(six_month_chain(D(2025, 1, 15), 4, validated_from=3))
    assert [(v.rule, v.term_number) for v in check.violations] == [("P5", 4)]
    assert "18 mois" in check.violations[0].message
    assert "refusé" in check.violations[0].message


def test_a_second_short_renewal_within_twelve_months_still_needs_validation():
    # Three CERs of 3 months (15/01..14/04, 15/04..14/07, 15/07..14/10): under 12 months,
    # but a second renewal: "renouvelable 1 fois" (P5).
    chain = [
        CerTerm(D(2025, 1, 15), D(2025, 4, 14)),
        CerTerm(D(2025, 4, 15), D(2025, 7, 14)),
        CerTerm(D(2025, 7, 15), D(2025, 10, 14)),
    ]
    check = validate_cer_chain(chain)
    assert check.needs_validation == (3,)
    assert "renouvellement au-delà" in check.violations[0].message


@pytest.mark.parametrize(
    ("terms", "rule", "fragment"),
    [
        # 15/01..15/07 is 6 months and a day.
        ([CerTerm(D(2025, 1, 15), D(2025, 7, 15))], "P4", "plus de 6 mois"),
        ([CerTerm(D(2025, 1, 15), D(2025, 1, 14))], "P4", "avant de commencer"),
        (
            [CerTerm(D(2025, 1, 15), D(2025, 7, 14)), CerTerm(D(2025, 7, 1), D(2025, 12, 31))],
            "P5",
            "chevauche",
        ),
        (
            [CerTerm(D(2025, 1, 15), D(2025, 7, 14)), CerTerm(D(2025, 8, 1), D(2026, 1, 14))],
            "P5",
            "trou",
        ),
    ],
)
def test_malformed_chains(terms, rule, fragment):
    check = validate_cer_chain(terms)
    assert any(v.rule == rule and fragment in v.message for v in check.violations)


def test_empty_chain_is_an_error():
    with pytest.raises(RuleError, match="CER"):
        validate_cer_chain([])


def test_proposed_renewals_follow_the_limits():
    start = D(2025, 1, 15)
    first = propose_cer_renewal(six_month_chain(start, 1))
    assert first.term == CerTerm(D(2025, 7, 15), D(2026, 1, 14)) and not first.requires_validation
    second = propose_cer_renewal(six_month_chain(start, 2))
    assert second.term == CerTerm(D(2026, 1, 15), D(2026, 7, 14)) and second.requires_validation
    with pytest.raises(RuleError, match="aucun renouvellement") as raised:
        propose_cer_renewal(six_month_chain(start, 3, validated_from=3))
    assert raised.value.rule == "P5"


def test_proposed_renewal_is_cut_at_eighteen_months():
    # A 4-month first CER, a 6-month renewal, a validated 6-month renewal: 16 months used,
    # 15/01/2025 + 16 months = 15/05/2026; the next one may only run to 14/07/2026.
    chain = [
        CerTerm(D(2025, 1, 15), D(2025, 5, 14)),
        CerTerm(D(2025, 5, 15), D(2025, 11, 14)),
        CerTerm(D(2025, 11, 15), D(2026, 5, 14), department_validated=True),
    ]
    proposal = propose_cer_renewal(chain)
    assert proposal.term == CerTerm(D(2026, 5, 15), D(2026, 7, 14))
    assert proposal.requires_validation


def test_a_renewal_from_29_february_counts_six_months_either_way():
    # Support from 2015-08-30: CER 1 = 30/08/2015..28/02/2016 (30/08 + 6 m = 29/02/2016, a
    # leap year). CER 2 from 29/02/2016: 6 months from its own start end on 28/08/2016; 6
    # months of the support end on 29/08/2016 (30/08/2015 + 12 m - 1 day). Both are 6 months;
    # one more day is not.
    first = CerTerm(D(2015, 8, 30), D(2016, 2, 28))
    for end in (D(2016, 8, 28), D(2016, 8, 29)):
        assert validate_cer_chain([first, CerTerm(D(2016, 2, 29), end)]).ok, end
    too_long = validate_cer_chain([first, CerTerm(D(2016, 2, 29), D(2016, 8, 30))])
    assert [v.rule for v in too_long.violations] == ["P4", "P5"]  # > 6 months, > 12 months


@given(starts, st.integers(min_value=1, max_value=2))
def test_a_proposed_renewal_always_fits_the_chain(start, count):
    chain = six_month_chain(start, count)
    proposal = propose_cer_renewal(chain)
    assert proposal.term.start == chain[-1].end + H(days=1)
    renewed = CerTerm(proposal.term.start, proposal.term.end, proposal.requires_validation)
    assert validate_cer_chain([*chain, renewed]).ok
    unvalidated = validate_cer_chain([*chain, proposal.term])
    assert unvalidated.ok == (not proposal.requires_validation)


@given(starts, st.integers(min_value=1, max_value=4))
def test_chain_validity_depends_only_on_its_length_and_validations(start, count):
    # Property: 6-month terms are free up to 2, need validation for the 3rd, are refused from
    # the 4th (beyond 18 months), whatever the start date (end-of-month clamping included).
    free = validate_cer_chain(six_month_chain(start, count))
    validated = validate_cer_chain(six_month_chain(start, count, validated_from=1))
    assert free.ok == (count <= 2)
    assert validated.ok == (count <= 3)


# --- interview cadence (P4) ------------------------------------------------------------------


def test_golden_cadence_of_a_support_from_15_january_to_14_july():
    # January (15..31) and July (1..14) are partial: 1 interview each; February..June full: 2.
    interviews = [D(2025, 1, 20), D(2025, 2, 3), D(2025, 2, 17), D(2025, 3, 10), D(2025, 7, 1)]
    report = interview_cadence(D(2025, 1, 15), D(2025, 7, 14), interviews)
    rows = [(m.month, m.full, m.required, m.done, m.missing, m.compliant) for m in report.months]
    assert rows == [
        (1, False, 1, 1, 0, True),
        (2, True, 2, 2, 0, True),
        (3, True, 2, 1, 1, False),
        (4, True, 2, 0, 2, False),
        (5, True, 2, 0, 2, False),
        (6, True, 2, 0, 2, False),
        (7, False, 1, 1, 0, True),
    ]
    assert not report.compliant and report.missing == 7
    assert [m.month for m in report.behind_months] == [3, 4, 5, 6]


def test_cadence_on_a_date_does_not_judge_the_month_in_progress():
    # On 2025-03-12: January and February are over and compliant; March has 1 of 2 so far.
    interviews = [D(2025, 1, 20), D(2025, 2, 3), D(2025, 2, 17), D(2025, 3, 10), D(2025, 3, 20)]
    report = interview_cadence(D(2025, 1, 15), D(2025, 7, 14), interviews, as_of=D(2025, 3, 12))
    assert [m.month for m in report.months] == [1, 2, 3]
    assert report.compliant
    assert report.months[-1].ended is False and report.months[-1].done == 1  # 20/03 not held
    assert report.missing == 1


def test_interview_outside_the_support_is_an_error():
    with pytest.raises(RuleError, match="en dehors") as raised:
        interview_cadence(D(2025, 1, 15), D(2025, 7, 14), [D(2025, 1, 14)])
    assert raised.value.rule == "P4"


supports = st.tuples(starts, st.integers(min_value=0, max_value=548)).map(
    lambda pair: (pair[0], pair[0] + H(days=pair[1]))
)


@st.composite
def support_with_interviews(draw):
    first, last = draw(supports)
    span = (last - first).days
    offsets = draw(st.lists(st.integers(min_value=0, max_value=span), max_size=40))
    return first, last, [first + H(days=o) for o in offsets]


@given(support_with_interviews(), st.data())
def test_adding_an_interview_never_makes_a_month_non_compliant(case, data):
    first, last, interviews = case
    extra = first + H(days=data.draw(st.integers(min_value=0, max_value=(last - first).days)))
    before = interview_cadence(first, last, interviews)
    after = interview_cadence(first, last, [*interviews, extra])
    assert len(before.months) == len(after.months)
    for old, new in zip(before.months, after.months, strict=True):
        assert new.done >= old.done
        assert new.compliant or not old.compliant
    assert after.missing <= before.missing
    assert after.compliant or not before.compliant


@given(support_with_interviews())
def test_cadence_months_partition_the_support_and_count_every_interview(case):
    first, last, interviews = case
    report = interview_cadence(first, last, interviews)
    assert report.months[0].first == first and report.months[-1].last == last
    for previous, following in zip(report.months, report.months[1:], strict=False):
        assert following.first == previous.last + H(days=1)
    assert sum(m.done for m in report.months) == len(interviews)
    for month in report.months:
        assert month.required == (2 if month.full else 1)


# --- intensive period (P4) -------------------------------------------------------------------


def test_new_entrant_is_intensive_for_the_first_three_months():
    # 15/01/2025 + 3 months - 1 day = 14/04/2025.
    period = intensive_period(D(2025, 1, 15), new_entrant=True)
    assert (period.period.first, period.period.last) == (D(2025, 1, 15), D(2025, 4, 14))
    assert period.rule == "P4"


def test_long_pathway_with_barriers_lifted():
    # In the pathway since 2022-06-01, more than 2 years before 2025-01-15; barriers lifted
    # 2024-12-01 (before the support): the first 3 months of the support.
    period = intensive_period(
        D(2025, 1, 15),
        new_entrant=False,
        pathway_start=D(2022, 6, 1),
        barriers_lifted_on=D(2024, 12, 1),
    )
    assert (period.period.first, period.period.last) == (D(2025, 1, 15), D(2025, 4, 14))
    # Barriers lifted during the support, on 2025-03-10: from then, to 2025-06-09.
    later = intensive_period(
        D(2025, 1, 15),
        new_entrant=False,
        pathway_start=D(2022, 6, 1),
        barriers_lifted_on=D(2025, 3, 10),
    )
    assert (later.period.first, later.period.last) == (D(2025, 3, 10), D(2025, 6, 9))


def test_no_intensive_period_otherwise():
    # Pathway since 2023-06-01: 2 years are reached on 2025-06-01, not by 2025-01-15.
    assert (
        intensive_period(
            D(2025, 1, 15),
            new_entrant=False,
            pathway_start=D(2023, 6, 1),
            barriers_lifted_on=D(2024, 12, 1),
        )
        is None
    )
    # Barriers not lifted.
    assert intensive_period(D(2025, 1, 15), new_entrant=False, pathway_start=D(2020, 1, 1)) is None


# --- the day the barriers count as lifted (P4) ---------------------------------------------


def test_lifting_day_golden_cases():
    typed = D(2024, 12, 1)
    # No barrier recorded: the typed day (barriers lifted before this support), or nothing.
    assert barriers_lifting_day([], typed) == D(2024, 12, 1)
    assert barriers_lifting_day([], None) is None
    # Two barriers, lifted 10/03/2025 and 02/02/2025: the last lifting, 10/03/2025; the typed
    # day (01/12/2024) disagrees and is ignored.
    both = [(D(2025, 1, 6), D(2025, 3, 10)), (D(2025, 1, 20), D(2025, 2, 2))]
    assert barriers_lifting_day(both, typed) == D(2025, 3, 10)
    # One of them still standing: not lifted, whatever was typed.
    standing = [(D(2025, 1, 6), D(2025, 3, 10)), (D(2025, 1, 20), None)]
    assert barriers_lifting_day(standing, typed) is None
    # A barrier identified on 05/05/2025, after the first one was lifted on 10/03, and lifted
    # on 01/06/2025: the period's start moves to 01/06 (the records are re-read, not frozen).
    later = [(D(2025, 1, 6), D(2025, 3, 10)), (D(2025, 5, 5), D(2025, 6, 1))]
    assert barriers_lifting_day(later, None) == D(2025, 6, 1)
    # Lifted the day it was identified: allowed (the database allows it too).
    assert barriers_lifting_day([(D(2025, 2, 3), D(2025, 2, 3))]) == D(2025, 2, 3)


def test_a_barrier_lifted_before_it_was_identified_is_refused():
    with pytest.raises(RuleError, match="P4"):
        barriers_lifting_day([(D(2025, 3, 1), D(2025, 2, 28))])


@st.composite
def barrier_pairs(draw, standing=None):
    identified = draw(st.dates(min_value=D(2018, 1, 1), max_value=D(2030, 12, 31)))
    lifted = draw(
        st.none() if standing else st.dates(min_value=identified, max_value=D(2031, 12, 31))
    )
    if standing is None and draw(st.booleans()):
        lifted = None
    return identified, lifted


barrier_lists = st.lists(barrier_pairs(), max_size=6)
typed_days = st.none() | st.dates(min_value=D(2018, 1, 1), max_value=D(2031, 12, 31))


@given(barrier_lists, typed_days)
def test_lifting_day_is_the_last_lifting_when_all_are_lifted(barriers, typed):
    day = barriers_lifting_day(barriers, typed)
    if not barriers:
        assert day == typed
    elif all(lifted is not None for _, lifted in barriers):
        assert day == max(lifted for _, lifted in barriers)
        assert all(identified <= day for identified, _ in barriers)
    else:
        assert day is None


@given(barrier_lists, typed_days, st.randoms(use_true_random=False))
def test_the_order_of_the_barriers_does_not_matter(barriers, typed, random):
    shuffled = list(barriers)
    random.shuffle(shuffled)
    assert barriers_lifting_day(shuffled, typed) == barriers_lifting_day(barriers, typed)


@given(
    barrier_lists,
    barrier_pairs(standing=True),
    typed_days,
    starts,
    st.booleans(),
    st.dates(min_value=D(2010, 1, 1), max_value=D(2030, 12, 31)),
)
def test_a_standing_barrier_never_makes_the_period_start(
    barriers, standing, typed, start, new_entrant, pathway_start
):
    def period(items):
        return intensive_period(
            start,
            new_entrant=new_entrant,
            pathway_start=pathway_start,
            barriers_lifted_on=barriers_lifting_day(items, typed),
        )

    with_standing = period([*barriers, standing])
    if new_entrant:
        # A new entrant's first months do not depend on barriers.
        assert with_standing == period(barriers) and with_standing is not None
    else:
        assert barriers_lifting_day([*barriers, standing], typed) is None
        assert with_standing is None


@given(
    barrier_lists, typed_days, starts, st.dates(min_value=D(2010, 1, 1), max_value=D(2030, 12, 31))
)
def test_a_long_pathway_period_starts_on_the_later_of_the_start_and_the_lifting(
    barriers, typed, start, pathway_start
):
    lifted = barriers_lifting_day(barriers, typed)
    period = intensive_period(
        start, new_entrant=False, pathway_start=pathway_start, barriers_lifted_on=lifted
    )
    if lifted is None:
        assert period is None
    elif period is not None:
        assert period.period.first == max(start, lifted)
        assert period.rule == "P4"


# --- portfolio (P9) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("active", "fte", "status", "ratio"),
    [
        # 60 per FTE, 10 % tolerance: full time 54..66 is the norm.
        (60, 1, LoadStatus.BALANCED, Decimal("1.00")),
        (66, 1, LoadStatus.BALANCED, Decimal("1.10")),
        (67, 1, LoadStatus.OVER, Decimal("1.12")),  # 67 / 60 = 1.1166..
        (53, 1, LoadStatus.UNDER, Decimal("0.88")),  # 53 / 60 = 0.8833..
        # Half time: capacity 30; 40 / 30 = 1.333..
        (40, "0.5", LoadStatus.OVER, Decimal("1.33")),
        (0, "0.8", LoadStatus.UNDER, Decimal("0.00")),
    ],
)
def test_portfolio_load(active, fte, status, ratio):
    load = portfolio_load(active, fte, on=D(2025, 11, 23))
    assert (load.status, load.ratio, load.rule) == (status, ratio, "P9")
    assert load.difference == Decimal(active) - 60 * Decimal(str(fte))


@pytest.mark.parametrize("fte", [0, -1, "abc", "NaN"])
def test_portfolio_refuses_a_non_positive_fte(fte):
    with pytest.raises(RuleError, match="P9"):
        portfolio_load(10, fte, on=D(2025, 11, 23))


# --- professional plan and the shared entry point --------------------------------------------


def test_professional_plan_has_each_cer_and_its_end_as_a_deadline():
    terms = tuple(six_month_chain(D(2025, 1, 15), 2))
    plan = build_plan(ProfessionalFacts(terms, new_entrant=True))
    assert plan.programme is Programme.PROFESSIONAL
    assert [(d.code, d.due) for d in plan.deliverables] == [
        ("cer_end_1", D(2025, 7, 14)),
        ("cer_end_2", D(2026, 1, 14)),
    ]
    assert [p.code for p in plan.phases] == ["cer_1", "intensive", "cer_2"]
    assert [p.code for p in plan.phases_on(D(2025, 2, 1))] == ["cer_1", "intensive"]


def test_professional_plan_refuses_an_invalid_chain():
    with pytest.raises(RuleError, match="P5"):
        professional_plan(ProfessionalFacts(tuple(six_month_chain(D(2025, 1, 15), 3))))


def test_build_plan_dispatches_the_in_employment_programme():
    plan = build_plan(golden_facts())
    assert plan.programme is Programme.IN_EMPLOYMENT
    assert plan == in_employment_plan(golden_facts())


def test_first_cer_lasts_six_months():
    # P4: 6 months; 15/01/2025 + 6 months - 1 day = 14/07/2025.
    from tremplin.rules.programmes import first_cer_term

    assert first_cer_term(D(2025, 1, 15)) == CerTerm(D(2025, 1, 15), D(2025, 7, 14))


# --- A14: « signalée dans les 48 heures », counted in hours -----------------------


def test_a_rupture_notice_is_in_time_within_48_hours_not_on_the_due_day():
    # Known on Thursday 20/03/2025 at 10:00 (Paris): due on Saturday 22/03 at 10:00.
    rupture = Rupture(dt.datetime(2025, 3, 20, 10, 0, tzinfo=PARIS))
    assert programmes.rupture_notice_due(rupture) == dt.datetime(2025, 3, 22, 10, 0, tzinfo=PARIS)
    assert programmes.rupture_reported_in_time(
        rupture, dt.datetime(2025, 3, 22, 10, 0, tzinfo=PARIS)
    )
    # Sent that evening: late, although on the due day (the indicator counted it in time).
    assert not programmes.rupture_reported_in_time(
        rupture, dt.datetime(2025, 3, 22, 18, 0, tzinfo=PARIS)
    )
    # A moment in another time zone is compared as the same instant: 09:30 UTC = 10:30 Paris.
    assert not programmes.rupture_reported_in_time(
        rupture, dt.datetime(2025, 3, 22, 9, 30, tzinfo=dt.UTC)
    )
    # A day without an hour proves the 48 hours only when the whole day is before the due
    # moment: the 21st yes, the 22nd not.
    assert programmes.rupture_reported_in_time(rupture, D(2025, 3, 21))
    assert not programmes.rupture_reported_in_time(rupture, D(2025, 3, 22))


def test_the_48_hours_of_a_rupture_across_the_spring_change():
    # Known Saturday 29/03/2025 at 10:00: due Monday 31/03 at 10:00+02:00 on the wall clock
    # (47 elapsed hours, calendar.hours_after); 10:01 is late.
    rupture = Rupture(dt.datetime(2025, 3, 29, 10, 0, tzinfo=PARIS))
    due = programmes.rupture_notice_due(rupture)
    assert due == dt.datetime(2025, 3, 31, 10, 0, tzinfo=PARIS)
    assert not programmes.rupture_reported_in_time(rupture, due + dt.timedelta(minutes=1))


@given(
    known=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    delay_minutes=st.integers(0, 60 * 96),
)
def test_in_time_exactly_until_the_due_moment(known, delay_minutes):
    rupture = Rupture(known.replace(tzinfo=PARIS))
    due = programmes.rupture_notice_due(rupture)
    sent = rupture.known_at + dt.timedelta(minutes=delay_minutes)
    in_time = sent.astimezone(dt.UTC) <= due.astimezone(dt.UTC)
    assert programmes.rupture_reported_in_time(rupture, sent) == in_time
    # A day is never more lenient than any moment of that day.
    day = programmes.to_paris(sent).date()
    if programmes.rupture_reported_in_time(rupture, day):
        end_of_day = dt.datetime.combine(day, dt.time(23, 59), tzinfo=PARIS)
        assert programmes.rupture_reported_in_time(rupture, end_of_day)
