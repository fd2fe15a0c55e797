from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tremplin.registry"
    label = "registry"
    verbose_name = "Répertoire"

    def ready(self):
        from tremplin.web import request_limits

        from . import jobs, panels, timeline

        panels.register()
        timeline.register()
        jobs.register()
        # The lists to import, by page and API, have their own upload limit.
        for view_name in ("registry:import_start", "api:import_beneficiaries"):
            request_limits.LARGER_UPLOADS[view_name] = "TREMPLIN_IMPORT_UPLOAD_MAX_BYTES"
