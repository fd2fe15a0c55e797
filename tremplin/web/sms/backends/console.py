"""Development: each message printed on the standard output (like Django's console e-mail
backend)."""

from __future__ import annotations

import sys
import threading

from .. import SmsMessage, SmsResult
from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    _lock = threading.Lock()

    def __init__(self, stream=None, **kwargs):
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        with self._lock:
            for message in messages:
                self.stream.write(f"SMS à {message.to} ({message.reference}) :\n{message.body}\n")
                self.stream.write("-" * 72 + "\n")
            self.stream.flush()
        return [SmsResult(SmsResult.SENT, provider_id=f"console-{m.reference}") for m in messages]
