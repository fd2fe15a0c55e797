"""One transaction per writing request; reads never take the write lock.

``ATOMIC_REQUESTS`` wrapped every view in a transaction, pages included. On SQLite a
transaction is begun ``IMMEDIATE`` (so that two writers queue instead of failing on the
upgrade of a read lock), so every page load used to take the database's only write lock:
one long export made every other page wait, then answer « database is locked ».

``WriteTransactionMiddleware`` runs the view in one transaction only for the methods that
change something (POST, PUT, PATCH, DELETE): a failing save still writes nothing half-way
(docs/decisions.md, 3 and 25). A page (GET, HEAD, OPTIONS) runs in autocommit: on SQLite in
WAL mode its reads never wait for a writer, on PostgreSQL they never did. The few writes a
page makes (the audit log's "file read", the session's last activity) are single
statements: they wait for the lock at most the busy timeout (the settings), never fail at
once.

Like ``ATOMIC_REQUESTS``, it wraps the view only (an exception rolls the transaction back
before Django turns it into an error page) and skips views marked
``transaction.non_atomic_requests``. Its ``process_view`` runs after
``OneTimeFormMiddleware``'s, which runs a form with a one-time token in its own transaction.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def writes(request) -> bool:
    return request.method not in SAFE_METHODS


class WriteTransactionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not writes(request):
            return None
        if DEFAULT_DB_ALIAS in getattr(view_func, "_non_atomic_requests", set()):
            return None
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
