"""Probable duplicates, and the merge of two files of one person (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tremplin.accounts.access import scope_of
from tremplin.web.shortcuts import visible_object_or_404

from .. import merging, services
from ..duplicates import probable_duplicates
from ..models import Beneficiary
from .imports import require_importer

PAIRS_PER_PAGE = 25


def duplicate_list(request):
    require_importer(request.user)
    visible = Beneficiary.objects.visible_to(request.user)
    pairs = probable_duplicates(visible)
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    ids = {pk for pair in page for pk in (pair.first_id, pair.second_id)}
    people = visible.select_related("operator", "referent").in_bulk(ids)
    rows = [(people[p.first_id], people[p.second_id], p.reason) for p in page]
    return render(
        request,
        "registry/duplicate_list.html",
        {"rows": rows, "page_obj": page, "count": len(pairs)},
    )


def _field_rows(kept, absorbed, choices):
    rows = []
    for name in (*services.MERGED_IDENTIFIERS, *services.MERGED_FIELDS):
        if name == "nir":
            label, left, right = "NIR", kept.nir_masked, absorbed.nir_masked
        elif name == "rsa_number":
            label = "N° d'allocataire RSA"
            left = f"{kept.rsa_number_masked} {kept.rsa_payer}".strip()
            right = f"{absorbed.rsa_number_masked} {absorbed.rsa_payer}".strip()
        else:
            field = Beneficiary._meta.get_field(name)
            label = str(field.verbose_name)
            display = f"get_{name}_display"
            left = getattr(kept, display)() if hasattr(kept, display) else getattr(kept, name)
            right = (
                getattr(absorbed, display)()
                if hasattr(absorbed, display)
                else getattr(absorbed, name)
            )
        rows.append(
            {
                "name": name,
                "label": label[:1].upper() + label[1:],
                "kept": _shown(left),
                "absorbed": _shown(right),
                "same": _shown(left) == _shown(right),
                "choice": choices.get(name, "kept"),
            }
        )
    return rows


def _shown(value) -> str:
    if value in (None, ""):
        return ""
    if value is True:
        return "Oui"
    if value is False:
        return "Non"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if hasattr(value, "get_full_name"):
        return value.get_full_name()
    return str(value)


@require_http_methods(["GET", "POST"])
def merge(request, kept_pk, absorbed_pk):
    if not scope_of(request.user).is_admin:
        raise PermissionDenied("Seul un administrateur peut fusionner deux dossiers.")
    kept = visible_object_or_404(Beneficiary, request, kept_pk)
    absorbed = visible_object_or_404(Beneficiary, request, absorbed_pk)
    choices = services.default_merge_choices(kept, absorbed)
    if request.method == "POST":
        for name in choices:
            if request.POST.get(f"choix_{name}") in ("kept", "absorbed"):
                choices[name] = request.POST[f"choix_{name}"]
        try:
            kept, moved = services.merge_beneficiaries(kept, absorbed, choices=choices)
        except services.MergeRefused as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                f"Le dossier n° {absorbed.pk} est fusionné dans celui-ci ; {moved} "
                + (
                    "enregistrement rattaché a été déplacé."
                    if moved <= 1
                    else "enregistrements rattachés ont été déplacés."
                ),
            )
            return redirect(kept)
    return render(
        request,
        "registry/merge.html",
        {
            "kept": kept,
            "absorbed": absorbed,
            "rows": _field_rows(kept, absorbed, choices),
            "relations": merging.preview(kept, absorbed),
            "refusals": merging.merge_refusals(kept, absorbed),
        },
    )
