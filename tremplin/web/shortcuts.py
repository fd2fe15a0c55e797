"""Reading one record through the user's scope.

Every page and endpoint reads a person's file, a convention or a support through the
model's ``visible_to(user)`` (DESIGN.md, access): a record outside the user's scope answers
404, exactly like a record that does not exist, so that its existence is not revealed.
"""

from __future__ import annotations

from django.db.models import Model
from django.shortcuts import get_object_or_404


def visible_object_or_404(queryset, user_or_request, pk=None, **lookups):
    """The record of ``queryset`` with ``pk`` (and ``lookups``) that the user may see, or 404.

    ``queryset`` is a model, a manager or a queryset whose class has ``visible_to(user)``;
    ``select_related`` and filters applied before are kept. ``user_or_request`` is the user
    or the request (its ``user``).
    """
    user = getattr(user_or_request, "user", user_or_request)
    if isinstance(queryset, type) and issubclass(queryset, Model):
        queryset = queryset._default_manager.all()
    if pk is not None:
        lookups["pk"] = pk
    return get_object_or_404(queryset.visible_to(user), **lookups)
