"""Settings of the test suite: the project's settings, with what tests need.

- Keys: generated once into var/ like on a development machine (TREMPLIN_LOCAL_KEYS, set in
  the environment so that the commands the tests run in a subprocess find them too).
- The second factor is not required by default: the tests of other areas log in with
  ``client.force_login`` (a login that skipped both factors); the tests of accounts and the
  browser tests turn it on (``settings.TREMPLIN_OTP_REQUIRED = True``).
- The audit log's no-DELETE trigger lets the flush between transactional tests through on
  SQLite (PostgreSQL's TRUNCATE does not fire it); its test turns the switch off.
"""

import os
from pathlib import Path

os.environ.setdefault("TREMPLIN_LOCAL_KEYS", "1")
# The commands some tests run in a subprocess inherit DJANGO_SETTINGS_MODULE=tests.settings:
# they must find this package wherever they start.
_ROOT = str(Path(__file__).resolve().parents[1])
os.environ["PYTHONPATH"] = os.pathsep.join(
    [_ROOT, *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != _ROOT)]
)

from tremplin.settings import *  # noqa: E402, F403

TREMPLIN_OTP_REQUIRED = False
TREMPLIN_AUDIT_PURGE_ALLOWED = True
# Jobs run at once, in the request, unless a test starts a real worker
# (TREMPLIN_HUEY_IMMEDIATE=0 in its subprocess, see tests/web/job_worker.py).
HUEY = {**HUEY, "immediate": env_bool("TREMPLIN_HUEY_IMMEDIATE", True)}  # noqa: F405
# Each test reads the dashboard's numbers as its rows stand (tests/outcomes/test_indicator_cache.py
# turns the cache on).
TREMPLIN_INDICATORS_CACHE_SECONDS = 0
# The cache in each test process's memory, emptied before each test (tests/conftest.py): the
# shared files under var/cache/ would carry copies from one test's rows to another's.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The navigation's badge counted on each page (tests/web/test_badge_cache.py turns the copy on).
TREMPLIN_BADGE_CACHE_SECONDS = 0
# The work queues read on each load (tests/web/test_kept.py turns the copies on).
TREMPLIN_QUEUE_CACHE_SECONDS = 0
