"""The aid without a convention (simulator), the payment list of a month and the forecast
of the next 24 months (rules E6, F6, F10)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from tremplin.rules import aid
from tremplin.rules.parameters import ParameterError
from tremplin.web import jobs
from tremplin.web.exports import FORMATS, Column, ExportSource, export_response
from tremplin.web.models import Job

from .. import payments, services
from ..forms import SimulatorForm
from ..models import Convention
from ..payments import ZERO


def simulator(request):
    """The aid without a convention: open to employers and agents alike."""
    form = SimulatorForm(request.GET or None)
    schedule = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = aid.aid_schedule(
                data["start"],
                data["end"],
                data["rate"],
                data["hours"],
                suspensions=data["suspensions"],
                smic=services.smic_series(),
            )
        except (aid.AidRuleError, ParameterError) as error:
            form.add_error(None, str(error))
    return render(request, "conventions/simulator.html", {"form": form, "schedule": schedule})


def month_from(request) -> str:
    """The month of ``?mois=YYYY-MM``, this month when absent or not a month."""
    raw = request.GET.get("mois", "")
    try:
        datetime.date.fromisoformat(raw + "-01")
        return raw
    except ValueError:
        return payments.month_key(timezone.localdate())


def payment_columns(month: str) -> list[Column]:
    return [
        Column("Mois", lambda line: month),
        Column("N° de convention", lambda line: line.convention.number),
        Column("Employeur", lambda line: line.convention.employer.name),
        Column("SIRET", lambda line: line.convention.employer.siret),
        Column("Salarié", lambda line: str(line.convention.beneficiary)),
        Column("Financeur", lambda line: line.funder_label),
        Column("Jours couverts", lambda line: line.days_covered),
        Column("Montant (€)", lambda line: line.amount),
        Column("Justificatifs manquants", lambda line: line.missing_proofs),
    ]


def funder_totals(lines) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.funder_label] = totals.get(line.funder_label, ZERO) + line.amount
    return totals


@login_required
def payment_list(request):
    """The aid due in a month per employer and funder, CSV/XLSX.

    The page shows the totals over every line and the lines a page at a time (20,000
    conventions run in a month in a département); the exports hold every line."""
    key = month_from(request)
    conventions = Convention.objects.visible_to(request.user)
    fmt = request.GET.get("format")
    if fmt in FORMATS and jobs.above_threshold(conventions.count()):
        # Computing the lines is the long part (about 16 s for 20,000 conventions): a job.
        return jobs.start(
            request, kind=Job.Kind.EXPORT, title=f"Liste des paiements {key} ({fmt.upper()})"
        )
    lines = payments.payment_lines(conventions, key)
    if fmt in FORMATS:
        source = ExportSource.of_rows(lines, Convention)
        return export_response(fmt, f"paiements-{key}", payment_columns(key), source)
    page = Paginator(lines, settings.TREMPLIN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "conventions/payment_list.html",
        {
            "month": key,
            "previous_month": payments.add_months(key, -1),
            "next_month": payments.add_months(key, 1),
            "lines": page.object_list,
            "page_obj": page,
            "line_count": len(lines),
            "totals": payments.totals_per_employer(lines),
            "funder_totals": funder_totals(lines),
            "grand_total": sum((line.amount for line in lines), ZERO),
        },
    )


def forecast_columns() -> list[Column]:
    return [
        Column("Mois", lambda row: row.month),
        *(
            Column(f"{label} (€)", lambda row, code=code: row.by_funder.get(code, ZERO))
            for code, label in aid.FUNDER_LABELS.items()
        ),
        Column("Total (€)", lambda row: row.total),
    ]


@login_required
def forecast(request):
    """The aid committed over the next 24 months, table and server-rendered chart."""
    start = month_from(request)
    rows = payments.forecast(Convention.objects.visible_to(request.user), start)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        source = ExportSource.of_rows(rows, Convention)
        return export_response(fmt, f"prevision-{start}", forecast_columns(), source)
    return render(
        request,
        "conventions/forecast.html",
        {
            "rows": rows,
            "start": start,
            "chart": payments.forecast_chart_svg(rows),
            "funders": list(aid.FUNDER_LABELS.items()),
            "grand_total": sum((row.total for row in rows), ZERO),
        },
    )
