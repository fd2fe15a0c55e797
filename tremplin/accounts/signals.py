"""Logins in the audit log: each success, each failure and each lockout."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import audit
from .lockout import locked_until, normalise
from .models import AuditEntry, User

# What the login flow puts in a failure's credentials to say which step failed.
STEP_KEY = "etape"


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    token = audit.set_context(audit.context_from_request(request))
    try:
        audit.record(AuditEntry.Action.LOGIN, user, object_repr=user.email)
    finally:
        audit.reset_context(token)


def _record_for_account(action, request, email, changes):
    email = normalise(email) or ""
    user = User.objects.filter(email=email).first() if email else None
    token = audit.set_context(audit.context_from_request(request)) if request else None
    try:
        audit.record(
            action,
            object_type="accounts.user",
            object_id=str(user.pk) if user else "",
            object_repr=(email or "(adresse vide)")[:200],
            changes=changes,
        )
    finally:
        if token is not None:
            audit.reset_context(token)


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    if request is None:  # authenticate() called by code, not a login attempt from the web
        return
    # Refused by the lockout itself (axes counted nothing for it), not by the password.
    if (
        getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    ):
        reason = "compte verrouillé"
    elif credentials.get(STEP_KEY):
        reason = credentials[STEP_KEY]
    else:
        reason = "adresse ou mot de passe incorrect"
    email = credentials.get("username") or credentials.get("email")
    _record_for_account(AuditEntry.Action.LOGIN_FAILED, request, email, {"motif": reason})


@receiver(user_locked_out)
def record_lockout(sender, request, username, **kwargs):
    # axes also sends this signal for each try during the lockout (already recorded as a
    # failed login); the lockout itself is recorded once, when the last failure counted.
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    until = locked_until(username)
    changes = {"jusqu'au": until.isoformat() if until else ""}
    _record_for_account(AuditEntry.Action.LOCKOUT, request, username, changes)
