"""Login through an OpenID Connect provider, ready for ProConnect.

Off unless ``TREMPLIN_OIDC_ENABLED=1``; then ``TREMPLIN_OIDC_ISSUER`` (its discovery
document, ``/.well-known/openid-configuration``, gives the endpoints unless
``TREMPLIN_OIDC_*_ENDPOINT`` say them), ``TREMPLIN_OIDC_CLIENT_ID`` and
``TREMPLIN_OIDC_CLIENT_SECRET``; the callback to register with the provider is
``<site>/compte/connexion/oidc/retour/``. mozilla-django-oidc runs the authorization code
flow (state, nonce, PKCE), checks the ID token's signature against the provider's keys
(RS256) and reads the user info (JSON, or a signed JWT as ProConnect sends it).

An account is matched by its e-mail address and must exist and be active: accounts and
their memberships are created by an administrator, never by a login. The second factor
follows as after a password (``two_factor.begin_login``).
"""

import functools

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .two_factor import begin_login

BACKEND_PATH = "tremplin.accounts.oidc.OidcBackend"
DISCOVERY_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}


@functools.lru_cache(maxsize=4)
def discovery(issuer: str) -> dict:
    response = requests.get(
        f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
    )
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ImproperlyConfigured(
            f"Le fournisseur OpenID Connect annonce l'émetteur {document.get('issuer')!r}, "
            f"pas {issuer!r} (TREMPLIN_OIDC_ISSUER)."
        )
    return document


def oidc_setting(attr, *args):
    """A mozilla-django-oidc setting; an endpoint missing from the settings comes from the
    issuer's discovery document."""
    if attr in DISCOVERY_KEYS and not hasattr(settings, attr) and settings.TREMPLIN_OIDC_ISSUER:
        value = discovery(settings.TREMPLIN_OIDC_ISSUER).get(DISCOVERY_KEYS[attr])
        if value:
            return value
    return import_from_settings(attr, *args)


class OidcBackend(OIDCAuthenticationBackend):
    """Reads its settings (and the provider's discovery document) only when a provider's
    answer comes back: a password login never waits for the provider, even when it is down."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, ImproperlyConfigured, SuspiciousOperation):
            return None

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims):
        return bool(claims.get("email"))

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        issuer = settings.TREMPLIN_OIDC_ISSUER
        if issuer and "iss" in payload and payload["iss"].rstrip("/") != issuer:
            raise SuspiciousOperation("Émetteur du jeton OpenID Connect inattendu.")
        audience = payload.get("aud")
        if audience is not None:
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("Jeton OpenID Connect destiné à un autre client.")
        return payload


class _RequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)

    def get_extra_params(self, request):
        acr = getattr(settings, "TREMPLIN_OIDC_ACR_VALUES", "")
        return {"acr_values": acr} if acr else {}


class _CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def login_success(self):
        next_url = self.request.session.pop("oidc_login_next", None)
        return begin_login(self.request, self.user, BACKEND_PATH, next_url)

    def login_failure(self):
        messages.error(
            self.request,
            "La connexion par votre compte professionnel n'a pas abouti : aucun compte "
            "Tremplin actif ne porte cette adresse, ou le fournisseur l'a refusée. Adressez-"
            "vous à l'administrateur de votre structure, ou connectez-vous avec votre mot de "
            "passe.",
        )
        return redirect("accounts:login")


def _enabled(view):
    def wrapped(request, *args, **kwargs):
        if not settings.TREMPLIN_OIDC_ENABLED:
            raise Http404("La connexion OpenID Connect n'est pas activée.")
        return view(request, *args, **kwargs)

    return login_not_required(wrapped)


authenticate = _enabled(_RequestView.as_view())
callback = _enabled(_CallbackView.as_view())
