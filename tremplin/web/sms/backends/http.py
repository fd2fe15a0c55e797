"""Production: a provider's HTTP API for transactional SMS, shaped after Brevo's (a French
provider; OVH's and others' are alike): one POST per message, JSON, an API key in a header.

Configuration, from the environment (settings ``TREMPLIN_SMS_*``):

- ``TREMPLIN_SMS_API_URL``: the sending endpoint (default Brevo's
  ``https://api.brevo.com/v3/transactionalSMS/sms``);
- ``TREMPLIN_SMS_API_KEY``: the key, sent in the ``api-key`` header (required);
- ``TREMPLIN_SMS_SENDER``: the sender's name shown on the phone (at most 11 letters or
  digits; ``Tremplin`` by default);
- ``TREMPLIN_SMS_WEBHOOK_URL``: where the provider posts its delivery reports (Tremplin's
  ``/invitations/sms/rapport/``, with the shared secret as ``user:secret@`` or configured
  as a bearer token at the provider; see ``TREMPLIN_SMS_WEBHOOK_SECRET``), sent as
  ``webUrl`` with each message; empty: no report asked;
- ``TREMPLIN_SMS_TIMEOUT``: seconds before a call is given up (10).

The request: ``{"type": "transactional", "sender", "recipient": "33612345678", "content",
"tag", "webUrl", "unicodeEnabled": true}``; the answer ``201 {"messageId": 123, ...}`` gives
the provider's identifier. A delivery report is ``{"messageId": 123, "msg_status":
"delivered" | "sent" | "accepted" | "soft_bounce" | "hard_bounce" | ..., "date": ...}``.
"""

from __future__ import annotations

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .. import DeliveryReport, SmsMessage, SmsResult
from .base import BaseSmsBackend

DEFAULT_URL = "https://api.brevo.com/v3/transactionalSMS/sms"
# The provider's statuses, in ours.
REPORT_STATUSES = {
    "sent": "sent",
    "accepted": "sent",
    "delivered": "delivered",
    "soft_bounce": "failed",
    "softbounce": "failed",
    "hard_bounce": "failed",
    "hardbounce": "failed",
    "rejected": "failed",
    "skip": "failed",
    "blacklisted": "failed",
}


class SmsBackend(BaseSmsBackend):
    reports_delivery = True

    def __init__(self, api_url=None, api_key=None, sender=None, webhook_url=None, timeout=None):
        super().__init__()
        self.api_url = api_url or getattr(settings, "TREMPLIN_SMS_API_URL", "") or DEFAULT_URL
        self.api_key = api_key or getattr(settings, "TREMPLIN_SMS_API_KEY", "")
        self.sender = sender or getattr(settings, "TREMPLIN_SMS_SENDER", "") or "Tremplin"
        self.webhook_url = webhook_url or getattr(settings, "TREMPLIN_SMS_WEBHOOK_URL", "")
        self.timeout = float(timeout or getattr(settings, "TREMPLIN_SMS_TIMEOUT", 10) or 10)
        self.session = None
        if not self.api_key:
            raise ImproperlyConfigured(
                "TREMPLIN_SMS_API_KEY est vide : la clé du fournisseur de SMS est nécessaire "
                "pour envoyer des SMS par son API."
            )

    def open(self) -> None:
        if self.session is None:
            self.session = requests.Session()
            self.session.headers.update(
                {
                    "api-key": self.api_key,
                    "accept": "application/json",
                    "content-type": "application/json",
                }
            )

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def _payload(self, message: SmsMessage) -> dict:
        payload = {
            "type": "transactional",
            "sender": self.sender,
            "recipient": message.to.removeprefix("+"),
            "content": message.body,
            "tag": message.reference,
            "unicodeEnabled": True,
        }
        if self.webhook_url:
            payload["webUrl"] = self.webhook_url
        return payload

    def _send(self, message: SmsMessage) -> SmsResult:
        try:
            response = self.session.post(
                self.api_url, json=self._payload(message), timeout=self.timeout
            )
        except requests.RequestException as error:
            return SmsResult(
                SmsResult.FAILED,
                error=f"Le fournisseur de SMS ne répond pas ({type(error).__name__}) : le "
                "message sera réessayé au prochain passage.",
            )
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code in (200, 201, 202) and body.get("messageId") is not None:
            return SmsResult(SmsResult.SENT, provider_id=str(body["messageId"]))
        detail = body.get("message") or body.get("code") or response.reason
        return SmsResult(
            SmsResult.FAILED,
            error=f"Le fournisseur de SMS a refusé le message (HTTP {response.status_code} : "
            f"{detail}).",
        )

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        opened = self.session is None
        self.open()
        try:
            return [self._send(message) for message in messages]
        finally:
            if opened:
                self.close()

    def parse_report(self, payload: dict) -> DeliveryReport | None:
        identifier = payload.get("messageId") if isinstance(payload, dict) else None
        status = str(payload.get("msg_status") or payload.get("event") or "").lower()
        if identifier is None or not status:
            return None
        return DeliveryReport(
            provider_id=str(identifier),
            status=REPORT_STATUSES.get(status, "sent"),
            detail=f"{status} ({payload.get('date', '')})".strip(),
        )
