"""The login in two steps and the second factor's pages (django-otp).

After the first factor (password, or the OpenID Connect provider), ``begin_login`` either
logs the person in or, when a second factor is needed (``security.needs_second_factor``),
keeps them *pending* in the session — not logged in — and asks for the authenticator's code
(``login_code``) or, the first time, for setting one up (``enrol``: QR code drawn on the
server as SVG, then a code proving it works, then ten recovery codes shown once). Only then
is the session opened, with the device that verified it (``django_otp.login``).

A wrong code counts as a failed login for the account's lockout (django-axes) and in the
audit log. A pending login expires after ``PENDING_MINUTES``.
"""

import time

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login

from . import services
from .access import scope_of
from .forms import OtpCodeForm, OtpResetForm
from .lockout import lockout_response
from .security import SECOND_FACTOR_KEY, second_factor_required
from .signals import STEP_KEY

PENDING_KEY = "tremplin_pending_login"
RECOVERY_CODES_KEY = "tremplin_new_recovery_codes"
PENDING_MINUTES = 5


def safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


def begin_login(request, user, backend: str, next_url: str | None):
    """After the first factor: log in, or ask for the second one."""
    from .security import needs_second_factor

    if not needs_second_factor(user):
        auth_login(request, user, backend=backend)
        return redirect(safe_next(request, next_url))
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "at": time.time(),
        "next": safe_next(request, next_url),
    }
    has_device = any(True for _ in devices_for_user(user))
    return redirect("accounts:login_code" if has_device else "accounts:enrol")


def pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_MINUTES * 60:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def finish_login(request, user, pending, device) -> None:
    """The second factor verified: the session opens, bound to the device."""
    request.session.pop(PENDING_KEY, None)
    user.otp_device = device  # django-otp keeps it in the session on login
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)


def _wrong_code(request, user, step: str) -> None:
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.email, STEP_KEY: step},
        request=request,
    )


def _locked(request, user) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": user.email})


@login_not_required
def login_code(request):
    user, pending = pending_user(request)
    if user is None:
        messages.info(request, "Votre connexion a expiré : saisissez à nouveau votre mot de passe.")
        return redirect("accounts:login")
    if _locked(request, user):
        return lockout_response(request, credentials={"username": user.email})
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            finish_login(request, user, pending, device)
            if device.name == services.RECOVERY_NAME:
                messages.warning(
                    request,
                    "Vous vous êtes connecté avec un code de secours : il ne servira plus. "
                    "Créez-en de nouveaux depuis « Mon compte » s'il vous en reste peu.",
                )
            return redirect(pending["next"])
        _wrong_code(request, user, "code de double authentification incorrect")
        form.add_error(
            "code",
            "Ce code n'est pas le bon ou a expiré : saisissez le code affiché en ce moment par "
            "votre application (il change toutes les 30 secondes), ou un code de secours.",
        )
    return render(request, "accounts/login_code.html", {"form": form, "user_email": user.email})


def qr_svg(url: str) -> str:
    """The otpauth:// address as an SVG QR code drawn on the server (no script, no image
    request elsewhere)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=5, title="QR code à scanner avec votre application d'authentification"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 (segno's own markup)


@login_not_required
def enrol(request):
    """Set up an authenticator: at the first login when required, or from « Mon compte »."""
    if request.user.is_authenticated:
        user, pending = request.user, None
    else:
        user, pending = pending_user(request)
        if user is None:
            return redirect("accounts:login")
        if _locked(request, user):
            return lockout_response(request, credentials={"username": user.email})
    device = services.pending_totp(user)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.confirm_totp(device)
            if pending is not None:
                finish_login(request, user, pending, device)
            else:
                otp_login(request, device)
                request.session[SECOND_FACTOR_KEY] = "verified"
            request.session[RECOVERY_CODES_KEY] = codes
            messages.success(request, "La double authentification est activée sur votre compte.")
            return redirect("accounts:recovery_codes")
        if pending is not None:
            _wrong_code(request, user, "code de mise en place de la double authentification")
        form.add_error(
            "code",
            "Ce code ne correspond pas : vérifiez que l'heure de votre téléphone est à jour, "
            "puis saisissez le code affiché en ce moment par l'application.",
        )
    secret = device.config_url.split("secret=")[1].split("&")[0]
    context = {
        "form": form,
        "qr": qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": second_factor_required(user),
        "pending": pending is not None,
    }
    return render(request, "accounts/two_factor_enrol.html", context)


def recovery_codes(request):
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


def two_factor(request):
    """« Mon compte » › double authentification: state, new recovery codes, removal."""
    user = request.user
    totp = services.confirmed_totp(user)
    recovery = [d for d in devices_for_user(user) if d.name == services.RECOVERY_NAME]
    left = recovery[0].token_set.count() if recovery else 0
    context = {
        "totp": totp,
        "codes_left": left,
        "required": second_factor_required(user),
        "is_admin": scope_of(user).is_admin,
    }
    return render(request, "accounts/two_factor.html", context)


@require_POST
def new_recovery_codes(request):
    if services.confirmed_totp(request.user) is None:
        return redirect("accounts:two_factor")
    request.session[RECOVERY_CODES_KEY] = services.new_recovery_codes(request.user)
    return redirect("accounts:recovery_codes")


@require_POST
def remove(request):
    if second_factor_required(request.user):
        messages.error(
            request,
            "La double authentification est obligatoire pour votre rôle : elle ne peut être "
            "retirée. Changez d'application depuis cette page, ou demandez à un "
            "administrateur de la réinitialiser.",
        )
    else:
        services.remove_second_factor(request.user)
        messages.success(request, "La double authentification est retirée de votre compte.")
    return redirect("accounts:two_factor")


def reset(request):
    """An administrator removes someone's second factor (lost phone and codes)."""
    if not scope_of(request.user).is_admin:
        raise PermissionDenied("Réservé aux administrateurs.")
    form = OtpResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reset_second_factor(form.user, by=request.user)
        messages.success(
            request,
            f"La double authentification de {form.user.email} est réinitialisée : à sa "
            "prochaine connexion, cette personne configure une nouvelle application.",
        )
        return redirect("accounts:two_factor_reset")
    return render(request, "accounts/two_factor_reset.html", {"form": form})
