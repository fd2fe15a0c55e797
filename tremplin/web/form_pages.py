"""Form pages: one way to show a form, save it, and say in French what went wrong.

Every page that saves a form does the same things:

- GET shows the form; a valid POST saves, says so and redirects;
- an invalid POST keeps what was typed and says so at the top of the page (``FORM_ERROR``),
  each error under its field or at the top of the form;
- the save runs in a savepoint: a database constraint that refuses it (the unique index
  another agent's save has just taken, a check constraint) rolls back the save alone and
  comes back as a French error at the top of the form, never as a server error;
- a ``ValidationError`` raised while saving (a model's ``full_clean()``, a service that
  refuses) lands on the form, under the fields it names;
- showing the form of a saved record (GET) is a view of it, in the audit log like its
  page's (``audit.record_form_view``): the form shows every field, identifiers in full.

``form_page`` does it for function views, ``FormPageMixin`` for Django's generic editing
views; ``save_in_savepoint`` and ``form_error`` are the two steps, for the pages whose
messages after the save depend on what was saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

from tremplin.accounts import audit

FORM_ERROR = (
    "Le formulaire contient des erreurs, signalées sous chaque champ concerné ou en haut du "
    "formulaire. Rien n'a été enregistré ; ce que vous avez saisi est conservé."
)

CONSTRAINT_ERROR = (
    "Ce que vous avez saisi entre en conflit avec un enregistrement fait pendant votre saisie "
    "(un doublon, par exemple). Rien n'a été enregistré : vérifiez les informations puis "
    "enregistrez de nouveau ; ce que vous avez saisi est conservé ci-dessous."
)


class _NotSaved:
    def __repr__(self) -> str:
        return "NOT_SAVED"

    def __bool__(self) -> bool:
        return False


#: What ``save_in_savepoint`` answers when nothing was saved (the errors are on the form).
NOT_SAVED: Any = _NotSaved()


def with_object(text: str, saved) -> str:
    """``text`` with ``{object}`` replaced by what was saved. Not ``str.format``: a message
    may already hold what the user typed, braces included."""
    return text.replace("{object}", str(saved))


def form_error(request: HttpRequest, text: str = FORM_ERROR) -> None:
    """The message at the top of a page whose form is refused."""
    messages.error(request, text)


def add_validation_error(form, error: ValidationError) -> None:
    """A ``ValidationError`` on the form: under each field it names that the form shows, at
    the top of the form otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_in_savepoint(
    form, save: Callable[[], Any] | None = None, *, constraint_error: str = CONSTRAINT_ERROR
) -> Any:
    """Run ``save`` (``form.save`` by default) in a savepoint and give back what it returns.

    When the database refuses the save (``IntegrityError``) or the save raises a
    ``ValidationError``, everything it wrote is rolled back, the error is put on the form and
    ``NOT_SAVED`` comes back. The rest of the request's transaction goes on.
    """
    try:
        with transaction.atomic():
            return (save or form.save)()
    except IntegrityError:
        form.add_error(None, constraint_error)
    except ValidationError as error:
        add_validation_error(form, error)
    return NOT_SAVED


def validated_save(form):
    """The model's own validation over every field (also those the form does not show, set
    by the view), then the save: for ``save_in_savepoint``."""
    form.instance.full_clean()
    return form.save()


def form_page(
    request: HttpRequest,
    form,
    template: str,
    context: dict | None = None,
    *,
    save: Callable[[], Any] | None = None,
    success: str | Callable[[Any], str] = "",
    next_url: str | Callable[[Any], Any] | None = None,
    after_save: Callable[[Any], None] | None = None,
    constraint_error: str = CONSTRAINT_ERROR,
) -> HttpResponse:
    """GET shows ``form`` in ``template``; a valid POST saves it in a savepoint, says
    ``success`` and redirects; an invalid POST, or a save the database refuses, shows the
    form again with what was typed and the errors.

    ``save`` gives what was saved (``form.save`` by default). ``success`` is a message where
    ``{object}`` stands for what was saved, or a function of it. ``after_save`` (a
    function of what was saved) adds what else the page says, e.g. a warning. ``next_url``
    is where to go next, or a function of what was saved; by default, what was saved (its
    ``get_absolute_url``).
    """
    if request.method == "POST":
        if form.is_valid():
            saved = save_in_savepoint(form, save, constraint_error=constraint_error)
            if saved is not NOT_SAVED:
                text = success(saved) if callable(success) else with_object(success, saved)
                if text:
                    messages.success(request, text)
                if after_save is not None:
                    after_save(saved)
                target = next_url(saved) if callable(next_url) else next_url
                return redirect(saved if target is None else target)
        form_error(request)
    else:
        audit.record_form_view(getattr(form, "instance", None))
    return render(request, template, {"form": form, **(context or {})})


class FormPageMixin:
    """For ``CreateView`` and ``UpdateView``: the save in a savepoint, a database refusal as
    a French error on the form, the French messages. ``{object}`` in ``success_message``
    stands for what was saved; ``after_save()`` runs only when the save went through."""

    success_message = ""
    constraint_error = CONSTRAINT_ERROR

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        audit.record_form_view(getattr(self, "object", None))
        return response

    def save_form(self, form):
        """What saving the page means: ``form.save()``; a page whose save touches other
        facts calls its app's service here (one path for side effects)."""
        return form.save()

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.save_form(form)
                response = HttpResponseRedirect(self.get_success_url())
        except IntegrityError:
            form.add_error(None, self.constraint_error)
            return self.form_invalid(form)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, with_object(self.success_message, self.object))
        self.after_save()
        return response

    def after_save(self) -> None:
        """What the page says or does once the save went through (nothing by default)."""

    def form_invalid(self, form):
        form_error(self.request)
        return super().form_invalid(form)
