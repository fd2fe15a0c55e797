"""The project's gunicorn settings (docs/decisions.md, 26): bounded workers, threads, a 60 s
timeout and an access log without query strings (a NIR must never reach a log)."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def loaded(monkeypatch, **env) -> Config:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(CONF))
    config = Config()
    for name, value in values.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_workers_threads_and_timeout(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 64)
    config = loaded(monkeypatch)
    assert config.workers == 9  # 2 × 64 + 1, capped
    assert config.threads == 4 and config.worker_class_str == "gthread"
    assert config.timeout == 60
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    assert loaded(monkeypatch).workers == 5


def test_the_access_log_shows_no_query_string(monkeypatch, caplog):
    config = loaded(monkeypatch)
    logger = Logger(config)
    request = SimpleNamespace(
        method="GET",
        path="/repertoire/beneficiaires/",
        query="q=185057800608436",
        uri="/repertoire/beneficiaires/?q=185057800608436",
        version=(1, 1),
        headers=[("REFERER", "https://t.example/repertoire/beneficiaires/?q=185057800608436")],
    )
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/repertoire/beneficiaires/",
        "REMOTE_ADDR": "10.0.0.8",
        "HTTP_REFERER": "https://t.example/repertoire/beneficiaires/?q=185057800608436",
        "HTTP_USER_AGENT": "Firefox",
        "QUERY_STRING": "q=185057800608436",
        "RAW_URI": "/repertoire/beneficiaires/?q=185057800608436",
    }
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=12))
    line = config.access_log_format % atoms
    assert '"GET /repertoire/beneficiaires/ HTTP/1.1" 200 1234 12ms "Firefox"' in line
    assert "185057800608436" not in line
