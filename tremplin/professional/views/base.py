"""What every page of a professional support reads."""

from __future__ import annotations

from tremplin.rules.programmes import Programme
from tremplin.support.models import SupportEpisode


def episodes():
    """The professional supports with what their pages show (one query); read them through
    ``visible_object_or_404`` (a support outside the user's scope is a 404)."""
    return SupportEpisode.objects.filter(programme=Programme.PROFESSIONAL.value).select_related(
        "beneficiary", "referent", "operator", "professional"
    )


def intensive_period(episode):
    """The support's facts, the day its barriers count as lifted and its intensive period
    (P4); three Nones for a support without its facts."""
    support = getattr(episode, "professional", None)
    if support is None:
        return None, None, None
    lifting = support.barriers_lifting()
    return support, lifting, support.intensive(lifting)
