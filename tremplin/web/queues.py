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

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from .transactions import SAFE_METHODS

SHOWN = 5  # items listed per kind; the count says how many there are


def counted(count: int, singular: str, plural: str) -> str:
    """« 1 convention à signer », « 3 conventions à signer » (French: 0 and 1 take the
    singular)."""
    return ngettext(singular, plural, count if count > 1 else 1) % {"count": count}


def counted_first(queryset, order: tuple[str, ...], shown: int = SHOWN) -> tuple[int, list]:
    """How many rows ``queryset`` holds, and its first ``shown`` in ``order`` (then by key).

    The order's values and the keys are read whole (a queue holds hundreds of rows, not
    millions), counted and sorted here; the first few are then read by key, through the
    same queryset (its ``select_related`` and its access rule). One reading instead of a
    ``COUNT`` and an ``ORDER BY … LIMIT``, whose plan PostgreSQL may draw from the order's
    index across the whole département (0.3–1.9 s for a team's late deliverables). The
    order's fields must not be null."""
    keys = sorted(queryset.order_by().values_list(*order, "pk"))
    first = [key[-1] for key in keys[:shown]]
    rows = {row.pk: row for row in queryset.filter(pk__in=first)} if first else {}
    return len(keys), [rows[pk] for pk in first if pk in rows]


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


def _badge_key(user) -> str:
    return f"badge:{user.pk}"


def kept_work_count(user) -> int:
    """``work_count`` as the navigation shows it on every page: counted at most once per
    ``TREMPLIN_BADGE_CACHE_SECONDS`` per user (the coordinator's counters read a month of
    interviews: tens of milliseconds on every page otherwise). A copy, never a fact: the home
    page counts again (``fresh_work_count``) and the user's own writes drop it
    (``forget_work_count``), so that what they just did shows at once; what others did shows
    within the delay."""
    seconds = settings.TREMPLIN_BADGE_CACHE_SECONDS
    if not seconds or not getattr(user, "is_authenticated", False):
        return work_count(user)
    count = cache.get(_badge_key(user))
    if count is None:
        count = fresh_work_count(user)
    return count


def fresh_work_count(user) -> int:
    """Counted now, and kept for the next pages (the home page: the queues themselves)."""
    count = work_count(user)
    if settings.TREMPLIN_BADGE_CACHE_SECONDS and getattr(user, "is_authenticated", False):
        cache.set(_badge_key(user), count, settings.TREMPLIN_BADGE_CACHE_SECONDS)
    return count


def forget_work_count(user) -> None:
    if getattr(user, "is_authenticated", False):
        cache.delete(_badge_key(user))


class ForgetBadgeAfterWriteMiddleware:
    """After a writing request (POST, PUT, PATCH, DELETE) of a logged-in user, their badge is
    counted again on the next page: a meeting recorded or a rupture taken into account
    shows at once in the count of the one who did it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and settings.TREMPLIN_BADGE_CACHE_SECONDS:
            forget_work_count(getattr(request, "user", None))
        return response
