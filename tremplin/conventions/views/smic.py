"""The hourly gross SMIC (rules E1, F10): the series shipped with the product and the values
entered by the département's agents and the administrators, layered over it; a value typed
here changes the next schedules without a release."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tremplin.rules import aid, parameters, staleness
from tremplin.web.dates import french_date
from tremplin.web.form_pages import form_page

from .. import services
from ..forms import SmicValueForm
from ..models import SMIC_SERIES, SmicValue
from .orders import order_regions


def may_enter_smic(user) -> bool:
    """Département agents and administrators (the same people as for the orders, rule E1)."""
    return bool(order_regions(user))


@login_required
def smic_list(request):
    """Every value in force since 2010, which one the product uses at each date, and the
    staleness warning (rule E1)."""
    entered = {value.valid_from: value for value in SmicValue.objects.select_related("created_by")}
    shipped = {entry.valid_from for entry in parameters.series(SMIC_SERIES).entries}
    layered = services.smic_series()
    rows = [
        {
            "entry": entry,
            "entered": entered.get(entry.valid_from),
            "replaces_shipped": entry.valid_from in shipped and entry.valid_from in entered,
        }
        for entry in reversed(layered.entries)
    ]
    return render(
        request,
        "conventions/smic_list.html",
        {
            "rows": rows,
            "stale": staleness.smic_staleness(timezone.localdate(), layered),
            "may_enter": may_enter_smic(request.user),
        },
    )


@login_required
def smic_create(request):
    if not may_enter_smic(request.user):
        raise PermissionDenied(
            "Le SMIC est saisi par les agents du département et les administrateurs (règle E1)."
        )
    form = SmicValueForm(request.POST or None)
    return form_page(
        request,
        form,
        "conventions/smic_form.html",
        {"cancel_url": reverse("conventions:smic")},
        save=lambda: services.record_smic_value(form.save(commit=False), user=request.user),
        success=lambda value: (
            f"SMIC horaire brut de {aid.french_euros(value.value)} enregistré à partir du "
            f"{french_date(value.valid_from)} : l'aide des mois qui suivent le retient (règle F10)."
        ),
        next_url=reverse("conventions:smic"),
    )
