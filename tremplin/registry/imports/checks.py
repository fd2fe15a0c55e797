"""Each row of a list checked by the pages' own form, one French message per cell.

``ImportRowForm`` *is* ``BeneficiaryForm``: the same fields (types, lengths, choices), the
same clean methods (NIR and its key, allocation number, postal code, phone, birth date in
the past and at least 16 years ago, RSA entry date) and the same cross-checks (the NIR
against the sex, birth date and birth département; the postal code inside the département;
the RSA seniority of rule F3). Only what needs the database row by row is left to the
import, which does it in batches: duplicates (the import *matches* an existing NIR or
allocation number instead of refusing it), the referent's membership and the scope.

One form object serves every row of an import (its fields are copied once, not per row):
``RowChecker.check`` refills it and cleans it again. Each field is cleaned by Django's own
``field.clean``, except the values that a quick cleaner (``quick_cleaner``) is sure of: a
text that only needs stripping and is within its length, a date, a yes/no, a choice seen
before. Whatever it is not sure of — every wrong value among them — goes through
``field.clean``, which writes the message: the quick path only ever accepts, with the value
Django would give (tests/registry/test_import_checks.py compares both on every kind of
wrong cell).
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils import timezone

from tremplin.rules import identifiers
from tremplin.rules.identifiers import IdentifierError

from ..forms import BeneficiaryForm, clean_identifier, clean_phone
from ..models import Beneficiary

# The person's fields a row fills or that the form's cross-checks read.
ROW_FIELDS = (
    "civility",
    "last_name",
    "first_names",
    "birth_name",
    "nir",
    "birth_date",
    "birth_department",
    "street_number",
    "street",
    "address_complement",
    "postal_code",
    "city",
    "email",
    "phone",
    "rsa_number",
    "rsa_payer",
    "receives_rsa",
    "rsa_start_date",
    "earlier_rmi_api_months",
    "minimum_income_for",
)

CIVILITIES = {
    Beneficiary.Civility.MR: {"m", "m.", "h", "homme", "masculin", "1", "mr", "monsieur"},
    Beneficiary.Civility.MRS: {"f", "femme", "feminin", "féminin", "2", "mme", "madame", "mlle"},
}
_CIVILITY_OF = {text: code for code, texts in CIVILITIES.items() for text in texts}

_DATE_PATTERNS = (
    (re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?"), ("year", "month", "day")),
)


class CellError(ValueError):
    """A cell that cannot be read: ``str(error)`` is the French message."""


def parse_civility(text: str) -> str:
    code = _CIVILITY_OF.get(text.strip().lower())
    if code is None:
        raise CellError(
            f"Le sexe « {text} » n'est pas reconnu : écrivez F ou M (ou Femme / Homme, Mme / M.)."
        )
    return code


def parse_payer(text: str) -> str:
    """The RSA's payer, CAF or MSA, whatever the case (one message, not the form's generic
    choice error followed by its « which payer? »)."""
    payer = text.strip().upper()
    if payer not in Beneficiary.RsaPayer.values:
        raise CellError(f"L'organisme payeur « {text} » n'est pas reconnu : écrivez CAF ou MSA.")
    return payer


def parse_date(value: object, label: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return datetime.date(parts["year"], parts["month"], parts["day"])
            except ValueError:
                break
    raise CellError(
        f"La {label} « {text} » n'est pas une date : écrivez-la JJ/MM/AAAA, par exemple 04/03/1980."
    )


def civility_from_nir(nir: str) -> str | None:
    """The sex that a valid NIR's first digit gives, when the list has no sex column."""
    try:
        number = identifiers.normalize_nir(nir)
    except IdentifierError:
        return None
    sex = identifiers.NIR_SEX_DIGITS[number[0]]
    return Beneficiary.Civility.MR if sex == "homme" else Beneficiary.Civility.MRS


UNSURE = object()  # what a quick cleaner gives when Django's ``field.clean`` must decide
# Distinct values remembered per field (choices, numbers) and phone numbers per import.
CHOICES_REMEMBERED = 256
PHONES_REMEMBERED = 20_000


def quick_cleaner(field: forms.Field):
    """A function giving what ``field.clean(value)`` gives, for the values it is sure of,
    and ``UNSURE`` for any other (then ``field.clean`` runs); None for a field it does not
    know. It never raises: a wrong value is always Django's to refuse, with its message."""
    kind = type(field)
    if field.disabled:
        return None
    if kind in (forms.CharField, forms.EmailField) and field.strip:
        return _quick_text(field)
    if kind is forms.DateField and not field.validators:
        return _quick_date(field)
    if kind is forms.BooleanField and not field.validators:
        required = field.required
        return lambda value: (
            value if value.__class__ is bool and (value or not required) else UNSURE
        )
    if kind in (forms.TypedChoiceField, forms.ChoiceField, forms.IntegerField):
        return _remembered(field)
    return None


def _quick_text(field: forms.CharField):
    """Django strips the text, gives ``empty_value`` for an empty one (unless required),
    then checks its length, the null character and, for an e-mail, the address."""
    others = []
    for validator in field.validators:
        if isinstance(validator, validators.MaxLengthValidator):
            if validator.limit_value != field.max_length:
                return None
        elif isinstance(validator, validators.ProhibitNullCharactersValidator):
            continue
        elif type(field) is forms.EmailField and isinstance(validator, validators.EmailValidator):
            others.append(validator)
        else:
            return None
    limit = field.max_length if field.max_length is not None else float("inf")
    required, empty = field.required, field.empty_value

    def clean(value):
        if value.__class__ is not str:
            return UNSURE
        text = value.strip()
        if not text:
            return UNSURE if required else empty
        if len(text) > limit or "\x00" in text:
            return UNSURE
        for validator in others:
            try:
                validator(text)
            except ValidationError:
                return UNSURE
        return text

    return clean


def _quick_date(field: forms.DateField):
    required = field.required

    def clean(value):
        if value.__class__ is datetime.date:
            return value
        if (value is None or value == "") and not required:
            return None
        return UNSURE

    return clean


def _remembered(field: forms.Field):
    """``field.clean`` once per distinct value (a choice, a number: a few per list), as long
    as it accepts it; at most CHOICES_REMEMBERED values."""
    known: dict = {}

    def clean(value):
        key = (value.__class__, value)  # 1, 1.0 and True are equal, not the same cell
        try:
            return known[key]
        except KeyError:
            pass
        except TypeError:  # not hashable
            return UNSURE
        try:
            result = field.clean(value)
        except ValidationError:
            return UNSURE
        if len(known) < CHOICES_REMEMBERED:
            known[key] = result
        return result

    return clean


class ImportRowForm(BeneficiaryForm):
    """``BeneficiaryForm`` on one row of a list (see the module's docstring)."""

    def __init__(self, *, quick: bool = True):
        # The page's form limits territories, operators and referents to the user's scope
        # (queries): the import fixes them itself, once, for every row.
        forms.ModelForm.__init__(self, data={})
        for name in list(self.fields):
            if name not in ROW_FIELDS:
                del self.fields[name]
        self.user = None
        self.territory_code = ""
        self._today = timezone.localdate()
        # name, field, quick cleaner (or None), clean_<name> method (or None)
        self._cleaners = [
            (
                name,
                field,
                quick_cleaner(field) if quick else None,
                getattr(self, f"clean_{name}", None),
            )
            for name, field in self.fields.items()
        ]
        self._phones: dict[str, str] = {}

    def today(self):
        return self._today

    def full_clean(self):
        # Not the pages' full_clean: it marks widgets for display, row after row.
        forms.BaseForm.full_clean(self)

    def _clean_fields(self):
        """Django's own field cleaning (``field.clean`` then ``clean_<name>``), without the
        bound fields that a page needs for display: the data is a dict of Python values.
        A quick cleaner stands in for ``field.clean`` on the values it is sure of."""
        data, cleaned = self.data, self.cleaned_data
        for name, field, quick, method in self._cleaners:
            value = data.get(name)
            try:
                result = UNSURE if quick is None else quick(value)
                if result is UNSURE:
                    result = field.clean(value)
                cleaned[name] = result
                if method is not None:
                    cleaned[name] = method()
            except ValidationError as error:
                self.add_error(name, error)

    def clean_phone(self):
        """The pages' check (``forms.clean_phone``), once per distinct number: parsing it
        is the costliest check of a row. Only accepted numbers are remembered, at most
        PHONES_REMEMBERED per import."""
        value = self.cleaned_data["phone"]
        try:
            return self._phones[value]
        except KeyError:
            pass
        number = clean_phone(value)
        if len(self._phones) < PHONES_REMEMBERED:
            self._phones[value] = number
        return number

    def clean_nir(self):
        # The import matches an existing NIR (it is the first key) instead of refusing it.
        return clean_identifier(identifiers.normalize_nir, self.cleaned_data.get("nir", ""))

    def _check_homonym(self, data):
        """The import matches people by name and birth date instead."""

    def _check_address_in_territory(self, data):
        postal_code = data.get("postal_code")
        if postal_code and self.territory_code:
            message = identifiers.postal_code_outside(postal_code, self.territory_code)
            if message:
                self.add_error("postal_code", message)

    def _check_rsa_number(self, data):
        # A payer the form refused already has its message: no second one on the cell.
        if data.get("rsa_number") and not data.get("rsa_payer") and "rsa_payer" not in self._errors:
            self.add_error("rsa_payer", "Indiquez si le RSA est versé par la CAF ou par la MSA.")

    def _post_clean(self):
        """No model validation row by row: the form's fields already check lengths and
        choices, the import writes through the database's constraints."""


class RowChecker:
    """One ``ImportRowForm`` for all the rows of an import."""

    def __init__(self, *, quick: bool = True):
        self.form = ImportRowForm(quick=quick)

    def check(self, data: dict, territory_code: str) -> tuple[dict, dict[str, list[str]]]:
        """(cleaned values, {field: [French messages]}) of one row's values."""
        form = self.form
        form.data = data
        form.is_bound = True
        form._errors = None
        form._bound_fields_cache = {}
        form.territory_code = territory_code
        form.full_clean()
        errors = {name: [str(m) for m in messages] for name, messages in form._errors.items()}
        return form.cleaned_data, errors


def field_label(name: str) -> str:
    if name == "nir":
        return "NIR"
    if name == "rsa_number":
        return "numéro allocataire"
    try:
        return str(Beneficiary._meta.get_field(name).verbose_name)
    except Exception:
        return name
