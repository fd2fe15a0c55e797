"""The glossary and the page of rules; a rule's help marker carries its sentence."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

from tremplin.rules.sentences import SENTENCES, sentence

RULES = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_every_rule_of_the_reference_has_a_french_sentence():
    defined = {
        match.group(1)
        for page in RULES.glob("*.md")
        for match in re.finditer(r"^### ([ACEFP]\d{1,2}) —", page.read_text(), re.M)
    }
    assert defined == set(SENTENCES)


def test_a_sub_case_or_a_list_gives_each_rules_sentence():
    assert sentence("A4 a") == SENTENCES["A4"]
    assert sentence("A3, A4") == f"{SENTENCES['A3']} {SENTENCES['A4']}"


def test_the_rule_tag_hides_the_number_behind_a_help_marker():
    html = Template('La convention se signe avant l\'embauche {% rule "F8" %}.').render(Context())
    assert 'class="rule-ref" href="/aide/regles/#regle-F8"' in html
    assert '<span aria-hidden="true">?</span>' in html
    assert "Règle F8 : Pas d&#x27;embauche avant la signature" in html
    assert Template('{% rule "" %}').render(Context()) == ""


@pytest.mark.django_db
def test_the_glossary_explains_the_menu_words(client, referent_user):
    client.force_login(referent_user)
    response = client.get(reverse("help_glossary"))
    text = response.content.decode()
    assert response.status_code == 200
    for word in ("Cadence (rythme des entretiens)", "API (accès pour les logiciels)"):
        assert word in text
    assert "Entreprises (relations entreprises)" in text and "Employeurs" in text
    assert 'href="/aide/glossaire/"' in text  # linked from the footer


@pytest.mark.django_db
def test_the_page_of_rules_has_an_anchor_per_rule(client, referent_user):
    client.force_login(referent_user)
    text = client.get(reverse("help_rules")).content.decode()
    assert 'id="regle-F8"' in text and 'id="regle-P10"' in text


@pytest.mark.django_db
def test_the_help_pages_open_without_an_account(client):
    """The login page's footer links to them, as a help marker does: the words and the law
    hold no one's data."""
    login = client.get(reverse("accounts:login")).content.decode()
    assert 'href="/aide/glossaire/"' in login
    for name in ("help_glossary", "help_rules"):
        assert client.get(reverse(name)).status_code == 200
