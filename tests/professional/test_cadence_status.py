"""Only the interviews held count in the cadence (P4, F8): each status, in the report of one
support, in ``cadences`` and in ``compliance_counts`` (the indicators' figure), with the
same number of queries whatever the statuses."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.professional.factories import interview, professional_episode
from tests.support.factories import paris
from tremplin.professional.cadence import cadences, compliance_counts, episode_cadence
from tremplin.support import services
from tremplin.support.models import Meeting, SupportEpisode

pytestmark = pytest.mark.django_db

Status = Meeting.Status
TODAY = dt.date(2025, 4, 10)  # March 2025 is over and judged


def support_with_march(referent_user, second_status):
    """A support from 1 January 2025: two interviews held in January and February, and in
    March one held and a second one of ``second_status`` (March needs 2, P4)."""
    episode = professional_episode(referent_user, start=dt.date(2025, 1, 1))
    for month in (1, 2):
        interview(episode, 2025, month, 6, 10)
        interview(episode, 2025, month, 20, 10)
    interview(episode, 2025, 3, 6, 10)
    extra = {}
    if second_status == Status.CANCELLED:
        extra["status_reason"] = "Annulé par la structure"
    if second_status == Status.RESCHEDULED:
        extra["replaced_by"] = interview(episode, 2025, 4, 20, 10, status=Status.PLANNED)
    Meeting.objects.create(
        episode=episode,
        starts_at=paris(2025, 3, 20, 10, 0),
        duration_minutes=45,
        place="operator",
        kind=Meeting.Kind.INDIVIDUAL,
        status=second_status,
        **extra,
    )
    return episode


@pytest.mark.parametrize(
    "status, compliant",
    [
        (Status.HELD, True),
        (Status.PLANNED, False),  # past and never recorded: not an interview held
        (Status.EXCUSED, False),
        (Status.NO_SHOW, False),
        (Status.CANCELLED, False),
        (Status.RESCHEDULED, False),
    ],
)
def test_each_status_in_the_cadence(referent_user, status, compliant):
    episode = support_with_march(referent_user, status)
    row = episode_cadence(episode, TODAY)
    march = next(month for month in row.report.months if month.month == 3)
    # March needs 2 interviews (a full month, P4); it has 1 held, plus the one of `status`.
    assert (march.done, march.required) == (2 if compliant else 1, 2)
    assert row.report.compliant is compliant
    queryset = SupportEpisode.objects.filter(pk=episode.pk)
    [listed] = cadences(queryset, TODAY)
    assert listed.report == row.report
    counts = compliance_counts(queryset, TODAY)
    assert (counts.supports, counts.compliant) == (1, int(compliant))


def test_the_queries_do_not_depend_on_the_statuses(referent_user, django_assert_num_queries):
    for status in Status:
        support_with_march(referent_user, status)
    queryset = SupportEpisode.objects.filter(programme="professional")
    with django_assert_num_queries(2):
        rows = cadences(queryset, TODAY)
    with django_assert_num_queries(2):
        counts = compliance_counts(queryset, TODAY)
    assert counts.supports == len(rows) == 6
    assert counts.compliant == sum(row.report.compliant for row in rows) == 1


def test_recording_a_no_show_takes_a_support_below_cadence(referent_user):
    episode = support_with_march(referent_user, Status.HELD)
    march_second = episode.meetings.get(starts_at=paris(2025, 3, 20, 10, 0))
    assert episode_cadence(episode, TODAY).report.compliant
    services.change_status(march_second, Status.NO_SHOW)
    assert not episode_cadence(episode, TODAY).report.compliant


def test_the_indicators_count_held_interviews_only(client, coordinator_user, referent_user):
    for status in (Status.HELD, Status.NO_SHOW):
        episode = support_with_march(referent_user, status)
        for month in (4, 5, 6):  # the first CER runs to 30 June 2025
            interview(episode, 2025, month, 6, 10)
            interview(episode, 2025, month, 20, 10)
    client.force_login(coordinator_user)
    page = client.get(reverse("outcomes:indicators"), {"du": "2025-01-01", "au": "2025-12-31"})
    cadence = page.context["cadence"]
    # Both supports are over and judged; they differ only by March's second interview: held
    # for one (2 held, compliant), missed for the other (1 held of 2 required, P4): 1 of 2.
    assert (cadence["supports"], cadence["compliant"]) == (2, 1)


def test_an_interview_form_records_its_status(client, referent_user):
    episode = professional_episode(referent_user, start=dt.date(2025, 1, 15))
    client.force_login(referent_user)
    response = client.post(
        reverse("professional:interview_create", args=[episode.pk]),
        {
            "starts_at": "2025-02-03T10:00",
            "duration_minutes": "45",
            "place": "operator",
            "status": "no_show",
            "status_reason": "",
            "participants": "",
            "report": "",
        },
    )
    assert response.status_code == 302
    assert episode.meetings.get().status == Status.NO_SHOW
