"""Ruptures before the term: the employee's grounds (rule E5) and the exonerated social
contributions repaid beside the aid (rule F13), from seeds 002 and 003."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules import ruptures
from tremplin.rules.aid import aid_schedule, repayment_on_rupture

D = datetime.date


# --- E5 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ground", [ruptures.GROUND_CDI, ruptures.GROUND_CDD, ruptures.GROUND_TRAINING]
)
def test_the_seeds_three_grounds_let_the_employee_end_a_cdd(ground):
    # Seed 002: « s'il justifie : d'une embauche en CDI ou en CDD d'au moins 6 mois ; d'une
    # formation conduisant à une qualification ».
    assert ruptures.employee_early_end("CDD", True, ground, D(2025, 6, 30)).lawful


def test_a_cdd_ended_by_the_employee_needs_its_ground():
    missing = ruptures.employee_early_end("CDD", True, "", D(2025, 6, 30))
    assert (missing.lawful, missing.severity) == (False, "blocking")
    assert "CDD d'au moins 6 mois" in missing.message and "règle E5" in missing.message
    other = ruptures.employee_early_end("CDD", True, ruptures.GROUND_NONE, D(2025, 6, 30))
    assert (other.lawful, other.severity) == (False, "warning")


def test_e5_concerns_only_a_cdd_ended_by_the_employee():
    assert ruptures.employee_early_end("CDI", True, None, D(2025, 6, 30)).lawful
    assert ruptures.employee_early_end("CDD", False, None, D(2025, 6, 30)).lawful


def test_the_new_cdd_minimum_is_dated_data_and_matches_the_label():
    months = ruptures.new_cdd_min_months(D(2025, 6, 30))
    assert months == 6
    assert f"d'au moins {months} mois" in ruptures.EMPLOYEE_GROUND_LABELS[ruptures.GROUND_CDD]
    with pytest.raises(ruptures.RuptureRuleError):
        ruptures.new_cdd_min_months(D(2009, 12, 31))


# --- F13: the first contribution due date after the rupture -----------------------------------


@pytest.mark.parametrize(
    ("effect", "headcount", "due"),
    [
        # Under 50 employees, the 15th: a rupture on 10/03 → 15/03 the same month.
        (D(2025, 3, 10), 12, D(2025, 3, 15)),
        # « qui suit la date d'effet »: on the 15th itself, the next one, 15/04.
        (D(2025, 3, 15), 12, D(2025, 4, 15)),
        # 50 employees or more, the 5th: 15/03 → 05/04; 20/12/2025 → 05/01/2026.
        (D(2025, 3, 15), 50, D(2025, 4, 5)),
        (D(2025, 12, 20), 60, D(2026, 1, 5)),
        # Headcount unknown: the earlier due day (the 5th), the stricter reading.
        (D(2025, 3, 1), None, D(2025, 3, 5)),
    ],
)
def test_contributions_are_due_at_the_first_due_date_after_the_rupture(effect, headcount, due):
    assert ruptures.contributions_due_on(effect, headcount) == due


@given(
    effect=st.dates(min_value=D(2010, 1, 1), max_value=D(2035, 12, 31)),
    headcount=st.one_of(st.none(), st.integers(0, 500)),
)
def test_the_due_date_is_the_first_due_day_strictly_after_the_rupture(effect, headcount):
    due = ruptures.contributions_due_on(effect, headcount)
    day_of_month = 5 if headcount is None or headcount >= 50 else 15
    assert due > effect and due.day == day_of_month
    # No due day of that kind between the rupture and the date found.
    assert (due - effect).days <= 31


def test_a_cae_repays_the_exonerated_contributions_beside_the_aid():
    # Seed 003: « reverser l'intégralité des sommes déjà perçues au titre de l'aide … ainsi
    # que les cotisations sociales de sécurité sociale ayant fait l'objet d'une exonération …
    # au plus tard à la première date d'exigibilité … qui suit la date d'effet de la rupture ».
    schedule = aid_schedule(D(2025, 3, 15), D(2025, 9, 14), Decimal(47), Decimal(26))
    repayment = repayment_on_rupture(
        schedule,
        D(2025, 6, 10),
        employer_initiative=True,
        lawful_case=False,
        sector="CAE",
        exonerated_contributions=Decimal("812.40"),
        employer_headcount=12,
    )
    # The aid as before (test_aid: 1 812,86 €); the contributions due on 15/06/2025.
    assert repayment.amount == Decimal("1812.86")
    assert repayment.contributions == Decimal("812.40")
    assert repayment.contributions_due_on == D(2025, 6, 15)
    assert "812,40 €" in repayment.explanation and "15/06/2025" in repayment.explanation
    unknown = repayment_on_rupture(
        schedule, D(2025, 6, 10), employer_initiative=True, lawful_case=False, sector="CAE"
    )
    assert unknown.contributions is None
    assert "demandez leur montant" in unknown.explanation


def test_a_cie_repays_the_aid_only():
    schedule = aid_schedule(D(2025, 3, 15), D(2025, 9, 14), Decimal(47), Decimal(26))
    repayment = repayment_on_rupture(
        schedule, D(2025, 6, 10), employer_initiative=True, lawful_case=False, sector="CIE"
    )
    assert repayment.contributions is None and repayment.contributions_due_on is None
    assert "cotisations" not in repayment.explanation
