"""The pathway of a person on one timeline: every event of every app, in date order.

The person's file (registry) does not import the apps above it (``make lint``): each app
registers a *provider* of its events here from its ``AppConfig.ready()``, like the page
sections of ``web.panels``. A provider receives the user and the person's file numbers (the
file and the files merged into it) and gives its ``Event``s with a bounded number of
queries, whatever the number of events (a test counts them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# provider(user, person ids) -> events
Provider = Callable[[object, list[int]], Iterable["Event"]]


@dataclass(frozen=True)
class Event:
    day: dt.date
    kind: str  # the provider's kind (filters)
    title: str  # French
    detail: str = ""
    url: str = ""
    at: dt.datetime | None = None  # when the hour is known (meetings, audit)

    @property
    def sort_key(self):
        moment = (
            self.at.replace(tzinfo=None) if self.at else dt.datetime.combine(self.day, dt.time())
        )
        return (self.day, moment, self.kind, self.title)


@dataclass(frozen=True)
class Source:
    name: str
    provider: Provider
    kinds: dict[str, str]  # the kinds of events it gives: key -> French label (filters)
    order: int


_sources: dict[str, Source] = {}


def register(name: str, provider: Provider, kinds: dict[str, str], *, order: int = 100) -> None:
    """Add a provider of events; registering a name again replaces it."""
    _sources[name] = Source(name, provider, dict(kinds), order)


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda source: (source.order, source.name))


def kinds() -> list[tuple[str, str]]:
    """(key, label) of every kind of events, in the providers' order."""
    return [(key, label) for source in sources() for key, label in source.kinds.items()]


def events_for(user, person_ids: list[int], only: set[str] | None = None) -> list[Event]:
    """Every event of the person, oldest first; ``only``: some kinds."""
    events: list[Event] = []
    for source in sources():
        if only and not (only & set(source.kinds)):
            continue
        events.extend(
            event for event in source.provider(user, person_ids) if not only or event.kind in only
        )
    return sorted(events, key=lambda event: event.sort_key)


def as_day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
