"""The dashboard's interview cadence (P4): the same numbers as counting the professional
programme's reports (``cadences``), for the supports of the period only, with a number of
queries that does not grow with the supports, and the same figure in the export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.professional.factories import interview, professional_episode
from tremplin.professional.cadence import cadences
from tremplin.support.models import SupportEpisode

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:indicators")
YEAR_2025 = {"du": "2025-01-01", "au": "2025-12-31"}


def twice_a_month(episode, months, days=(3, 17)):
    for month in months:
        for day in days:
            interview(episode, 2025, month, day, 10)


def expected(queryset):
    """The dashboard's figure as it was computed before: one report per support."""
    reports = cadences(queryset, timezone.localdate())
    compliant = sum(1 for row in reports if row.report.compliant)
    share = (Decimal(100) * compliant / len(reports)).quantize(Decimal("0.1")) if reports else None
    return {"supports": len(reports), "compliant": compliant, "share": share}


def add_supports(referent_user, count):
    """``count`` supports of 2025, a third of them below cadence in April (one interview),
    every other one started mid-month, one in four closed early."""
    for number in range(count):
        start = datetime.date(2025, 1, 15 if number % 2 else 1)
        episode = professional_episode(referent_user, start=start)
        interview(episode, 2025, 1, 20, 9)
        twice_a_month(episode, (2, 3, 5, 6))
        twice_a_month(episode, (4,), days=(3,) if number % 3 == 0 else (3, 17))
        interview(episode, 2025, 7, 1, 9)
        if number % 4 == 3:
            SupportEpisode.objects.filter(pk=episode.pk).update(ended_on=datetime.date(2025, 6, 20))


def get_page(client, user, **params):
    client.force_login(user)
    return client.get(URL, {**YEAR_2025, **params})


def test_the_dashboard_counts_as_the_reports_do(client, coordinator_user, referent_user, operator):
    add_supports(referent_user, 7)
    # Outside the period: started after it (not counted), and ended before it.
    professional_episode(referent_user, start=datetime.date(2026, 2, 2))
    before = professional_episode(referent_user, start=datetime.date(2024, 3, 1))
    SupportEpisode.objects.filter(pk=before.pk).update(ended_on=datetime.date(2024, 8, 31))

    cadence = get_page(client, coordinator_user, structure=operator.pk).context["cadence"]

    in_period = SupportEpisode.objects.filter(
        programme="professional",
        started_on__lte=datetime.date(2025, 12, 31),
    ).exclude(ended_on__lt=datetime.date(2025, 1, 1))
    assert cadence == expected(in_period)
    assert cadence["supports"] == 7
    assert 0 < cadence["compliant"] < cadence["supports"]


def test_the_export_carries_the_same_figure(client, coordinator_user, referent_user, operator):
    add_supports(referent_user, 4)
    cadence = expected(SupportEpisode.objects.filter(programme="professional"))
    response = get_page(client, coordinator_user, structure=operator.pk, format="xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    line = next(row for row in rows if row[0] == "Cadence des entretiens respectée")
    assert line[header.index("Personnes")] == cadence["compliant"]
    assert line[header.index("Population")] == cadence["supports"]


def test_the_page_s_queries_do_not_grow_with_the_supports(
    client, coordinator_user, referent_user, operator
):
    add_supports(referent_user, 2)
    get_page(client, coordinator_user, structure=operator.pk)  # warm caches (session, etc.)
    with CaptureQueriesContext(connection) as few:
        first = get_page(client, coordinator_user, structure=operator.pk)
    add_supports(referent_user, 6)
    with CaptureQueriesContext(connection) as many:
        second = get_page(client, coordinator_user, structure=operator.pk)
    assert (first.context["cadence"]["supports"], second.context["cadence"]["supports"]) == (2, 8)
    assert len(many.captured_queries) == len(few.captured_queries)
