"""Login required by default: every URL pattern of the project, visited by an
anonymous person, redirects to the login page (a page) or answers 401 (the API) — except the
short list below. A new view is therefore never public by mistake: making one public means
marking it ``login_not_required`` *and* adding it here.

A 404 is no proof: a public view answers 404 for an id that does not exist. So each route is
checked twice: its view must not be exempt from ``LoginRequiredMiddleware`` (only the API's
operations are, which authenticate every call themselves), and an anonymous visit must be
sent to the login page — or, for the API, refused with 401 for every method it answers
(django-ninja authenticates before reading the path's ids or the body).
"""

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
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
    "aide/glossaire/",  # the product's words and the rules' sentences: no one's data, linked
    "aide/regles/",  # from every page's footer and help marker, the login page's included
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


LOGIN_PAGES = ("/compte/connexion/", "/admin-technique/login/")
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def is_exempt(pattern) -> bool:
    """The view skips ``LoginRequiredMiddleware`` (``login_not_required``)."""
    return getattr(pattern.callback, "login_required", True) is False


def is_api_operation(route: str, pattern) -> bool:
    """An operation of the API, exempt from the middleware by ``tremplin.api.urls``."""
    return route.startswith("api/v1/") and pattern.callback.__qualname__.startswith(
        "_login_not_required."
    )


def check_login_required(route: str, pattern, client: Client) -> None:
    """Fails unless an anonymous visitor is refused on ``route`` (not on the public list)."""
    path = sample_path(route)
    if not is_exempt(pattern):
        response = client.get(path)
        assert response.status_code == 302, (route, path, response.status_code)
        assert response["Location"].startswith(LOGIN_PAGES), (route, response["Location"])
        return
    assert is_api_operation(route, pattern), (
        f"{route} ({pattern.name}) est marquée login_not_required sans être dans PUBLIC"
    )
    statuses = {
        method: client.generic(method, path, "{}", content_type="application/json").status_code
        for method in API_METHODS
    }
    assert set(statuses.values()) <= {401, 405}, (route, path, statuses)
    assert 401 in statuses.values(), (route, path, statuses)


def test_login_is_required_by_default():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


def test_every_public_route_exists_and_is_marked_public():
    public = {route: pattern for route, pattern in routes() if route in PUBLIC}
    assert set(public) == PUBLIC  # no stale entry that would later cover another view
    for route, pattern in public.items():
        if route != "admin-technique/login/":  # two patterns: the admin's, and ours redirecting
            assert is_exempt(pattern), route


@pytest.mark.parametrize(
    "route, pattern", routes(), ids=[f"{route} [{pattern.name}]" for route, pattern in routes()]
)
def test_nothing_is_public_by_mistake(route, pattern):
    if route in PUBLIC:
        status = Client().get(sample_path(route)).status_code
        assert status in (200, 302, 404, 405), (route, status)
        return
    check_login_required(route, pattern, Client())


@override_settings(ROOT_URLCONF="tests.public_by_mistake")
@pytest.mark.parametrize("name", ["exempt_page", "exempt_page_with_id", "open_api_operation"])
def test_the_check_fails_for_a_view_made_public_by_mistake(name):
    """The check above catches a page marked ``login_not_required`` (even one answering 404
    for an unknown id) and an API operation whose authentication was dropped."""
    [(route, pattern)] = [(r, p) for r, p in routes() if p.name == name]
    with pytest.raises(AssertionError):
        check_login_required(route, pattern, Client())


@override_settings(ROOT_URLCONF="tests.public_by_mistake")
@pytest.mark.parametrize("name", ["private_page", "closed_api_operation"])
def test_the_check_passes_for_a_view_behind_the_login(name):
    [(route, pattern)] = [(r, p) for r, p in routes() if p.name == name]
    check_login_required(route, pattern, Client())


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
