"""The in-employment support's sections on pages of other apps (see ``web.panels``)."""

from tremplin.accounts.access import scope_of
from tremplin.rules.programmes import Programme
from tremplin.web import panels

from .models import SupportEpisode
from .views.my_day import my_day_context


def home(request, _obj):
    """The referent's day: overdue / this week / later deadlines, the week's meetings, the
    people without a meeting for too long — in-employment support only (the professional
    programme has its own section, with its cadence)."""
    if not scope_of(request.user).is_referent:
        return None
    day = my_day_context(request.user, programme=Programme.IN_EMPLOYMENT.value)
    day["show"] = True
    day["h"] = "h3"
    return day


def on_file(request, beneficiary):
    """The person's in-employment supports, and how to start one (from a signed CIE
    convention, or by hand for a person hired outside the product)."""
    episodes = list(
        SupportEpisode.objects.visible_to(request.user)
        .filter(beneficiary=beneficiary, programme=Programme.IN_EMPLOYMENT.value)
        .select_related("employer", "referent")
        .order_by("-started_on")
    )
    running = any(episode.ended_on is None for episode in episodes)
    return {"beneficiary": beneficiary, "episodes": episodes, "running": running}


def register():
    panels.register(panels.HOME, "support/_home.html", home, order=20)
    panels.register(panels.BENEFICIARY_FILE, "support/_on_file.html", on_file, order=10)
