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


# The file of a person with a running professional support, as a referent sees it: the user
# and their memberships (2; the session is read from the cache); the person; the audit entry
# of the view; the navigation's badge counted afresh (3: the referent's supports, deadlines,
# meetings); the two permission reads of the export button; the person's supports, read once
# for every panel (``supports_on_file``; five reads before); the summary's last and next
# meetings (one query) and its late deliverables (2); the CERs of the professional supports,
# read once for the cadence and the professional panel (``professional_supports_on_file``;
# twice before); the cadence's interviews (P4); the invitations.
QUERIES_OF_A_RUNNING_FILE = 15


def test_the_file_reads_the_person_s_supports_once_for_every_panel(client, referent_user):
    episode = professional_episode(referent_user, start=dt.date(2025, 1, 15))
    client.force_login(referent_user)
    file_queries(client, episode.beneficiary)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("registry:beneficiary_detail", args=[episode.beneficiary.pk]))
    # The supports read as rows (the navigation's badge reads only the referent's keys).
    row = 'SELECT "support_supportepisode"."id", '
    supports = [q["sql"] for q in queries if q["sql"].startswith(row)]
    assert len(supports) == 1, supports
    cers = [q["sql"] for q in queries if 'FROM "professional_cer"' in q["sql"]]
    assert len(cers) == 1, cers
    assert len(queries) == QUERIES_OF_A_RUNNING_FILE, "\n".join(q["sql"][:150] for q in queries)
