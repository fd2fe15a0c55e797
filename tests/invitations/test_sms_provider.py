"""Invitations by SMS through the HTTP provider backend, against a fake provider started on
127.0.0.1: the message sent, its provider identifier kept, then the provider's delivery
report posted back to Tremplin's webhook (authenticated by the shared secret)."""

import base64
import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.invitations.factories import planned, running_support
from tests.web.fake_sms_provider import FakeSmsProvider
from tremplin.invitations import services
from tremplin.invitations.models import SentMessage

SECRET = "secret-partage-de-test"


@pytest.fixture
def provider(settings):
    with FakeSmsProvider() as running:
        settings.TREMPLIN_SMS_BACKEND = "tremplin.web.sms.backends.http.SmsBackend"
        settings.TREMPLIN_SMS_API_URL = running.url
        settings.TREMPLIN_SMS_API_KEY = running.api_key
        settings.TREMPLIN_SMS_SENDER = "CD67"
        settings.TREMPLIN_SMS_WEBHOOK_SECRET = SECRET
        yield running


def invite_by_sms(referent_user):
    meeting = planned(running_support(referent_user), days=7)
    return services.invite_to_meeting(meeting, ["sms"])


@pytest.mark.django_db(transaction=True)
def test_the_provider_sends_then_reports_the_delivery(
    provider, referent_user, live_server, settings
):
    settings.TREMPLIN_SMS_WEBHOOK_URL = (
        f"{live_server.url.replace('http://', f'http://tremplin:{SECRET}@')}"
        + reverse("invitations:sms_report")
    )
    invitation = invite_by_sms(referent_user)
    [request] = provider.sent()
    assert request.body["recipient"] == "33612345678"
    assert request.body["sender"] == "CD67"
    assert f"/rdv/{invitation.pk}/" in request.body["content"]
    message = SentMessage.objects.get(invitation=invitation)
    assert (message.status, message.provider_id) == ("sent", str(request.message_id))

    answer = provider.deliver(request.message_id, "delivered")
    assert answer.status_code == 200, answer.text
    message.refresh_from_db()
    assert message.status == "delivered" and message.status_at is not None
    assert message.delivery_report["msg_status"] == "delivered"

    assert provider.deliver(request.message_id, "hard_bounce").status_code == 200
    message.refresh_from_db()
    assert message.status == "failed" and "hard_bounce" in message.error


@pytest.mark.django_db
def test_a_provider_refusal_is_kept_and_retried_by_the_job(provider, referent_user):
    provider.fail_next = True
    invitation = invite_by_sms(referent_user)
    message = SentMessage.objects.get(invitation=invitation)
    assert message.status == "failed" and "HTTP 500" in message.error
    services.run_daily(
        timezone.localdate(), timezone.now() + dt.timedelta(minutes=5), send_them=True
    )
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2


def report(message_id="1511882900176220", status="delivered"):
    return json.dumps({"messageId": int(message_id), "msg_status": status, "date": "x"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer mauvais", "Basic " + base64.b64encode(b"tremplin:mauvais").decode(), "Basic %%%"],
)
def test_the_webhook_refuses_a_report_without_the_secret(provider, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = Client().post(
        reverse("invitations:sms_report"), report(), content_type="application/json", **headers
    )
    assert response.status_code == 401
    assert "Secret partagé" in response.json()["detail"]


@pytest.mark.django_db
def test_the_webhook_takes_a_bearer_token_and_says_what_it_cannot_read(provider, referent_user):
    invitation = invite_by_sms(referent_user)
    message = SentMessage.objects.get(invitation=invitation)
    url = reverse("invitations:sms_report")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {SECRET}"}
    ok = Client().post(url, report(message.provider_id), content_type="application/json", **bearer)
    assert ok.status_code == 200 and ok.json() == {"statut": "delivered", "messages": 1}
    unknown = Client().post(url, report("42"), content_type="application/json", **bearer)
    assert unknown.status_code == 404
    garbled = Client().post(url, "pas du json", content_type="application/json", **bearer)
    assert garbled.status_code == 400 and "JSON" in garbled.json()["detail"]
    empty = Client().post(url, "{}", content_type="application/json", **bearer)
    assert empty.status_code == 400


@pytest.mark.django_db
def test_without_a_configured_secret_no_report_is_accepted(provider, settings):
    settings.TREMPLIN_SMS_WEBHOOK_SECRET = ""
    response = Client().post(
        reverse("invitations:sms_report"),
        report(),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer ",
    )
    assert response.status_code == 401
