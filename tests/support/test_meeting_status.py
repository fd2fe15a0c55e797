"""A meeting's status (F8): one fact on the meeting, read by the hour budget (A5), the
calendar feed and the API; changed only through ``tremplin.support.services`` (held, excused,
no-show, cancelled with a reason, rescheduled to a new meeting, deleted and audited)."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from ninja.testing import TestClient

from tests import factories
from tests.pages import cites
from tests.support.factories import MeetingFactory, episode_for, paris
from tremplin.accounts.models import AuditEntry
from tremplin.api.api import api as tremplin_api
from tremplin.support import services
from tremplin.support.models import Meeting

pytestmark = pytest.mark.django_db

Status = Meeting.Status
IN_TWO_DAYS = timezone.now() + dt.timedelta(days=2)


@pytest.fixture
def episode(referent_user):
    return episode_for(referent_user)


# --- the hour budget counts held meetings only (A5) ----------------------------------------


@pytest.mark.parametrize(
    "status, counted",
    [
        (Status.PLANNED, False),
        (Status.HELD, True),
        (Status.EXCUSED, False),
        (Status.NO_SHOW, False),
        (Status.CANCELLED, False),
        (Status.RESCHEDULED, False),
    ],
)
def test_each_status_in_the_hour_budget(episode, status, counted):
    MeetingFactory(episode=episode, duration_minutes=120)  # held: 2 h
    extra = {"status_reason": "Motif"} if status == Status.CANCELLED else {}
    if status == Status.RESCHEDULED:
        extra["replaced_by"] = MeetingFactory(
            episode=episode, starts_at=paris(2025, 5, 5, 9, 0), status=Status.PLANNED
        )
    MeetingFactory(episode=episode, duration_minutes=180, status=status, **extra)
    # 2 h held + 3 h if the second meeting counts (A5: 12 hours from the hire).
    expected = dt.timedelta(hours=5 if counted else 2)
    assert episode.hours().used == expected
    assert episode.hours_with(Meeting(episode=episode, duration_minutes=0)).used == expected


def test_the_budget_asks_a_reason_only_when_a_held_meeting_exceeds_it(episode):
    MeetingFactory(episode=episode, duration_minutes=11 * 60)
    no_show = MeetingFactory(episode=episode, duration_minutes=120, status=Status.NO_SHOW)
    # A no-show uses no hour: recording it held takes the support to 13 h (A5).
    with pytest.raises(ValidationError) as error:
        services.change_status(no_show, Status.HELD)
    assert "13 h pour un budget de 12 h (A5)" in str(error.value)
    services.change_status(no_show, Status.HELD, over_budget_reason="Rupture imminente")
    no_show.refresh_from_db()
    assert no_show.status == Status.HELD and no_show.over_budget_reason == "Rupture imminente"


# --- the form: a status by default from the date -------------------------------------------


def form_data(**changes):
    data = {
        "starts_at": "2025-03-12T10:00",
        "duration_minutes": "60",
        "place": "company",
        "kind": "individual",
        "participants": "",
        "report": "",
        "over_budget_reason": "",
        "status": "",
        "status_reason": "",
    }
    return {**data, **changes}


def test_a_meeting_recorded_without_status_is_held_when_past_planned_when_to_come(
    client, referent_user, episode
):
    client.force_login(referent_user)
    url = reverse("support:meeting_create", args=[episode.pk])
    assert client.post(url, form_data()).status_code == 302
    future = timezone.localtime(IN_TWO_DAYS).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, form_data(starts_at=future)).status_code == 302
    statuses = list(episode.meetings.order_by("starts_at").values_list("status", flat=True))
    assert statuses == [Status.HELD, Status.PLANNED]


def test_a_meeting_to_come_cannot_be_recorded_held(client, referent_user, episode):
    client.force_login(referent_user)
    future = timezone.localtime(IN_TWO_DAYS).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("support:meeting_create", args=[episode.pk]),
        form_data(starts_at=future, status="held", report="Texte gardé"),
    )
    assert response.status_code == 200
    assert "n&#x27;a pas encore commencé" in response.content.decode()
    assert "Texte gardé" in response.content.decode()  # nothing typed is lost
    assert not episode.meetings.exists()


def test_a_planned_meeting_uses_no_budget_in_the_form(client, referent_user, episode):
    MeetingFactory(episode=episode, duration_minutes=12 * 60)
    client.force_login(referent_user)
    future = timezone.localtime(IN_TWO_DAYS).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("support:meeting_create", args=[episode.pk]),
        form_data(starts_at=future, duration_minutes="90"),
    )
    assert response.status_code == 302  # planned: no reason asked yet (A5)


# --- services ------------------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_then_the_status_no_longer_changes(episode):
    meeting = MeetingFactory(episode=episode, starts_at=IN_TWO_DAYS, status=Status.PLANNED)
    with pytest.raises(ValidationError, match="motif de l'annulation"):
        services.cancel_meeting(meeting, " ")
    services.cancel_meeting(meeting, "La personne a trouvé un emploi.")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_reason) == (
        Status.CANCELLED,
        "La personne a trouvé un emploi.",
    )
    assert meeting.sequence == 1 and meeting.status_changed_at is not None
    with pytest.raises(ValidationError, match="ne change plus"):
        services.change_status(meeting, Status.PLANNED)


def test_rescheduling_creates_the_replacement_and_links_it(episode, referent_user):
    meeting = MeetingFactory(episode=episode, starts_at=IN_TWO_DAYS, status=Status.PLANNED)
    later = IN_TWO_DAYS + dt.timedelta(days=7)
    replacement = services.reschedule_meeting(meeting, later, reason="Malade", user=referent_user)
    meeting.refresh_from_db()
    assert meeting.status == Status.RESCHEDULED and meeting.replaced_by == replacement
    assert (replacement.status, replacement.starts_at) == (Status.PLANNED, later)
    assert replacement.duration_minutes == meeting.duration_minutes
    assert replacement.created_by == referent_user
    with pytest.raises(ValidationError, match="ne peut plus être reportée"):
        services.reschedule_meeting(meeting, later + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="doit être à venir"):
        services.reschedule_meeting(replacement, timezone.now() - dt.timedelta(hours=1))


def test_a_rescheduled_meeting_needs_its_replacement_in_the_database(episode):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(episode=episode, status=Status.RESCHEDULED)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(episode=episode, status=Status.CANCELLED, status_reason="")


def test_deleting_a_meeting_is_audited_and_a_replacement_is_protected(episode, referent_user):
    meeting = MeetingFactory(episode=episode)
    pk = meeting.pk
    services.delete_meeting(meeting)
    assert not Meeting.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_id=str(pk)).exists()
    old = MeetingFactory(episode=episode, starts_at=IN_TWO_DAYS, status=Status.PLANNED)
    new = services.reschedule_meeting(old, IN_TWO_DAYS + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="Annulez-la plutôt"):
        services.delete_meeting(new)
    assert Meeting.objects.filter(pk=new.pk).exists()


def test_the_migration_makes_past_meetings_held_and_leaves_future_ones_planned(episode):
    import importlib

    migration = importlib.import_module(
        "tremplin.support.migrations.0006_meeting_status_of_past_meetings"
    )
    past = MeetingFactory(episode=episode, status=Status.PLANNED)
    future = MeetingFactory(episode=episode, starts_at=IN_TWO_DAYS, status=Status.PLANNED)
    migration.past_meetings_held(apps, None)
    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.status, future.status) == (Status.HELD, Status.PLANNED)


# --- pages ---------------------------------------------------------------------------------


def test_recording_a_no_show_on_its_page(client, referent_user, episode):
    meeting = MeetingFactory(episode=episode, status=Status.PLANNED)
    client.force_login(referent_user)
    url = reverse("support:meeting_status", args=[episode.pk, meeting.pk])
    page = client.get(url)
    assert page.status_code == 200 and "La rencontre a-t-elle eu lieu ?" in page.content.decode()
    response = client.post(url, {"status": "no_show", "status_reason": ""})
    assert response.status_code == 302
    assert response["Location"] == episode.get_absolute_url() + "#rencontres"
    meeting.refresh_from_db()
    assert meeting.status == Status.NO_SHOW


def test_the_pages_go_back_where_they_came_from_on_this_site_only(client, referent_user, episode):
    meeting = MeetingFactory(episode=episode, status=Status.PLANNED)
    client.force_login(referent_user)
    url = reverse("support:meeting_status", args=[episode.pk, meeting.pk])
    response = client.post(url, {"status": "held", "next": "/accompagnement-professionnel/"})
    assert response["Location"] == "/accompagnement-professionnel/"
    response = client.post(url, {"status": "held", "next": "https://ailleurs.example/"})
    assert response["Location"] == episode.get_absolute_url() + "#rencontres"


def test_cancel_reschedule_and_delete_pages(client, referent_user, episode):
    client.force_login(referent_user)
    meeting = MeetingFactory(episode=episode, starts_at=IN_TWO_DAYS, status=Status.PLANNED)
    cancel = reverse("support:meeting_cancel", args=[episode.pk, meeting.pk])
    refused = client.post(cancel, {"reason": ""})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Indiquez le motif de l&#x27;annulation" in page and cites(page, "F8")
    assert client.post(cancel, {"reason": "Erreur de date"}).status_code == 302

    other = MeetingFactory(episode=episode, starts_at=IN_TWO_DAYS, status=Status.PLANNED)
    later = timezone.localtime(IN_TWO_DAYS + dt.timedelta(days=3))
    response = client.post(
        reverse("support:meeting_reschedule", args=[episode.pk, other.pk]),
        {"starts_at": later.strftime("%Y-%m-%dT%H:%M"), "reason": ""},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == Status.RESCHEDULED

    mistake = MeetingFactory(episode=episode)
    delete = reverse("support:meeting_delete", args=[episode.pk, mistake.pk])
    confirm = client.get(delete)
    assert "journal d'audit" in confirm.content.decode()
    assert Meeting.objects.filter(pk=mistake.pk).exists()  # a GET deletes nothing
    assert client.post(delete).status_code == 302
    assert not Meeting.objects.filter(pk=mistake.pk).exists()


def test_another_referent_s_meeting_is_a_404(client, operator, episode):
    meeting = MeetingFactory(episode=episode)
    client.force_login(factories.referent(operator))
    for name in ("meeting_status", "meeting_cancel", "meeting_reschedule", "meeting_delete"):
        assert (
            client.get(reverse(f"support:{name}", args=[episode.pk, meeting.pk])).status_code == 404
        )


# --- calendar feed -------------------------------------------------------------------------


def test_the_calendar_feed_shows_a_cancellation_with_a_new_sequence(client, referent_user):
    today = timezone.localdate()
    episode = episode_for(
        referent_user,
        contract_start=today - dt.timedelta(days=20),
        trial_end=today + dt.timedelta(days=3),
        contract_end=today + dt.timedelta(days=200),
    )
    meeting = MeetingFactory(episode=episode, starts_at=IN_TWO_DAYS, status=Status.PLANNED)
    client.force_login(referent_user)
    client.get(reverse("support:calendar_link"))
    feed = reverse("support:calendar_ics", args=[referent_user.calendar_feed_token.token])

    def event():
        body = client.get(feed).content.decode().replace("\r\n ", "")
        start = body.index(f"UID:meeting-{meeting.pk}@")
        return body[start : body.index("END:VEVENT", start)]

    assert "STATUS:CONFIRMED" in event() and "SEQUENCE:0" in event()
    services.cancel_meeting(meeting, "Indisponible")
    cancelled = event()
    assert "STATUS:CANCELLED" in cancelled and "SEQUENCE:1" in cancelled
    assert "SUMMARY:[Annulée]" in cancelled and "annulée." in cancelled
    assert "Indisponible" not in cancelled  # the reason typed stays in Tremplin (issue 12)


# --- API -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api():
    return TestClient(tremplin_api)


def test_the_api_lists_meetings_by_status_within_the_scope(api, referent_user, operator, episode):
    missed = MeetingFactory(episode=episode, status=Status.NO_SHOW)
    MeetingFactory(episode=episode)
    MeetingFactory(episode=episode_for(factories.referent(operator)), status=Status.NO_SHOW)
    body = api.get("/meetings?status=no_show", user=referent_user).json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == missed.pk
    assert body["results"][0]["status"] == "no_show"
    assert api.get("/meetings?status=absent", user=referent_user).status_code == 422


def test_the_api_changes_a_status_with_the_pages_checks(api, referent_user, operator, episode):
    meeting = MeetingFactory(episode=episode, status=Status.PLANNED)
    url = f"/meetings/{meeting.pk}"
    assert api.patch(url, json={"status": "no_show"}, user=referent_user).json()["status"] == (
        "no_show"
    )
    refused = api.patch(url, json={"status": "cancelled", "reason": ""}, user=referent_user)
    assert refused.status_code == 422
    assert "motif" in refused.json()["errors"]["status"][0]
    later = (IN_TWO_DAYS + dt.timedelta(days=1)).isoformat()
    moved = api.patch(
        url, json={"status": "rescheduled", "new_starts_at": later}, user=referent_user
    )
    assert moved.status_code == 200
    assert moved.json()["status"] == "planned" and moved.json()["id"] != meeting.pk
    meeting.refresh_from_db()
    assert meeting.status == Status.RESCHEDULED
    assert meeting.replaced_by_id == moved.json()["id"]
    outsider = factories.referent(operator)
    assert api.patch(url, json={"status": "held"}, user=outsider).status_code == 404


def test_the_api_creates_a_meeting_with_a_status(api, referent_user, episode):
    payload = {
        "starts_at": "2025-03-12T10:00:00+01:00",
        "duration_minutes": 60,
        "place": "company",
        "kind": "individual",
        "status": "excused",
        "status_reason": "Enfant malade",
    }
    response = api.post(f"/episodes/{episode.pk}/meetings", json=payload, user=referent_user)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "excused"
    assert episode.hours().used == dt.timedelta(0)  # excused: no hour used (A5)
