from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tremplin.registry"
    label = "registry"
    verbose_name = "Répertoire"

    def ready(self):
        from django.db.models.signals import post_migrate

        from tremplin.web import request_limits

        from . import counts, jobs, panels, timeline

        panels.register()
        counts.register()
        timeline.register()
        jobs.register()
        # The lists to import, by page and API, have their own upload limit.
        for view_name in ("registry:import_start", "api:import_beneficiaries"):
            request_limits.LARGER_UPLOADS[view_name] = "TREMPLIN_IMPORT_UPLOAD_MAX_BYTES"
        # The search by name's index on SQLite, (re)built after every migrate.
        post_migrate.connect(_install_search_index, sender=self)


def _install_search_index(sender, using, **kwargs):
    from django.db import connections

    from . import search_index

    search_index.install(connections[using])
