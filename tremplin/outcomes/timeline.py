"""The outcomes' events on the person's timeline: situations and classified exits (two
queries)."""

from tremplin.support.models import SupportEpisode
from tremplin.web import timeline
from tremplin.web.links import reverse
from tremplin.web.timeline import Event

from .models import Situation, SupportExit


def outcome_events(user, person_ids):
    events = []
    for situation in Situation.objects.filter(beneficiary_id__in=person_ids):
        events.append(
            Event(
                situation.start,
                "situation",
                f"Situation : {situation.get_kind_display()}",
                "",
                situation.get_absolute_url(),
            )
        )
    episodes = SupportEpisode.objects.visible_to(user).filter(beneficiary_id__in=person_ids)
    for exit_ in SupportExit.objects.filter(episode__in=episodes).select_related("episode"):
        title = (
            f"Sortie classée : {exit_.get_category_display()}"
            if exit_.category
            else "Sortie à classer"
        )
        events.append(
            Event(
                exit_.support_end,
                "sortie",
                title,
                "positive" if exit_.positive else "",
                reverse("outcomes:beneficiary_situations", args=[exit_.episode.beneficiary_id]),
            )
        )
    return events


def register():
    timeline.register(
        "outcomes",
        outcome_events,
        {"situation": "Situations", "sortie": "Sorties classées"},
        order=50,
    )
