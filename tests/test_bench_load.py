"""The load test's CPU accounting (``bench.load.group_cpu_seconds``): the CPU time of the
server's process group, read from ``/proc``, printed next to the rate by ``make bench``."""

import subprocess
import sys
from pathlib import Path

import pytest

from bench.load import group_cpu_seconds

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
