"""What every SMS backend offers: ``send_messages`` (one result per message, in order), a
context manager opening one connection for a batch, and the reading of delivery reports."""

from __future__ import annotations

from .. import DeliveryReport, SmsMessage, SmsResult


class BaseSmsBackend:
    #: Whether the provider calls back with delivery reports (the HTTP backend does).
    reports_delivery = False

    def __init__(self, **kwargs):
        self.options = kwargs

    def open(self) -> None:
        """Open what a batch shares (a connection); nothing by default."""

    def close(self) -> None:
        """Close it."""

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        raise NotImplementedError

    def parse_report(self, payload: dict) -> DeliveryReport | None:
        """The delivery report in a provider's callback, or None when it has none."""
        return None
