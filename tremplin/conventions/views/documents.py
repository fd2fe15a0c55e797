"""The convention laid out like the cerfa (rule F1) and the repayment notice after an
unlawful employer rupture (rule F13), as PDFs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.web.pdf import pdf_response
from tremplin.web.shortcuts import visible_object_or_404

from .. import pdf, services
from ..models import Rupture
from .base import conventions


def convention_pdf_response(content: bytes, convention, kind: str):
    name = convention.number or f"brouillon-{convention.pk}"
    return pdf_response(content, f"{kind}-{name}.pdf", attachment=False)


@login_required
def repayment_notice(request, pk):
    """The repayment notice after an unlawful employer rupture (rule F13), HTML or PDF."""
    convention = visible_object_or_404(conventions(), request, pk)
    rupture = get_object_or_404(Rupture, convention=convention)
    repayment = services.repayment_of(convention, rupture)
    if request.GET.get("format") == "pdf":
        content = pdf.repayment_notice_pdf(convention, rupture, repayment)
        return convention_pdf_response(content, convention, "reversement")
    return render(
        request,
        "conventions/repayment_notice.html",
        {
            "convention": convention,
            "rupture": rupture,
            "repayment": repayment,
            "today": timezone.localdate(),
        },
    )


@login_required
def convention_pdf(request, pk):
    convention = visible_object_or_404(conventions(), request, pk)
    audit.record_view(convention)
    in_full = pdf.may_print_identifiers(request.user, convention)
    content = pdf.convention_pdf(convention, identifiers_in_full=in_full)
    if in_full:
        pdf.record_identifiers_printed(convention)
    return convention_pdf_response(content, convention, "convention")
