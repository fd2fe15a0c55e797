"""The livret d'accompagnement (A6): the documents added to it, and the whole livret as one
PDF."""

from __future__ import annotations

import base64
import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from tremplin.accounts import audit
from tremplin.web import jobs
from tremplin.web.form_pages import form_page
from tremplin.web.models import Job
from tremplin.web.pdf import pdf_response, render_pdf
from tremplin.web.shortcuts import visible_object_or_404

from .. import services, uploads
from ..forms import DocumentForm
from .base import episodes
from .deliverables import deliverable_rows


@login_required
def document_upload(request, pk):
    episode = visible_object_or_404(episodes(), request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save():
        return services.add_document(
            episode,
            category=form.cleaned_data["category"],
            title=form.cleaned_data["title"],
            upload=services.Upload(
                form.cleaned_data["file"].name,
                form.kind.content_type,
                form.kind.extension,
                form.content,
            ),
            user=request.user,
        )

    return form_page(
        request,
        form,
        "support/document_form.html",
        {"episode": episode, "cancel_url": episode.get_absolute_url()},
        save=save,
        success=lambda document: f"« {document.title} » rejoint le livret.",
        next_url=episode.get_absolute_url() + "#livret",
    )


@login_required
def document_download(request, pk, document_pk):
    episode = visible_object_or_404(episodes(), request, pk)
    document = get_object_or_404(episode.documents, pk=document_pk)
    audit.record_view(document)
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=document.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def image_data_uri(document) -> str:
    """The uploaded image inlined as a ``data:`` URI: read through the storage (local
    files or S3-compatible object storage alike), never from a path on this server."""
    with document.file.open("rb") as handle:
        content = base64.b64encode(handle.read()).decode()
    return f"data:{document.content_type};base64,{content}"


def livret_context(episode) -> dict:
    """Cover, contents, meeting reports, deliverables and the uploaded images."""
    deadlines = [
        (deadline, deliverable_rows(deadline, deadline.content.items))
        for deadline in episode.deadlines.select_related("content")
        if deadline.has_items and hasattr(deadline, "content")
    ]
    documents = list(episode.documents.all())
    for document in documents:
        document.image_url = image_data_uri(document) if document.is_image else ""
    return {
        "episode": episode,
        "meetings": [m for m in episode.meetings.all() if m.report],
        "deadlines": deadlines,
        "documents": documents,
        "today": timezone.localdate(),
    }


def append_uploaded_pdfs(livret: bytes, documents) -> bytes:
    """The livret followed by each uploaded PDF; an unreadable upload is skipped, not fatal
    (it stays listed in the livret and downloadable on its own)."""
    writer = PdfWriter(clone_from=io.BytesIO(livret))
    for document in documents:
        try:
            with document.file.open("rb") as handle:
                writer.append(PdfReader(io.BytesIO(handle.read())))
        except (PdfReadError, OSError, ValueError):
            continue
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@login_required
def livret_pdf(request, pk):
    """The whole livret as one PDF (A6): cover, contents, meeting reports, deliverables, the
    uploaded images, then the uploaded PDFs' pages; office files are listed by name."""
    episode = visible_object_or_404(episodes(), request, pk)
    if not jobs.in_job():
        # Tens of seconds for a thick livret: made by the worker, the person's file read
        # (and audited) there, with the user's rights checked again (web/jobs.py).
        return jobs.start(request, kind=Job.Kind.PDF, title=f"Livret de {episode.beneficiary}")
    audit.record_view(episode)
    context = livret_context(episode)
    pdf = render_pdf("support/livret_pdf.html", context)
    pdf = append_uploaded_pdfs(pdf, [d for d in context["documents"] if d.is_pdf])
    name = f"livret-{episode.beneficiary.last_name}.pdf".replace(" ", "_")
    # The person's name as typed: made safe for every browser by support.uploads.
    return pdf_response(pdf, name, disposition=uploads.content_disposition(name))
