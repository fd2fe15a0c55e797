"""The personal link (public, no account): confirm or ask for another slot, once; an
expired, reused, forged or another person's link is refused with a French page."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.invitations.factories import planned, running_support
from tremplin.invitations import services
from tremplin.invitations.models import Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(referent_user):
    return services.invite_to_meeting(planned(running_support(referent_user), days=7), ["email"])


def link(invitation, now=None):
    return invitation.link_path(now)


def page(response) -> str:
    return response.content.decode()


def test_the_link_in_the_e_mail_opens_the_appointment_without_an_account(invitation):
    [email] = mail.outbox
    path = re.search(r"(/rdv/\d+/[^/\s]+/)", email.body).group(1)
    response = Client().get(path)
    assert response.status_code == 200
    assert "Votre rendez-vous" in page(response)
    assert "Je confirme ma présence" in page(response)
    assert 'name="form_token"' in page(response)  # public forms are sent once too


def test_confirming_then_the_link_is_used(invitation):
    client = Client()
    response = client.post(link(invitation), {"answer": "confirmed", "note": ""})
    assert response.status_code == 200
    assert "Votre présence est confirmée" in page(response)
    invitation.refresh_from_db()
    assert invitation.answer == "confirmed" and invitation.answered_at is not None
    again = Client().get(link(invitation))
    assert again.status_code == 410
    assert "Vous avez déjà répondu" in page(again)
    reposted = Client().post(link(invitation), {"answer": "other_slot", "note": "lundi"})
    assert reposted.status_code == 410
    invitation.refresh_from_db()
    assert invitation.answer == "confirmed"


def test_asking_another_slot_keeps_what_was_typed_when_incomplete(invitation, referent_user):
    url = link(invitation)
    refused = Client().post(url, {"answer": "other_slot", "note": ""})
    assert refused.status_code == 200
    assert "Indiquez vos disponibilités" in page(refused)
    mail.outbox.clear()
    done = Client().post(url, {"answer": "other_slot", "note": "Mardi matin"})
    assert "transmise à votre référent" in page(done)
    assert mail.outbox[0].to == [referent_user.email]


def test_an_expired_link_is_refused(invitation):
    # 30 days of validity (link_valid_days): a link issued 31 days ago no longer works.
    old = link(invitation, timezone.now() - dt.timedelta(days=31))
    response = Client().get(old)
    assert response.status_code == 410
    assert "Ce lien a expiré" in page(response)


def test_a_link_stops_when_the_appointment_begins(invitation):
    url = link(invitation)
    later = invitation.meeting.starts_at + dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = Client().get(url)
    assert response.status_code == 410


def test_a_link_of_a_cancelled_appointment_is_refused(invitation):
    from tremplin.support import services as meetings

    meetings.cancel_meeting(invitation.meeting, "Fermeture")
    assert Client().get(link(Invitation.objects.get(pk=invitation.pk))).status_code == 410


def test_another_person_s_link_is_refused(invitation, referent_user):
    other = services.invite_to_meeting(planned(running_support(referent_user), days=8), ["email"])
    token = invitation.link_token()
    crossed = reverse("invitation_link:answer", args=[other.pk, token])
    response = Client().get(crossed)
    assert response.status_code == 404
    assert "ce n&#x27;est pas le vôtre" in page(response)
    posted = Client().post(crossed, {"answer": "confirmed"})
    assert posted.status_code == 404
    other.refresh_from_db()
    assert other.answer == ""


def test_a_forged_or_revoked_link_is_refused(invitation):
    forged = reverse("invitation_link:answer", args=[invitation.pk, f"{invitation.pk}.1.a.1:abc"])
    assert Client().get(forged).status_code == 404
    url = link(invitation)
    invitation.link_nonce = "nouveau"
    invitation.save()
    assert Client().get(url).status_code == 404  # a new nonce voids the earlier links


def _link_in(message) -> str:
    return re.search(r"(/rdv/\d+/[^/\s]+/)", message.body).group(1)


def test_a_meeting_moved_after_the_answer_is_answered_again_through_the_link(invitation):
    """F8: the person asked for another slot; the référent moves the meeting; the « nouvelle
    date » message asks them to confirm: their link serves again, once, for the new date."""
    from tests.invitations.factories import in_days
    from tremplin.rules.calendar import to_paris
    from tremplin.support import services as meetings

    first = Client().post(link(invitation), {"answer": "other_slot", "note": "Mardi matin"})
    assert first.status_code == 200
    assert Client().get(link(invitation)).status_code == 410  # answered for this date
    new_date = in_days(12)
    meetings.reschedule_meeting(invitation.meeting, new_date, reason="À la demande")
    mail.outbox.clear()
    run = services.run_daily(to_paris(timezone.now()).date(), timezone.now(), send_them=True)
    assert [message.kind for message in run.sent] == ["update"]
    [update] = mail.outbox
    assert "Merci de confirmer votre présence" in update.body
    path = _link_in(update)

    opened = Client().get(path)
    assert opened.status_code == 200
    assert "Je confirme ma présence" in page(opened)
    moved = Invitation.objects.get(pk=invitation.pk)
    assert moved.answer == "other_slot" and not moved.answer_stands
    assert "déplacé depuis" in moved.answer_display()

    done = Client().post(path, {"answer": "confirmed", "note": ""})
    assert done.status_code == 200
    assert "Votre présence est confirmée" in page(done)
    moved.refresh_from_db()
    assert moved.answer == "confirmed" and moved.answer_stands
    assert moved.answered_for == new_date
    again = Client().post(path, {"answer": "other_slot", "note": "Jeudi"})
    assert again.status_code == 410
    assert "Vous avez déjà répondu" in page(again)
    moved.refresh_from_db()
    assert moved.answer == "confirmed"


def test_the_answer_records_the_date_it_was_given_about(invitation):
    services.respond(invitation, "confirmed")
    invitation.refresh_from_db()
    assert invitation.answered_for == invitation.meeting.starts_at
    with pytest.raises(ValidationError):
        services.respond(invitation, "other_slot", "lundi")


def test_the_invitations_awaiting_an_answer_include_those_answered_before_a_move(
    invitation, referent_user
):
    from tests.invitations.factories import in_days
    from tremplin.support import services as meetings

    kept = services.invite_to_meeting(planned(running_support(referent_user), days=9), ["email"])
    services.respond(kept, "confirmed")
    services.respond(invitation, "confirmed")
    assert set(Invitation.objects.awaiting_answer()) == set()
    meetings.reschedule_meeting(invitation.meeting, in_days(14), reason="Salle prise")
    assert list(Invitation.objects.awaiting_answer()) == [invitation]
    services.respond(Invitation.objects.get(pk=invitation.pk), "confirmed")
    assert list(Invitation.objects.awaiting_answer()) == []


def test_a_request_for_another_slot_dealt_with_by_a_move_is_no_longer_one(
    invitation, referent_user
):
    from tests.invitations.factories import in_days
    from tremplin.support import services as meetings

    services.respond(invitation, "other_slot", "Mardi matin")
    assert list(Invitation.objects.asking_another_slot()) == [invitation]
    meetings.reschedule_meeting(invitation.meeting, in_days(14), reason="À sa demande")
    assert list(Invitation.objects.asking_another_slot()) == []
    # Asked again about the new date: a request again.
    services.respond(Invitation.objects.get(pk=invitation.pk), "other_slot", "Jeudi")
    assert list(Invitation.objects.asking_another_slot()) == [invitation]


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_personal_page_is_never_kept_by_a_cache(invitation):
    """The page greets the person by name and gives the appointment, to a visitor without an
    account (the no-store of signed-in pages does not cover it): no browser or proxy cache
    keeps it, nor the refusal pages, nor the thanks."""
    visitor = Client()
    opened = visitor.get(link(invitation))
    assert opened.status_code == 200 and no_store(opened)
    assert invitation.beneficiary.last_name in page(opened)
    answered = visitor.post(link(invitation), {"answer": "confirmed", "note": ""})
    assert "Votre présence est confirmée" in page(answered) and no_store(answered)
    used = visitor.get(link(invitation))
    assert used.status_code == 410 and no_store(used)
    forged = visitor.get(f"/rdv/{invitation.pk}/faux-jeton/")
    assert forged.status_code == 404 and no_store(forged)
