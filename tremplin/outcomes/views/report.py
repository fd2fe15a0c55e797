"""The département's periodic report as a PDF: the indicator page's numbers, targets and
charts, and the notes typed under the page, for an operator (or the scope) and a period."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry
from tremplin.web import jobs
from tremplin.web.dates import french_date
from tremplin.web.models import Job
from tremplin.web.pdf import pdf_response, render_pdf

from ..forms import ReportNotesForm
from ..indicators import EXIT_COUNTS
from ..models import Situation
from .indicators import IndicatorPage


class IndicatorReport(IndicatorPage):
    def get(self, request, *args, **kwargs):
        notes_form = ReportNotesForm(request.GET)
        if not self.filter_form.is_valid() or not notes_form.is_valid():
            # The page says what is wrong with the filters, in French.
            return redirect(f"{reverse('outcomes:indicators')}?{request.GET.urlencode()}")
        if not jobs.in_job():  # the indicators and the charts take a while: the worker's
            return jobs.start(request, kind=Job.Kind.PDF, title="Rapport PDF des indicateurs")
        indicators = self.indicator_context()
        context = {
            **indicators,
            "exit_count_rows": [
                (count, indicators["exit_counts"][count.code]) for count in EXIT_COUNTS
            ],
            "notes": notes_form.cleaned_data["notes"],
            "printed_on": timezone.localdate(),
            "printed_by": request.user,
        }
        pdf = render_pdf("outcomes/pdf/indicator_report.html", context, request=request)
        first, last = self.period.first_day, self.period.last_day
        audit.record(
            AuditEntry.Action.EXPORT,
            object_type=Situation._meta.label_lower,
            object_repr=f"Rapport PDF des indicateurs : {self.operator or 'toutes les structures'}, "
            f"{french_date(first)}-{french_date(last)}",
        )
        return pdf_response(pdf, f"rapport-indicateurs-{first:%Y-%m-%d}-{last:%Y-%m-%d}.pdf")
