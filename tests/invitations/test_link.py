"""The personal link (public, no account): confirm or ask for another slot, once; an
expired, reused, forged or another person's link is refused with a French page."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core import mail
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
