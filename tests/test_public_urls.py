"""Login required by default: every URL pattern of the project, visited by an
anonymous person, redirects to the login page or answers 401/404/405 — except the short
list below. A new view is therefore never public by mistake: making one public means
marking it ``login_not_required`` *and* adding it here."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Public on purpose (route patterns as written in the urlconfs).
PUBLIC = {
    "compte/connexion/",  # login
    "compte/connexion/code/",  # the second factor's step (redirects without a pending login)
    "compte/connexion/oidc/",  # OpenID Connect (404 unless enabled)
    "compte/connexion/oidc/retour/",
    "compte/double-authentification/activer/",  # first-login enrolment (redirects if none)
    "compte/mot-de-passe/oublie/",  # password reset
    "compte/mot-de-passe/envoye/",
    "compte/mot-de-passe/nouveau/<uidb64>/<token>/",
    "compte/mot-de-passe/termine/",
    "accompagnements/agenda/<str:token>.ics",  # the token is the key (404 without one)
    "rdv/<int:pk>/<str:token>/",  # a person's invitation link: signed, refused in French
    "invitations/sms/rapport/",  # the SMS provider's delivery reports: a shared secret
    "sante/",  # health check
    "admin-technique/login/",  # redirects to the login page
}


def walk(resolvers, prefix=""):
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def sample_path(route: str) -> str:
    """A path for the route: 1 for an id, a word for any other parameter; for the admin's
    regular expressions, the first alternative of a named group."""
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    path = re.sub(r"\(\?P<\w+>([\w-]+)(?:\|[^)]*)?\)", r"\1", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + path


def routes():
    found = {
        (route, pattern.name or "", pattern) for route, pattern in walk(get_resolver().url_patterns)
    }
    return [(route, pattern) for route, _, pattern in sorted(found, key=lambda item: item[:2])]


def test_the_walk_finds_the_whole_project():
    found = {route for route, _ in routes()}
    assert len(found) > 150
    assert "repertoire/beneficiaires/" in found
    assert any(route.startswith("api/v1/") for route in found)
    assert any(route.startswith("admin-technique/") for route in found)


@pytest.mark.parametrize(
    "route, pattern", routes(), ids=[f"{route} [{pattern.name}]" for route, pattern in routes()]
)
def test_nothing_is_public_by_mistake(route, pattern):
    path = sample_path(route)
    response = Client().get(path)
    status = response.status_code
    if route in PUBLIC:
        assert status in (200, 302, 404, 405), (route, status)
        return
    if route.startswith("api/v1/") and status != 302:
        assert status in (401, 404, 405), (route, path, status)
        return
    assert status == 302 or status in (404, 405), (route, path, status)
    if status == 302:
        location = response["Location"]
        assert location.startswith(("/compte/connexion/", "/admin-technique/login/")), (
            route,
            location,
        )


def test_the_api_answers_401_not_a_login_page():
    response = Client().get("/api/v1/beneficiaries")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_the_health_check_is_public_and_checks_the_database():
    response = Client().get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"statut": "ok", "base_de_donnees": "ok"}


def test_the_technical_admin_logs_in_through_the_project_s_login():
    # Its own login page would skip the lockout and the second factor.
    response = Client().get("/admin-technique/login/?next=/admin-technique/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/admin-technique/"
