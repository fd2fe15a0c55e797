"""System checks of the accounts' security settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs):
    if settings.TREMPLIN_OTP_REQUIRED:
        return []
    return [
        Warning(
            "La double authentification n'est pas exigée des agents du département et des "
            "administrateurs (TREMPLIN_OTP_REQUIRED est désactivé).",
            hint="Retirez TREMPLIN_OTP_REQUIRED=0 de l'environnement de production.",
            id="tremplin.W001",
        )
    ]


@register(Tags.security, deploy=True)
def oidc_configured(app_configs, **kwargs):
    if not settings.TREMPLIN_OIDC_ENABLED:
        return []
    missing = [
        name
        for name, value in (
            ("TREMPLIN_OIDC_CLIENT_ID", settings.OIDC_RP_CLIENT_ID),
            ("TREMPLIN_OIDC_CLIENT_SECRET", settings.OIDC_RP_CLIENT_SECRET),
            ("TREMPLIN_OIDC_ISSUER", settings.TREMPLIN_OIDC_ISSUER),
        )
        if not value
    ]
    if not missing:
        return []
    return [
        Warning(
            f"La connexion OpenID Connect est activée sans {', '.join(missing)}.",
            hint="Définissez ces variables ou retirez TREMPLIN_OIDC_ENABLED.",
            id="tremplin.W002",
        )
    ]
