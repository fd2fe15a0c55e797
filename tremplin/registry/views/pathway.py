"""The person's pathway on one timeline (``web.timeline``: each app's events), filterable by
kind, exportable as CSV or XLSX with the person's name."""

from __future__ import annotations

from django.shortcuts import render

from tremplin.accounts import audit
from tremplin.web import timeline
from tremplin.web.exports import FORMATS, Column, ExportSource, export_response
from tremplin.web.shortcuts import visible_object_or_404

from ..models import Beneficiary


def pathway(request, pk):
    beneficiary = visible_object_or_404(Beneficiary, request, pk)
    kinds = timeline.kinds()
    known = {key for key, _ in kinds}
    chosen = {key for key in request.GET.getlist("type") if key in known}
    events = timeline.events_for(request.user, beneficiary.person_ids(), chosen or None)
    labels = dict(kinds)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        columns = [
            Column("Bénéficiaire", lambda e: str(beneficiary)),
            Column("Date", lambda e: e.day),
            Column("Type", lambda e: labels.get(e.kind, e.kind)),
            Column("Événement", lambda e: e.title),
            Column("Détail", lambda e: e.detail),
        ]
        return export_response(
            fmt,
            f"parcours-{beneficiary.pk}",
            columns,
            ExportSource.of_rows(events, Beneficiary),
        )
    audit.record_view(beneficiary)
    unique_kinds = list(dict(kinds).items())
    return render(
        request,
        "registry/pathway.html",
        {
            "object": beneficiary,
            "events": [(event, labels.get(event.kind, event.kind)) for event in events],
            "kinds": [(key, label, key in chosen) for key, label in unique_kinds],
            "chosen": chosen,
        },
    )
