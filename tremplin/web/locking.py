"""Optimistic locking of the edit forms: the second of two concurrent saves is refused.

Two agents open the same record; the first saves; the second's save would silently put
back, over the first's changes, the values the second saw when the page opened (a "lost
update"). ``EditVersionMixin`` prevents that without locking anything while people type:

- the edit form carries two hidden fields: ``version``, the record's ``updated_at`` when
  the page was opened, and ``edit_base``, a keyed fingerprint (HMAC with the secret key,
  never the values themselves) of each of the form's fields as they were then;
- at the save, if the record's version changed, the fields whose fingerprint changed are
  the other save's changes: the save is refused, each of them is named with the value now
  recorded and the value typed, and the typed input is kept. The refused form carries the
  new version: saving it again keeps what was typed, knowingly. A change elsewhere in the
  record (a field this form does not show) refuses nothing: the form's save, made on the
  record as it is now, erases none of it;
- the save itself first claims the version with a conditional ``UPDATE ... WHERE
  updated_at = <version read>``: of two saves that pass the check at the same moment,
  only one claims it, the other is refused (``EditConflict``), on SQLite and PostgreSQL.

The API sends ``version`` alone (read from the record's ``version``): without a base,
any change of version is a conflict (409), naming the fields sent whose recorded value
differs. A PATCH without ``version`` is not checked (the API's clients before locking).
"""

from __future__ import annotations

import datetime as dt
import decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .dates import french_date, french_datetime

VERSION_FIELD = "version"
BASE_FIELD = "edit_base"
_LOCK_FIELDS = (VERSION_FIELD, BASE_FIELD)
_SALT = "tremplin.web.locking.edit-base"

CONFLICT_HEADLINE = (
    "« {object} » a été modifié par quelqu'un d'autre pendant votre saisie{when}. Rien n'a "
    "été enregistré ; ce que vous avez saisi est conservé ci-dessous. Comparez avec les "
    "valeurs enregistrées entre-temps, signalées sous chaque champ concerné : enregistrez de "
    "nouveau pour garder votre saisie, ou annulez pour garder les leurs."
)
CONFLICT_ELSEWHERE = (
    "Des informations que ce formulaire ne montre pas ont aussi changé : relisez le dossier "
    "avant d'enregistrer de nouveau."
)
CONFLICT_AT_SAVE = (
    "« {object} » vient d'être enregistré par quelqu'un d'autre, au moment même de votre "
    "enregistrement. Rien n'a été enregistré ; ce que vous avez saisi est conservé "
    "ci-dessous : enregistrez de nouveau pour voir ce qui a changé."
)
FIELD_CHANGED = (
    "Modifié pendant votre saisie : « {theirs} » est enregistré ; vous avez saisi « {yours} »."
)
SECRET_FIELD_CHANGED = (
    "Modifié pendant votre saisie (valeur non reprise ici : consultez le dossier)."
)
EMPTY = "(vide)"


class EditConflict(ValidationError):
    """The version claimed at the save was taken by another save in between."""


def version_of(instance) -> str:
    """The record's version: its last modification, to the microsecond ("" when new)."""
    moment = getattr(instance, "updated_at", None)
    return moment.isoformat() if moment is not None else ""


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ",".join(sorted(_plain(item) for item in value))
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _fingerprint(name: str, value) -> str:
    return salted_hmac(_SALT, f"{name}={_plain(value)}").hexdigest()[:16]


def shown(field: forms.Field, value) -> str:
    """A value as the person reads it: the label of a code, a French date, « oui »."""
    if value in (None, "", [], ()):
        return EMPTY
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(field, forms.ModelChoiceField):
        found = field.queryset.model._base_manager.filter(pk=value).first()
        return str(found) if found is not None else str(value)
    if isinstance(value, dt.datetime):
        return french_datetime(value)
    if isinstance(value, dt.date):
        return french_date(value)
    if isinstance(field, forms.ChoiceField):
        labels = {str(code): str(label) for code, label in field.choices}
        return labels.get(str(value), str(value))
    return str(value)


class EditVersionMixin:
    """For a ``ModelForm`` of a record with ``updated_at``: put it first among the bases."""

    #: fields whose values are never written in a message (shown as "changed" only)
    secret_fields: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._locking = self.instance.pk is not None and hasattr(self.instance, "updated_at")
        self.edit_conflict: dict[str, list[str]] | None = None
        if not self._locking:
            return
        self._loaded_at = self.instance.updated_at
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.fields[BASE_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial[VERSION_FIELD] = version_of(self.instance)
        self.initial[BASE_FIELD] = self._fingerprints(self.instance)

    # --- what the record holds, field by field -----------------------------------------

    def _locked_names(self) -> list[str]:
        return [name for name in self.fields if name not in _LOCK_FIELDS]

    def _recorded_value(self, instance, name: str):
        try:
            field = instance._meta.get_field(name)
        except Exception:  # a form field that is a property of the model (the NIR)
            return getattr(instance, name, None)
        if field.many_to_many:
            return list(field.value_from_object(instance)) if instance.pk else []
        return field.value_from_object(instance)

    def _fingerprints(self, instance) -> str:
        return ",".join(
            f"{name}:{_fingerprint(name, self._recorded_value(instance, name))}"
            for name in self._locked_names()
        )

    def _base(self) -> dict[str, str] | None:
        text = self.data.get(self.add_prefix(BASE_FIELD), "") if self.is_bound else ""
        if not text:
            return None
        pairs = (item.partition(":") for item in str(text).split(","))
        return {name: digest for name, _, digest in pairs if name}

    # --- the check, before the instance takes the typed values -------------------------

    def _post_clean(self):
        if self._locking:
            self._check_version()
        super()._post_clean()

    def _check_version(self) -> None:
        sent = self.cleaned_data.get(VERSION_FIELD) or ""
        current = version_of(self.instance)
        if not sent or sent == current:
            return
        base = self._base()
        if base is None:
            # The API: no base, so any field sent whose recorded value differs is named.
            changed = [
                name
                for name in self._locked_names()
                if name in self.cleaned_data
                and _plain(self._recorded_value(self.instance, name))
                != _plain(self.cleaned_data[name])
            ]
        else:
            changed = [
                name
                for name in self._locked_names()
                if base.get(name) != _fingerprint(name, self._recorded_value(self.instance, name))
            ]
            if not changed:
                return  # nothing this form shows changed: saving erases nothing
        self._refuse(changed, elsewhere=base is None and not changed)

    def _refuse(self, changed: list[str], *, elsewhere: bool) -> None:
        when = self.instance.updated_at
        headline = CONFLICT_HEADLINE.format(
            object=self.instance,
            when=f" (enregistrement du {french_datetime(when)})" if when else "",
        )
        conflict: dict[str, list[str]] = {"__all__": [headline]}
        if elsewhere:
            conflict["__all__"].append(CONFLICT_ELSEWHERE)
        for name in changed:
            field = self.fields[name]
            if name in self.secret_fields:
                message = SECRET_FIELD_CHANGED
            else:
                message = FIELD_CHANGED.format(
                    theirs=shown(field, getattr(self.instance, name, None)),
                    yours=shown(field, self.cleaned_data.get(name)),
                )
            conflict[name] = [message]
        self.edit_conflict = conflict
        for name, messages in conflict.items():
            self.add_error(None if name == "__all__" else name, messages)
        # Saved again, the form keeps what was typed, knowingly: it now carries the version
        # and the values just shown.
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = version_of(self.instance)
        self.data[self.add_prefix(BASE_FIELD)] = self._fingerprints(self.instance)

    # --- the claim, at the save --------------------------------------------------------

    def claim_version(self) -> None:
        """Take the version read at the check, or raise ``EditConflict``: one conditional
        UPDATE, atomic on every database. Called by ``save()``; in the caller's
        transaction, so a refused save later on gives the version back."""
        if not self._locking:
            return
        model = type(self.instance)
        claimed = model._base_manager.filter(pk=self.instance.pk, updated_at=self._loaded_at)
        if not claimed.update(updated_at=timezone.now()):
            message = CONFLICT_AT_SAVE.format(object=self.instance)
            self.edit_conflict = {"__all__": [message]}
            raise EditConflict(message)
        self._locking = False  # claimed once per form

    def save(self, commit=True):
        self.claim_version()
        return super().save(commit=commit)
