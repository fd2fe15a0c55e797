from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tremplin.web"
    label = "web"
    verbose_name = "Pages"
