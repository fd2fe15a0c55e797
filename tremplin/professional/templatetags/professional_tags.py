"""Small includes of the professional support on shared pages (the person's file, home)."""

import datetime as dt

from django import template
from django.db.models import Prefetch, Q
from django.utils import timezone

from tremplin.support.models import Deadline

from ..cadence import cadences
from ..models import Cer, awaiting_validation, professional_episodes

register = template.Library()


@register.inclusion_tag("professional/_on_file.html", takes_context=True)
def professional_on_file(context, beneficiary):
    """The person's professional supports and their CER chains (P4, P5)."""
    user = context["request"].user
    episodes = list(
        professional_episodes(user)
        .filter(beneficiary=beneficiary)
        .prefetch_related(
            Prefetch("cers", queryset=Cer.objects.select_related("validated_by").order_by("number"))
        )
        .order_by("-started_on")
    )
    for episode in episodes:
        episode.cer_list = list(episode.cers.all())
        episode.pending = awaiting_validation(episode, episode.cer_list)
    return {"beneficiary": beneficiary, "episodes": episodes}


@register.inclusion_tag("professional/_home.html", takes_context=True)
def professional_home(context):
    """For a referent: CERs ending within 60 days and the people below cadence (P4)."""
    user = context["request"].user
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
