"""Gunicorn's settings for Tremplin (read from the working directory: ``gunicorn
tremplin.wsgi``, or ``gunicorn -c gunicorn.conf.py tremplin.wsgi`` from elsewhere).

Every value can be changed by the environment (``TREMPLIN_GUNICORN_*``) or on the command
line (``GUNICORN_CMD_ARGS``). Long work (large exports, PDFs) runs in the job queue
(``tremplin run_huey``), not in a request: 60 s is a ceiling no page should reach.

The access log never shows a query string: a search may hold a NIR or a name, and a NIR
must never reach a log. Nor does it show the Referer (the previous page's query string).
"""

import multiprocessing
import os

bind = os.environ.get("TREMPLIN_GUNICORN_BIND", "127.0.0.1:8001")
# 2 × cores + 1 processes, at most TREMPLIN_GUNICORN_MAX_WORKERS (memory, database
# connections); each with a few threads, for requests that wait on the database or SMTP.
_max_workers = int(os.environ.get("TREMPLIN_GUNICORN_MAX_WORKERS", "9"))
workers = int(
    os.environ.get(
        "TREMPLIN_GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, _max_workers)
    )
)
threads = int(os.environ.get("TREMPLIN_GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("TREMPLIN_GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (and a random part of 10 %), which bounds
# what a slow leak could grow to.
max_requests = int(os.environ.get("TREMPLIN_GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

accesslog = os.environ.get("TREMPLIN_GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
# %(U)s is the path without its query string; no %(r)s, %(q)s or %(f)s (Referer).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Behind the reverse proxy: its address may set the scheme (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("TREMPLIN_GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
