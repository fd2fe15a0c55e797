"""The official code lists (rules F1, P7): ROME fiches and NAF rév. 2 sub-classes."""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.rules import referentials
from tremplin.rules.identifiers import IdentifierError, normalize_naf


@pytest.fixture
def fresh_versions():
    referentials._versions.cache_clear()
    yield
    referentials._versions.cache_clear()


def test_rome_list_has_the_532_fiches_of_france_travail():
    # France Travail's ROME counts 532 fiches métiers in 14 grands domaines (A to N).
    rome = referentials.rome()
    assert len(rome) == 532
    assert {code[0] for code, _label in rome} == set("ABCDEFGHIJKLMN")
    assert all(re.fullmatch(r"[A-N]\d{4}", code) for code, _label in rome)
    assert rome.label("K2204") == "Nettoyage de locaux"
    assert rome.label("N1103") == "Magasinage et préparation de commandes"


def test_naf_list_has_the_732_sub_classes_of_the_insee():
    # NAF rév. 2 (décret n° 2007-1888): 21 sections, 88 divisions, 272 groupes, 615 classes
    # and 732 sous-classes; the sub-class is the APE code an employer's Sirene notice gives.
    naf = referentials.naf()
    assert len(naf) == 732
    assert all(re.fullmatch(r"\d{2}\.\d{2}[A-Z]", code) for code, _label in naf)
    assert naf.label("88.99B") == "Action sociale sans hébergement n.c.a."
    # Labels come out on one line, whatever the spreadsheet cells held.
    assert all("\n" not in label and "  " not in label for _code, label in naf)


def test_unknown_rome_code_message_names_the_list_its_version_the_rule_and_near_codes():
    message = referentials.rome().unknown_code_message("k2299", "K2299", "F1")
    assert message.startswith("Le code ROME « k2299 » n'existe pas dans le répertoire ROME")
    assert "version du 17/09/2024, 532 fiches métiers" in message
    assert "(règle F1)" in message
    # Domaine K22 (propreté) has exactly four fiches, all proposed.
    assert message.endswith(
        "Codes proches : K2201 (Blanchisserie industrielle), K2202 (Lavage de vitres), "
        "K2203 (Management et inspection en propreté de locaux), K2204 (Nettoyage de locaux)."
    )


def test_a_listed_code_has_no_message():
    assert referentials.rome().unknown_code_message("K2204", "K2204", "F1") is None


def test_no_suggestion_from_a_single_letter():
    # "Z" is no grand domaine and "A9" no domaine: a one-letter prefix would propose 30 unrelated
    # fiches, so nothing is proposed.
    assert referentials.rome().neighbours("A9999") == ()


@given(code=st.sampled_from(sorted(code for code, _ in referentials.rome())))
def test_near_codes_of_a_listed_code_share_its_domaine(code):
    unknown = code[:3] + "99"
    near = referentials.rome().neighbours(unknown)
    assert near, unknown
    assert all(found.startswith(code[:3]) for found, _label in near)
    assert len(near) <= referentials.SUGGESTIONS


@pytest.mark.parametrize(
    ("typed", "code"), [("88.99B", "88.99B"), ("8899b", "88.99B"), (" 10 71 C", "10.71C")]
)
def test_naf_code_is_normalised_when_the_insee_lists_it(typed, code):
    assert normalize_naf(typed) == code


def test_naf_code_of_the_right_shape_but_unknown_is_refused_with_near_codes():
    # 88.99 has two sub-classes, A (children and teenagers) and B (n.c.a.); there is no C.
    with pytest.raises(IdentifierError) as refused:
        normalize_naf("88.99C")
    message = str(refused.value)
    assert "n'existe pas dans la nomenclature NAF rév. 2 de l'Insee" in message
    assert "(règle F1)" in message
    assert "88.99B (Action sociale sans hébergement n.c.a.)" in message


def test_versions_are_dated_data(tmp_path, monkeypatch, fresh_versions):
    older = tmp_path / "old.csv"
    older.write_text("code;libelle\nK2204;Nettoyage de locaux\n", encoding="utf-8")
    newer = tmp_path / "new.csv"
    newer.write_text(
        "code;libelle\nK2204;Nettoyage de locaux\nM1811;Data engineering\n", encoding="utf-8"
    )
    file = tmp_path / "referentials.toml"
    file.write_text(
        "".join(
            f'[[rome]]\nvalid_from = {day}\nname = "le répertoire ROME"\nunit = "fiches"\n'
            f'file = "{path}"\nsource = "test"\nwhere_to_check = "ici"\n\n'
            for day, path in (("2026-01-01", newer), ("2020-01-01", older))
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(referentials, "REFERENTIALS_FILE", file)
    assert "M1811" not in referentials.rome(dt.date(2025, 12, 31))
    assert "M1811" in referentials.rome(dt.date(2026, 1, 1))
    assert "M1811" in referentials.rome()
    # Before the first version, the oldest list answers.
    assert len(referentials.rome(dt.date(2000, 1, 1))) == 1
    with pytest.raises(referentials.UnknownCode, match="version du 01/01/2020"):
        referentials.normalize_rome_code("M1811", rule="F1", on=dt.date(2024, 6, 1))
    assert referentials.normalize_rome_code("m1811", rule="F1") == "M1811"


def test_a_missing_package_is_a_french_install_error(tmp_path, monkeypatch, fresh_versions):
    file = tmp_path / "referentials.toml"
    file.write_text(
        '[[naf]]\nvalid_from = 2008-01-01\nname = "la NAF"\nunit = "sous-classes"\n'
        'package = "no-such-package-here"\nfile = "db"\nsource = "test"\nwhere_to_check = "ici"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(referentials, "REFERENTIALS_FILE", file)
    with pytest.raises(referentials.ReferentialError, match="réinstallez les dépendances"):
        referentials.naf()
