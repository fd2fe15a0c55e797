"""Each row of a list checked by the pages' own form, one French message per cell.

``ImportRowForm`` *is* ``BeneficiaryForm``: the same fields (types, lengths, choices), the
same clean methods (NIR and its key, allocation number, postal code, phone, birth date in
the past and at least 16 years ago, RSA entry date) and the same cross-checks (the NIR
against the sex, birth date and birth département; the postal code inside the département;
the RSA seniority of rule F3). Only what needs the database row by row is left to the
import, which does it in batches: duplicates (the import *matches* an existing NIR or
allocation number instead of refusing it), the referent's membership and the scope.

One form object serves every row of an import (its fields are copied once, not per row):
``RowChecker.check`` refills it and cleans it again.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tremplin.rules import identifiers
from tremplin.rules.identifiers import IdentifierError

from ..forms import BeneficiaryForm, clean_identifier
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


class ImportRowForm(BeneficiaryForm):
    """``BeneficiaryForm`` on one row of a list (see the module's docstring)."""

    def __init__(self):
        # The page's form limits territories, operators and referents to the user's scope
        # (queries): the import fixes them itself, once, for every row.
        forms.ModelForm.__init__(self, data={})
        for name in list(self.fields):
            if name not in ROW_FIELDS:
                del self.fields[name]
        self.user = None
        self.territory_code = ""
        self._today = timezone.localdate()

    def today(self):
        return self._today

    def full_clean(self):
        # Not the pages' full_clean: it marks widgets for display, row after row.
        forms.BaseForm.full_clean(self)

    def _clean_fields(self):
        """Django's own field cleaning (``field.clean`` then ``clean_<name>``), without the
        bound fields that a page needs for display: the data is a dict of Python values."""
        for name, field in self.fields.items():
            try:
                value = field.clean(self.data.get(name))
                self.cleaned_data[name] = value
                method = getattr(self, f"clean_{name}", None)
                if method is not None:
                    self.cleaned_data[name] = method()
            except ValidationError as error:
                self.add_error(name, error)

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

    def __init__(self):
        self.form = ImportRowForm()

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
