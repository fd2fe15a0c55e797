"""Pages of the conventions. Thin: access through ``visible_to``, decisions in services/rules.

Every request is one transaction (ATOMIC_REQUESTS): a refused action writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Territory
from tremplin.registry.models import Beneficiary, Employer
from tremplin.rules import aid, eligibility
from tremplin.rules.parameters import ParameterError
from tremplin.web.exports import FORMATS, Column, ExportMixin, export_response
from tremplin.web.listing import SearchSortPaginateMixin

from . import payments, services
from .forms import (
    CONVENTION_STEPS,
    ActivityProofForm,
    AidOrderForm,
    AmendmentForm,
    ConventionForm,
    EmployerReportForm,
    ImmersionForm,
    RuptureForm,
    SignForm,
    SimulatorForm,
    SuspensionForm,
    aid_category_formset,
)
from .models import AidOrder, Convention, Rupture
from .payments import ZERO

FORM_ERROR_MESSAGE = (
    "Le formulaire contient des erreurs, signalées sous chaque champ concerné. Rien n'a été "
    "enregistré ; ce que vous avez saisi est conservé."
)


def visible_conventions(user):
    return Convention.objects.visible_to(user).select_related(
        "beneficiary", "employer", "tutor", "referent", "operator", "territory", "aid_order"
    )


def get_visible_convention(request, pk) -> Convention:
    """A convention outside the user's scope is a 404, never a 403 (DESIGN.md)."""
    return get_object_or_404(visible_conventions(request.user), pk=pk)


# --- List ------------------------------------------------------------------------------------


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
        Column("Taux du département (%)", lambda c: c.departement_rate_percent),
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

    def get_queryset(self):
        queryset = Convention.objects.visible_to(self.request.user).select_related(
            "beneficiary", "employer", "rupture"
        )
        return self.apply_search_and_sort(queryset)


# --- Detail, check, schedule -----------------------------------------------------------------


def _schedule_or_error(convention):
    try:
        return services.schedule_of(convention), ""
    except (aid.AidRuleError, ParameterError) as error:
        return None, str(error)


@login_required
def convention_detail(request, pk):
    convention = get_visible_convention(request, pk)
    audit.record_view(convention)
    findings = services.findings_of(
        convention, signature_date=convention.signed_on or timezone.localdate()
    )
    schedule, schedule_error = _schedule_or_error(convention)
    context = {
        "convention": convention,
        "findings": findings,
        "blocking_count": len(eligibility.blocking_findings(findings)),
        "schedule": schedule,
        "schedule_error": schedule_error,
        "rate_decision": services.rate_decision(convention),
        "proposal": services.propose_category(convention),
        "amendments": convention.amendments.all(),
        "suspensions": convention.suspensions.all(),
        "immersions": convention.immersions.all(),
        "rupture": convention.rupture_or_none(),
        "proofs": services.expected_proofs(convention),
        "today": timezone.localdate(),
        "steps": [(index, legend) for index, (legend, _) in enumerate(CONVENTION_STEPS, 1)],
    }
    return render(request, "conventions/convention_detail.html", context)


@login_required
def convention_check(request, pk):
    """ "Vérifier": every finding at once, each citing its rule (issue 3)."""
    convention = get_visible_convention(request, pk)
    findings = services.findings_of(
        convention, signature_date=convention.signed_on or timezone.localdate()
    )
    return render(
        request,
        "conventions/convention_check.html",
        {
            "convention": convention,
            "findings": findings,
            "blocking_count": len(eligibility.blocking_findings(findings)),
        },
    )


# --- Create and edit (a step per cerfa block; the draft is saved at each step) ---------------


def _step_from(request) -> int | None:
    raw = request.GET.get("etape") or request.POST.get("etape")
    if raw and raw.isdigit() and 1 <= int(raw) <= len(CONVENTION_STEPS):
        return int(raw)
    return None


@login_required
def convention_create(request):
    """Step 1: the parties, pre-filled from the registry; saving creates the draft."""
    initial = {}
    if request.method == "GET":
        beneficiary = employer = None
        if (raw := request.GET.get("beneficiaire", "")).isdigit():
            beneficiary = get_object_or_404(Beneficiary.objects.visible_to(request.user), pk=raw)
        if (raw := request.GET.get("employeur", "")).isdigit():
            employer = get_object_or_404(Employer.objects.visible_to(request.user), pk=raw)
        initial = services.initial_from_registry(beneficiary, employer)
    form = ConventionForm(request.POST or None, user=request.user, step=1, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            convention = form.save(commit=False)
            convention.territory = convention.beneficiary.territory
            convention.created_by = request.user
            # Rule F1: the situation is copied from the registry at creation; later steps
            # let the agent correct it for the day of signature.
            for name, value in services.initial_from_registry(
                convention.beneficiary, convention.employer
            ).items():
                if name in services.SITUATION_FIELDS or name == "tutor":
                    setattr(convention, f"{name}_id" if name == "tutor" else name, value)
            convention.save()
            messages.success(request, "Le brouillon de la convention est enregistré.")
            return redirect(reverse("conventions:update", args=[convention.pk]) + "?etape=2")
        messages.error(request, FORM_ERROR_MESSAGE)
    return render(
        request,
        "conventions/convention_form.html",
        {"form": form, "step": 1, "steps": CONVENTION_STEPS, "convention": None},
    )


AID_STEP = len(CONVENTION_STEPS)
# The form's small script sends this header to receive only the findings (live checks).
LIVE_CHECK_HEADER = "X-Tremplin-Verification"


def _checks_on_typed_values(form, convention) -> list[eligibility.Finding]:
    """Every check on what is typed, nothing saved: the valid fields are applied to the
    in-memory convention by ``is_valid()``, the others keep their saved value."""
    form.is_valid()
    return services.findings_of(convention, signature_date=timezone.localdate())


def _invalid_fields(form) -> list[str]:
    labels = [str(form.fields[name].label) for name in form.errors if name in form.fields]
    if form.non_field_errors():
        labels.append("ensemble du formulaire")
    return labels


@login_required
def convention_update(request, pk):
    convention = get_visible_convention(request, pk)
    if convention.is_signed:
        messages.error(
            request,
            "Une convention signée ne se modifie que par avenant (règle F2).",
        )
        return redirect(convention)
    step = _step_from(request)
    proposal = services.propose_aid_box(convention) if step in (None, AID_STEP) else None
    initial = proposal.initial if proposal is not None and request.method == "GET" else {}
    form = ConventionForm(
        request.POST or None, instance=convention, user=request.user, step=step, initial=initial
    )
    checking = request.method == "POST" and "verifier" in request.POST
    if checking:
        findings = _checks_on_typed_values(form, convention)
        if request.headers.get(LIVE_CHECK_HEADER):
            return render(
                request,
                "conventions/_live_checks.html",
                {
                    "findings": findings,
                    "blocking_count": len(eligibility.blocking_findings(findings)),
                    "invalid_fields": _invalid_fields(form),
                    "checked_typed_values": True,
                },
            )
    elif request.method == "POST":
        if form.is_valid():
            form.save()
            if step is not None and step < len(CONVENTION_STEPS) and "suivant" in request.POST:
                messages.success(request, "Étape enregistrée.")
                return redirect(
                    reverse("conventions:update", args=[convention.pk]) + f"?etape={step + 1}"
                )
            messages.success(request, "Le brouillon de la convention est enregistré.")
            return redirect(convention)
        messages.error(request, FORM_ERROR_MESSAGE)
        findings = services.findings_of(convention, signature_date=timezone.localdate())
    else:
        findings = services.findings_of(convention, signature_date=timezone.localdate())
    return render(
        request,
        "conventions/convention_form.html",
        {
            "form": form,
            "step": step,
            "steps": CONVENTION_STEPS,
            "convention": convention,
            "findings": findings,
            "blocking_count": len(eligibility.blocking_findings(findings)),
            "checked_typed_values": checking,
            "invalid_fields": _invalid_fields(form) if checking else [],
            "aid_proposal": proposal,
            "live_check_header": LIVE_CHECK_HEADER,
        },
    )


# --- Sign (rules A10, F2, F8) ----------------------------------------------------------------


@login_required
def convention_sign(request, pk):
    convention = get_visible_convention(request, pk)
    form = SignForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    blocking = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = services.Parties(
            data["employee_present"],
            data["employer_present"],
            data["operator_present"],
            data["rsa_adviser_present"],
        )
        try:
            with transaction.atomic():
                services.sign(convention, user=request.user, day=data["signed_on"], parties=parties)
        except services.ConventionRefused as refusal:
            convention.refresh_from_db()
            blocking = refusal.findings
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"La convention est signée sous le n° {convention.number}.")
            return redirect(convention)
    if request.method == "POST" and form.errors:
        messages.error(request, "La convention n'est pas signée : rien n'a été enregistré.")
    return render(
        request,
        "conventions/convention_sign.html",
        {"convention": convention, "form": form, "blocking": blocking},
    )


# --- Amendments, suspensions, immersions, rupture --------------------------------------------


def _child_form_page(request, convention, form, title, template="conventions/child_form.html"):
    return render(request, template, {"convention": convention, "form": form, "title": title})


@login_required
def amendment_create(request, pk):
    convention = get_visible_convention(request, pk)
    form = AmendmentForm(request.POST or None, convention=convention)
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    amendment = services.amend(
                        convention, form.save(commit=False), user=request.user
                    )
            except services.ConventionRefused as refusal:
                form.add_error(None, str(refusal))
                for finding in refusal.findings:
                    form.add_error(None, f"{finding.message}")
            else:
                messages.success(
                    request, f"{amendment} enregistré : convention n° {amendment.number}."
                )
                return redirect(convention)
        messages.error(request, FORM_ERROR_MESSAGE)
        convention = get_visible_convention(request, pk)
    return _child_form_page(request, convention, form, "Nouvel avenant")


@login_required
def suspension_create(request, pk):
    convention = get_visible_convention(request, pk)
    form = SuspensionForm(request.POST or None, convention=convention)
    if request.method == "POST":
        if not convention.is_signed:
            form.add_error(None, "Seule une convention signée peut être suspendue (règle C9).")
        if form.is_valid():
            suspension = form.save(commit=False)
            suspension.convention = convention
            suspension.save()
            messages.success(request, f"{suspension} enregistrée.")
            if suspension.reported_late:
                messages.warning(
                    request,
                    f"L'employeur devait signaler la suspension au plus tard le "
                    f"{suspension.report_due:%d/%m/%Y} (7 jours, règle F12).",
                )
            return redirect(convention)
        messages.error(request, FORM_ERROR_MESSAGE)
    return _child_form_page(request, convention, form, "Nouvelle suspension")


@login_required
def immersion_create(request, pk):
    convention = get_visible_convention(request, pk)
    form = ImmersionForm(request.POST or None, convention=convention)
    if request.method == "POST":
        if form.is_valid():
            immersion = form.save(commit=False)
            immersion.convention = convention
            immersion.save()
            messages.success(request, f"{immersion} enregistrée.")
            return redirect(convention)
        messages.error(request, FORM_ERROR_MESSAGE)
    return _child_form_page(request, convention, form, "Nouvelle période d'immersion (CAE)")


@login_required
def proof_create(request, pk):
    """Record the quarter's proofs of activity received from the employer (E6, F10)."""
    convention = get_visible_convention(request, pk)
    expected = services.expected_proofs(convention)
    missing = [proof for proof in expected if proof.received_on is None]
    initial = {"quarter": missing[0].quarter} if missing else {}
    form = ActivityProofForm(
        request.POST or None, convention=convention, expected=expected, initial=initial
    )
    if request.method == "POST":
        if form.is_valid():
            proof = form.save(commit=False)
            proof.convention = convention
            proof.save()
            messages.success(request, f"{proof} enregistrés.")
            return redirect(convention)
        messages.error(request, FORM_ERROR_MESSAGE)
    return _child_form_page(request, convention, form, "Justificatifs d'activité reçus")


@login_required
def rupture_create(request, pk):
    convention = get_visible_convention(request, pk)
    form = RuptureForm(request.POST or None, convention=convention)
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    rupture = services.record_rupture(convention, form.save(commit=False))
            except services.ConventionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"{rupture} enregistrée. {rupture.repayment_explanation}")
                return redirect(convention)
        messages.error(request, FORM_ERROR_MESSAGE)
    return _child_form_page(request, convention, form, "Rupture du contrat")


@login_required
def repayment_notice(request, pk):
    """The repayment notice after an unlawful employer rupture (rule F13), HTML or PDF."""
    convention = get_visible_convention(request, pk)
    rupture = get_object_or_404(Rupture, convention=convention)
    repayment = services.repayment_of(convention, rupture)
    if request.GET.get("format") == "pdf":
        from .pdf import repayment_notice_pdf

        return _pdf_response(
            repayment_notice_pdf(convention, rupture, repayment), convention, "reversement"
        )
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
    from .pdf import convention_pdf as render_pdf

    convention = get_visible_convention(request, pk)
    audit.record_view(convention)
    return _pdf_response(render_pdf(convention), convention, "convention")


def _pdf_response(content: bytes, convention, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    name = convention.number or f"brouillon-{convention.pk}"
    response["Content-Disposition"] = f'inline; filename="{kind}-{name}.pdf"'
    return response


# --- Simulator -------------------------------------------------------------------------------


def simulator(request):
    """The aid without a convention (issue 3): open to employers and agents alike."""
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
            )
        except (aid.AidRuleError, ParameterError) as error:
            form.add_error(None, str(error))
    return render(request, "conventions/simulator.html", {"form": form, "schedule": schedule})


# --- Payments and forecast -------------------------------------------------------------------


def _month_from(request) -> str:
    raw = request.GET.get("mois", "")
    try:
        datetime.date.fromisoformat(raw + "-01")
        return raw
    except ValueError:
        return payments.month_key(timezone.localdate())


PAYMENT_COLUMNS = [
    Column("Mois", lambda line: line.month),
    Column("N° de convention", lambda line: line.convention.number),
    Column("Employeur", lambda line: line.convention.employer.name),
    Column("SIRET", lambda line: line.convention.employer.siret),
    Column("Salarié", lambda line: str(line.convention.beneficiary)),
    Column("Financeur", lambda line: line.funder_label),
    Column("Jours couverts", lambda line: line.days_covered),
    Column("Montant (€)", lambda line: line.amount),
    Column("Justificatifs manquants", lambda line: line.missing_proofs),
]


@dataclass(frozen=True)
class _ExportLine:
    month: str
    line: payments.PaymentLine

    def __getattr__(self, name):
        return getattr(self.line, name)


@login_required
def payment_list(request):
    """The aid due in a month per employer and funder (issue 3), CSV/XLSX.

    The page shows the totals over every line and the lines a page at a time (20,000
    conventions run in a month in a département); the exports hold every line."""
    key = _month_from(request)
    lines = payments.payment_lines(Convention.objects.visible_to(request.user), key)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        rows = payments.Rows([_ExportLine(key, line) for line in lines])
        return export_response(fmt, f"paiements-{key}", PAYMENT_COLUMNS, rows)
    totals = payments.totals_per_employer(lines)
    funder_totals: dict[str, Decimal] = {}
    for line in lines:
        funder_totals[line.funder_label] = (
            funder_totals.get(line.funder_label, Decimal("0.00")) + line.amount
        )
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
            "totals": totals,
            "funder_totals": funder_totals,
            "grand_total": sum((line.amount for line in lines), Decimal("0.00")),
        },
    )


@login_required
def forecast(request):
    """The aid committed over the next 24 months, table and server-rendered chart."""
    start = _month_from(request)
    rows = payments.forecast(Convention.objects.visible_to(request.user), start)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        columns = [
            Column("Mois", lambda row: row.month),
            *(
                Column(f"{label} (€)", lambda row, code=code: row.by_funder.get(code, ZERO))
                for code, label in aid.FUNDER_LABELS.items()
            ),
            Column("Total (€)", lambda row: row.total),
        ]
        return export_response(fmt, f"prevision-{start}", columns, payments.Rows(rows))
    return render(
        request,
        "conventions/forecast.html",
        {
            "rows": rows,
            "start": start,
            "chart": payments.forecast_chart_svg(rows),
            "funders": list(aid.FUNDER_LABELS.items()),
            "grand_total": sum((row.total for row in rows), Decimal("0.00")),
        },
    )


# --- Aid-rate orders (rules E1, E6, E12): entered by the département, without a release -----


def _order_regions(user) -> dict[str, str]:
    """The regions where ``user`` may enter an order: their territories' (all for an admin)."""
    scope = scope_of(user)
    territories = Territory.objects.all()
    if not scope.is_admin:
        territories = territories.filter(pk__in=scope.agent_territory_ids)
    return dict(territories.values_list("region_code", "region_name"))


def _require_order_rights(user) -> dict[str, str]:
    regions = _order_regions(user)
    if not regions:
        raise PermissionDenied(
            "Les arrêtés fixant les taux d'aide sont saisis par les agents du département et "
            "les administrateurs (règle E1)."
        )
    return regions


@login_required
def order_list(request):
    """Every order known to the product, the shipped ones and those entered here (rule E1)."""
    orders = AidOrder.objects.annotate(used_by=Count("conventions")).order_by(
        "region_code", "sector", "-valid_from"
    )
    return render(
        request,
        "conventions/order_list.html",
        {"orders": orders, "may_enter": bool(_order_regions(request.user))},
    )


@login_required
def order_detail(request, pk):
    order = get_object_or_404(AidOrder.objects.annotate(used_by=Count("conventions")), pk=pk)
    return render(
        request,
        "conventions/order_detail.html",
        {"order": order, "criteria": aid.CATEGORY_CRITERIA},
    )


@login_required
def order_create(request):
    """A new order: its categories and rates, weekly-hour bounds, aid durations (rule E12).
    ``?depuis=<id>`` starts from an existing order (a new order often changes a rate only)."""
    regions = _require_order_rights(request.user)
    initial, categories_initial = {}, []
    if request.method == "GET" and (raw := request.GET.get("depuis", "")).isdigit():
        source = get_object_or_404(AidOrder, pk=raw)
        initial = {
            name: getattr(source, name)
            for name in AidOrderForm.Meta.fields
            if name not in ("valid_from", "reference", "source", "note")
        }
        categories_initial = [
            {**category, "who": "\n".join(category.get("who", []))}
            for category in source.categories
        ]
    formset = aid_category_formset(2 if categories_initial else 6)(
        request.POST or None, prefix="categories", initial=categories_initial or None
    )
    categories = None
    if request.method == "POST" and formset.is_valid():
        categories = formset.categories()
    form = AidOrderForm(
        request.POST or None, regions=regions, categories=categories, initial=initial
    )
    if request.method == "POST":
        if form.is_valid() and categories is not None:
            order = form.save(commit=False)
            if order.region_code not in regions:
                raise PermissionDenied("Cette région n'est pas celle de votre département.")
            order.save()
            messages.success(
                request,
                f"{order.reference} est enregistré : il s'applique aux embauches à partir du "
                f"{order.valid_from:%d/%m/%Y} dans la région {order.region_name or order.region_code}.",
            )
            return redirect("conventions:order_detail", pk=order.pk)
        messages.error(request, FORM_ERROR_MESSAGE)
    return render(request, "conventions/order_form.html", {"form": form, "formset": formset})


# --- The employer's report of a suspension or a rupture (rule F12: within 7 days) -----------


def _record_report(request, convention, event, what: str):
    form = EmployerReportForm(
        request.POST or None,
        event_day=getattr(event, "start", None) or event.last_day,
        what=what,
        initial={"employer_report_date": timezone.localdate()},
    )
    if request.method == "POST":
        if form.is_valid():
            event.employer_report_date = form.cleaned_data["employer_report_date"]
            event.save(update_fields=["employer_report_date"])
            if event.reported_late:
                messages.warning(
                    request,
                    f"Signalement enregistré, hors délai : l'employeur devait signaler {what} "
                    f"au plus tard le {event.report_due:%d/%m/%Y} (7 jours, règle F12).",
                )
            else:
                messages.success(request, "Signalement enregistré, dans le délai de 7 jours (F12).")
            return redirect(convention)
        messages.error(request, FORM_ERROR_MESSAGE)
    return _child_form_page(request, convention, form, f"Signalement par l'employeur — {event}")


@login_required
def suspension_report(request, pk, suspension_pk):
    convention = get_visible_convention(request, pk)
    suspension = get_object_or_404(convention.suspensions, pk=suspension_pk)
    return _record_report(request, convention, suspension, "la suspension")


@login_required
def rupture_report(request, pk):
    convention = get_visible_convention(request, pk)
    rupture = get_object_or_404(Rupture, convention=convention)
    return _record_report(request, convention, rupture, "la rupture")
