"""The professional support's events on the person's timeline: CERs and contacts (two
queries)."""

from tremplin.support.models import SupportEpisode
from tremplin.web import timeline
from tremplin.web.dates import french_date
from tremplin.web.links import reverse
from tremplin.web.timeline import Event

from .models import Cer, Contact


def professional_events(user, person_ids):
    episodes = SupportEpisode.objects.visible_to(user).filter(beneficiary_id__in=person_ids)
    events = []
    for cer in Cer.objects.filter(episode__in=episodes):
        events.append(
            Event(
                cer.start,
                "cer",
                f"CER n° {cer.number}",
                f"du {french_date(cer.start)} au {french_date(cer.end)}",
                reverse("professional:episode_detail", args=[cer.episode_id]),
            )
        )
    for contact in Contact.objects.filter(episode__in=episodes):
        events.append(
            Event(
                contact.on,
                "rencontre",
                f"Contact : {contact.get_channel_display().lower()}",
                "",
                reverse("professional:episode_detail", args=[contact.episode_id]),
            )
        )
    return events


def register():
    timeline.register(
        "professional",
        professional_events,
        {"cer": "CER", "rencontre": "Rencontres et contacts"},
        order=40,
    )
