from django.contrib.auth.decorators import login_not_required, login_required
from django.http import FileResponse
from django.shortcuts import render

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import AuditEntry
from tremplin.rules.sentences import FAMILIES, SENTENCES

from . import jobs, queues
from .glossary import GLOSSARY
from .models import Job
from .panels import HOME, render_place
from .shortcuts import visible_object_or_404

REFRESH_SECONDS = 2


@login_required
def home(request):
    """The greeting, then the sections the apps register for the home (``web.panels``).
    They are built before the badge, which reads the work queues they computed rather than
    counting again; here, where the queues are shown, the badge is counted afresh and kept
    for the next pages (``queues.kept_work_count``)."""
    home_panels = render_place(HOME, request)
    request._tremplin_work_count = queues.fresh_work_count(request.user)
    return render(
        request,
        "web/home.html",
        {"has_no_role": scope_of(request.user).is_empty, "home_panels": home_panels},
    )


@login_required
def job(request, pk):
    """A job's progress (the page refreshes itself until it is over), then its file."""
    job = visible_object_or_404(Job.objects.all(), request, pk)
    job.progress = jobs.progress_of(job)  # the worker's last report, seen while it works
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


@login_not_required
def help_glossary(request):
    """The words of the menus and pages, explained (linked from the footer). Public, as the
    page of rules: they hold the product's words and the law, no one's data, and the login
    page's footer links to them."""
    return render(request, "web/help_glossary.html", {"sections": GLOSSARY})


@login_not_required
def help_rules(request):
    """Every rule's sentence, by family: where each help marker leads."""
    families = [
        (
            letter,
            title,
            [(code, words) for code, words in SENTENCES.items() if code[0] == letter],
        )
        for letter, title in FAMILIES.items()
    ]
    return render(request, "web/help_rules.html", {"families": families})
