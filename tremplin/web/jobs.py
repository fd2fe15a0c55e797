"""Long work leaves the request: a job replays a page in the worker and keeps its file.

A page whose work is long (an export above ``TREMPLIN_JOB_ROWS`` rows, the livret and the
report PDFs, the month's payment list) calls ``start`` once it has checked what the user may
see: a ``Job`` row is written (owner, title, the page's address with its filters) and queued
(huey, ``tremplin/web/tasks.py``), and the user is sent to the job's page — a progress bar
that refreshes itself, then the download link.

The worker (``tremplin run_huey``) runs ``run``: it calls the same view with a request of the
job's owner, so the file is made by the page's own code, with the owner's rights checked
again (``visible_to`` at creation and at the time of the work), and audited as the owner
(source « tâche »). While it runs, ``in_job()`` is true: the view makes the file instead of
starting another job; ``report_progress`` moves the bar. The download checks the owner and
is audited too (``tremplin/web/views.py``).

The bar's position while the work runs is kept in the queue's own storage (huey's: its
SQLite file, or Redis), not in the job's row: the work may hold a transaction open (an
import writes every row in one), and what it writes in the database is seen by the job's
page only when it commits — on SQLite, a second connection could not even write meanwhile
(one writer at a time). The web servers and the worker share that storage already (it is
the queue), whatever the database and the cache (per process without Redis). The row gets
100 % when the job is over.

Work that is not a page to replay — a POST's, such as confirming a long beneficiaries'
import — is a ``kind`` whose handler an app registers in ``HANDLERS`` (its ``ready``): the
worker calls it with the job (``params``, the owner as the audit's actor); it gives the page
of the result, which the job's page links to.

Nothing lives in the worker's memory between jobs: the row and the file (default storage,
S3-compatible in production) are the whole state, whichever server serves the download.
"""

from __future__ import annotations

import contextvars
import logging
import re
import tempfile
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import connection, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from tremplin.accounts import audit

from .models import Job

logger = logging.getLogger(__name__)

_current: contextvars.ContextVar[Job | None] = contextvars.ContextVar(
    "tremplin_current_job", default=None
)

FAILED_STATUS = (
    "Le fichier n'a pas pu être préparé : la page a répondu « {status} » (vous n'avez "
    "peut-être plus accès à ces données, ou les filtres ne sont plus valables). Revenez à la "
    "page et demandez-le de nouveau."
)
FAILED_ERROR = (
    "Le fichier n'a pas pu être préparé à cause d'une erreur du serveur, enregistrée pour "
    "l'équipe technique. Revenez à la page et demandez-le de nouveau ; si l'erreur revient, "
    "signalez-la."
)


# Work that is not a page to replay (a POST's): kind → function(job) → the result's address.
# Registered by the apps above (their ``ready``), e.g. the beneficiaries' import.
HANDLERS: dict[str, Callable[[Job], str]] = {}


class JobRefused(Exception):
    """A handler's refusal, in French, shown on the job's page."""


def in_job() -> bool:
    """True while the worker replays a page for a job (the view makes the file itself)."""
    return _current.get() is not None


def above_threshold(rows: int) -> bool:
    """An export of ``rows`` rows runs as a job (outside a job only)."""
    return not in_job() and rows > settings.TREMPLIN_JOB_ROWS


def start(request, *, kind: str, title: str, params: dict | None = None):
    """Queue the page ``request`` asked for (or, for a kind in ``HANDLERS``, its handler with
    ``params``) as a job of ``request.user``; the redirection to the job's page. Call it
    after the page has checked what the user may see."""
    from huey.contrib.djhuey import HUEY

    from .tasks import run_job

    job = Job.objects.create(
        owner=request.user,
        kind=kind,
        title=title[:200],
        path=request.get_full_path()[:2000],
        params=params or {},
    )
    if HUEY.immediate or not connection.in_atomic_block:
        # A page runs in autocommit (web/transactions.py): the row is saved, the worker
        # finds it. Immediate mode (debug, tests) does the job here, now.
        run_job(job.pk)
    else:  # a writing request's transaction: the worker looks for the row once it is saved
        transaction.on_commit(lambda: run_job(job.pk))
    return redirect("web:job", pk=job.pk)


def _queue():
    from huey.contrib.djhuey import HUEY

    return HUEY


def _progress_key(job_id: int) -> str:
    return f"tremplin-job-progress-{job_id}"


def report_progress(done: int, total: int | None) -> None:
    """Move the current job's bar to ``done`` of ``total`` (no-op outside a job), at once
    visible to the job's page, even inside the work's transaction (the queue's storage)."""
    job = _current.get()
    if job is None or not total:
        return
    percent = min(99, int(100 * done / total))
    if percent > job.progress:
        job.progress = percent
        _queue().put(_progress_key(job.pk), percent)


def progress_of(job: Job) -> int:
    """The bar's position: what the worker reported last while the job runs, else the
    row's (100 once it is done)."""
    if job.status != Job.Status.RUNNING:
        return job.progress
    try:
        reported = _queue().get(_progress_key(job.pk), peek=True)
    except Exception:  # the storage out of reach: the bar waits, the page still answers
        logger.exception("Progress of job %s unreadable", job.pk)
        reported = None
    return max(job.progress, reported or 0)


def _forget_progress(job_id: int) -> None:
    try:
        _queue().delete(_progress_key(job_id))
    except Exception:  # a key left behind weighs a few bytes; the job is over anyway
        logger.exception("Progress of job %s not deleted", job_id)


def _host() -> str:
    site = urlsplit(settings.TREMPLIN_SITE_URL).netloc
    if site:
        return site
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in {"*", ""}]
    return hosts[0] if hosts else "localhost"


def _filename(response, job: Job) -> str:
    disposition = response.get("Content-Disposition", "")
    match = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    if match:
        return unquote(match.group(1))
    match = re.search(r'filename="?([^";]+)"?', disposition)
    return match.group(1) if match else f"tache-{job.pk}"


def _release(response) -> None:
    """Close what the response holds (an open file, a generator), without
    ``HttpResponse.close()``: that one also announces the end of a request
    (``request_finished``), on which Django closes the database connection — the worker's
    own, in the middle of its job (and, under the tests, their transaction)."""
    for closer in getattr(response, "_resource_closers", ()):
        closer()


def _replay(job: Job):
    request = RequestFactory().get(job.path, HTTP_HOST=_host())
    request.user = job.owner
    request.resolver_match = match = resolve(request.path_info)
    context = audit.AuditContext(user=job.owner, path=job.path[:300], source="tâche")
    audit_token, job_token = audit.set_context(context), _current.set(job)
    try:
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
    finally:
        _current.reset(job_token)
        audit.reset_context(audit_token)


def _handle(job: Job) -> None:
    context = audit.AuditContext(user=job.owner, path=job.path[:300], source="tâche")
    audit_token, job_token = audit.set_context(context), _current.set(job)
    try:
        job.result_url = HANDLERS[job.kind](job)[:500]
    except JobRefused as refusal:
        _fail(job, str(refusal))
        return
    except Exception:
        logger.exception("Job %s failed", job.pk)
        _fail(job, FAILED_ERROR)
        return
    finally:
        _current.reset(job_token)
        audit.reset_context(audit_token)
    job.status, job.progress, job.finished_at = Job.Status.DONE, 100, timezone.now()
    job.save(update_fields=["status", "progress", "finished_at", "result_url"])
    _forget_progress(job.pk)


def run(job_id: int) -> None:
    """Do the job ``job_id`` (the worker's task): replay its page and keep the file, or run
    its kind's handler."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING
    )
    if not claimed:  # done already, or taken by another worker
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.kind in HANDLERS:
        _handle(job)
        return
    try:
        try:
            response = _replay(job)
        except Http404:
            response = type("Refused", (), {"status_code": 404})()
        except PermissionDenied:
            response = type("Refused", (), {"status_code": 403})()
        if response.status_code != 200:
            _fail(job, FAILED_STATUS.format(status=response.status_code))
            return
        with tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024) as spool:
            chunks = response.streaming_content if response.streaming else [response.content]
            for chunk in chunks:
                spool.write(chunk)
            _release(response)
            spool.seek(0)
            job.filename = _filename(response, job)[:255]
            job.content_type = response.get("Content-Type", "application/octet-stream")[:120]
            job.file.save(job.filename, File(spool), save=False)
    except Exception:
        logger.exception("Job %s failed", job_id)  # the traceback, never the page's data
        _fail(job, FAILED_ERROR)
        return
    job.status, job.progress, job.finished_at = Job.Status.DONE, 100, timezone.now()
    job.save(
        update_fields=["status", "progress", "finished_at", "file", "filename", "content_type"]
    )
    _forget_progress(job.pk)


def purge(now=None) -> int:
    """Delete the jobs older than ``TREMPLIN_JOB_KEEP_DAYS`` days and their files (they hold
    personal data: kept no longer than needed to download them). The number deleted."""
    limit = (now or timezone.now()) - timedelta(days=settings.TREMPLIN_JOB_KEEP_DAYS)
    old = list(Job.objects.filter(created_at__lt=limit))
    for job in old:
        if job.file:
            job.file.delete(save=False)
        if not job.finished:  # a worker stopped in the middle: its bar's key is left
            _forget_progress(job.pk)
    Job.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)


def _fail(job: Job, message: str) -> None:
    job.status, job.error, job.finished_at = Job.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    _forget_progress(job.pk)
