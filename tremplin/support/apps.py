from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "tremplin.support"
    label = "support"
    verbose_name = "Accompagnements"

    def ready(self):
        from . import merging, panels

        panels.register()
        merging.register()
