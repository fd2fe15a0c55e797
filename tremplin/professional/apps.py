from django.apps import AppConfig


class ProfessionalConfig(AppConfig):
    name = "tremplin.professional"
    label = "professional"
    verbose_name = "Accompagnement professionnel"
