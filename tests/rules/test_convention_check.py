"""The law checkable from outside: the JSON contract of ``tremplin convention-check`` and
``POST /api/v1/conventions/check``, parsed and checked without Django."""

import copy
import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.rules.convention_check import (
    SECTIONS,
    TOP_LEVEL_KEYS,
    CheckInputError,
    ages_of,
    check_mapping,
    parse_input,
)

D = datetime.date

# The example, word for word.
EXAMPLE = {
    "kind": "CIE",
    "department": "67",
    "signed_on": "2026-02-20",
    "beneficiary": {
        "birth_date": "1985-04-12",
        "rsa": True,
        "ass": False,
        "disabled_worker": False,
    },
    "employer": {"last_economic_dismissal_on": None, "late_social_contributions": False},
    "contract": {
        "type": "CDD",
        "start": "2026-03-02",
        "end": "2026-09-01",
        "weekly_hours": 26,
        "hourly_gross_wage": "12.40",
    },
    "aid": {"start": "2026-03-02", "end": "2026-09-01", "rate": "47", "weekly_hours": 26},
    "tutor": {"experience_years": 5, "employees_followed": 1},
}


def changed(path: str, value):
    data = copy.deepcopy(EXAMPLE)
    *sections, key = path.split(".")
    target = data
    for section in sections:
        target = target[section]
    target[key] = value
    return data


def errors_of(data) -> dict[str, list[str]]:
    with pytest.raises(CheckInputError) as caught:
        check_mapping(data)
    return caught.value.by_key()


def test_the_example_gives_exactly_the_output_keys():
    result = check_mapping(EXAMPLE).as_dict()
    assert set(result) == {"findings", "signable"}
    assert all(set(finding) == {"rule", "severity", "message"} for finding in result["findings"])
    assert all(finding["severity"] in {"blocking", "warning"} for finding in result["findings"])
    # Bas-Rhin (67) is in the Grand Est (44): its 2026 order is demonstration data (rule E1),
    # and nothing else is wrong — a CDD of 6 months at 26 h, 12,40 € an hour above the SMIC
    # of 12,02 € (then 12,31 € from 01/06/2026), 47 %, 6 months of aid, a tutor of 5 years.
    assert [(f["rule"], f["severity"]) for f in result["findings"]] == [("E1", "warning")]
    assert result["signable"] is True


def test_the_input_builds_the_wizards_draft():
    parsed = parse_input(EXAMPLE)
    draft = parsed.draft
    assert (parsed.department, parsed.region_code) == ("67", "44")
    assert draft.order is not None and draft.order.region_code == "44"
    assert draft.hire_date == D(2026, 3, 2) and draft.planned_end == D(2026, 9, 1)
    assert draft.hourly_gross_wage == Decimal("12.40")
    assert draft.rate_percent == Decimal(47) and draft.subsidised_weekly_hours == Decimal(26)
    assert draft.receives_minimum_income and not draft.ass_beneficiary
    assert draft.contributions_up_to_date is True
    assert (draft.tutor_experience_years, draft.tutor_employees_followed) == (Decimal(5), 1)
    # Born 12/04/1985: 40 at the hire, 42 at the 24-month date.
    assert not draft.aged_50_plus and not draft.aged_58_plus


def test_ages_at_the_hire_and_at_the_24_month_date():
    # Rule C5: « âgés de 50 ans minimum à l'échéance des 24 mois »; E4: 58 and more.
    ages = ages_of(D(1977, 3, 2), D(2026, 3, 2))
    assert (ages.age, ages.aged_50_plus, ages.aged_58_plus) == (49, True, False)
    assert not ages_of(D(1977, 3, 3), D(2025, 3, 2)).aged_50_plus
    assert ages_of(D(1968, 3, 2), D(2026, 3, 2)).aged_58_plus


def test_only_kind_is_required_and_absent_keys_raise_no_finding():
    assert check_mapping({"kind": "CIE"}).as_dict() == {"findings": [], "signable": True}
    assert check_mapping({"kind": "CAE", "tutor": {}, "aid": None}).as_dict()["signable"]
    # null is "not known", like an absent key.
    nulls = {name: None for name in TOP_LEVEL_KEYS if name != "kind"}
    assert check_mapping({"kind": "CIE", **nulls}).as_dict()["findings"] == []


@pytest.mark.parametrize("wage", ["12.40", 12.4, "12,40", " 12.40 "])
def test_amounts_as_strings_or_numbers_are_the_same(wage):
    assert check_mapping(changed("contract.hourly_gross_wage", wage)) == check_mapping(EXAMPLE)


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        ({k: v for k, v in EXAMPLE.items() if k != "kind"}, "kind", "obligatoire"),
        (changed("kind", "CUI"), "kind", "« CIE » ou « CAE »"),
        (changed("contract.start", "2026-02-30"), "contract.start", "AAAA-MM-JJ"),
        (changed("contract.start", "02/03/2026"), "contract.start", "AAAA-MM-JJ"),
        (changed("contract.start", "20260302"), "contract.start", "AAAA-MM-JJ"),
        (changed("signed_on", 20260220), "signed_on", "AAAA-MM-JJ"),
        (changed("aid.rate", -47), "aid.rate", "négatif"),
        (changed("aid.rate", "-47"), "aid.rate", "négatif"),
        (changed("contract.weekly_hours", {}), "contract.weekly_hours", "pas un objet JSON"),
        (changed("contract.weekly_hours", [26]), "contract.weekly_hours", "liste"),
        (changed("contract.weekly_hours", True), "contract.weekly_hours", "booléen"),
        (changed("contract.hourly_gross_wage", "douze"), "contract.hourly_gross_wage", "nombre"),
        (changed("contract.hourly_gross_wage", "NaN"), "contract.hourly_gross_wage", "nombre"),
        (changed("tutor.employees_followed", 1.5), "tutor.employees_followed", "entier"),
        (changed("beneficiary.rsa", "oui"), "beneficiary.rsa", "true ou false"),
        (changed("contract.type", "CDII"), "contract.type", "« CDI » ou « CDD »"),
        (changed("contract", "CDD"), "contract", "objet JSON"),
        (changed("department", "99"), "department", "département connu"),
        (changed("department", 67), "department", "en texte"),
        (changed("contract.salary", 1400), "contract.salary", "clé inconnue"),
        (changed("employer.name", "Boulangerie"), "employer.name", "clé inconnue"),
        ({**EXAMPLE, "rupture": {}}, "rupture", "clé inconnue"),
    ],
)
def test_bad_input_names_the_key_in_french(data, key, words):
    errors = errors_of(data)
    assert key in errors, errors
    message = errors[key][0]
    assert message.startswith(f"« {key} »") and words in message


def test_a_cdi_with_an_end_is_refused_like_the_wizards_form():
    data = changed("contract.type", "CDI")
    errors = errors_of(data)
    assert "règle C7" in errors["contract.end"][0]


def test_every_bad_key_is_reported_at_once():
    data = changed("contract.start", "demain")
    data["aid"]["weekly_hours"] = -1
    del data["kind"]
    assert set(errors_of(data)) == {"kind", "contract.start", "aid.weekly_hours"}


def test_a_document_that_is_not_an_object_is_refused():
    for data in ([], "CIE", 3, None):
        assert "__all__" in errors_of(data)


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["2026-03-02", "CIE", "CDD", "12.40", "-3", "67", "1e999"]),
)
json_values = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def fuzzed_inputs(draw):
    data = {}
    for key in TOP_LEVEL_KEYS:
        if draw(st.booleans()):
            if key in SECTIONS and draw(st.booleans()):
                data[key] = {
                    name: draw(json_values) for name in SECTIONS[key] if draw(st.booleans())
                }
            else:
                data[key] = draw(json_values)
    if draw(st.booleans()):
        data["kind"] = draw(st.sampled_from(["CIE", "CAE"]))
    return data


@settings(max_examples=300)
@given(fuzzed_inputs())
def test_any_input_gives_findings_or_french_errors_never_a_crash(data):
    try:
        result = check_mapping(data).as_dict()
    except CheckInputError as error:
        assert error.errors
        for key, message in error.errors:
            assert message.startswith("« " if key != "__all__" else "Un objet JSON")
        return
    assert isinstance(result["signable"], bool)
