"""Tests: each message kept in ``tremplin.web.sms.outbox`` (like Django's locmem e-mail
backend)."""

from __future__ import annotations

import itertools

from tremplin.web import sms

from .. import SmsMessage, SmsResult
from .base import BaseSmsBackend

_numbers = itertools.count(1)


class SmsBackend(BaseSmsBackend):
    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        sms.outbox.extend(messages)
        return [SmsResult(SmsResult.SENT, provider_id=f"locmem-{next(_numbers)}") for _ in messages]
