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

os.environ.setdefault("TREMPLIN_LOCAL_KEYS", "1")

from tremplin.settings import *  # noqa: E402, F403

TREMPLIN_OTP_REQUIRED = False
TREMPLIN_AUDIT_PURGE_ALLOWED = True
