"""Reads never wait for writers (docs/decisions.md, 25): a page runs without a transaction,
a writing request in one; on a SQLite file, pages answer while another process holds the
write lock, and concurrent writes queue (busy timeout) instead of failing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory

from tremplin.web.transactions import WriteTransactionMiddleware

ROOT = Path(__file__).resolve().parents[2]


def run_scenario(tmp_path, **env) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.web.concurrent_reads"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'reads.sqlite3'}", **env},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file's write lock")
def test_pages_answer_while_another_process_holds_the_write_lock(tmp_path):
    # A busy timeout of 2 s: a page that waited for the lock would fail after 2 s.
    outcome = run_scenario(tmp_path, TREMPLIN_SQLITE_BUSY_SECONDS="2")
    assert outcome["reads_under_lock"] == {"home": 200, "people": 200}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file's write lock")
def test_concurrent_writes_wait_for_the_lock_instead_of_failing(tmp_path):
    outcome = run_scenario(tmp_path)
    assert outcome["writes_while_locked"] == {
        "meeting 0": 302,
        "meeting 1": 302,
        "person file": 200,
    }
    assert outcome["meetings"] == 2
    assert outcome["audited_views"] == 1  # the read was recorded once the lock was free


def view_that_writes_then_fails(request):
    connection.cursor().execute(
        "INSERT INTO web_formsubmission (digest, path, result_url, "
        "created_at) VALUES ('x', '/x/', '', CURRENT_TIMESTAMP)"
    )
    raise RuntimeError("échec au milieu de l'enregistrement")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("method", ["post", "delete"])
def test_a_writing_request_runs_in_one_transaction(method):
    from tremplin.web.models import FormSubmission

    middleware = WriteTransactionMiddleware(lambda request: None)
    request = getattr(RequestFactory(), method)("/x/")
    with pytest.raises(RuntimeError):
        middleware.process_view(request, view_that_writes_then_fails, (), {})
    assert not FormSubmission.objects.exists()  # nothing half-written


@pytest.mark.django_db(transaction=True)
def test_only_a_writing_request_is_wrapped():
    seen = {}

    def page(request):
        seen["in_atomic_block"] = connection.in_atomic_block
        return "page"

    middleware = WriteTransactionMiddleware(lambda request: None)
    assert middleware.process_view(RequestFactory().get("/x/"), page, (), {}) is None
    post = RequestFactory().post("/x/")
    assert middleware.process_view(post, page, (), {}) == "page"
    assert seen["in_atomic_block"] is True
