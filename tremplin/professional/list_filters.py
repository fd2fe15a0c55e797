"""The filter the professional support adds to the people's list (``web.listing``): the
people whose support is below the interview cadence (P4: at least two a month)."""

from tremplin.support.models import SupportEpisode
from tremplin.web import listing

from .cadence import cadences
from .models import professional_episodes


def below_cadence(queryset, value, request):
    """One pass over the user's open professional supports (``cadences``: 2 queries)."""
    rows = cadences(professional_episodes(request.user).open())
    episode_ids = [row.episode_id for row in rows if row.below]
    people = SupportEpisode.objects.filter(pk__in=episode_ids).values("beneficiary")
    return queryset.filter(pk__in=people)


def register():
    listing.register_filter(
        listing.PEOPLE,
        listing.ListFilter(
            "cadence",
            "Entretiens",
            lambda request: [("sous", "Sous le rythme de deux par mois")],
            below_cadence,
            order=40,
        ),
    )
