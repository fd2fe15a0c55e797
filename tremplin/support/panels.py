"""The in-employment support's sections on pages of other apps (see ``web.panels``)."""

from tremplin.rules.programmes import Programme
from tremplin.web import panels, queues

from .models import SupportEpisode
from .queue import referent_count, referent_queue


def home(request, _obj):
    """The referent's queue: today, late, the next 7 days — both programmes, from the same
    supports and deadlines as « Ma journée » (``queue.referent_queue``)."""
    queue = referent_queue(request.user)
    if queue is None:
        return None
    return {"queue": queue}


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
    queues.register_counter("support", referent_count)
