"""A urlconf with views made public by mistake, for ``tests/test_public_urls.py`` to show
that its check fails on them: a page marked ``login_not_required`` (one of them answering
404 for an id that does not exist, as a public detail page would), an API operation without
authentication (mounted as ``tremplin.api.urls`` mounts the API), and a page behind the
login for comparison."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import include, path
from ninja import NinjaAPI

from tremplin.api.urls import _login_not_required
from tremplin.web.api.auth import ApiTokenAuth


def private_page(request):
    return HttpResponse("privé")


@login_not_required
def exempt_page(request):
    return HttpResponse("public par erreur")


@login_not_required
def exempt_page_with_id(request, pk):
    raise Http404  # as a public detail page answers for an id that does not exist


api = NinjaAPI(auth=[ApiTokenAuth()], urls_namespace="public_by_mistake_api", docs_url=None)


@api.get("/open", auth=None, url_name="open_api_operation")
def open_operation(request):
    return {"public": "par erreur"}


@api.get("/closed", url_name="closed_api_operation")
def closed_operation(request):
    return {"privé": True}


def _api_patterns():
    patterns, app_name, namespace = api.urls
    return (
        [
            p.__class__(p.pattern, _login_not_required(p.callback), p.default_args, p.name)
            for p in patterns
        ],
        app_name,
        namespace,
    )


urlpatterns = [
    path("compte/", include("tremplin.accounts.urls")),  # the login page the check expects
    path("prive/", private_page, name="private_page"),
    path("public/", exempt_page, name="exempt_page"),
    path("public/<int:pk>/", exempt_page_with_id, name="exempt_page_with_id"),
    path("api/v1/", _api_patterns()),
]
