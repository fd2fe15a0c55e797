"""The beneficiaries' import of a long list, done by the job queue's worker (web/jobs.py):
its preview (a dry run of every row) and its confirmation, each a job of the importer."""

from __future__ import annotations

from tremplin.web import jobs
from tremplin.web.models import Job

from . import services
from .models import BeneficiaryImport

KIND = Job.Kind.IMPORT
PREVIEW, CONFIRM = "preview", "confirm"

NOT_VISIBLE = (
    "Cette liste n'est plus accessible avec votre compte : {outcome}. Demandez à un "
    "administrateur de vérifier vos droits."
)


def params(beneficiary_import: BeneficiaryImport, step: str) -> dict:
    return {"import": beneficiary_import.pk, "step": step}


def run_in_job(job: Job) -> str:
    """Preview or confirm the import ``job.params["import"]`` as the job's owner (the
    importer, who must still see it); the import's page, where each row's outcome is shown
    (as it would be, or as it was)."""
    step = job.params.get("step", CONFIRM)
    outcome = "aucun aperçu n'a été préparé" if step == PREVIEW else "rien n'a été importé"
    beneficiary_import = (
        BeneficiaryImport.objects.visible_to(job.owner)
        .select_related("operator")
        .filter(pk=job.params.get("import"))
        .first()
    )
    if beneficiary_import is None:
        raise jobs.JobRefused(NOT_VISIBLE.format(outcome=outcome))
    # Before the preview: the count of lines read at the upload; then the rows previewed.
    total = beneficiary_import.rows or None
    try:
        if step == PREVIEW:
            services.preview_import(
                beneficiary_import, progress=lambda done: jobs.report_progress(done, total)
            )
        else:
            services.confirm_import(
                beneficiary_import,
                progress=lambda done: jobs.report_progress(done, total),
                previewed_only=True,
            )
    except services.ImportRefused as refusal:
        raise jobs.JobRefused(" ".join(refusal.messages)) from None
    return beneficiary_import.get_absolute_url()


def register() -> None:
    jobs.HANDLERS[KIND] = run_in_job
