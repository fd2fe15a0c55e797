import html

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from tremplin.rules import referentials
from tremplin.web.listing import Choices
from tremplin.web.panels import render_place
from tremplin.web.templatetags.rule_help import without_rule

register = template.Library()


@register.filter
def widget_type(bound_field) -> str:
    return bound_field.field.widget.__class__.__name__.lower().replace("input", "")


@register.simple_tag
def field_with_aria(bound_field):
    """The widget, described by its help text and its errors (RGAA 11.10)."""
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_aide")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_erreur")
    attrs = {"aria-describedby": " ".join(described_by)} if described_by else {}
    return bound_field.as_widget(attrs=attrs)


def _option_attrs(attrs) -> str:
    # As Django's "attrs.html": False leaves the attribute out, True writes it bare.
    return "".join(
        format_html(' {}="{}"', name, value) if value is not True else format_html(" {}", name)
        for name, value in attrs.items()
        if value is not False
    )


def _option(option) -> str:
    # An option cannot hold a help marker: its rule number is left out (« Rupture à signaler »).
    return format_html(
        '\n  <option value="{}"{}>{}</option>\n',
        option["value"],
        _option_attrs(option["attrs"]),
        without_rule(option["label"]),
    )


@register.simple_tag
def select_options(widget):
    """The options of a drop-down, the markup of Django's "select_option.html" written in
    Python: a list of 1,700 référents took 2 s through one template include per option."""
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.append(format_html_join("", "{}", ((_option(option),) for option in group_choices)))
        if group_name:
            parts.append(mark_safe("\n  </optgroup>"))
    return format_html_join("", "{}", ((part,) for part in parts))


@register.simple_tag
def filter_options(choices, chosen):
    """A list filter's options, the chosen one selected: written in Python, a département's
    agent filters among 1,700 référents."""
    # listing.Choices keeps its markup written once (in the cache with the référents'
    # names); other choices are written here, by the same code.
    written = getattr(choices, "options_html", None) or Choices(choices).options_html
    if chosen in ("", None):
        return mark_safe(written)  # noqa: S308 - escaped by listing.Choices
    option = f'<option value="{html.escape(str(chosen))}">'
    return mark_safe(  # noqa: S308 - escaped by listing.Choices
        written.replace(option, option[:-1] + " selected>", 1)
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (sorting, pages)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True)


@register.filter
def yes_no(value) -> str:
    return "Oui" if value else "Non"


@register.filter
def rome_label(code: str) -> str:
    """The fiche's name of a ROME code ("" when the list lacks it, e.g. an older record)."""
    return referentials.rome().label(code or "") or ""


@register.filter
def naf_label(code: str) -> str:
    """The activity's name of a NAF sub-class ("" when the list lacks it)."""
    return referentials.naf().label(code or "") or ""


@register.simple_tag(takes_context=True)
def panels(context, place, obj=None):
    """The sections other apps add to this page (``tremplin.web.panels``)."""
    return render_place(place, context["request"], obj)


@register.filter
def hour_meter(budget) -> dict:
    """The bounds of the hour gauge (A5), in minutes, for a ``<meter>``: up to the budget it
    reads well (green), from 80 % it warns (yellow), beyond the budget it alerts (red) — the
    gauge reaches past the budget so that 110 % does not read as a full, green bar."""
    total = budget.budget.total_seconds() / 60
    used = budget.used.total_seconds() / 60
    return {
        "min": 0,
        "max": round(max(total * 1.25, used)),
        "low": round(total * 0.8),
        "high": round(total),
        "optimum": 0,
        "value": round(used),
    }
