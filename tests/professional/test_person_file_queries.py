"""The person's file with professional supports: the same queries for one support or three
(their referents read with them, the person not read again for each). The supports are over,
so that only their number changes (a running one adds the summary's figures)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.professional.factories import ProfessionalEpisodeFactory, professional_episode
from tremplin.professional.models import ProfessionalSupport
from tremplin.support.models import SupportEpisode

pytestmark = pytest.mark.django_db


def file_queries(client, beneficiary) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:beneficiary_detail", args=[beneficiary.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_file_costs_the_same_for_one_and_three_supports(client, referent_user):
    first = professional_episode(referent_user, start=dt.date(2024, 1, 8))
    SupportEpisode.objects.filter(pk=first.pk).update(ended_on=dt.date(2024, 6, 30))
    person = first.beneficiary
    client.force_login(referent_user)
    file_queries(client, person)  # warm the session
    one, _ = file_queries(client, person)
    for start in (dt.date(2024, 7, 1), dt.date(2025, 1, 6)):
        episode = ProfessionalEpisodeFactory(
            beneficiary=person, referent=referent_user, started_on=start
        )
        ProfessionalSupport.objects.create(episode=episode, project="employment")
        ended_on = start + dt.timedelta(days=150)
        SupportEpisode.objects.filter(pk=episode.pk).update(ended_on=ended_on)
    three, page = file_queries(client, person)
    assert page.count(referent_user.get_full_name()) >= 3
    assert one == three
