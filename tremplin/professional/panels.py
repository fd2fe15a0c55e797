"""The professional support's sections on pages of other apps (see ``web.panels``)."""

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone

from tremplin.support.models import Deadline
from tremplin.web import panels

from .cadence import cadences
from .models import Cer, awaiting_validation, professional_episodes


def on_file(request, beneficiary):
    """The person's professional supports and their CER chains (P4, P5)."""
    episodes = list(
        professional_episodes(request.user)
        .filter(beneficiary=beneficiary)
        .prefetch_related(
            Prefetch("cers", queryset=Cer.objects.select_related("validated_by").order_by("number"))
        )
        .order_by("-started_on")
    )
    for episode in episodes:
        episode.cer_list = list(episode.cers.all())
        episode.pending = awaiting_validation(episode, episode.cer_list)
    running = any(episode.ended_on is None for episode in episodes)
    return {"beneficiary": beneficiary, "episodes": episodes, "running": running}


def home(request, _obj):
    """For a referent: CERs ending within 60 days and the people below cadence (P4)."""
    user = request.user
    mine = Q(episode__referent=user) | Q(episode__beneficiary__referent=user)
    today = timezone.localdate()
    expiring = list(
        Deadline.objects.filter(
            mine,
            code__startswith="cer_end_",
            state__in=Deadline.OPEN_STATES,
            episode__ended_on__isnull=True,
            due_on__lte=today + dt.timedelta(days=60),
        )
        .select_related("episode__beneficiary")
        .order_by("due_on", "id")
    )
    queryset = professional_episodes(user).filter(
        Q(referent=user) | Q(beneficiary__referent=user), ended_on__isnull=True
    )
    below = sorted(
        (row for row in cadences(queryset, today) if row.below), key=lambda r: -r.missing
    )
    return {"expiring": expiring, "below": below, "today": today}


def register():
    panels.register(panels.HOME, "professional/_home.html", home, order=40)
    panels.register(panels.BENEFICIARY_FILE, "professional/_on_file.html", on_file, order=20)
