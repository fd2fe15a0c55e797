"""The load test's CPU accounting (``bench.load.group_cpu_seconds``): the CPU time of the
server's process group, read from ``/proc``, printed next to the rate by ``make bench``; and
its pages sent one at a time after the mix (``bench.load.one_at_a_time``)."""

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.load import group_cpu_seconds, one_at_a_time

# Spends 1 s of its own CPU, says so, then waits: its CPU time is then known.
BURN = """
import sys, time
while time.process_time() < 1:
    pass
print("burnt", flush=True)
sys.stdin.readline()
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="lit /proc (Linux)")
def test_the_cpu_of_a_process_group_is_its_own():
    child = subprocess.Popen(
        [sys.executable, "-c", BURN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a group of its own, as the bench starts gunicorn
    )
    try:
        assert child.stdout.readline().strip() == "burnt"
        spent = group_cpu_seconds(child.pid)
        # The 1 s it burnt, as /proc's clock ticks sample it (user and system time are
        # charged by tick: a few hundredths may go either way); the interpreter's start
        # adds some, not seconds.
        assert 0.8 <= spent < 4
        # The test's own process is in another group: not counted there.
        assert group_cpu_seconds(child.pid + 10_000_000) == 0
    finally:
        child.communicate("\n", timeout=30)


class Pages(BaseHTTPRequestHandler):
    """« /lent/ » answers after 30 ms, « /casse/ » with a 500, anything else at once; each
    request is counted by path."""

    seen: dict[str, int] = {}

    def do_GET(self):
        Pages.seen[self.path] = Pages.seen.get(self.path, 0) + 1
        if self.path == "/lent/":
            threading.Event().wait(0.03)
        self.send_response(500 if self.path == "/casse/" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_each_page_alone_is_timed_and_its_errors_counted():
    import requests

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Pages.seen = {}
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        mix = [("r", "Lente", "/lent/"), ("r", "Vive", "/vif/"), ("a", "Cassée", "/casse/")]
        rows = one_at_a_time(base, mix, {"r": requests.Session(), "a": requests.Session()}, 5)
    finally:
        server.shutdown()
        server.server_close()
    by_page = {row["page"]: row for row in rows}
    assert Pages.seen == {"/lent/": 5, "/vif/": 5, "/casse/": 5}
    assert by_page["Lente"]["requests"] == 5 and by_page["Lente"]["errors"] == 0
    assert by_page["Lente"]["p95_ms"] >= 30  # each waited its 30 ms
    assert by_page["Vive"]["p50_ms"] < by_page["Lente"]["p50_ms"]
    assert by_page["Cassée"]["errors"] == 5
