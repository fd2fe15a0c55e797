"""The kept cadence states (P4, ``cadence_states``): the services keep a support's state in
step with its interviews, CERs and dates; the dashboard's two numbers read from the states
are those of the rows; a state of other parameters, or a missing one, is counted from the
rows; the nightly rebuild finds nothing to change after the services' writes."""

import datetime as dt
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.professional.factories import interview, professional_episode
from tests.professional.test_cadence_counts import DAYS, old_counts, supports  # noqa: F401
from tremplin.professional import services
from tremplin.professional.cadence_states import (
    parameters_fingerprint,
    rebuild_states,
    refresh_states,
    stored_compliance_counts,
)
from tremplin.professional.models import CadenceState
from tremplin.support import services as support_services
from tremplin.support.models import Meeting, SupportEpisode

pytestmark = pytest.mark.django_db


def stored(queryset, today):
    counts = stored_compliance_counts(queryset, today)
    return counts.supports, counts.compliant


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_counts_read_from_the_states_are_those_of_the_reports(supports, today):  # noqa: F811
    assert refresh_states(supports) == supports.count()
    # « no CER, open »: a state without a last day, counted as no report.
    assert CadenceState.objects.filter(last_day__isnull=True).count() == 1
    assert stored(supports, today) == old_counts(supports, today)


def test_supports_with_and_without_a_state_are_counted_together(supports):  # noqa: F811
    half = list(supports.order_by("pk").values_list("pk", flat=True))[::2]
    refresh_states(half)
    assert CadenceState.objects.count() == len(half)
    for today in DAYS:
        assert stored(supports, today) == old_counts(supports, today), today


def test_the_states_are_read_and_a_state_of_other_parameters_is_not(supports):  # noqa: F811
    december = dt.date(2025, 12, 31)
    refresh_states(supports)
    before = stored(supports, december)
    assert before[1] > 0
    # Rows changed behind the services' back (a bulk script): the states, read, do not see
    # it until they are recomputed — which shows they are what is counted.
    Meeting.objects.update(status=Meeting.Status.CANCELLED, status_reason="Saisie en masse")
    assert stored(supports, december) == before
    assert old_counts(supports, december)[1] == 0
    # A state computed with other values of the law is not read: counted from the rows.
    CadenceState.objects.update(parameters="autres-valeurs")
    assert stored(supports, december) == old_counts(supports, december)
    assert rebuild_states(apply=False).changed == CadenceState.objects.count()
    rebuild_states()
    assert set(CadenceState.objects.values_list("parameters", flat=True)) == {
        parameters_fingerprint()
    }
    assert stored(supports, december) == old_counts(supports, december)
    # Nothing differs any more: the next rebuild reads, and writes nothing.
    with CaptureQueriesContext(connection) as queries:
        assert rebuild_states().changed == 0
    assert not [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "DELETE"))]


def test_one_query_whatever_the_number_of_states(referent_user, django_assert_num_queries):
    today = dt.date(2025, 12, 31)
    for count in (1, 6):
        for _ in range(count):
            episode = professional_episode(referent_user, start=dt.date(2025, 1, 15))
            interview(episode, 2025, 1, 20, 9)
        refresh_states(SupportEpisode.objects.all())
        # One count over the states, which finds no support without one.
        with django_assert_num_queries(1):
            counts = stored_compliance_counts(SupportEpisode.objects.all(), today)
        assert counts.supports == SupportEpisode.objects.count()


def state(episode) -> tuple:
    kept = CadenceState.objects.get(episode=episode)
    return kept.last_day, kept.short_month_end


def test_the_services_keep_the_state_in_step(client, referent_user, operator):
    """A référent's month on the pages: opening (CER 1 from 15/01/2025 to 14/07/2025, P4),
    interviews recorded, deleted, a CER renewed, the support closed. January from the 15th
    is partial (1 interview required), February full (2)."""
    person = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    client.force_login(referent_user)
    response = client.post(
        reverse("professional:open_support", args=[person.pk]),
        {
            "operator": operator.pk,
            "referent": referent_user.pk,
            "started_on": "2025-01-15",
            "project": "employment",
            "new_entrant": "on",
            "objectives": "Retrouver un emploi de vendeuse.",
        },
    )
    assert response.status_code == 302
    episode = SupportEpisode.objects.get(beneficiary=person, programme="professional")
    # No interview yet: January (15–31) is the first month short of one.
    assert state(episode) == (dt.date(2025, 7, 14), dt.date(2025, 1, 31))

    url = reverse("professional:interview_create", args=[episode.pk])
    for moment in ("2025-01-20T10:00", "2025-02-03T10:00", "2025-02-17T10:00"):
        data = {"starts_at": moment, "duration_minutes": 45, "place": "operator", "report": ""}
        assert client.post(url, data).status_code == 302
    # 1 in January, 2 in February: March (full, none) is the first month short.
    assert state(episode) == (dt.date(2025, 7, 14), dt.date(2025, 3, 31))

    # One of February's deleted: February is short again (1 of 2).
    support_services.delete_meeting(episode.meetings.get(starts_at__day=17))
    assert state(episode) == (dt.date(2025, 7, 14), dt.date(2025, 2, 28))

    # Recorded again through the API, and held: the same as through the page.
    api = client.post(
        f"/api/v1/episodes/{episode.pk}/interviews",
        {"starts_at": "2025-02-24T10:00:00", "duration_minutes": 45, "place": "operator"},
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    assert state(episode) == (dt.date(2025, 7, 14), dt.date(2025, 3, 31))

    # A renewal moves the last day to the new CER's end (6 more months, P5).
    services.renew_cer(episode, "Suite du projet.", referent_user)
    assert state(episode)[0] == dt.date(2026, 1, 14)

    # Closed on 20 February: February (1–20) is partial (1 required, 2 held); no month short.
    services.close_support(SupportEpisode.objects.get(pk=episode.pk), dt.date(2025, 2, 20))
    assert state(episode) == (dt.date(2025, 2, 20), None)
    assert rebuild_states(apply=False).changed == 0


def test_the_rebuild_command_reports_the_states(referent_user):
    episode = professional_episode(referent_user, start=dt.date(2025, 1, 15))
    call_command("rebuild_facts", stdout=(out := _Text()))
    assert "1 état de la cadence des entretiens différent des lignes (à blanc)" in out.text
    assert not CadenceState.objects.exists()
    call_command("rebuild_facts", "--apply", stdout=(out := _Text()))
    assert "(avant le recalcul)" in out.text
    assert state(episode) == (dt.date(2025, 7, 14), dt.date(2025, 1, 31))


class _Text:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text


def test_three_queries_when_some_supports_have_no_state(referent_user, django_assert_num_queries):
    for _ in range(3):
        episode = professional_episode(referent_user, start=dt.date(2025, 1, 15))
        interview(episode, 2025, 1, 20, 9)
    refresh_states(list(SupportEpisode.objects.order_by("pk").values_list("pk", flat=True)[:2]))
    # The count over the states, then the supports without one from their rows (2 queries).
    with django_assert_num_queries(3):
        counts = stored_compliance_counts(SupportEpisode.objects.all(), dt.date(2025, 12, 31))
    assert counts.supports == 3


@pytest.mark.django_db(transaction=True)
def test_two_interviews_recorded_at_once_both_reach_the_state(referent_user):
    """Two référents' clicks on the same support, the second while the first's transaction
    is still open: the second waits for the first's lock on the support and counts both
    interviews (without it, PostgreSQL would give the second a duplicate key, or a state
    without the first's interview). SQLite writes one transaction at a time: nothing to
    interleave in its in-memory test database."""
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL runs two write transactions at once")
    from tremplin.professional.forms import InterviewForm

    episode = professional_episode(referent_user, start=dt.date(2025, 1, 15))
    interview(episode, 2025, 1, 20, 9)  # January (15–31) has the 1 it needs
    refresh_states([episode.pk])
    assert state(episode)[1] == dt.date(2025, 2, 28)  # February: 2 needed, none yet
    first_saved = threading.Event()
    errors = []

    def record(moment: str, hold: float, signal: threading.Event | None) -> None:
        try:
            with transaction.atomic():
                form = InterviewForm(
                    {"starts_at": moment, "duration_minutes": 45, "place": "operator"},
                    episode=SupportEpisode.objects.get(pk=episode.pk),
                )
                assert form.is_valid(), form.errors
                support_services.save_meeting(form, user=referent_user)
                if signal is not None:
                    signal.set()
                time.sleep(hold)  # the first click's transaction stays open a while
        except Exception as error:  # noqa: BLE001 (reported by the test below)
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=record, args=("2025-02-03T10:00", 0.5, first_saved))
    first.start()
    assert first_saved.wait(10)
    second = threading.Thread(target=record, args=("2025-02-17T10:00", 0, None))
    second.start()
    first.join(10)
    second.join(10)
    assert errors == []
    # February has its 2: March is the first month short. With one of the two interviews
    # missed, it would still be February.
    assert state(episode) == (dt.date(2025, 7, 14), dt.date(2025, 3, 31))
    assert rebuild_states(apply=False).changed == 0


def test_the_technical_admin_keeps_the_state_too(referent_user, admin_user):
    """The admin writes rows without the pages' services: its meetings, CERs and supports are
    announced all the same (P4: the state follows)."""
    from django.contrib import admin
    from django.test import RequestFactory

    from tremplin.professional.models import Cer

    request = RequestFactory().post("/admin-technique/")
    request.user = admin_user
    episode = professional_episode(referent_user, start=dt.date(2025, 1, 15))
    interview(episode, 2025, 1, 20, 9)
    refresh_states([episode.pk])
    assert state(episode) == (dt.date(2025, 7, 14), dt.date(2025, 2, 28))

    meetings = admin.site._registry[Meeting]
    february = [
        Meeting(
            episode=episode,
            starts_at=dt.datetime(2025, 2, day, 9, tzinfo=dt.UTC),
            duration_minutes=45,
            place=Meeting.Place.OPERATOR,
            kind=Meeting.Kind.INDIVIDUAL,
            status=Meeting.Status.HELD,
        )
        for day in (3, 17)
    ]
    for meeting in february:
        meetings.save_model(request, meeting, form=None, change=False)
    assert state(episode)[1] == dt.date(2025, 3, 31)  # February has its 2
    meetings.delete_model(request, february[0])
    assert state(episode)[1] == dt.date(2025, 2, 28)

    cers = admin.site._registry[Cer]
    cer = episode.cers.get()
    cer.end = dt.date(2025, 5, 31)
    cers.save_model(request, cer, form=None, change=True)
    assert state(episode)[0] == dt.date(2025, 5, 31)

    episodes = admin.site._registry[SupportEpisode]
    episode.refresh_from_db()
    episode.ended_on = dt.date(2025, 2, 20)  # February (1–20) partial: its 1 is enough
    episodes.save_model(request, episode, form=None, change=True)
    assert state(episode) == (dt.date(2025, 2, 20), None)
    assert rebuild_states(apply=False).changed == 0
