from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, two_factor, views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("connexion/code/", two_factor.login_code, name="login_code"),
    path("connexion/oidc/", oidc.authenticate, name="oidc_authenticate"),
    path("connexion/oidc/retour/", oidc.callback, name="oidc_callback"),
    path("mot-de-passe/changer/", views.PasswordChangeView.as_view(), name="password_change"),
    path("double-authentification/", two_factor.two_factor, name="two_factor"),
    path("double-authentification/activer/", two_factor.enrol, name="enrol"),
    path("double-authentification/codes/", two_factor.recovery_codes, name="recovery_codes"),
    path(
        "double-authentification/codes/nouveaux/",
        two_factor.new_recovery_codes,
        name="new_recovery_codes",
    ),
    path("double-authentification/retirer/", two_factor.remove, name="two_factor_remove"),
    path(
        "double-authentification/reinitialiser/",
        two_factor.reset,
        name="two_factor_reset",
    ),
    path("", views.account, name="account"),
    path("jetons/<int:pk>/revoquer/", views.revoke_token, name="revoke_token"),
    path("journal/", views.audit_log, name="audit_log"),
]
