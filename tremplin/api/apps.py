from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tremplin.api"
    label = "api"
    verbose_name = "API"
