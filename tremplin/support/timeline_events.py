"""The supports' events on the person's timeline: supports opened and closed, meetings,
deliverables sent (three queries). A rupture is one row of ``conventions.Rupture``, whose
provider shows it once (``tremplin.conventions.timeline``)."""

from tremplin.rules.programmes import Programme
from tremplin.web import timeline
from tremplin.web.links import reverse
from tremplin.web.timeline import Event, as_day

from .models import Deadline, Meeting, SupportEpisode


def episode_url(episode_id, programme) -> str:
    if programme == Programme.PROFESSIONAL.value:
        return reverse("professional:episode_detail", args=[episode_id])
    return reverse("support:episode_detail", args=[episode_id])


def support_events(user, person_ids):
    episodes = {
        e.pk: e
        for e in SupportEpisode.objects.visible_to(user).filter(beneficiary_id__in=person_ids)
    }
    events = []
    for episode in episodes.values():
        url = episode_url(episode.pk, episode.programme)
        label = episode.get_programme_display()
        events.append(Event(episode.started_on, "accompagnement", f"Début : {label}", "", url))
        if episode.ended_on:
            events.append(Event(episode.ended_on, "accompagnement", f"Fin : {label}", "", url))
    ids = list(episodes)
    for meeting in Meeting.objects.filter(episode_id__in=ids):
        programme = episodes[meeting.episode_id].programme
        events.append(
            Event(
                as_day(meeting.starts_at),
                "rencontre",
                meeting.get_kind_display(),
                meeting.get_status_display(),  # F8: held, missed, cancelled…
                episode_url(meeting.episode_id, programme),
                at=meeting.starts_at,
            )
        )
    for deadline in Deadline.objects.filter(episode_id__in=ids, sent_at__isnull=False):
        events.append(
            Event(
                deadline.sent_at,
                "livrable",
                f"Envoyé : {deadline.label}",
                "",
                deadline.get_absolute_url(),
            )
        )
    return events


def register():
    timeline.register(
        "support",
        support_events,
        {
            "accompagnement": "Accompagnements",
            "rencontre": "Rencontres et contacts",
            "livrable": "Livrables envoyés",
        },
        order=30,
    )
