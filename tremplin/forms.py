"""The form kit of every app: Bootstrap 5 rendering of Django forms, accessible by default.

It sits at the bottom of the ground layer (below accounts and web) so that any page's form,
the login's included, uses it without an import cycle.

Every field is rendered by ``templates/forms/field.html``: its label, its help text and its
errors are tied to the input with ``aria-describedby`` and ``aria-invalid`` so that a screen
reader reads the French error with the field (RGAA criteria 11.1 and 11.10).
"""

from collections.abc import Callable, Iterable

from django import forms
from django.forms.renderers import TemplatesSetting

from tremplin.rules import referentials


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class CodeListInput(forms.TextInput):
    """A text input that proposes the codes of an official list as the person types.

    The browser's ``<datalist>`` needs no JavaScript: typing "nettoy" or "K22" shows
    "K2204 — Nettoyage de locaux". Typing stays free; the form's clean method still checks the
    code against the same list (rules F1, P7), so a code the list lacks gets a clear message.
    """

    template_name = "forms/widgets/code_list_input.html"

    def __init__(self, codes: Callable[[], Iterable[tuple[str, str]]], attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.codes = codes

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}-codes"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["codes"] = self.codes()
        return context


def rome_code_input() -> CodeListInput:
    return CodeListInput(referentials.rome, attrs={"placeholder": "ex. K2204"})


def naf_code_input() -> CodeListInput:
    return CodeListInput(referentials.naf, attrs={"placeholder": "ex. 88.99B"})


def css_class_for(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


#: The empty choice of every drop-down: says what to do, instead of Django's « --------- ».
EMPTY_CHOICE = "— Choisir —"
DJANGO_EMPTY_CHOICE = "---------"


def french_empty_choice(field) -> None:
    """« — Choisir — » as the empty choice of a drop-down (a model's choices, a foreign key)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_CHOICE:
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if any(value == "" and label == DJANGO_EMPTY_CHOICE for value, label in choices):
            field.choices = [
                (value, EMPTY_CHOICE if value == "" and label == DJANGO_EMPTY_CHOICE else label)
                for value, label in choices
            ]


class BootstrapFormMixin:
    """Adds Bootstrap classes and ARIA attributes to every widget, marks invalid fields, and
    names the empty choice of a drop-down « — Choisir — »."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            french_empty_choice(field)
            widget = field.widget
            css = css_class_for(widget)
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if field.required:
                widget.attrs.setdefault("aria-required", "true")

    #: [(legend, [field names])]: the blocks of the form, as on the paper form
    fieldsets: list[tuple[str, list[str]]] = []

    def grouped_fields(self):
        """The bound fields by fieldset; fields named in no fieldset come last."""
        # Hidden fields (the edit's version) are not shown: the templates write them apart.
        shown = [name for name in self.fields if not self.fields[name].widget.is_hidden]
        if not self.fieldsets:
            return [("", [self[name] for name in shown])]
        named = {name for _, names in self.fieldsets for name in names}
        groups = [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]
        rest = [self[name] for name in shown if name not in named]
        return groups + ([("Autres informations", rest)] if rest else [])

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
                widget.attrs["aria-invalid"] = "true"
