"""The rule numbers a message cites become help markers on the page (web/templatetags/
rule_help.py): a user reads the rule's sentence, never a bare « (A14) »."""

import pytest
from django import forms
from django.template import Context, Template
from django.utils.html import format_html

from tremplin.web.templatetags.rule_help import rule_markers, without_rules


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # The rules' own messages cite by the bare number (tremplin/rules/).
        ("Signalée au plus tard le 30/05/2025 à 10:00 (A14).", ["A14"]),
        ("L'aide s'arrête au 31/05/2025 (règle F12).", ["F12"]),
        ("Deux règles (règles P6, P10) et un sous-cas (A4 a).", ["P6", "A4"]),
        ("Le même mois (P4 et A5).", ["P4"]),
    ],
)
def test_each_cited_rule_becomes_one_marker_to_its_sentence(text, codes):
    html = rule_markers(text)
    assert html.count('class="rule-ref"') == len(codes)
    for code in codes:
        assert f'href="/aide/regles/#regle-{code}"' in html
    # The number is in the marker's title and hidden text, no longer in parentheses.
    assert "(A14)" not in html and "(règle F12)" not in html and "(P4 et A5)" not in html


def test_a_parenthesis_that_is_not_a_rule_stays_as_it_is():
    # « A4 » is also a paper size: only a bare code alone in its parentheses is a rule.
    assert str(rule_markers("Imprimez en format (papier A4).")) == "Imprimez en format (papier A4)."
    assert str(rule_markers("Contrat (CDD) de 6 mois")) == "Contrat (CDD) de 6 mois"


def test_the_text_around_the_markers_is_escaped():
    html = rule_markers("<b>gras</b> (A14)")
    assert "&lt;b&gt;gras&lt;/b&gt;" in html and "<b>" not in html


def test_a_safe_message_keeps_its_link():
    message = format_html('Déjà enregistré : <a href="{}">{}</a> (C12).', "/e/1/", "ACME")
    html = rule_markers(message)
    assert '<a href="/e/1/">ACME</a>' in html and 'href="/aide/regles/#regle-C12"' in html


def test_a_pdf_drops_the_numbers_it_cannot_link():
    assert without_rules("Signalée dans les 48 heures (A14) à la Cellule.") == (
        "Signalée dans les 48 heures à la Cellule."
    )


def test_a_form_error_shows_the_rule_as_a_marker():
    template = Template('{% include "forms/field.html" %}')

    class Form(forms.Form):
        day = forms.DateField(label="Date")

    form = Form(data={"day": "2025-01-01"})
    form.is_valid()
    form.add_error("day", "Le CER dure 6 mois au plus (P4).")
    html = template.render(Context({"field": form["day"]}))
    assert "Le CER dure 6 mois au plus" in html
    assert 'href="/aide/regles/#regle-P4"' in html and "(P4)" not in html


def test_a_field_label_s_rule_is_a_marker_beside_the_label():
    class Form(forms.Form):
        held = forms.BooleanField(label="Concertation préalable tenue (A14)")
        project = forms.CharField(label="Projet de la personne (P3)")

    form = Form()
    template = Template('{% include "forms/field.html" %}')
    for name, code, words in (
        ("held", "A14", "Concertation préalable tenue"),
        ("project", "P3", "Projet de la personne"),
    ):
        html = template.render(Context({"field": form[name]}))
        assert f">{words}<" in html or f">{words} <" in html
        assert f'href="/aide/regles/#regle-{code}"' in html and f"({code})" not in html


def test_a_help_text_s_rules_are_markers():
    class Form(forms.Form):
        status = forms.CharField(
            help_text="Seule une rencontre tenue compte dans le budget d'heures (A5) et la "
            "cadence des entretiens (P4)."
        )

    html = Template('{% include "forms/field.html" %}').render(Context({"field": Form()["status"]}))
    assert "dans le budget d&#x27;heures" in html or "dans le budget d'heures" in html
    assert 'href="/aide/regles/#regle-A5"' in html and 'href="/aide/regles/#regle-P4"' in html
    assert "(A5)" not in html and "(P4)" not in html
