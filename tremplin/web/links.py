"""URLs reversed once per process.

Django's ``reverse`` walks the URL patterns at every call: 50–150 µs on the bench machine,
and a people list asks for some forty URLs (its rows' files, the navigation). A URL depends
only on its name, its arguments, the URLconf and the deployment's prefix (``SCRIPT_NAME``),
all part of the key here; the cache is bounded (least recently used first out) and holds
addresses only, never a person's data beyond a file's number, like the pages that show them.

``reverse`` takes the arguments of Django's; only plain numbers and texts are kept (a
``True`` and a ``1`` would share a key but not a URL), anything else is reversed each time.
Templates reach it through ``{% url %}`` (``templatetags/links.py``, a builtin library).
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as reverse_each_time

KEPT_URLS = 20_000


@lru_cache(maxsize=KEPT_URLS)
def _kept(viewname, args, kwargs, current_app, prefix, urlconf) -> str:
    # ``prefix`` is in the key only: Django's reverse reads the same from the request.
    return reverse_each_time(
        viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def _plain(values) -> bool:
    # Exactly an int (a bool, an int subclass, would share True's key with 1's) or a text
    # (a template's literal is a SafeString: the same characters).
    return all(type(value) is int or isinstance(value, str) for value in values)


def reverse(viewname, urlconf=None, args=None, kwargs=None, current_app=None, **more) -> str:
    args = tuple(args) if args else ()
    items = tuple(sorted(kwargs.items())) if kwargs else ()
    if (
        more
        or not isinstance(viewname, str)
        or (args and not _plain(args))
        or (items and not _plain(value for _name, value in items))
    ):
        return reverse_each_time(
            viewname, urlconf=urlconf, args=args, kwargs=kwargs, current_app=current_app, **more
        )
    return _kept(
        viewname,
        args,
        items,
        current_app,
        get_script_prefix(),
        urlconf or get_urlconf() or settings.ROOT_URLCONF,
    )
