"""The coordinator's view of the interview cadence (P4): the people of the open professional
supports who are below it, sortable, exported in CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from tremplin.registry.models import Beneficiary
from tremplin.support.models import SupportEpisode
from tremplin.web.exports import FORMATS, Column, ExportSource, export_response

from ..cadence import cadences
from ..models import professional_episodes

SORTS = {
    "nom": ("Personne", lambda r: (r.person.lower(), r.episode_id)),
    "referent": ("Référent·e", lambda r: (r.referent.lower(), r.person.lower())),
    "manquants": ("Entretiens manquants", lambda r: (r.missing, r.behind_months)),
    "retard": ("Mois en retard", lambda r: (r.behind_months, r.missing)),
    "fin": ("Fin de l'accompagnement", lambda r: (r.end,)),
}
DEFAULT_SORT = "-manquants"
PAGE_SIZE = 25

CADENCE_COLUMNS = [
    Column("Personne", lambda r: r.person),
    Column("Référent·e", lambda r: r.referent),
    Column("Début", lambda r: r.started_on),
    Column("Fin", lambda r: r.end),
    Column("Entretiens manquants", lambda r: r.missing),
    Column("Mois révolus en retard", lambda r: r.behind_months),
    Column("Entretiens ce mois", lambda r: r.current.done if r.current else 0),
    Column("Exigés ce mois", lambda r: r.current.required if r.current else 0),
]


def below_cadence_rows(user, search: str = ""):
    queryset = professional_episodes(user).open()
    if search:
        queryset = queryset.filter(
            beneficiary__in=Beneficiary.objects.visible_to(user).search(search).values("pk")
        )
    return [row for row in cadences(queryset) if row.below]


def sort_of(request) -> tuple[str, bool]:
    """The ``?tri=`` key and direction; the default when the key is unknown."""
    raw = request.GET.get("tri", DEFAULT_SORT)
    key = raw.lstrip("-")
    if key not in SORTS:
        return DEFAULT_SORT.lstrip("-"), DEFAULT_SORT.startswith("-")
    return key, raw.startswith("-")


@login_required
def below_cadence(request):
    search = request.GET.get("q", "").strip()
    rows = below_cadence_rows(request.user, search)
    key, descending = sort_of(request)
    rows.sort(key=SORTS[key][1], reverse=descending)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        source = ExportSource.of_rows(rows, SupportEpisode)
        return export_response(
            fmt, "personnes-sous-la-cadence", CADENCE_COLUMNS, source, request=request
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "professional/below_cadence.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "total": len(rows),
            "missing_total": sum(r.missing for r in rows),
            "search_text": search,
            "sort_columns": [
                {"key": k, "label": label, "active": k == key, "descending": descending}
                for k, (label, _) in SORTS.items()
            ],
        },
    )
