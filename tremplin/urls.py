from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from tremplin.web import health
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
    path("invitations/", include("tremplin.invitations.urls")),
    # The person's personal link to answer an invitation: public (no account).
    path("rdv/", include("tremplin.invitations.public_urls")),
    path("api/v1/", include("tremplin.api.urls")),
    path("taches/", include("tremplin.web.urls")),
    path("aide/glossaire/", web_views.help_glossary, name="help_glossary"),
    path("aide/regles/", web_views.help_rules, name="help_rules"),
    path("sante/", health.health, name="health"),
    # The technical admin's own login page would skip the throttling and the second factor.
    path(
        "admin-technique/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    ),
    # Its password change is the project's (the password rules, the audit log); its own pages
    # would bring a log-out form without the one-time token (web/once.py).
    path(
        "admin-technique/password_change/",
        RedirectView.as_view(pattern_name="accounts:password_change"),
    ),
    path(
        "admin-technique/password_change/done/",
        RedirectView.as_view(pattern_name="admin:index"),
    ),
    path("admin-technique/", admin.site.urls),
]
