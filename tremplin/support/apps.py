from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "tremplin.support"
    label = "support"
    verbose_name = "Accompagnements"

    def ready(self):
        from . import merging, panels, timeline_events

        panels.register()
        merging.register()
        timeline_events.register()
