from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import AuditEntry

from .models import Job
from .shortcuts import visible_object_or_404

REFRESH_SECONDS = 2


@login_required
def home(request):
    """The greeting, then the sections the apps register for the home (``web.panels``)."""
    return render(request, "web/home.html", {"has_no_role": scope_of(request.user).is_empty})


@login_required
def job(request, pk):
    """A job's progress (the page refreshes itself until it is over), then its file."""
    job = visible_object_or_404(Job.objects.all(), request, pk)
    return render(request, "web/job.html", {"job": job, "refresh_seconds": REFRESH_SECONDS})


@login_required
def job_download(request, pk):
    """The file a job made: its owner's only, audited like the export it is."""
    job = visible_object_or_404(Job.objects.filter(status=Job.Status.DONE), request, pk)
    audit.record(
        AuditEntry.Action.EXPORT,
        job,
        object_repr=f"Téléchargement : {job.title}",
    )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
