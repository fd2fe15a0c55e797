"""The work areas of seed 004 (P6) and the 1–4 scale (P6, P10)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules import work_areas
from tremplin.rules.programmes import RuleError

ON = dt.date(2025, 1, 6)


def test_the_six_areas_of_the_seed_and_their_items():
    grid = work_areas.grid(ON)
    # Seed 004, § 6, table « Phases / Contenu »: six phases.
    assert [a.label for a in grid.areas] == [
        "La confirmation du projet professionnel",
        "La mobilité (pouvoir bouger – savoir bouger)",
        "Le savoir-être",
        "L'organisation personnelle préalable à la prise de poste",
        "Les techniques de recherche d'emploi",
        "Suivi dans l'emploi",
    ]
    # Items as the seed's dashes: 4 + 1 + 4 + 4 + 5 + 1 = 19.
    assert [len(a.items) for a in grid.areas] == [4, 1, 4, 4, 5, 1]
    assert len(grid.items) == 19
    assert "Job Connexion" in grid.item("search_cv_job_connexion").label
    assert grid.item("search_cv_job_connexion").rule == "P6, P10"
    assert len({i.code for i in grid.items}) == 19  # codes are unique


def test_no_grid_before_the_rsa():
    with pytest.raises(RuleError, match="P6"):
        work_areas.grid(dt.date(2009, 5, 31))


@given(st.integers(min_value=1, max_value=4))
def test_every_score_on_the_scale_is_accepted(score):
    assert work_areas.check_score(score) == score
    assert work_areas.check_score(str(score)) == score


@given(
    st.one_of(
        st.integers().filter(lambda n: not 1 <= n <= 4),
        st.floats(allow_nan=True).filter(lambda x: x not in (1.0, 2.0, 3.0, 4.0)),
        st.text().filter(lambda t: t.strip() not in {"1", "2", "3", "4", "+1", "+2", "+3", "+4"}),
        st.booleans(),
        st.none(),
    )
)
def test_anything_off_the_scale_is_a_french_error_citing_p6_p10(value):
    with pytest.raises(RuleError) as error:
        work_areas.check_score(value)
    assert "hors de l'échelle" in error.value.message
    assert error.value.rule == "P6, P10"


def test_area_means_and_rise():
    # Soft skills: punctuality 2, motivation 3 -> (2 + 3) / 2 = 2.50; then 3 and 3 -> 3.00.
    first = work_areas.area_means({"soft_punctuality": 2, "soft_motivation": 3}, ON)
    latest = work_areas.area_means({"soft_punctuality": 3, "soft_motivation": 3}, ON)
    assert first["soft_skills"] == Decimal("2.50")
    # Project: three items scored 1, 2, 2 -> 5 / 3 = 1.666... -> 1.67 (half up).
    assert work_areas.area_means(
        {"project_known_job": 1, "project_validated": 2, "project_training_plan": 2}, ON
    )["project"] == Decimal("1.67")
    rose = work_areas.rose(first, latest)
    assert rose["soft_skills"] is True and rose["mobility"] is None


@given(
    st.dictionaries(
        st.sampled_from([i.code for i in work_areas.grid(ON).items]),
        st.integers(min_value=1, max_value=4),
        min_size=1,
    ),
    st.sampled_from([i.code for i in work_areas.grid(ON).items]),
)
def test_raising_one_score_never_lowers_its_area_mean(scores, code):
    # Monotony: the indicator of P10 can only count a rise when a score rose.
    before = work_areas.area_means(scores, ON)
    raised = {**scores, code: min(4, scores.get(code, 1) + 1)} if code in scores else scores
    after = work_areas.area_means(raised, ON)
    area = work_areas.grid(ON).item(code).area
    if before[area] is not None:
        assert after[area] >= before[area]
        assert 1 <= after[area] <= 4
        assert work_areas.rose(before, after)[area] is (after[area] > before[area])
