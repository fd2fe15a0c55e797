"""Drop-downs are rendered by ``select_options`` (tremplin/web/templatetags/web.py), not by
one template include per option: the markup must stay the one of Django's own templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from tremplin.forms import BootstrapFormRenderer

CHOICES = [
    ("", "— Choisir —"),
    ("Bas-Rhin", [("67", "Strasbourg & <Nord>"), ("68", 'Sélestat "centre"')]),
    ("1", "Un"),
    (2, "Deux"),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"one": "68", "many": ["67", "2"]},
        {"one": "1"},
    ],
)
@pytest.mark.parametrize("name", ["one", "many"])
def test_the_markup_is_the_one_of_django_templates(data, name):
    form = Sample(data or None)
    ours = form[name].as_widget(attrs={"aria-describedby": "aide", "disabled": True})
    form.renderer = DjangoTemplates()
    django = form[name].as_widget(attrs={"aria-describedby": "aide", "disabled": True})
    assert "<option" in ours
    assert ours == django


def test_our_renderer_uses_the_fast_template():
    template = BootstrapFormRenderer().get_template("django/forms/widgets/select.html")
    assert "select_options" in template.template.source


def test_a_list_filter_s_options_are_escaped_and_the_chosen_one_selected():
    from django.template import Context, Template

    template = Template("{% load web %}{% filter_options choices chosen %}")
    choices = [("12", "DUPONT <Jean>"), ("aucun", "Sans référent·e")]
    html = template.render(Context({"choices": choices, "chosen": "aucun"}))
    assert html == (
        '<option value="12">DUPONT &lt;Jean&gt;</option>'
        '<option value="aucun" selected>Sans référent·e</option>'
    )


def test_choices_written_once_give_the_same_options_and_select_only_the_chosen_one():
    """``listing.Choices`` keeps its markup (the agent's 1,700 référents); the page marks
    the chosen one in it, and only a value offered: the same page as a plain list's."""
    from django.template import Context, Template

    from tremplin.web.listing import Choices

    template = Template("{% load web %}{% filter_options choices chosen %}")
    pairs = [("1", "DUPONT <Jean>"), ("12", "MARTIN Léa"), ("aucun", "Sans référent·e")]
    for chosen in ("", "1", "12", "aucun", "inconnu"):
        written = template.render(Context({"choices": Choices(pairs), "chosen": chosen}))
        one_by_one = template.render(Context({"choices": pairs, "chosen": chosen}))
        assert written == one_by_one
        assert written.count(" selected") == (chosen in {"1", "12", "aucun"})


def test_a_choice_s_rule_number_is_left_out_of_its_option_and_radio_label():
    """An option or a label wrapping a radio cannot hold a help marker: « Une action
    collective (P2) » reads « Une action collective »."""
    from django import forms

    from tremplin.forms import BootstrapFormRenderer

    choices = [("interview", "Un entretien individuel"), ("action", "Une action collective (P2)")]

    class Form(forms.Form):
        listed = forms.ChoiceField(choices=choices)
        radio = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)

    form = Form(renderer=BootstrapFormRenderer())
    for name in ("listed", "radio"):
        html = str(form[name])
        assert "Une action collective" in html and "(P2)" not in html
