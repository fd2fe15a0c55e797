from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "tremplin.conventions"
    label = "conventions"
    verbose_name = "Conventions CUI"

    def ready(self):
        from . import timeline

        timeline.register()
