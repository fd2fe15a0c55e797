"""Work queues: what waits for the user, on the home page, each item one click from its action.

Each role has its queue, built by the app that knows its facts and shown on the home page as
a panel (``web.panels``): the département agent's (``conventions.queue``), the referent's
(``support.queue``), the coordinator's (``professional.queue``). They share these shapes and
one template, ``web/_queue.html``.

The navigation shows, beside « Accueil », how many items wait now (``work_count``): each app
registers a counter here from its ``AppConfig.ready()`` — a fixed number of queries per
counter whatever the portfolio's size — and the counts are read once per request, only when a
page shows the navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import ngettext

SHOWN = 5  # items listed per kind; the count says how many there are


def counted(count: int, singular: str, plural: str) -> str:
    """« 1 convention à signer », « 3 conventions à signer » (French: 0 and 1 take the
    singular)."""
    return ngettext(singular, plural, count if count > 1 else 1) % {"count": count}


@dataclass
class QueueItem:
    label: str
    url: str
    action: str  # the button's text: what the click does
    detail: str = ""
    flag: str = ""  # a rule to check, e.g. the repayment of F13


@dataclass
class QueueSection:
    key: str
    title: str  # with the count, in French
    count: int
    items: list[QueueItem] = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""
    note: str = ""
    empty: str = "Rien à traiter."  # "" for a section that is a figure, not a list


@dataclass
class Warning:
    message: str
    url: str
    action: str


@dataclass
class WorkQueue:
    sections: list[QueueSection]
    warnings: list[Warning] = field(default_factory=list)
    month_label: str = ""
    key: str = "file-de-travail"  # the id of its heading: unique on the page
    section_prefix: str = "file"  # the ids of its sections' headings: "file-ruptures"
    title: str = "Ma file de travail"
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) under the title

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections if section.key != "payments")


# counter(user) -> how many items wait for ``user`` now (0 when the role is not theirs)
Counter = Callable[[object], int]
_counters: dict[str, Counter] = {}


def register_counter(name: str, counter: Counter) -> None:
    """Add (or replace) the counter ``name`` of the navigation's badge."""
    _counters[name] = counter


def counters() -> list[str]:
    return list(_counters)


def work_count(user) -> int:
    """How many items wait for ``user`` across the queues of their roles."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return sum(counter(user) for counter in _counters.values())
