from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "tremplin.companies"
    label = "companies"
    verbose_name = "Relations entreprises"

    def ready(self):
        from . import panels

        panels.register()
