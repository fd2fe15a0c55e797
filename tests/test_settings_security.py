"""Production settings: keys required outside debug, ``check --deploy`` clean,
security headers, the SQLite file readable by its owner only."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def production_env(tmp_path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TREMPLIN_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tremplin.settings",
            "DJANGO_SECRET_KEY": "p" + Fernet.generate_key().decode() * 2,
            "TREMPLIN_FIELD_KEY": Fernet.generate_key().decode(),
            "TREMPLIN_VAR_DIR": str(tmp_path / "var"),
            "TREMPLIN_ALLOWED_HOSTS": "tremplin.departement.example",
            "TREMPLIN_CSRF_TRUSTED_ORIGINS": "https://tremplin.departement.example",
            "TREMPLIN_TRUSTED_PROXIES": "1",
            "TREMPLIN_SSL_REDIRECT": "1",
            "TREMPLIN_HSTS_SECONDS": "31536000",
        }
    )
    env.update(extra)
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_second_factor_is_off(tmp_path):
    env = production_env(tmp_path, TREMPLIN_OTP_REQUIRED="0")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0 and "tremplin.W001" in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "TREMPLIN_FIELD_KEY"])
def test_without_a_key_outside_debug_it_refuses_to_start(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "Tremplin refuse de démarrer" in result.stderr and missing in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()
    assert not (tmp_path / "var" / "field_key").exists()


def test_the_sqlite_file_and_var_are_private(tmp_path):
    env = production_env(tmp_path)
    assert manage(env, "check").returncode == 0
    var = tmp_path / "var"
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "tremplin.sqlite3").stat().st_mode) == 0o600


@pytest.mark.django_db
def test_security_headers_on_a_page(client, referent_user):
    client.force_login(referent_user)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    # Style attributes: only pygal's "opacity: 0", by its hash.
    assert directives["style-src-attr"].startswith("'unsafe-hashes' 'sha256-")
    assert "frame-ancestors" in directives
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
