"""Per-connection setup of SQLite: the function the audit log's no-DELETE trigger
asks (migration 0003). PostgreSQL needs nothing: its trigger refuses row deletions and
TRUNCATE stays the owner's purge."""

from django.conf import settings
from django.db.backends.signals import connection_created


def _purge_allowed() -> int:
    return 1 if getattr(settings, "TREMPLIN_AUDIT_PURGE_ALLOWED", False) else 0


def _on_connection(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "tremplin_audit_purge_allowed", 0, _purge_allowed, deterministic=False
        )


def install() -> None:
    connection_created.connect(_on_connection, dispatch_uid="tremplin_sqlite_functions")
