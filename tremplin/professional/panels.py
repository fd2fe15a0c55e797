"""The professional support's sections on pages of other apps (see ``web.panels``)."""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from tremplin.accounts.access import scope_of
from tremplin.rules.programmes import Programme
from tremplin.support.models import SupportEpisode, supports_on_file
from tremplin.support.queue import portfolio
from tremplin.web import panels, queues
from tremplin.web.queues import SHOWN, counted

from .cadence import cadences, episode_cadence
from .models import Cer, awaiting_validation
from .queue import coordinator_count, coordinator_queue


def professional_supports_on_file(request, beneficiary) -> list[SupportEpisode]:
    """The person's professional supports on their file (``supports_on_file``), each with its
    CERs in order and who validated them: one query, the first time in the request (the
    summary and the file's section read the same, ``episode.cers.all()``)."""
    episodes = [
        episode
        for episode in supports_on_file(request, beneficiary)
        if episode.programme == Programme.PROFESSIONAL.value
    ]
    # Django reads the CERs only of the supports not read yet: none the second time.
    prefetch_related_objects(
        episodes,
        Prefetch("cers", queryset=Cer.objects.select_related("validated_by").order_by("number")),
    )
    return episodes


def on_file(request, beneficiary):
    """The person's professional supports and their CER chains (P4, P5), with their referent
    (one query for them all)."""
    episodes = professional_supports_on_file(request, beneficiary)
    for episode in episodes:
        episode.cer_list = list(episode.cers.all())
        episode.pending = awaiting_validation(episode, episode.cer_list)
    running = any(episode.ended_on is None for episode in episodes)
    return {"beneficiary": beneficiary, "episodes": episodes, "running": running}


def home(request, _obj):
    """For a referent: CERs ending within 60 days and the people below cadence (P4)."""
    user = request.user
    if not scope_of(user).is_referent:
        return None  # an agent, a coordinator: no query for supports they do not follow
    reading = portfolio(user)
    followed = reading.of(Programme.PROFESSIONAL.value)
    if not followed:
        return None  # nothing of theirs expires nor falls below
    today = timezone.localdate()
    # The CERs ending within 60 days (or past): among the open deadlines of the supports the
    # référent follows, which their work queue read (only professional supports have CERs).
    expiring = sorted(
        (deadline for deadline in reading.deadlines if deadline.code.startswith("cer_end_")),
        key=lambda deadline: (deadline.due_on, deadline.pk),
    )
    # What a referent runs or follows is within what they may see (``visible_to``'s own
    # condition): the keys alone, without repeating its OR across the join to the person.
    queryset = SupportEpisode.objects.filter(pk__in=followed)
    below = sorted(
        (row for row in cadences(queryset, today) if row.below), key=lambda r: -r.missing
    )
    # The furthest below first, the others one click away (the référent's list below the
    # cadence), as in the work queue: a home page does not list a whole portfolio.
    return {
        "expiring": expiring,
        "below": below,
        "below_shown": below[:SHOWN],
        "below_title": counted(
            len(below),
            "%(count)d personne sous la cadence d'entretiens",
            "%(count)d personnes sous la cadence d'entretiens",
        ),
        "today": today,
    }


def summary(request, beneficiary):
    """The cadence of the month of the person's running professional support (P4), for the
    person at a glance; two queries (the supports are the file's, ``supports_on_file``; their
    CERs, ``professional_supports_on_file``, are read once for the summary and the file)."""
    episode = next(
        (
            episode
            for episode in professional_supports_on_file(request, beneficiary)
            if episode.ended_on is None
        ),
        None,
    )
    if episode is None:
        return None
    cadence = episode_cadence(episode)
    month = cadence.current if cadence else None
    if month is None:
        return {"episode": episode, "month": None}
    held = counted(month.done, "%(count)d entretien tenu", "%(count)d entretiens tenus")
    required = counted(month.required, "%(count)d exigé", "%(count)d exigés")
    missing = counted(month.missing, "%(count)d manquant", "%(count)d manquants")
    return {
        "episode": episode,
        "month": month,
        "held": held,
        "required": required,
        "missing": missing,
    }


def coordination(request, _obj):
    """The coordinator's queue (``queue.coordinator_queue``)."""
    queue = coordinator_queue(request.user)
    return {"queue": queue} if queue is not None else None


def register():
    panels.register(panels.HOME, "professional/_queue.html", coordination, order=6)
    panels.register(panels.PERSON_SUMMARY, "professional/_person_summary.html", summary, order=20)
    queues.register_counter("professional", coordinator_count)
    panels.register(panels.HOME, "professional/_home.html", home, order=40)
    panels.register(panels.BENEFICIARY_FILE, "professional/_on_file.html", on_file, order=20)
