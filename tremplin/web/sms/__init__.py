"""Text messages through a pluggable backend, as Django sends e-mail (DESIGN.md: no provider
SDK in the core).

``TREMPLIN_SMS_BACKEND`` names the backend class (like ``EMAIL_BACKEND``):

- ``tremplin.web.sms.backends.console.SmsBackend`` (development default): printed;
- ``tremplin.web.sms.backends.file.SmsBackend``: written to ``TREMPLIN_SMS_FILE_PATH``;
- ``tremplin.web.sms.backends.locmem.SmsBackend`` (tests): kept in ``sms.outbox``;
- ``tremplin.web.sms.backends.http.SmsBackend`` (production): a provider's HTTP API, set by
  environment variables (see that module), with its delivery reports.

Numbers are checked and written in E.164 by ``phone.to_e164`` before any backend sees them.
A backend never raises for one refused message: each message gets an ``SmsResult`` (sent,
with the provider's identifier, or failed, with the reason in French), so that a batch goes
on and every message is kept with its own status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "tremplin.web.sms.backends.console.SmsBackend"

# Filled by the locmem backend (tests), like django.core.mail.outbox.
outbox: list[SmsMessage] = []


@dataclass
class SmsMessage:
    to: str  # E.164, e.g. +33612345678
    body: str
    reference: str = ""  # ours, e.g. "invitation-12-reminder-3", given to the provider as a tag


@dataclass
class SmsResult:
    """What became of one message: ``status`` "sent" or "failed"."""

    status: str
    provider_id: str = ""
    error: str = ""

    SENT = "sent"
    FAILED = "failed"

    @property
    def sent(self) -> bool:
        return self.status == self.SENT


@dataclass
class DeliveryReport:
    """A provider's delivery report, read by the backend that sent the message."""

    provider_id: str
    status: str  # "sent", "delivered" or "failed"
    detail: str = ""


def backend_path() -> str:
    return getattr(settings, "TREMPLIN_SMS_BACKEND", "") or DEFAULT_BACKEND


def get_backend(path: str | None = None, **kwargs):
    """An instance of the configured backend (or of ``path``)."""
    return import_string(path or backend_path())(**kwargs)


def send_messages(messages: list[SmsMessage]) -> list[SmsResult]:
    """Send a batch through the configured backend, one connection for the batch."""
    with get_backend() as backend:
        return backend.send_messages(messages)
