from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "tremplin.support"
    label = "support"
    verbose_name = "Accompagnements"

    def ready(self):
        from . import list_filters, merging, panels, services, timeline_events

        panels.register()
        list_filters.register()
        merging.register()
        timeline_events.register()
        services.register_hooks()
