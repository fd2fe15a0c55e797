"""Pages while another process writes: run as a program on a SQLite *file*, configured as in
production (WAL, immediate transactions for writing requests only, a busy timeout)::

    DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.web.concurrent_reads

An in-memory test database cannot show it (one connection, a shared cache that answers
"table is locked" at once): this module builds the schema from the models in the file, makes
a referent, a person and a support, then

1. **reads under a held write lock**: another connection (``sqlite3``, as another process
   would) runs ``BEGIN IMMEDIATE`` and an INSERT and does not commit; meanwhile the home page
   and the people list are loaded;
2. **writes queue**: the other connection holds its write transaction for ``HOLD`` seconds
   while two meetings are posted from two threads and the person's file (an audited read,
   which writes the audit log) is loaded; they wait for the lock (the busy timeout) instead
   of failing.

It prints the statuses and counts as JSON (see ``tests/web/test_transactions.py``).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time

HOLD = 1.0  # seconds the other connection keeps its write transaction in part 2


def _meeting_form(token: str, day: int) -> dict:
    return {
        "starts_at": f"2025-03-{day:02d}T10:00",
        "duration_minutes": "60",
        "place": "company",
        "kind": "individual",
        "participants": "",
        "report": "Entretien en entreprise.",
        "over_budget_reason": "",
        "status": "",
        "status_reason": "",
        "form_token": token,
    }


def _token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def _hold_write_lock(path: str) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO web_formsubmission (digest, path, result_url, created_at) "
        "VALUES ('held-by-another-process', '/ailleurs/', '', '2025-01-01 00:00:00')"
    )
    return other


def scenario(path: str, episode, user) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tremplin.accounts.models import AuditEntry
    from tremplin.support.models import Meeting

    browser = Client(raise_request_exception=False)
    browser.force_login(user)  # the session is written before the lock is taken
    pages = {
        "home": reverse("home"),
        "people": reverse("registry:beneficiary_list"),
    }
    create_url = reverse("support:meeting_create", args=[episode.pk])
    tokens = [_token(browser.get(create_url).content.decode()) for _ in range(2)]
    person_url = reverse("registry:beneficiary_detail", args=[episode.beneficiary_id])
    connection.close()
    outcome: dict = {"reads_under_lock": {}, "writes_while_locked": {}}

    # 1. Pages while another connection holds the write lock, uncommitted.
    other = _hold_write_lock(path)
    try:
        for name, url in pages.items():
            outcome["reads_under_lock"][name] = browser.get(url).status_code
        connection.close()
    finally:
        other.execute("ROLLBACK")
        other.close()

    # 2. Two posts and an audited read while the other connection writes for HOLD seconds.
    views_before = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count()
    connection.close()
    statuses = outcome["writes_while_locked"]

    def request(name: str, method: str, url: str, data=None) -> None:
        client = Client(raise_request_exception=False)
        client.cookies = browser.cookies
        try:
            response = client.post(url, data) if method == "post" else client.get(url)
            statuses[name] = response.status_code
        except Exception as error:  # noqa: BLE001 - reported in the outcome
            statuses[name] = repr(error)
        finally:
            connection.close()

    other = _hold_write_lock(path)
    threads = [
        threading.Thread(
            target=request, args=(f"meeting {i}", "post", create_url, _meeting_form(t, 10 + i))
        )
        for i, t in enumerate(tokens)
    ]
    threads.append(threading.Thread(target=request, args=("person file", "get", person_url)))
    for thread in threads:
        thread.start()
    time.sleep(HOLD)
    other.execute("COMMIT")
    other.close()
    for thread in threads:
        thread.join(60)
    outcome["meetings"] = Meeting.objects.filter(episode=episode).count()
    outcome["audited_views"] = (
        AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() - views_before
    )
    return outcome


def main() -> None:
    from tests.web.on_a_sqlite_file import a_referent_with_a_support

    episode, referent, settings = a_referent_with_a_support()
    path = str(settings.DATABASES["default"]["NAME"])
    print(json.dumps(scenario(path, episode, referent)))


if __name__ == "__main__":
    main()
