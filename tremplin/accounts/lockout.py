"""Login throttling (django-axes): after 5 failed attempts for one account, each
within 15 minutes of the previous one, the account is locked for 15 minutes after the last
one, whatever the address the attempts come from, and even with the right password.

Settings: ``AXES_*`` in ``tremplin/settings.py``. Failures are counted per e-mail address
(normalised here), in the database (``axes.AccessAttempt``); each failed login and each
lockout is also written to the audit log (``signals.py``).
"""

import datetime

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def normalise(email: str | None) -> str | None:
    return email.strip().lower() if email else None


def username_of(request, credentials) -> str | None:
    """The account an attempt is for, as axes counts it: the e-mail address, lower-case."""
    credentials = credentials or {}
    email = credentials.get("username") or credentials.get("email")
    if email is None and request is not None and request.method == "POST":
        email = request.POST.get("username")
    return normalise(email)


class LockoutBackend(AxesStandaloneBackend):
    """axes' check, first of the backends: a locked account is refused before its password
    is even checked. ``authenticate()`` without a request (a command, a test's
    ``client.login``) is not a login attempt from the web and is not counted."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_until(email: str | None) -> datetime.datetime | None:
    """When the account's lockout ends, or None if it is not locked."""
    email = normalise(email)
    if not email:
        return None
    cool_off = settings.AXES_COOLOFF_TIME
    since = timezone.now() - cool_off
    attempts = AccessAttempt.objects.filter(username=email, attempt_time__gte=since)
    failures = sum(attempt.failures_since_start for attempt in attempts)
    if failures < settings.AXES_FAILURE_LIMIT:
        return None
    return max(attempt.attempt_time for attempt in attempts) + cool_off


def lockout_message(until: datetime.datetime | None) -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Ce compte est verrouillé après {settings.AXES_FAILURE_LIMIT} tentatives de connexion "
        f"échouées : par sécurité, aucune connexion n'est possible pendant {minutes} minutes, "
        "même avec le bon mot de passe."
    )
    if until is not None:
        message += f" Réessayez après {timezone.localtime(until):%H:%M} (heure de Paris)."
    return (
        message + " Si ce n'était pas vous, prévenez l'administrateur de votre structure ; "
        "« Mot de passe oublié » reste possible."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, saying the account is locked and until when (HTTP 429)."""
    from .forms import LoginForm

    email = username_of(request, credentials)
    form = LoginForm(request, initial={"username": email or ""})
    until = locked_until(email)
    request.session.pop("tremplin_pending_login", None)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "lockout": lockout_message(until), "next": request.POST.get("next", "")},
        status=429,
    )
