"""Per-connection setup of SQLite: the functions the audit log's triggers ask (migrations
0003 and 0005), and the one privileged path that may rewrite audit rows.

The audit log is append-only. Two exceptions, each asked by a trigger:

- the purge (``TREMPLIN_AUDIT_PURGE_ALLOWED``: the test suite's flush between tests, as
  PostgreSQL's TRUNCATE): ``tremplin_audit_purge_allowed()``;
- the pseudonymisation of a person's rows when their file is anonymised (``audit_rewrite``,
  used by ``audit.pseudonymise`` only): within it, an UPDATE may change ``object_repr`` and
  ``changes`` and nothing else. On SQLite the trigger asks ``tremplin_audit_rewrite_allowed()``
  (answering from a context variable of this process; any other client lacks the function,
  so its UPDATE fails); on PostgreSQL it reads the transaction-local setting
  ``tremplin.audit_rewrite`` (``set_config(…, true)``: gone at the end of the transaction).
"""

import contextlib
import contextvars

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created

_rewrite_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "tremplin_audit_rewrite_allowed", default=False
)


def _purge_allowed() -> int:
    return 1 if getattr(settings, "TREMPLIN_AUDIT_PURGE_ALLOWED", False) else 0


def _rewrite_allowed_now() -> int:
    return 1 if _rewrite_allowed.get() else 0


def _on_connection(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "tremplin_audit_purge_allowed", 0, _purge_allowed, deterministic=False
        )
        connection.connection.create_function(
            "tremplin_audit_rewrite_allowed", 0, _rewrite_allowed_now, deterministic=False
        )


@contextlib.contextmanager
def audit_rewrite(using: str = "default"):
    """Within an atomic block, let this process rewrite audit rows' ``object_repr`` and
    ``changes`` (the triggers still refuse any other column, and every DELETE)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("La réécriture du journal d'audit se fait dans une transaction.")
    token = _rewrite_allowed.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('tremplin.audit_rewrite', 'on', true)")
        yield
    finally:
        _rewrite_allowed.reset(token)
        if connection.vendor == "postgresql":
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT set_config('tremplin.audit_rewrite', 'off', true)")


def install() -> None:
    connection_created.connect(_on_connection, dispatch_uid="tremplin_sqlite_functions")
