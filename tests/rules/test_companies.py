"""Company relations (P7): ROME codes, matching, PMSMP limits (Code du travail L5135-1,
D5135-3: one month "de date à date", one renewal, 2 conventions and 60 days per host over
12 consecutive months; values in tremplin/rules/data/companies.toml)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules import referentials
from tremplin.rules.companies import (
    CompaniesRuleError,
    Immersion,
    OfferTerms,
    SearchProfile,
    check_immersion,
    last_day_within_months,
    match,
    normalize_rome_code,
    parameter,
    parse_areas,
    parse_rome_codes,
    rank,
)

D = dt.date


# --- ROME codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"), [("K2204", "K2204"), (" k2204 ", "K2204"), ("N1103", "N1103")]
)
def test_rome_code_is_normalised(raw, code):
    assert normalize_rome_code(raw) == code


@pytest.mark.parametrize("raw", ["", "K220", "K22045", "22045", "Z1234", "KK204", "K22O4"])
def test_bad_rome_code_is_refused_in_french_citing_p7(raw):
    with pytest.raises(CompaniesRuleError, match=r"lettre de A à N.*règle P7"):
        normalize_rome_code(raw)


ROME_LIST = sorted(code for code, _label in referentials.rome())


@given(code=st.sampled_from(ROME_LIST), before=st.sampled_from(["", " ", "  "]))
def test_every_fiche_of_the_list_is_accepted_however_typed(code, before):
    assert normalize_rome_code(f"{before}{code.lower()} ") == code


@given(letter=st.sampled_from("ABCDEFGHIJKLMN"), digits=st.integers(0, 9999))
def test_a_code_of_the_right_shape_is_accepted_only_if_the_list_has_it(letter, digits):
    code = f"{letter}{digits:04d}"
    if code in ROME_LIST:
        assert normalize_rome_code(code) == code
    else:
        with pytest.raises(CompaniesRuleError, match=r"n'existe pas dans le répertoire ROME.*P7"):
            normalize_rome_code(code)


def test_rome_codes_list_deduplicates():
    assert parse_rome_codes("K2204, k2204; N1103") == ("K2204", "N1103")


def test_areas_accept_postal_codes_and_departments():
    assert parse_areas("67000 67 2a 974") == ("67000", "67", "2A", "974")
    with pytest.raises(CompaniesRuleError, match="ni un code postal"):
        parse_areas("Strasbourg")


# --- matching -----------------------------------------------------------------------------

PROFILE = SearchProfile(("K2204",), ("67000",), Decimal(20), Decimal(30))


def test_perfect_match_scores_100_with_its_reasons():
    # 50 (same ROME code) + 30 (postal code wished) + 20 (24 h within 20–30 h) = 100
    result = match(PROFILE, OfferTerms("K2204", "67000", Decimal(24)))
    assert result.score == 100
    assert result.reasons == (
        "Même métier (code ROME K2204)",
        "Lieu recherché (67000)",
        "Horaire compatible (24 h par semaine)",
    )


def test_same_domain_same_department_wrong_hours():
    # K2202 is in domaine K22 like K2204: 25; 67100 is in the Bas-Rhin (67) like 67000: 15;
    # 35 h is above 30 h: 0. Total 40.
    result = match(PROFILE, OfferTerms("K2202", "67100", Decimal(35)))
    assert result.score == 40
    assert result.job_matches
    assert "Horaire différent (35 h par semaine ; souhaité : 20 h à 30 h)" in result.reasons


def test_other_job_is_not_proposed_even_nearby():
    result = match(PROFILE, OfferTerms("N1103", "67000", Decimal(24)))
    assert not result.job_matches
    assert result.reasons[0] == "Métier différent (N1103 ; recherché : K2204)"
    assert rank([("x", PROFILE)], OfferTerms("N1103", "67000", Decimal(24))) == []


def test_rank_puts_the_best_first():
    near = SearchProfile(("K2204",), ("67000",))
    far = SearchProfile(("K2204",), ("68100",))
    ranked = rank([("far", far), ("near", near)], OfferTerms("K2204", "67000", Decimal(24)))
    assert [key for key, _ in ranked] == ["near", "far"]


rome_codes = st.builds(
    lambda letter, n: f"{letter}{n:04d}", st.sampled_from("ABCDEFGHIJKLMN"), st.integers(0, 9999)
)
postal_codes = st.sampled_from(["67000", "67100", "67500", "68100", "57000", "75011"])
hours = st.decimals(min_value=1, max_value=48, places=1)
profiles = st.builds(
    SearchProfile,
    st.lists(rome_codes, max_size=3).map(tuple),
    st.lists(postal_codes, max_size=3).map(tuple),
    st.none() | hours,
    st.none() | hours,
)
offers = st.builds(OfferTerms, rome_codes, postal_codes, hours)


@given(profiles, offers)
def test_score_is_between_0_and_100(profile, offer):
    assert 0 <= match(profile, offer).score <= 100


@given(profiles, offers)
def test_wishing_the_offers_code_never_lowers_the_score(profile, offer):
    wider = SearchProfile(
        (*profile.rome_codes, offer.rome_code), profile.areas, profile.min_hours, profile.max_hours
    )
    assert match(wider, offer).score >= match(profile, offer).score
    assert match(wider, offer).job_matches


@given(profiles, offers, postal_codes)
def test_adding_a_place_never_lowers_the_score(profile, offer, place):
    wider = SearchProfile(
        profile.rome_codes, (*profile.areas, place), profile.min_hours, profile.max_hours
    )
    assert match(wider, offer).score >= match(profile, offer).score


# --- PMSMP --------------------------------------------------------------------------------


def test_parameters_are_those_of_d5135_3():
    on = D(2025, 1, 1)
    assert parameter("max_months", on) == 1
    assert parameter("max_renewals", on) == 1
    assert parameter("window_months", on) == 12
    assert parameter("max_conventions_per_host", on) == 2
    assert parameter("max_days_per_host", on) == 60


@pytest.mark.parametrize(
    ("start", "last"),
    [
        (D(2025, 3, 15), D(2025, 4, 14)),  # date à date: 15 March to 14 April
        (D(2025, 3, 1), D(2025, 3, 31)),
        (D(2025, 1, 31), D(2025, 2, 28)),  # no 31 February: the month's last day
        (D(2024, 1, 30), D(2024, 2, 29)),  # leap year
        (D(2025, 12, 10), D(2026, 1, 9)),
    ],
)
def test_one_month_date_to_date(start, last):
    assert last_day_within_months(start, 1) == last


@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2040, 12, 31)))
def test_one_month_lasts_28_to_31_days(start):
    days = (last_day_within_months(start, 1) - start).days + 1
    assert 28 <= days <= 31


def immersion(key, start, end, *, host="boulangerie", obj="confirm", objectives="vente", of=None):
    return Immersion(key, host, obj, objectives, start, end, renewal_of=of)


@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2040, 12, 31)), st.integers(0, 40))
def test_alone_an_immersion_is_valid_iff_within_one_month(start, length):
    end = start + dt.timedelta(days=length)
    findings = check_immersion(immersion(1, start, end), [])
    assert (not findings) == (end <= last_day_within_months(start, 1))


def test_longer_than_a_month_cites_d5135_3():
    (finding,) = check_immersion(immersion(1, D(2025, 3, 3), D(2025, 4, 3)), [])
    assert "finit au plus tard le 02/04/2025" in finding
    assert "D5135-3" in finding


def test_one_renewal_then_no_more():
    first = immersion(1, D(2025, 3, 3), D(2025, 4, 2))  # 31 days
    renewal = immersion(2, D(2025, 4, 3), D(2025, 5, 2), of=1)  # 30 days
    assert check_immersion(renewal, [first]) == []
    again = immersion(3, D(2025, 5, 5), D(2025, 5, 30), of=1)
    assert any("déjà été renouvelée" in f for f in check_immersion(again, [first, renewal]))
    chain = immersion(4, D(2025, 5, 5), D(2025, 5, 30), of=2)
    assert any(
        "On ne renouvelle pas un renouvellement" in f
        for f in check_immersion(chain, [first, renewal])
    )


def test_renewal_keeps_host_and_object():
    first = immersion(1, D(2025, 3, 3), D(2025, 3, 14))
    elsewhere = immersion(2, D(2025, 3, 17), D(2025, 3, 28), host="garage", of=1)
    assert any("même structure d'accueil" in f for f in check_immersion(elsewhere, [first]))
    other_goal = immersion(2, D(2025, 3, 17), D(2025, 3, 28), objectives="caisse", of=1)
    assert any("mêmes objectifs" in f for f in check_immersion(other_goal, [first]))


def test_third_convention_with_a_host_within_12_months_is_refused():
    first = immersion(1, D(2025, 1, 6), D(2025, 1, 17), obj="discover")
    second = immersion(2, D(2025, 4, 7), D(2025, 4, 18), obj="confirm")
    third = immersion(3, D(2025, 12, 1), D(2025, 12, 5), obj="recruit")
    # 6 January 2025 + 12 months = the window 06/01/2025–05/01/2026 holds all three.
    findings = check_immersion(third, [first, second])
    assert any("au plus 2 PMSMP sur 12 mois" in f and "la 3e" in f for f in findings)
    # From 6 January 2026 on, the first one has left the window.
    later = immersion(3, D(2026, 1, 6), D(2026, 1, 9), obj="recruit")
    assert check_immersion(later, [first, second]) == []


def test_two_conventions_with_a_host_total_60_days_at_most():
    # 12 + 31 + 18 = 61 days > 60 (D5135-3 al. 3).
    first = immersion(1, D(2025, 1, 6), D(2025, 1, 17), obj="discover")  # 12 days
    second = immersion(2, D(2025, 3, 3), D(2025, 4, 2), obj="confirm")  # 31 days
    renewal = immersion(3, D(2025, 4, 3), D(2025, 4, 20), obj="confirm", of=2)  # 18 days
    findings = check_immersion(renewal, [first, second])
    assert any("60 jours" in f and "61 jours" in f for f in findings)
    # One day less (17 days): 60 days, allowed.
    shorter = immersion(3, D(2025, 4, 3), D(2025, 4, 19), obj="confirm", of=2)
    assert check_immersion(shorter, [first, second]) == []


def test_second_convention_needs_other_object_or_objectives():
    first = immersion(1, D(2025, 1, 6), D(2025, 1, 17))
    twin = immersion(2, D(2025, 3, 3), D(2025, 3, 7), objectives="  Vente ")
    assert any("objet ou des objectifs différents" in f for f in check_immersion(twin, [first]))
    other = immersion(2, D(2025, 3, 3), D(2025, 3, 7), objectives="mise en rayon")
    assert check_immersion(other, [first]) == []


def test_other_hosts_do_not_count():
    first = immersion(1, D(2025, 1, 6), D(2025, 2, 5))
    second = immersion(2, D(2025, 2, 10), D(2025, 3, 9), host="garage")
    third = immersion(3, D(2025, 3, 10), D(2025, 4, 9), host="mairie")
    assert check_immersion(third, [first, second]) == []


def test_end_before_start():
    (finding,) = check_immersion(immersion(1, D(2025, 3, 3), D(2025, 3, 1)), [])
    assert "précède le début" in finding


def test_editing_an_immersion_ignores_its_former_self():
    first = immersion(1, D(2025, 1, 6), D(2025, 1, 17))
    assert check_immersion(immersion(1, D(2025, 1, 6), D(2025, 1, 20)), [first]) == []
