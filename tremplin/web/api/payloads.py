"""Input schemas generated from the pages' forms, and the bridge from a payload to a form.

The forms are the single source of validation (DESIGN.md: same rules, same French
messages for pages and API). The schemas built here only check JSON types, so that "douze"
for a number gets a clear message before the form runs; they follow the forms' fields
automatically when a field is added to a form.
"""

import datetime
import decimal

from django import forms
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.html import strip_tags
from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from tremplin.web.form_pages import NOT_SAVED, save_in_savepoint
from tremplin.web.locking import EditConflict

from .errors import EditConflictError, FormInvalid


class StrictInput(Schema):
    # A misspelt field silently ignored would let a client believe it saved something.
    model_config = ConfigDict(extra="forbid")


def _python_type(field: forms.Field) -> type:
    if isinstance(field, forms.ModelChoiceField):
        return int  # the record's identifier
    if isinstance(field, forms.BooleanField):
        return bool
    if isinstance(field, forms.DateTimeField):
        return datetime.datetime
    if isinstance(field, forms.DateField):
        return datetime.date
    if isinstance(field, forms.IntegerField):
        return int
    if isinstance(field, forms.DecimalField):
        return decimal.Decimal
    return str


def _documentation(field: forms.Field) -> dict:
    label = str(field.label or "")
    description = label[:1].upper() + label[1:]
    if field.help_text:
        description += f". {strip_tags(str(field.help_text))}"
    extra: dict = {}
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        codes = [(str(code), str(text)) for code, text in field.choices if code not in ("", None)]
        extra["enum"] = [code for code, _ in codes]
        description += ". Codes : " + " ; ".join(f"{code} = {text}" for code, text in codes)
    elif isinstance(field, forms.ModelChoiceField):
        description += " (identifiant ; limité à votre périmètre)"
    if getattr(field, "max_length", None):
        extra["maxLength"] = field.max_length
    return {"description": description, "json_schema_extra": extra or None}


def schema_from_form(form_class, name: str, *, partial: bool = False) -> type[Schema]:
    """A pydantic schema with one key per form field, typed after the form field.

    Creation: a field the form requires and does not pre-fill is required here too; an
    absent key takes the value the page's empty form shows. Partial update (PATCH):
    every key is optional and an absent key keeps the current value; null is accepted
    only where the form accepts an empty value.
    """
    definitions = {}
    for field_name, field in form_class.base_fields.items():
        python_type = _python_type(field)
        documentation = _documentation(field)
        if python_type is not bool and not field.required:
            python_type = python_type | None
        if partial:
            default = None
        elif field.required and field.initial is None:
            default = ...
        elif field.initial is not None and not callable(field.initial):
            default = field.initial
        else:
            default = False if python_type is bool else None
        definitions[field_name] = (python_type, Field(default, **documentation))
    return create_model(name, __base__=StrictInput, **definitions)


def _plain(value):
    return value.pk if isinstance(value, models.Model) else value


def initial_values(form) -> dict:
    """What the page's empty form shows (e.g. the referent and their structure)."""
    return {
        name: _plain(form.get_initial_for_field(field, name)) for name, field in form.fields.items()
    }


def current_values(instance, form_class, extra: dict | None = None) -> dict:
    """The record as the page's edit form would show it, so a PATCH validates the whole."""
    values = model_to_dict(instance, fields=form_class._meta.fields)
    values.update(extra or {})
    return values


def _refuse(form):
    """A form refused: 409 when another save changed the record since the version sent
    (``EditVersionMixin``), 422 otherwise."""
    conflict = getattr(form, "edit_conflict", None)
    if conflict:
        raise EditConflictError(conflict)
    raise FormInvalid(form)


def save_through_form(form):
    """Validate with the page's form; write in one transaction, or raise FormInvalid
    (EditConflictError when the version sent is no longer the record's)."""
    if not form.is_valid():
        _refuse(form)
    try:
        with transaction.atomic():
            return form.save()
    except EditConflict as conflict:
        raise EditConflictError({"__all__": list(conflict.messages)}) from None


def save_through_service(form, save):
    """Validate with the page's form, then save through the app's service (``save``, in a
    savepoint): a ``ValidationError`` of the service, or a database refusal, lands on the
    form and the API answers 422 with the page's own French messages (``FormInvalid``)."""
    if not form.is_valid():
        _refuse(form)
    saved = save_in_savepoint(form, save)
    if saved is NOT_SAVED:
        _refuse(form)
    return saved
