"""Identifier checks (rule F1): which part of the number is wrong, in French."""

import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.registry.synthetic import synthetic_nir, synthetic_siret
from tremplin.rules import identifiers
from tremplin.rules.identifiers import IdentifierError


class TestNir:
    # python-stdnum's documented examples: 2 95 10 99 126 111 93 is valid; 97 - (2951099126111
    # mod 97) = 93. Corsica: 2A counts as 19 and 2B as 18 in the key computation.
    def test_valid_number_is_normalised(self):
        assert identifiers.normalize_nir("2 95 10 99 126 111 93") == "295109912611193"

    @pytest.mark.parametrize("number", ["253072B07300470", "253072A07300443"])
    def test_corsican_numbers_are_accepted(self, number):
        assert identifiers.normalize_nir(number) == number

    def test_wrong_key_names_the_key_and_the_expected_value(self):
        with pytest.raises(IdentifierError) as error:
            identifiers.normalize_nir("295109912611199")
        message = str(error.value)
        assert "clé" in message
        assert "99" in message and "93" in message

    def test_wrong_length_says_how_many_characters(self):
        with pytest.raises(IdentifierError, match="15 caractères.*14 ont été saisis"):
            identifiers.normalize_nir("29510991261119")

    def test_wrong_sex_digit(self):
        with pytest.raises(IdentifierError, match="1er chiffre"):
            identifiers.normalize_nir("595109912611193")

    def test_wrong_month(self):
        with pytest.raises(IdentifierError, match="mois de naissance"):
            identifiers.normalize_nir("295139912611193")

    def test_unknown_corsican_letter(self):
        with pytest.raises(IdentifierError, match="2A / 2B"):
            identifiers.normalize_nir("253072C07300443")

    def test_inconsistencies_with_the_file(self):
        number = "295109912611193"  # woman, born October 1995, abroad (99)
        problems = identifiers.nir_inconsistencies(
            number, birth_date=datetime.date(1995, 3, 1), sex="homme", birth_department="67"
        )
        fields = [field for field, _ in problems]
        assert fields == ["civility", "birth_date", "birth_department"]

    def test_no_inconsistency_when_the_file_agrees(self):
        problems = identifiers.nir_inconsistencies(
            "295109912611193",
            birth_date=datetime.date(1995, 10, 12),
            sex="femme",
            birth_department="99",
        )
        assert problems == []

    @given(
        seed=st.integers(0, 10**6),
        birth_date=st.dates(datetime.date(1940, 1, 1), datetime.date(2008, 12, 31)),
        department=st.sampled_from(["01", "2A", "2B", "67", "75", "971", "974", "99"]),
        sex=st.sampled_from(["homme", "femme"]),
    )
    def test_every_synthetic_nir_is_valid_and_consistent(self, seed, birth_date, department, sex):
        number = synthetic_nir(
            random.Random(seed), sex=sex, birth_date=birth_date, birth_department=department
        )
        assert identifiers.normalize_nir(number) == number
        assert (
            identifiers.nir_inconsistencies(
                number, birth_date=birth_date, sex=sex, birth_department=department
            )
            == []
        )

    @given(seed=st.integers(0, 10**6), position=st.integers(7, 12), delta=st.integers(1, 9))
    def test_changing_one_digit_breaks_the_key(self, seed, position, delta):
        number = synthetic_nir(
            random.Random(seed),
            sex="femme",
            birth_date=datetime.date(1985, 5, 3),
            birth_department="67",
        )
        digit = (int(number[position]) + delta) % 10
        altered = number[:position] + str(digit) + number[position + 1 :]
        with pytest.raises(IdentifierError, match="clé"):
            identifiers.normalize_nir(altered)


class TestSiret:
    # 73282932000074 is the SIRET of a well-known establishment used in stdnum's docs;
    # Luhn: the weighted sum of its digits is a multiple of 10.
    def test_valid_siret(self):
        assert identifiers.normalize_siret("732 829 320 00074") == "73282932000074"
        assert identifiers.siren_of("73282932000074") == "732829320"

    def test_wrong_siren_is_named(self):
        with pytest.raises(IdentifierError, match="SIREN"):
            identifiers.normalize_siret("73282932100074")

    def test_wrong_nic_is_named(self):
        with pytest.raises(IdentifierError, match="NIC"):
            identifiers.normalize_siret("73282932000075")

    def test_length(self):
        with pytest.raises(IdentifierError, match="14 chiffres.*13 ont été saisis"):
            identifiers.normalize_siret("7328293200007")

    def test_la_poste_establishments_follow_their_own_rule(self):
        # La Poste (SIREN 356000000): the digits of the SIRET add up to a multiple of 5:
        # 3+5+6+0+0+0+0+0+0+0+0+0+3+9 = 26 -> no; 35600000000048: 3+5+6+4+8 = 26 -> no;
        # 35600000049837: 3+5+6+4+9+8+3+7 = 45 -> yes.
        assert identifiers.normalize_siret("35600000049837") == "35600000049837"
        with pytest.raises(IdentifierError, match="NIC"):
            identifiers.normalize_siret("35600000000048")

    @given(seed=st.integers(0, 10**6))
    def test_every_synthetic_siret_is_valid(self, seed):
        siret = synthetic_siret(random.Random(seed))
        assert identifiers.normalize_siret(siret) == siret


class TestPostalCodes:
    @pytest.mark.parametrize(
        ("code", "departments"),
        [("67000", {"67"}), ("20000", {"2A"}), ("20200", {"2B"}), ("97400", {"974"})],
    )
    def test_department_of_postal_code(self, code, departments):
        assert identifiers.department_codes_of_postal_code(code) == departments

    def test_postal_code_outside_the_followed_department(self):
        message = identifiers.postal_code_outside("68100", "67")
        assert "68" in message and "Bas-Rhin (67)" in message
        assert identifiers.postal_code_outside("67000", "67") is None

    @pytest.mark.parametrize("typed", ["6700", "67 0000", "ABCDE"])
    def test_malformed_postal_code(self, typed):
        with pytest.raises(IdentifierError, match="5 chiffres"):
            identifiers.normalize_postal_code(typed)

    def test_unknown_department(self):
        with pytest.raises(IdentifierError, match="aucun département"):
            identifiers.normalize_postal_code("00100")


class TestOtherCodes:
    def test_naf_accepts_the_compact_form(self):
        assert identifiers.normalize_naf("8899b") == "88.99B"

    def test_naf_format_error_gives_an_example(self):
        with pytest.raises(IdentifierError, match="88.99B"):
            identifiers.normalize_naf("889")

    def test_idcc_is_padded(self):
        assert identifiers.normalize_idcc("843") == "0843"

    def test_department_codes(self):
        assert identifiers.normalize_department("2a") == "2A"
        assert identifiers.normalize_department("99") == "99"
        with pytest.raises(IdentifierError):
            identifiers.normalize_department("20")

    def test_rsa_number(self):
        assert identifiers.normalize_rsa_number("123 4567") == "1234567"
        with pytest.raises(IdentifierError, match="5 à 13 chiffres"):
            identifiers.normalize_rsa_number("12A4")


def test_a_masked_nir_keeps_its_bullets_and_its_groups():
    from tremplin.rules.identifiers import mask_nir

    assert mask_nir("186078612345678") == "1 86 07 •• ••• ••• ••"
    assert mask_nir("") == ""
