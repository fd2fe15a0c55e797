"""Filters the support adds to the people's list of the registry (``web.listing``): the
programme a person follows now, and the deliverables past their due date (A3, A6, A7)."""

from django.utils import timezone

from tremplin.web import listing

from .models import Deadline, SupportEpisode

PROGRAMMES = [
    ("in_employment", "Accompagnement dans l'emploi (CUI-CIE)"),
    ("professional", "Accompagnement professionnel"),
    ("aucun", "Aucun accompagnement en cours"),
]


def by_programme(queryset, value, request):
    running = SupportEpisode.objects.open()
    if value == "aucun":
        return queryset.exclude(pk__in=running.values("beneficiary"))
    return queryset.filter(pk__in=running.filter(programme=value).values("beneficiary"))


def overdue(queryset, value, request):
    late = Deadline.objects.filter(
        state__in=Deadline.OPEN_STATES,
        due_on__lt=timezone.localdate(),
        episode__ended_on__isnull=True,
    )
    return queryset.filter(pk__in=late.values("episode__beneficiary"))


def register():
    listing.register_filter(
        listing.PEOPLE,
        listing.ListFilter(
            "programme", "Accompagnement", lambda request: PROGRAMMES, by_programme, order=20
        ),
    )
    listing.register_filter(
        listing.PEOPLE,
        listing.ListFilter(
            "retard",
            "Livrables",
            lambda request: [("oui", "En retard")],
            overdue,
            order=30,
        ),
    )
