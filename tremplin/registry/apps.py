from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tremplin.registry"
    label = "registry"
    verbose_name = "Répertoire"

    def ready(self):
        from . import jobs, panels, timeline

        panels.register()
        timeline.register()
        jobs.register()
