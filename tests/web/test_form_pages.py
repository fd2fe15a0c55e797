"""The shared form pages (``tremplin.web.form_pages``): a valid form is saved and the page
moves on; an invalid one, or a save the database refuses, keeps what was typed, says so in
French and saves nothing; the request's transaction stays usable after the refusal."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from tests import factories
from tremplin.accounts.models import Territory
from tremplin.web import form_pages
from tremplin.web.form_pages import (
    CONSTRAINT_ERROR,
    FORM_ERROR,
    NOT_SAVED,
    form_page,
    save_in_savepoint,
)

pytestmark = pytest.mark.django_db


class TerritoryForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["code", "name", "region_code", "region_name"]

    def validate_unique(self):
        """As if another agent saved the same code between this check and the insert."""


TYPED = {"code": "67", "name": "Bas-Rhin bis", "region_code": "44", "region_name": "Grand Est"}


def post(data):
    request = RequestFactory().post("/territoire/", data)
    request._messages = CookieStorage(request)
    return request


@pytest.fixture
def rendered(monkeypatch):
    """What ``form_page`` renders, without a template: (template, context)."""
    seen = {}

    def render(request, template, context):
        seen.update(template=template, context=context)
        return HttpResponse("page")

    monkeypatch.setattr(form_pages, "render", render)
    return seen


def test_a_valid_form_is_saved_with_its_message_and_the_page_moves_on(rendered):
    request = post({**TYPED, "code": "68", "name": "Haut-Rhin"})
    response = form_page(
        request,
        TerritoryForm(request.POST),
        "unused.html",
        save=None,
        success="{object} est enregistré.",
        next_url="/territoires/",
    )
    assert (response.status_code, response["Location"]) == (302, "/territoires/")
    assert Territory.objects.get(code="68").name == "Haut-Rhin"
    assert [str(m) for m in get_messages(request)] == ["Haut-Rhin (68) est enregistré."]
    assert rendered == {}


def test_a_constraint_of_the_database_becomes_a_french_error_and_nothing_is_saved(rendered):
    factories.TerritoryFactory(code="67", name="Bas-Rhin")
    request = post(TYPED)
    form = TerritoryForm(request.POST)
    response = form_page(request, form, "territory.html", {"title": "Nouveau territoire"})
    assert response.status_code == 200
    assert rendered["template"] == "territory.html"
    assert rendered["context"] == {"form": form, "title": "Nouveau territoire"}
    assert form.non_field_errors() == [CONSTRAINT_ERROR]
    assert form["name"].value() == "Bas-Rhin bis"  # nothing typed is lost
    assert [str(m) for m in get_messages(request)] == [FORM_ERROR]
    # The savepoint rolled the insert back alone: the request's transaction goes on.
    assert list(Territory.objects.values_list("name", flat=True)) == ["Bas-Rhin"]


def test_a_validation_error_of_the_save_lands_under_its_field(rendered):
    request = post({**TYPED, "code": "57"})
    form = TerritoryForm(request.POST)

    def save():
        form.save()  # written, then refused: the savepoint takes it back
        raise ValidationError({"name": "Ce nom est réservé.", "other": "Autre chose."})

    form_page(request, form, "territory.html", save=save, success="jamais dit")
    assert form.errors["name"] == ["Ce nom est réservé."]
    assert form.non_field_errors() == ["Autre chose."]
    assert not Territory.objects.filter(code="57").exists()
    assert [str(m) for m in get_messages(request)] == [FORM_ERROR]


def test_an_invalid_form_is_not_saved(rendered):
    request = post({**TYPED, "name": ""})
    form = TerritoryForm(request.POST)
    form_page(request, form, "territory.html")
    assert "name" in form.errors
    assert not Territory.objects.exists()
    assert [str(m) for m in get_messages(request)] == [FORM_ERROR]


def test_after_save_speaks_after_the_success_message(rendered):
    request = post(TYPED)

    def after_save(territory):
        from django.contrib import messages

        messages.warning(request, f"Vérifiez la région de {territory.code}.")

    form_page(
        request,
        TerritoryForm(request.POST),
        "territory.html",
        success=lambda territory: f"{territory.name} est créé.",
        after_save=after_save,
        next_url=lambda territory: f"/territoires/{territory.pk}/",
    )
    assert [str(m) for m in get_messages(request)] == [
        "Bas-Rhin bis est créé.",
        "Vérifiez la région de 67.",
    ]


def test_save_in_savepoint_says_when_nothing_was_saved():
    factories.TerritoryFactory(code="67")
    form = TerritoryForm(TYPED)
    assert form.is_valid()
    assert save_in_savepoint(form, constraint_error="Déjà là.") is NOT_SAVED
    assert form.non_field_errors() == ["Déjà là."]
    assert not NOT_SAVED  # falsy, for the callers that only need to know


def test_braces_typed_by_the_user_do_not_break_the_message(rendered):
    request = post({**TYPED, "code": "90", "name": "Territoire {x} {object"})
    form_page(
        request,
        TerritoryForm(request.POST),
        "territory.html",
        success="{object} est enregistré.",
        next_url="/",
    )
    assert [str(m) for m in get_messages(request)] == [
        "Territoire {x} {object (90) est enregistré."
    ]
