"""The load test of ``make bench``: the project's gunicorn on loopback, real logins, a mix.

Run by ``bench.run`` once the data is there: starts ``gunicorn -c gunicorn.conf.py
tremplin.wsgi`` on 127.0.0.1 (a free port) against the bench database, logs in through the
login page as a référent, a coordinator and a département agent (the bench accounts' shared
password), then sends a fixed number of requests (at most ``max_seconds``) from
``concurrency`` threads, round-robin over a mix of pages: home, people list, search by name,
a person's file (audited: each one writes the audit log), the indicators' dashboard.
Before the measure, ``WARMUP_ROUNDS`` rounds of the mix are sent untimed (at most
``WARMUP_SECONDS``): each gunicorn worker compiles its templates and opens its database
connection once after it starts, which a server running for hours does not pay per request
but a 600-request run would count (a fifth of the server's CPU on the bench machine).
Reports req/s, p50/p95/p99 per page and the errors (status ≥ 400 or no answer).

Then each page of the mix alone (``alone_rounds`` times, one request at a time, the server
otherwise idle): the p95 a user waits for that page. Under the mix, 8 clients without a pause
keep the 2 cores busy, so every answer also waits for the 7 others' work (the mean answer is
8 / the rate whatever the page): that p95 measures the mix's rate, which has its own budget.

The client runs on the same cores as the server: the CPU time each side spends per request
is reported too (the server's processes read from ``/proc``, the client's own), so that a
rate can be read against what the server alone costs. The budget is still judged on the
rate measured, client included.

Like a browser, the client sends a GET again once when the server closed a kept-alive
connection just as it was reused (gunicorn closes idle ones): the retry is counted and
reported (``retries``), never hidden; an answer with an error status is never retried.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/compte/connexion/"
YEAR = {"du": "2025-01-01", "au": "2025-12-31"}
# Rounds of the mix sent before the measure, untimed (each worker's first pages).
WARMUP_ROUNDS = 10
WARMUP_SECONDS = 30
# Requests of each page of the mix sent one at a time after the mix (their own p95).
ALONE_ROUNDS = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_cpu_seconds(group: int) -> float | None:
    """CPU time (user + system) of the live processes of process group ``group`` (the
    server started in its own session: gunicorn's arbiter and workers), from ``/proc``;
    None where there is no ``/proc``."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        # After the command's name in parentheses: state, ppid, pgrp, ... utime, stime
        # (fields 3, 4, 5, ... 14, 15 of proc(5)).
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def plan() -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The accounts (role → e-mail) and the mix (role, page name, path), from the data."""
    from django.urls import reverse

    from bench.registry import bench_users
    from tremplin.accounts.models import Membership, Role
    from tremplin.registry.models import Beneficiary

    users = bench_users()
    referent = users["référent·e"]
    coordinator = (
        Membership.objects.filter(role=Role.COORDINATOR)
        .select_related("user")
        .order_by("user__email")
        .first()
        .user
    )
    agent = users["agent du département"]
    accounts = {
        "référent·e": referent.email,
        "coordinateur·rice": coordinator.email,
        "agent du département": agent.email,
    }
    people = reverse("registry:beneficiary_list")
    mix: list[tuple[str, str, str]] = []
    for role, user in (
        ("référent·e", referent),
        ("coordinateur·rice", coordinator),
        ("agent du département", agent),
    ):
        visible = Beneficiary.objects.visible_to(user).order_by("last_name")
        person = visible.first()
        mix += [
            (role, "Accueil", "/"),
            (role, "Liste des personnes", people),
            (role, "Recherche par nom", f"{people}?{urlencode({'q': person.last_name})}"),
            (
                role,
                "Dossier d'une personne",
                reverse("registry:beneficiary_detail", args=[person.pk]),
            ),
        ]
    mix.append(
        (
            "agent du département",
            "Tableau de bord (année)",
            f"{reverse('outcomes:indicators')}?{urlencode(YEAR)}",
        )
    )
    return accounts, mix


def _session():
    """A client that, like a browser, sends a GET once more on a connection reset (a kept-alive
    connection closed by the server); statuses are never retried."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    retry = Retry(
        total=1, connect=1, read=1, status=0, other=0, allowed_methods={"GET"}, redirect=0
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    return session


def _retries_of(answer) -> int:
    retries = getattr(answer.raw, "retries", None)
    return len(retries.history) if retries is not None else 0


def _login(session, base: str, email: str, password: str) -> None:
    page = session.get(base + LOGIN, timeout=30).text
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', page))
    answer = session.post(
        base + LOGIN,
        data={**fields, "username": email, "password": password, "next": "/"},
        headers={"Referer": base + LOGIN},
        timeout=30,
        allow_redirects=False,
    )
    if answer.status_code != 302 or LOGIN in answer.headers.get("Location", ""):
        raise RuntimeError(f"login of {email} refused ({answer.status_code})")


def _wait_for(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before answering")
        try:
            if requests.get(base + "/sante/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def load_test(
    database_url: str,
    log_path: Path,
    *,
    requests_total: int = 600,
    concurrency: int = 8,
    max_seconds: float = 120,
    workers: int | None = None,
    warmup_rounds: int = WARMUP_ROUNDS,
    alone_rounds: int = ALONE_ROUNDS,
) -> dict:
    import requests

    from tremplin.demo.management.commands.generate_data import BENCH_PASSWORD

    accounts, mix = plan()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tremplin.settings",
        "TREMPLIN_LOCAL_KEYS": "1",
        "TREMPLIN_OTP_REQUIRED": "0",
        "TREMPLIN_ALLOWED_HOSTS": "127.0.0.1",
        "TREMPLIN_SECURE_COOKIES": "0",
        "TREMPLIN_GUNICORN_BIND": f"127.0.0.1:{port}",
        "TREMPLIN_GUNICORN_ACCESS_LOG": "",
    }
    if workers:
        env["TREMPLIN_GUNICORN_WORKERS"] = str(workers)
    log = open(log_path, "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "tremplin.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(base, server)
        sessions = {}
        for role, email in accounts.items():
            session = _session()
            _login(session, base, email, BENCH_PASSWORD)
            sessions[role] = session
        # One connection pool per thread and role (requests' sessions are not thread-safe).
        local = threading.local()

        def session_of(role: str):
            if not hasattr(local, "sessions"):
                local.sessions = {}
            if role not in local.sessions:
                session = _session()
                session.cookies.update(sessions[role].cookies)
                local.sessions[role] = session
            return local.sessions[role]

        lock = threading.Lock()
        timings: dict[tuple[str, str], list[float]] = defaultdict(list)
        errors: dict[tuple[str, str], list[str]] = defaultdict(list)
        retried: dict[tuple[str, str], int] = defaultdict(int)

        def run(count: int, deadline: float, timed: bool) -> None:
            work = itertools.islice(itertools.cycle(mix), count)

            def worker() -> None:
                while time.perf_counter() < deadline:
                    with lock:
                        item = next(work, None)
                    if item is None:
                        return
                    role, name, path = item
                    begin = time.perf_counter()
                    retries = 0
                    try:
                        answer = session_of(role).get(
                            base + path, timeout=60, allow_redirects=False
                        )
                        retries = _retries_of(answer)
                        problem = None if answer.status_code < 400 else str(answer.status_code)
                        if answer.status_code in (301, 302):
                            problem = f"{answer.status_code} → {answer.headers.get('Location')}"
                    except requests.RequestException as error:
                        problem = type(error).__name__
                    elapsed = (time.perf_counter() - begin) * 1000
                    with lock:
                        if not timed:
                            warmup_errors.extend([problem] if problem else [])
                            continue
                        timings[(role, name)].append(elapsed)
                        retried[(role, name)] += retries
                        if problem:
                            errors[(role, name)].append(problem)

            threads = [threading.Thread(target=worker) for _ in range(concurrency)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        # Untimed: the workers compile their templates and open their connections, as a
        # server does once after it starts, not at every request.
        warmup_errors: list[str] = []
        run(warmup_rounds * len(mix), time.perf_counter() + WARMUP_SECONDS, timed=False)
        server_cpu_before = group_cpu_seconds(server.pid)
        client_cpu_before = time.process_time()
        started = time.perf_counter()
        run(requests_total, started + max_seconds, timed=True)
        wall = time.perf_counter() - started
        client_cpu = time.process_time() - client_cpu_before
        server_cpu_after = group_cpu_seconds(server.pid)
        server_cpu = (
            server_cpu_after - server_cpu_before
            if server_cpu_before is not None and server_cpu_after is not None
            else None
        )
        alone = one_at_a_time(base, mix, sessions, alone_rounds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    done = sum(len(values) for values in timings.values())
    everything = [value for values in timings.values() for value in values]
    pages = [
        {
            "role": role,
            "page": name,
            "requests": len(values),
            "errors": len(errors[(role, name)]),
            "error_kinds": sorted(set(errors[(role, name)])),
            "retries": retried[(role, name)],
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
        }
        for (role, name), values in timings.items()
    ]
    return {
        "requests": done,
        "planned": requests_total,
        "warmup_requests": warmup_rounds * len(mix),
        "warmup_errors": len(warmup_errors),
        "concurrency": concurrency,
        "gunicorn_workers": workers or "gunicorn.conf.py",
        "seconds": round(wall, 2),
        "requests_per_second": round(done / wall, 1) if wall else None,
        "errors": sum(page["errors"] for page in pages),
        "retries": sum(page["retries"] for page in pages),
        "p50_ms": round(statistics.median(everything), 1) if everything else None,
        "p95_ms": round(percentile(everything, 0.95), 1) if everything else None,
        "p99_ms": round(percentile(everything, 0.99), 1) if everything else None,
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "server_cpu_ms_per_request": (
            round(server_cpu * 1000 / done, 1) if done and server_cpu is not None else None
        ),
        "client_cpu_ms_per_request": round(client_cpu * 1000 / done, 1) if done else None,
        "pages": pages,
        "alone": alone,
    }


def one_at_a_time(base: str, mix, sessions: dict, rounds: int) -> list[dict]:
    """Each page of the mix ``rounds`` times in a row, one request at a time: its p50/p95
    when the server serves nobody else. An error is counted as in the mix."""
    import requests

    rows = []
    for role, name, path in mix:
        session = sessions[role]
        values, problems = [], []
        for _ in range(rounds):
            begin = time.perf_counter()
            try:
                answer = session.get(base + path, timeout=60, allow_redirects=False)
                if answer.status_code >= 300:
                    problems.append(str(answer.status_code))
            except requests.RequestException as error:
                problems.append(type(error).__name__)
            values.append((time.perf_counter() - begin) * 1000)
        rows.append(
            {
                "role": role,
                "page": name,
                "requests": len(values),
                "errors": len(problems),
                "p50_ms": round(statistics.median(values), 1) if values else None,
                "p95_ms": round(percentile(values, 0.95), 1) if values else None,
            }
        )
    return rows
