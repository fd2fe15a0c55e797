"""Two clicks on the same form 50 ms apart, from two threads, while the first is saving.

``two_clicks`` runs in the test's own database when it allows concurrent connections
(PostgreSQL). An in-memory SQLite test database cannot wait for a lock (its shared cache
answers "table is locked" at once), so for SQLite the test runs this module as a program on
a SQLite *file*, configured as in production (WAL, immediate transactions)::

    DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.web.concurrent_clicks

It builds the schema from the models, makes a referent and a support, and prints the
outcome as JSON.
"""

from __future__ import annotations

import json
import re
import threading
import time

DELAY = 0.05  # seconds between the two clicks
SAVING = 0.3  # how long the first click's save takes


def _form(token: str) -> dict:
    return {
        "starts_at": "2025-03-12T10:00",
        "duration_minutes": "60",
        "place": "company",
        "kind": "individual",
        "participants": "",
        "report": "Premier entretien en entreprise.",
        "over_budget_reason": "",
        "status": "",
        "status_reason": "",
        "form_token": token,
    }


def two_clicks(episode, user) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tremplin.support import services
    from tremplin.support.models import Meeting

    url = reverse("support:meeting_create", args=[episode.pk])
    browser = Client()
    browser.force_login(user)
    page = browser.get(url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)

    save = services.save_meeting

    def save_slowly(form, **kwargs):
        time.sleep(SAVING)  # the first click is still saving when the second arrives
        return save(form, **kwargs)

    services.save_meeting = save_slowly
    responses: dict[str, tuple[int, str]] = {}

    def click(name: str) -> None:
        client = Client()
        client.cookies = browser.cookies  # the same browser clicked twice
        try:
            response = client.post(url, _form(token))
            responses[name] = (response.status_code, response.get("Location", ""))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=click, args=(name,)) for name in ("first", "second")]
        threads[0].start()
        time.sleep(DELAY)
        threads[1].start()
        for thread in threads:
            thread.join(20)
    finally:
        services.save_meeting = save
    return {
        "meetings": Meeting.objects.filter(episode=episode).count(),
        "responses": responses,
    }


def main() -> None:
    from tests.web.on_a_sqlite_file import a_referent_with_a_support

    episode, referent, _settings = a_referent_with_a_support()
    print(json.dumps(two_clicks(episode, referent)))


if __name__ == "__main__":
    main()
