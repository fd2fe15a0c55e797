from django.urls import URLPattern, path

from . import docs
from .api import api

# The API authenticates every call itself (a bearer token or the browser's session) and
# answers 401 without one: Django's LoginRequiredMiddleware must not send programs to the
# login page. Only the documentation, the OpenAPI document and the root (django-ninja's 404
# naming the documentation's address) keep the middleware's login.
DOCUMENTATION = {"openapi-json", "openapi-view", "api-root"}


def _login_not_required(callback):
    def view(request, *args, **kwargs):
        return callback(request, *args, **kwargs)

    view.__dict__.update(getattr(callback, "__dict__", {}))
    view.csrf_exempt = getattr(callback, "csrf_exempt", False)
    view.login_required = False
    return view


def _api_patterns():
    patterns, app_name, namespace = api.urls
    marked = [
        pattern
        if not isinstance(pattern, URLPattern) or pattern.name in DOCUMENTATION
        else URLPattern(
            pattern.pattern,
            _login_not_required(pattern.callback),
            pattern.default_args,
            pattern.name,
        )
        for pattern in patterns
    ]
    return marked, app_name, namespace


urlpatterns = [
    path("docs/assets/<str:name>", docs.swagger_asset, name="api_docs_asset"),
    path("", _api_patterns()),
]
