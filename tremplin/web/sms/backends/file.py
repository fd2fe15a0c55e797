"""Development: each batch written to a file of ``TREMPLIN_SMS_FILE_PATH`` (a directory;
``var/sms/`` by default), like Django's file e-mail backend."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.conf import settings

from .. import SmsMessage, SmsResult
from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, file_path=None, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(
            file_path or getattr(settings, "TREMPLIN_SMS_FILE_PATH", "") or settings.VAR_DIR / "sms"
        )

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        if not messages:
            return []
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}-{id(self)}.log"
        with (self.directory / name).open("a", encoding="utf-8") as handle:
            for message in messages:
                handle.write(f"To: {message.to}\nReference: {message.reference}\n\n")
                handle.write(message.body + "\n" + "-" * 72 + "\n")
        return [SmsResult(SmsResult.SENT, provider_id=f"file-{m.reference}") for m in messages]
