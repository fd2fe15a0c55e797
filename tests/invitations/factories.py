"""People one can reach, supports running today, appointments to come."""

import datetime as dt

from django.utils import timezone

from tests import factories
from tests.professional.factories import professional_episode
from tremplin.professional.models import CollectiveAction
from tremplin.rules.calendar import PARIS
from tremplin.support.models import Meeting


def operator_with_address(operator):
    operator.street = "12 rue du Jeu-des-Enfants"
    operator.postal_code = "67000"
    operator.city = "Strasbourg"
    operator.phone = "03 88 12 34 56"
    operator.email = "accueil@passerelle.example.fr"
    operator.save()
    return operator


def reachable(episode, **fields):
    """The person of ``episode``, with an e-mail address, a mobile and consent to SMS."""
    person = episode.beneficiary
    values = {
        "email": "lea.muller@exemple.fr",
        "phone": "06 12 34 56 78",
        "sms_consent": "given",
        "sms_consent_on": dt.date(2026, 1, 5),
        "preferred_channel": "sms",
        **fields,
    }
    for name, value in values.items():
        setattr(person, name, value)
    person.save()
    return person


def running_support(follower, **person_fields):
    """A professional support begun 30 days ago, its person reachable by e-mail and SMS."""
    start = timezone.localdate() - dt.timedelta(days=30)
    episode = professional_episode(follower, start=start)
    reachable(episode, **person_fields)
    return episode


def in_days(days: int, hour: int = 9, minute: int = 30) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def planned(episode, days: int = 7, **fields) -> Meeting:
    return Meeting.objects.create(
        episode=episode,
        starts_at=in_days(days),
        duration_minutes=45,
        place=Meeting.Place.OPERATOR,
        kind=Meeting.Kind.INDIVIDUAL,
        status=Meeting.Status.PLANNED,
        **fields,
    )


def collective_action(operator, days: int = 10) -> CollectiveAction:
    return CollectiveAction.objects.create(
        operator=operator,
        kind=CollectiveAction.Kind.WORKSHOP,
        on=timezone.localdate() + dt.timedelta(days=days),
        start_time=dt.time(14, 0),
        theme="Préparer un entretien d'embauche",
        place="Salle 2, 12 rue du Jeu-des-Enfants, Strasbourg",
    )


def other_referent(operator):
    return factories.referent(operator)
