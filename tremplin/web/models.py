"""What the ground layer stores: the one-time tokens of the forms already sent."""

from django.db import models


class FormSubmission(models.Model):
    """A form token used once (``tremplin.web.once``): the digest of the token, and where
    the first submission led, so that a second click is sent there instead of saving twice."""

    digest = models.CharField("empreinte du jeton", max_length=64, unique=True)
    path = models.CharField("adresse du formulaire", max_length=500)
    result_url = models.CharField("résultat du premier envoi", max_length=2000, blank=True)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "formulaire envoyé"
        verbose_name_plural = "formulaires envoyés"

    def __str__(self) -> str:
        return f"{self.path} ({self.created_at:%d/%m/%Y %H:%M})"
