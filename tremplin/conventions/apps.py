from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "tremplin.conventions"
    label = "conventions"
    verbose_name = "Conventions CUI"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from tremplin.registry.models import Beneficiary

        from . import panels, timeline
        from .queue import conventions_changed

        panels.register()
        timeline.register()
        # The agent's kept readings are read again after any write of what they read.
        for model in [*self.get_models(), Beneficiary]:
            post_save.connect(conventions_changed, sender=model, dispatch_uid=f"kept-{model}")
            post_delete.connect(conventions_changed, sender=model, dispatch_uid=f"kept-d-{model}")
