"""OpenID Connect login, ready for ProConnect, against a provider stub started on
127.0.0.1 by the test: a real HTTP server serving discovery, authorization, token (an RS256
ID token), user info (a signed JWT, as ProConnect sends it) and its keys. The library
(mozilla-django-oidc) is not mocked: it speaks HTTP to the stub."""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from tests import factories
from tests.accounts.otp import current_code, enrol
from tremplin.accounts import oidc
from tremplin.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db

CLIENT_ID = "tremplin-test"
CLIENT_SECRET = "secret-de-test"


class Provider:
    """The stub: remembers each authorization (nonce, PKCE challenge) by the code it gives."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "cle-1"
        self.codes = {}
        self.email = ""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.token_requests = []

    def sign(self, claims: dict) -> str:
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body=b"", content_type="application/json", headers=()):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    base = provider.issuer
                    document = {
                        "issuer": base,
                        "authorization_endpoint": f"{base}/authorize",
                        "token_endpoint": f"{base}/token",
                        "userinfo_endpoint": f"{base}/userinfo",
                        "jwks_uri": f"{base}/jwks",
                        "end_session_endpoint": f"{base}/logout",
                    }
                    self._send(200, json.dumps(document).encode())
                elif url.path == "/jwks":
                    self._send(200, json.dumps(provider.jwks()).encode())
                elif url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": query["state"]})
                    )
                    self._send(302, headers=[("Location", target)])
                elif url.path == "/userinfo":
                    claims = {
                        "sub": "agent-123",
                        "email": provider.email,
                        "given_name": "Agent",
                        "usual_name": "Connecté",
                        "iss": provider.issuer,
                        "aud": CLIENT_ID,
                    }
                    self._send(200, provider.sign(claims).encode(), "application/jwt")
                else:
                    self._send(404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                authorization = provider.codes.pop(form.get("code"), None)
                if (
                    self.path != "/token"
                    or authorization is None
                    or form.get("client_secret") != CLIENT_SECRET
                    or not form.get("code_verifier")
                ):
                    self._send(400, b'{"error": "invalid_grant"}')
                    return
                now = int(time.time())
                id_token = provider.sign(
                    {
                        "iss": provider.issuer,
                        "sub": "agent-123",
                        "aud": CLIENT_ID,
                        "iat": now,
                        "exp": now + 60,
                        "nonce": authorization["nonce"],
                    }
                )
                body = {"access_token": "jeton-acces", "id_token": id_token, "token_type": "Bearer"}
                self._send(200, json.dumps(body).encode())

        return Handler

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    with Provider() as stub:
        settings.TREMPLIN_OIDC_ENABLED = True
        settings.TREMPLIN_OIDC_ISSUER = stub.issuer
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            oidc.BACKEND_PATH,
        ]
        oidc.discovery.cache_clear()
        yield stub
    oidc.discovery.cache_clear()


def through_provider(client, next_url=None):
    """What the browser does: our login link, the provider's page (which approves at once),
    back to our callback."""
    start = reverse("accounts:oidc_authenticate") + (f"?next={next_url}" if next_url else "")
    to_provider = client.get(start)
    assert to_provider.status_code == 302
    back = requests.get(to_provider["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == reverse("accounts:oidc_callback")
    return client.get(callback.path + "?" + callback.query)


def test_the_login_page_offers_it_only_when_enabled(client, provider, settings):
    assert "Se connecter avec ProConnect" in client.get(reverse("accounts:login")).content.decode()
    settings.TREMPLIN_OIDC_ENABLED = False
    assert "ProConnect" not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(reverse("accounts:oidc_authenticate")).status_code == 404


def test_an_agent_known_by_email_logs_in_through_the_provider(client, provider, referent_user):
    provider.email = referent_user.email.upper()  # matched without regard to case
    response = through_provider(client, next_url="/compte/")
    assert response.status_code == 302 and response["Location"] == "/compte/"
    assert client.session["_auth_user_id"] == str(referent_user.pk)
    assert client.get("/compte/").status_code == 200
    assert AuditEntry.objects.filter(action="login", actor=referent_user).exists()
    # The authorization code flow with PKCE: the verifier was sent with the code.
    assert provider.token_requests[-1]["code_verifier"]


def test_the_authorization_request_carries_state_nonce_and_pkce(client, provider):
    location = client.get(reverse("accounts:oidc_authenticate"))["Location"]
    assert location.startswith(provider.issuer + "/authorize?")
    query = parse_qs(urlsplit(location).query)
    assert query["client_id"] == [CLIENT_ID] and query["response_type"] == ["code"]
    assert query["state"] and query["nonce"] and query["code_challenge_method"] == ["S256"]
    assert "openid email" in query["scope"][0]


def test_an_unknown_email_is_refused_without_creating_an_account(client, provider):
    provider.email = "inconnu@departement.example"
    response = through_provider(client)
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("accounts:login")).content.decode()
    assert "La connexion par votre compte professionnel n&#x27;a pas abouti" in page
    from tremplin.accounts.models import User

    assert not User.objects.filter(email="inconnu@departement.example").exists()


def test_an_inactive_account_is_refused(client, provider, referent_user):
    referent_user.is_active = False
    referent_user.save()
    provider.email = referent_user.email
    through_provider(client)
    assert "_auth_user_id" not in client.session


def test_the_second_factor_still_follows_for_an_agent(client, provider, agent_user, settings):
    settings.TREMPLIN_OTP_REQUIRED = True
    device = enrol(agent_user)
    provider.email = agent_user.email
    response = through_provider(client)
    assert response["Location"] == reverse("accounts:login_code")
    assert "_auth_user_id" not in client.session
    client.post(reverse("accounts:login_code"), {"code": current_code(device)})
    assert client.session["_auth_user_id"] == str(agent_user.pk)


def test_a_password_login_does_not_need_the_provider(client, settings, referent_user):
    # Enabled but unreachable: the password still works.
    settings.TREMPLIN_OIDC_ENABLED = True
    settings.TREMPLIN_OIDC_ISSUER = "http://127.0.0.1:9"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc.BACKEND_PATH]
    oidc.discovery.cache_clear()
    response = client.post(
        reverse("accounts:login"),
        {"username": referent_user.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
