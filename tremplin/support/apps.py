from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "tremplin.support"
    label = "support"
    verbose_name = "Accompagnements"

    def ready(self):
        from . import panels, services

        panels.register()
        services.register_hooks()
