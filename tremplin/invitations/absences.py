"""The absences that call for a follow-up (F8), each read from its one recorded fact: an
interview's no-show (its status) and an absence at a held collective action (an invitation
not marked present, ``professional.Invitation.absent``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from tremplin.professional.models import Invitation as Participation
from tremplin.registry.models import Beneficiary
from tremplin.support.models import Meeting

from .models import NoShowFollowUp

FOLLOW_UPS = NoShowFollowUp.objects.order_by("on", "pk")


def no_shows_of(user):
    """The interviews' no-shows ``user`` may see."""
    return (
        Meeting.objects.visible_to(user)
        .filter(status=Meeting.Status.NO_SHOW)
        .select_related("episode__beneficiary", "episode__referent", "episode__operator")
        .prefetch_related(Prefetch("no_show_follow_ups", queryset=FOLLOW_UPS))
    )


def action_absences_of(user, today: dt.date | None = None):
    """The absences at held collective actions of the people ``user`` may see."""
    return (
        Participation.objects.absent(today or timezone.localdate())
        .filter(beneficiary__in=Beneficiary.objects.visible_to(user).values("pk"))
        .select_related("action__operator", "beneficiary__referent")
        .prefetch_related(Prefetch("no_show_follow_ups", queryset=FOLLOW_UPS))
    )
