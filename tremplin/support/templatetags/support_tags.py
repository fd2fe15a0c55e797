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


@register.inclusion_tag("support/_on_file.html", takes_context=True)
def support_on_file(context, beneficiary):
    """The person's in-employment supports, and how to start one (from a signed CIE
    convention, or by hand for a person hired outside the product)."""
    from ..models import SupportEpisode

    user = context["request"].user
    episodes = list(
        SupportEpisode.objects.visible_to(user)
        .filter(beneficiary=beneficiary, programme=Programme.IN_EMPLOYMENT.value)
        .select_related("employer", "referent")
        .order_by("-started_on")
    )
    return {"beneficiary": beneficiary, "episodes": episodes}
