from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "tremplin.outcomes"
    label = "outcomes"
    verbose_name = "Sorties et indicateurs"

    def ready(self):
        from . import services, timeline

        services.register_hooks()
        timeline.register()
