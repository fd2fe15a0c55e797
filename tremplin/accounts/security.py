"""Session policy: second factor, idle timeout, absolute lifetime; and
``Cache-Control: no-store`` on everything shown to a signed-in person.

The login flow (``two_factor.py``) writes in the session whether the second factor was
verified or is not needed; a session without that mark (opened some other way) is closed.
The session's login time and last request time give the two timeouts; the last request time
is written at most once a minute, so most requests write nothing.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.cache import patch_cache_control

from . import audit
from .access import scope_of
from .models import AuditEntry, Role

SECOND_FACTOR_KEY = "tremplin_second_factor"  # "verified" or "not_needed"
LOGIN_AT_KEY = "tremplin_login_at"
LAST_SEEN_KEY = "tremplin_last_seen"
LAST_SEEN_EVERY_SECONDS = 60
ROLES_NEEDING_A_SECOND_FACTOR = {Role.DEPARTMENT_AGENT, Role.ADMIN}


def second_factor_required(user) -> bool:
    """Required of département agents and administrators (and technical staff)."""
    if not settings.TREMPLIN_OTP_REQUIRED:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(scope_of(user).roles & ROLES_NEEDING_A_SECOND_FACTOR)


def needs_second_factor(user) -> bool:
    """Asked at login: when required, or when the person chose to set one up."""
    from django_otp import user_has_device

    return user_has_device(user) or second_factor_required(user)


@receiver(user_logged_in, dispatch_uid="tremplin_session_policy_login")
def mark_session(sender, request, user, **kwargs):
    if getattr(user, "otp_device", None) is not None:
        state = "verified"
    elif not needs_second_factor(user):
        state = "not_needed"
    else:
        state = "missing"
    now = time.time()
    request.session[SECOND_FACTOR_KEY] = state
    request.session[LOGIN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


def _end(request, action_note: str, message: str) -> None:
    user = request.user
    token = audit.set_context(audit.context_from_request(request))
    try:
        audit.record(
            AuditEntry.Action.SESSION_END,
            user,
            object_repr=user.email,
            changes={"motif": action_note},
        )
    finally:
        audit.reset_context(token)
    logout(request)
    messages.info(request, message)


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.session.session_key:
            self.apply(request)
        return self.get_response(request)

    def apply(self, request) -> None:
        session, now = request.session, time.time()
        idle = settings.TREMPLIN_SESSION_IDLE_MINUTES * 60
        lifetime = settings.TREMPLIN_SESSION_MAX_HOURS * 3600
        if session.get(SECOND_FACTOR_KEY) not in {"verified", "not_needed"}:
            _end(
                request,
                "double authentification non vérifiée",
                "Connectez-vous à nouveau : votre compte demande la double authentification.",
            )
        elif now - session.get(LAST_SEEN_KEY, 0) > idle:
            _end(
                request,
                "inactivité",
                f"Votre session a pris fin après {settings.TREMPLIN_SESSION_IDLE_MINUTES} "
                "minutes d'inactivité : connectez-vous à nouveau.",
            )
        elif now - session.get(LOGIN_AT_KEY, 0) > lifetime:
            _end(
                request,
                "durée maximale",
                f"Votre session a pris fin {settings.TREMPLIN_SESSION_MAX_HOURS} heures après "
                "la connexion : connectez-vous à nouveau.",
            )
        elif now - session.get(LAST_SEEN_KEY, 0) > LAST_SEEN_EVERY_SECONDS:
            session[LAST_SEEN_KEY] = now


class NoStoreMiddleware:
    """Nothing shown to a signed-in person (pages, exports, API answers) is kept by a
    browser's or a proxy's cache; only responses that say ``public`` (static assets) are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "public" not in response.get("Cache-Control", "")
        ):
            del response["Cache-Control"]
            patch_cache_control(response, no_store=True)
        return response
