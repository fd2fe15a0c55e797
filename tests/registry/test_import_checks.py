"""The import's quick path gives what the pages' form gives: the quick cleaners only ever
accept, with Django's own value; every wrong cell still gets Django's (or the form's) French
message. And a new file built by copy is the file a model's ``__init__`` builds."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from tremplin.registry.imports import columns, engine
from tremplin.registry.imports.checks import UNSURE, ImportRowForm, RowChecker, quick_cleaner
from tremplin.registry.imports.engine import COMPARED_FIELDS, ImportOptions, import_rows
from tremplin.registry.imports.reading import Row
from tremplin.registry.models import Beneficiary

from .import_helpers import nir_of, person_row

BORN = datetime.date(1986, 4, 17)
FORM = ImportRowForm(quick=False)

# Values a cell or a file may hand to a field: texts of every shape, numbers, dates.
TRICKY_VALUES = [
    None, "", " ", "\t\n", "\u00a0", "x", " x ", "\u00a0x\u00a0", "Léa", "a\x00b", "\x00",
    "x" * 3, "x" * 4, "x" * 20, "x" * 21, "x" * 100, "x" * 101, "x" * 150, "x" * 151,
    "x" * 200, "x" * 201, "x" * 254, "x" * 255, "lea@example.org", " LEA@Example.ORG ",
    "lea@", "@example.org", "lea@localhost", "lea@exa mple.org", "a" * 250 + "@x.fr",
    "M", "MME", "m", "F", "CAF", "MSA", "caf", "XYZ", "12_23", "24_plus", "6_11", "lt6",
    "0", "1", "-1", "3.5", 0, 1, -1, 32767, 32768, 3.0, True, False, "true", "False",
    BORN, datetime.datetime(1986, 4, 17, 10, 30), datetime.date(2099, 1, 1), [], {},
    "06 12 34 56 78", "+33 6 12 34 56 78", "12", "75011", "67000", "2A", "99", "186046712345678",
]  # fmt: skip


def _django_clean(field, value):
    try:
        return ("ok", field.clean(value))
    except ValidationError as error:
        return ("error", error.messages)
    except (AttributeError, TypeError):  # a value no cell gives (a list…): Django fails
        return ("error", [])


@pytest.mark.parametrize("name", list(FORM.fields))
def test_a_quick_cleaner_accepts_only_what_django_accepts_with_the_same_value(name):
    field = FORM.fields[name]
    quick = quick_cleaner(field)
    for value in TRICKY_VALUES * 2:  # twice: the remembered values too
        if quick is None:
            continue
        expected = _django_clean(field, value)
        result = quick(value)
        if result is UNSURE:
            continue
        assert expected[0] == "ok", (name, value, expected)
        assert result == expected[1] and type(result) is type(expected[1]), (name, value)


@given(st.text(max_size=300))
def test_any_text_is_cleaned_as_django_cleans_it(text):
    for name, field in FORM.fields.items():
        quick = quick_cleaner(field)
        if quick is None:
            continue
        result = quick(text)
        if result is not UNSURE:
            assert _django_clean(field, text) == ("ok", result), name


def test_the_quick_path_is_taken_for_ordinary_values():
    """Otherwise it would only cost: a valid row's texts, dates and choices are quick."""
    for name, value in [("last_name", " Schmitt "), ("email", "lea@example.org"),
                        ("birth_date", BORN), ("civility", "MME"), ("receives_rsa", True),
                        ("rsa_start_date", ""), ("earlier_rmi_api_months", 0)]:  # fmt: skip
        assert quick_cleaner(FORM.fields[name])(value) is not UNSURE, name


# Each kind of wrong cell, alone or two at a time, over a new file's or a known file's values.
BAD_CELLS = {
    "civility": ["", "X", "M"],
    "last_name": ["", " ", "x" * 101, "Du\x00pont"],
    "first_names": ["", "y" * 151],
    "nir": [nir_of("femme", BORN)[:13] + "00", "2860467", "X" + nir_of("femme", BORN)[1:]],
    "birth_date": ["", datetime.date(2099, 4, 17), datetime.date(2015, 1, 1),
                   datetime.date(1987, 4, 17)],
    "postal_code": ["75011", "6700", "67 000", "x" * 40],
    "city": ["c" * 101],
    "street": ["s" * 201],
    "email": ["lea@", " LEA@Example.ORG ", "a" * 250 + "@x.fr", "a\x00b@x.fr"],
    "phone": ["12", "+33 6 12 34 56 78", "0612345678", "+49 30 123456", "0033612345678",
              "06.12.34.56.78.99.11.22.33", "  "],
    "rsa_number": ["12AB", "123", " 1234 5678 "],
    "rsa_payer": ["", "XYZ", "MSA"],
    "rsa_start_date": [datetime.date(2099, 1, 1), ""],
    "receives_rsa": [False],
    "minimum_income_for": ["", "bogus"],
    "earlier_rmi_api_months": [-1, "x", 40000],
    "birth_department": ["6", "2C"],
}  # fmt: skip


def _valid_row() -> dict:
    return {
        **engine.NEW_FILE_DEFAULTS,
        "civility": "MME", "last_name": "Schmitt", "first_names": "Léa", "birth_date": BORN,
        "nir": nir_of("femme", BORN), "street": "4 rue des Orfèvres", "postal_code": "67000",
        "city": "Strasbourg", "phone": "06 12 34 56 78", "email": "lea.schmitt@example.org",
        "rsa_number": "1234567", "rsa_payer": "CAF", "receives_rsa": True,
        "rsa_start_date": datetime.date(2019, 6, 1),
    }  # fmt: skip


def test_every_kind_of_wrong_cell_gets_the_same_messages_and_values_both_ways():
    quick, django = RowChecker(), RowChecker(quick=False)
    cells = [(name, value) for name, values in BAD_CELLS.items() for value in values]
    rows = [_valid_row()]
    rows += [{**_valid_row(), name: value} for name, value in cells]
    rows += [{**_valid_row(), a: x, b: y} for (a, x), (b, y) in itertools.combinations(cells, 2)]
    refused = 0
    for data in rows * 2:  # twice: the remembered choices and phone numbers too
        for territory in ("67", "75"):
            expected_values, expected_errors = django.check(dict(data), territory)
            expected_values = dict(expected_values)
            values, errors = quick.check(dict(data), territory)
            assert errors == expected_errors, data
            assert values == expected_values, data
            refused += bool(errors)
    assert refused > len(rows)  # the file is mostly made of wrong rows


@pytest.mark.django_db
def test_an_import_has_the_same_outcome_and_messages_both_ways(
    referent_user, operator, territory, monkeypatch
):
    factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user, civility="MME",
        last_name="Schmitt", first_names="Léa", birth_date=BORN, identifiers=False,
    )  # fmt: skip
    cells = [
        ("Sexe", "X"), ("Sexe", "M"), ("Sexe", ""), ("NIR", "2860467"), ("Nom", ""),
        ("Date de naissance", "31/02/1986"), ("Date de naissance", "17/04/2099"),
        ("Date de naissance", "1986-04-17"), ("Code postal", "75011"), ("Code postal", "6700"),
        ("Téléphone", "12"), ("Téléphone", "0612345678"), ("Courriel", "lea@"),
        ("Courriel", " LEA@Example.ORG "), ("Numéro allocataire", "12AB"),
        ("Date d'entrée RSA", "01/01/2099"), ("Commune", "c" * 101), ("Prénom", "y" * 151),
    ]  # fmt: skip
    rows = [person_row(**{column: value}) for column, value in cells]
    rows += [person_row(NIR="", **{"Numéro allocataire": "", "Téléphone": "0388000000"})]
    rows += [person_row(Nom=f"Meyer{i}", NIR="", **{"Numéro allocataire": str(7654300 + i),
                                                    "Téléphone": "03 88 00 00 00"})
             for i in range(3)]  # fmt: skip
    mapping = columns.check_mapping(list(rows[0]), columns.guess_mapping(list(rows[0])))

    def outcomes(quick: bool):
        monkeypatch.setattr(engine, "RowChecker", lambda: RowChecker(quick=quick))
        seen = []
        result = import_rows(
            [Row(number, row) for number, row in enumerate(rows, start=1)],
            mapping,
            ImportOptions(operator=operator, referent=referent_user, dry_run=True),
            on_row=seen.append,
        )
        return result.as_dict(), [(o.status, o.label, o.errors, o.changes) for o in seen]

    expected = outcomes(quick=False)
    assert outcomes(quick=True) == expected
    assert len(expected[0]["rejected"]) >= 14 and expected[0]["created"] == 3


def test_the_compared_fields_are_plain_columns():
    """A new file gets them by assignment (``Importer._created``)."""
    for name in COMPARED_FIELDS:
        field = Beneficiary._meta.get_field(name)
        assert not field.is_relation and field.attname == name


@pytest.mark.django_db
def test_a_new_file_is_what_the_model_builds(referent_user, operator):
    importer = engine.Importer({"Nom": "last_name"}, ImportOptions(operator=operator))
    for referent in (referent_user, None, referent_user):
        copied = importer._new_file(referent)
        built = Beneficiary(territory=operator.territory, operator=operator, referent=referent)
        assert _values(copied) == _values(built)
        assert (copied._state.adding, copied._state.db) == (True, built._state.db)
        assert copied._state.fields_cache == built._state.fields_cache
        assert copied._state is not built._state
        assert (
            copied._state.fields_cache
            is not importer._templates[referent.pk if referent else None]._state.fields_cache
        )
    one, other = importer._new_file(referent_user), importer._new_file(referent_user)
    one.last_name = "Schmitt"
    assert other.last_name == ""  # each copy has its own values


def _values(person) -> dict:
    return {k: v for k, v in person.__dict__.items() if k not in {"_state", "_audit_loaded"}}


@pytest.mark.django_db
def test_ambiguous_candidates_are_named_in_the_lists_order(referent_user, operator, territory):
    """Looked up without ordering, the homonyms are sorted as the lists sort people."""
    made = [
        factories.BeneficiaryFactory(
            territory=territory,
            operator=operator,
            last_name=last_name,
            first_names="Léa",
            birth_date=BORN,
            identifiers=False,
        )  # fmt: skip
        for last_name in ("Schmitt", "SCHMITT", "Schmitt")
    ]
    listed = list(Beneficiary.objects.filter(pk__in=[b.pk for b in made]))
    assert [b.pk for b in listed] != [b.pk for b in made]  # the order is the list's, not pk
    row = person_row(NIR="", **{"Numéro allocataire": ""})
    mapping = columns.check_mapping(list(row), columns.guess_mapping(list(row)))
    result = import_rows(
        [Row(1, row)], mapping, ImportOptions(operator=operator, referent=referent_user)
    )
    message = result.rejected[0].errors[0].message
    assert message.startswith("3 dossiers portent ce nom et cette date de naissance (")
    named = ", ".join(f"n° {b.pk} ({b})" for b in listed)
    assert f"({named})" in message
