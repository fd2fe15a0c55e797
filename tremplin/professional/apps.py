from django.apps import AppConfig


class ProfessionalConfig(AppConfig):
    name = "tremplin.professional"
    label = "professional"
    verbose_name = "Accompagnement professionnel"

    def ready(self):
        from . import list_filters, panels, timeline

        panels.register()
        list_filters.register()
        timeline.register()
