from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "tremplin.outcomes"
    label = "outcomes"
    verbose_name = "Sorties et indicateurs"

    def ready(self):
        from . import timeline
        from .exits import connect_signals

        connect_signals()
        timeline.register()
