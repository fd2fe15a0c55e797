"""The beneficiaries' import of a long list, done by the job queue's worker (web/jobs.py)."""

from __future__ import annotations

from tremplin.web import jobs
from tremplin.web.models import Job

from . import services
from .models import BeneficiaryImport

KIND = Job.Kind.IMPORT


def confirm_in_job(job: Job) -> str:
    """Confirm the import ``job.params["import"]`` as the job's owner (the importer, who
    must still see it); the import's page, where the outcome of each row is shown."""
    beneficiary_import = (
        BeneficiaryImport.objects.visible_to(job.owner)
        .select_related("operator")
        .filter(pk=job.params.get("import"))
        .first()
    )
    if beneficiary_import is None:
        raise jobs.JobRefused(
            "Cette liste n'est plus accessible avec votre compte : rien n'a été importé. "
            "Demandez à un administrateur de vérifier vos droits."
        )
    total = beneficiary_import.rows or None
    try:
        services.confirm_import(
            beneficiary_import, progress=lambda done: jobs.report_progress(done, total)
        )
    except services.ImportRefused as refusal:
        raise jobs.JobRefused(" ".join(refusal.messages)) from None
    return beneficiary_import.get_absolute_url()


def register() -> None:
    jobs.HANDLERS[KIND] = confirm_in_job
