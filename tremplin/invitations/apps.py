from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "tremplin.invitations"
    label = "invitations"
    verbose_name = "Invitations, rappels et présence"

    def ready(self):
        from . import panels

        panels.register()
