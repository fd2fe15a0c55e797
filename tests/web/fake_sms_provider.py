"""A fake SMS provider on 127.0.0.1, answering like Brevo's transactional SMS API.

Started by a test (``with FakeSmsProvider() as provider``), it listens on a free port,
records every request (path, headers, JSON body, the client's port: one port for a batch
sent over one connection), and answers:

- ``POST /v3/transactionalSMS/sms`` with the ``api-key`` it was given:
  ``201 {"reference", "messageId", "smsCount", "usedCredits", "remainingCredits"}``;
- without the key, or with another: ``401 {"code": "unauthorized", "message": "Key not found"}``;
- a recipient that is not digits only: ``400 {"code": "invalid_parameter", ...}``;
- when ``fail_next`` is set, ``500`` once.

``deliver(message_id, status)`` plays the provider's delivery report: a POST of
``{"id", "to", "messageId", "msg_status", "date", "reference", "type"}`` to the message's
``webUrl``, with basic authentication from the URL's ``user:password@`` when it has one.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, urlunsplit

import requests

PATH = "/v3/transactionalSMS/sms"


@dataclass
class Received:
    path: str
    headers: dict
    body: dict
    client_port: int
    message_id: int | None = None
    reference: str = ""


@dataclass
class FakeSmsProvider:
    api_key: str = "cle-de-test"
    requests: list[Received] = field(default_factory=list)
    fail_next: bool = False

    def __post_init__(self):
        self._ids = itertools.count(1511882900176220)
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: a batch shares one connection

            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode(errors="replace")}
                received = Received(
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    self.client_address[1],
                )
                with provider._lock:
                    provider.requests.append(received)
                if self.path != PATH:
                    return self._answer(404, {"code": "not_found", "message": "Not found"})
                if self.headers.get("api-key") != provider.api_key:
                    return self._answer(401, {"code": "unauthorized", "message": "Key not found"})
                if provider.fail_next:
                    provider.fail_next = False
                    return self._answer(500, {"code": "internal_error", "message": "Boom"})
                recipient = str(body.get("recipient", ""))
                if not recipient.isdigit() or not body.get("sender") or not body.get("content"):
                    return self._answer(
                        400,
                        {"code": "invalid_parameter", "message": "recipient must be digits"},
                    )
                received.message_id = next(provider._ids)
                received.reference = uuid.uuid4().hex[:19]
                return self._answer(
                    201,
                    {
                        "reference": received.reference,
                        "messageId": received.message_id,
                        "smsCount": 1,
                        "usedCredits": 0.7,
                        "remainingCredits": 82.85,
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address
        return f"http://{host}:{port}{PATH}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()

    def sent(self) -> list[Received]:
        return [r for r in self.requests if r.message_id is not None]

    def deliver(self, message_id: int, status: str = "delivered") -> requests.Response:
        """The provider's delivery report of a message, posted to its ``webUrl``."""
        original = next(r for r in self.requests if r.message_id == message_id)
        parts = urlsplit(original.body["webUrl"])
        headers = {"Content-Type": "application/json"}
        if parts.password is not None:
            secret = f"{parts.username or ''}:{parts.password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(secret).decode()
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        target = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        report = {
            "id": 26570,
            "to": original.body["recipient"],
            "sms_count": 1,
            "credits_used": 0.7,
            "messageId": message_id,
            "remaining_credit": 82.15,
            "msg_status": status,
            "date": "2026-03-17 09:00:05",
            "type": "transactional",
            "reference": original.reference,
            "tag": original.body.get("tag", ""),
        }
        return requests.post(target, json=report, headers=headers, timeout=10)
