from django.contrib import admin
from django.urls import include, path

from tremplin.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("compte/", include("tremplin.accounts.urls")),
    path("repertoire/", include("tremplin.registry.urls")),
    path("conventions/", include("tremplin.conventions.urls")),
    path("accompagnements/", include("tremplin.support.urls")),
    path("accompagnement-professionnel/", include("tremplin.professional.urls")),
    path("progression/", include("tremplin.progress.urls")),
    path("entreprises/", include("tremplin.companies.urls")),
    path("sorties/", include("tremplin.outcomes.urls")),
    path("api/v1/", include("tremplin.api.urls")),
    path("admin-technique/", admin.site.urls),
]
