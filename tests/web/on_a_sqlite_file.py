"""What the scripts run in a process of their own (``concurrent_clicks``, ``concurrent_reads``)
share: Django started on the SQLite file of ``DATABASE_URL`` with the test settings, the
tables made, and a referent with one in-employment support."""

from __future__ import annotations

import os


def a_referent_with_a_support():
    """Set Django up on the file and return ``(episode, referent, settings)``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django
    from django.apps import apps
    from django.conf import settings

    django.setup()
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)

    from tests import factories
    from tests.support.factories import episode_for

    territory = factories.TerritoryFactory()
    referent = factories.referent(factories.OrganisationFactory(territory=territory))
    return episode_for(referent), referent, settings
