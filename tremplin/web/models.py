"""What the ground layer stores: the one-time tokens of the forms already sent, and the
jobs that do long work outside the request."""

from django.conf import settings
from django.core.validators import MaxValueValidator
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


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is its owner's only: the file it made was made with the owner's rights."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    """Long work done outside the request (``tremplin.web.jobs``): a large export, a PDF,
    the month's payment list, a large import. The worker replays the page ``path`` as
    ``owner`` and keeps the file it answered (or runs the handler an app registered for
    ``kind`` with ``params``, which gives the page of the result); its owner follows the
    progress, then downloads the file or opens the result."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Export"
        PDF = "pdf", "Document PDF"
        IMPORT = "import", "Import"

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En préparation"
        DONE = "done", "Prêt"
        FAILED = "failed", "Échec"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name="demandé par",
    )
    kind = models.CharField("nature", max_length=10, choices=Kind.choices)
    title = models.CharField("intitulé", max_length=200)
    path = models.CharField("page demandée", max_length=2000)
    params = models.JSONField("paramètres", default=dict, blank=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(
        "avancement (%)",
        default=0,
        validators=[MaxValueValidator(100)],
    )
    file = models.FileField("fichier", upload_to="taches/%Y/%m/", blank=True)
    filename = models.CharField("nom du fichier", max_length=255, blank=True)
    content_type = models.CharField("type du fichier", max_length=120, blank=True)
    result_url = models.CharField("page du résultat", max_length=500, blank=True)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "tâche"
        verbose_name_plural = "tâches"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="web_job_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
