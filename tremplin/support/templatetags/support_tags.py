"""Small includes of the in-employment support on shared pages (the home)."""

from django import template

from tremplin.accounts.access import scope_of
from tremplin.rules.programmes import Programme

from ..views import my_day_context

register = template.Library()


@register.inclusion_tag("support/_home.html", takes_context=True)
def support_home(context):
    """The referent's day on the home page (issue 4): overdue / this week / later deadlines,
    the week's meetings, the people without a meeting for too long — in-employment support
    only (the professional programme has its own block, with its cadence)."""
    user = context["request"].user
    if not scope_of(user).is_referent:
        return {"show": False}
    day = my_day_context(user, programme=Programme.IN_EMPLOYMENT.value)
    day["show"] = True
    day["h"] = "h3"
    return day
