"""French counts and elision, in Python and in every template."""

import pytest
from django.template import Context, Template

from tremplin.web.french import of, plural


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 personne comptée"), (1, "1 personne comptée"), (2, "2 personnes comptées")],
)
def test_plural_follows_the_french_rule(count, text):
    assert plural(count, "%(count)s personne comptée", "%(count)s personnes comptées") == text


def test_plural_takes_other_values():
    assert plural(3, "%(count)s point à %(who)s", "%(count)s points à %(who)s", who="Léa") == (
        "3 points à Léa"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("ALLARD Jeanne", "d'ALLARD Jeanne"),
        ("Élodie Weber", "d'Élodie Weber"),
        ("Hélène Roth", "d'Hélène Roth"),
        ("Martin Paul", "de Martin Paul"),
        ("Hugo Lang", "de Hugo Lang"),
    ],
)
def test_of_elides_before_a_vowel(name, text):
    assert of(name) == text


def test_templates_pluralize_the_french_way_and_elide():
    template = Template(
        "{% for n in counts %}{{ n }} bloquant{{ n|pluralize }} "
        "{{ n }} cheva{{ n|pluralize:'l,ux' }}; {% endfor %}{{ name|de }}"
    )
    text = template.render(Context({"counts": [0, 1, 2], "name": "ALLARD Jeanne"}))
    assert text == (
        "0 bloquant 0 cheval; 1 bloquant 1 cheval; 2 bloquants 2 chevaux; d&#x27;ALLARD Jeanne"
    )
