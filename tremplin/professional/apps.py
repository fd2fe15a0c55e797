from django.apps import AppConfig


class ProfessionalConfig(AppConfig):
    name = "tremplin.professional"
    label = "professional"
    verbose_name = "Accompagnement professionnel"

    def ready(self):
        from . import list_filters, panels, services, team_facts, timeline

        panels.register()
        services.register_hooks()
        list_filters.register()
        timeline.register()
        team_facts.connect()
