"""The list of conventions, a convention's page and its checks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils import timezone
from django.views import generic

from tremplin.accounts import audit
from tremplin.rules import aid, eligibility
from tremplin.rules.parameters import ParameterError
from tremplin.web.exports import Column, ExportMixin
from tremplin.web.listing import CONVENTIONS, ListFilter, SearchSortPaginateMixin
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import CONVENTION_STEPS
from ..models import Convention
from ..queue import may_acknowledge
from .base import conventions


class ConventionList(LoginRequiredMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    model = Convention
    template_name = "conventions/convention_list.html"
    export_basename = "conventions"
    export_columns = [
        Column("N° de convention", lambda c: c.number),
        Column("Secteur", lambda c: c.sector),
        Column("Statut", lambda c: c.get_status_display()),
        Column("Salarié", lambda c: str(c.beneficiary)),
        Column("Employeur", lambda c: c.employer.name),
        Column("SIRET", lambda c: c.employer.siret),
        Column("Contrat", lambda c: c.contract_type),
        Column("Embauche", lambda c: c.hire_date),
        Column("Fin prévue", lambda c: c.planned_end),
        Column("Début de l'aide", lambda c: c.aid_start),
        Column("Fin de l'aide", lambda c: c.aid_end),
        Column("Heures prises en charge", lambda c: c.subsidised_hours),
        Column("Taux du préfet (%)", lambda c: c.prefect_rate_percent),
        Column("Taux du département (%)", lambda c: c.department_rate_percent),
        Column("Signée le", lambda c: c.signed_on),
    ]
    sort_options = {
        "creation": ("Créée le", ("-created_at",)),
        "salarie": ("Salarié", ("beneficiary__last_name", "beneficiary__first_names")),
        "employeur": ("Employeur", ("employer__name",)),
        "embauche": ("Embauche", ("hire_date",)),
        "numero": ("N°", ("number_year", "number_order")),
    }
    default_sort = "creation"
    list_name = CONVENTIONS
    list_filters = (
        ListFilter(
            "statut",
            "Statut",
            lambda request: (
                [("brouillon", "Brouillon")]
                + [(s.value, s.label) for s in Convention.Status if s != Convention.Status.DRAFT]
            ),
            # "brouillon": the address the agent's work queue links to ("to sign").
            lambda queryset, value, request: queryset.in_status(
                Convention.Status.DRAFT if value == "brouillon" else value
            ),
            order=10,
        ),
        ListFilter(
            "secteur",
            "Secteur",
            lambda request: list(Convention.Sector.choices),
            lambda queryset, value, request: queryset.filter(sector=value),
            order=20,
        ),
    )

    def get_queryset(self):
        # The suspensions prefetched: the status of a row reads them (rule C9, « Suspendue »).
        queryset = (
            Convention.objects.visible_to(self.request.user)
            .select_related("beneficiary", "employer", "rupture")
            .prefetch_related("suspensions")
        )
        return self.apply_search_and_sort(queryset)


def schedule_or_error(convention) -> tuple[aid.AidSchedule | None, str]:
    """The convention's aid month by month, or why it cannot be computed yet (in French)."""
    try:
        return services.schedule_of(convention), ""
    except (aid.AidRuleError, ParameterError) as error:
        return None, str(error)


def findings_context(convention) -> dict:
    """Every check of the convention on the day of its signature (today for a draft)."""
    findings = services.findings_of(
        convention, signature_date=convention.signed_on or timezone.localdate()
    )
    return {
        "convention": convention,
        "findings": findings,
        "blocking_count": len(eligibility.blocking_findings(findings)),
    }


@login_required
def convention_detail(request, pk):
    convention = visible_object_or_404(conventions(), request, pk)
    audit.record_view(convention)
    schedule, schedule_error = schedule_or_error(convention)
    context = {
        **findings_context(convention),
        "schedule": schedule,
        "schedule_error": schedule_error,
        "rate_decision": services.rate_decision(convention),
        "proposal": services.propose_category(convention),
        "amendments": convention.amendments.all(),
        "suspensions": convention.suspensions.select_related("acknowledged_by"),
        "immersions": convention.immersions.all(),
        "rupture": convention.rupture_or_none(),
        "may_acknowledge": may_acknowledge(request.user),
        "proofs": services.expected_proofs(convention),
        "today": timezone.localdate(),
        "steps": [(index, legend) for index, (legend, _) in enumerate(CONVENTION_STEPS, 1)],
    }
    return render(request, "conventions/convention_detail.html", context)


@login_required
def convention_check(request, pk):
    """ "Vérifier": every finding at once, each citing its rule."""
    convention = visible_object_or_404(conventions(), request, pk)
    return render(request, "conventions/convention_check.html", findings_context(convention))
