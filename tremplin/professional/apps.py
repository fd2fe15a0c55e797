from django.apps import AppConfig


class ProfessionalConfig(AppConfig):
    name = "tremplin.professional"
    label = "professional"
    verbose_name = "Accompagnement professionnel"

    def ready(self):
        from . import panels, timeline

        panels.register()
        timeline.register()
