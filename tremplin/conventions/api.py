"""The conventions' part of the REST API: ``router``, to be mounted at the root of /api/v1/
(``api.add_router("", tremplin.conventions.api.router)``).

* ``POST /aid/simulate`` — the aid simulator; its JSON is the contract of the
  ``aid-schedule`` command (``schedule_as_json``): keys may be added, never renamed.
* ``GET /conventions``, ``/conventions/{id}``, ``…/amendments``, ``…/suspensions``,
  ``…/rupture``, ``…/schedule`` — always through ``visible_to`` (404 outside the scope, as
  the pages).
* ``POST /conventions/{id}/suspensions``, ``…/rupture`` — the one row of the event, through
  the same forms and services as the pages; ``…/acknowledge`` — the département takes it
  into account.
* ``POST /conventions/check`` — the wizard's checks on a convention given as JSON, nothing
  saved; the JSON in and out is the contract of ``tremplin convention-check``
  (``tremplin.rules.convention_check``). The body is read as raw JSON on purpose: the rules'
  own parser answers every mistake with the command's French sentence naming the key.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from tremplin.accounts import audit
from tremplin.conventions.management.commands.aid_schedule import schedule_as_json
from tremplin.rules import aid
from tremplin.rules.calendar import EARLIEST_DAY, LATEST_DAY
from tremplin.rules.convention_check import (
    CONTRACT_TYPES,
    KINDS,
    LARGEST_NUMBER,
    CheckInputError,
)
from tremplin.rules.parameters import ParameterError
from tremplin.web.api.errors import ErrorOut, FrenchHttpError, ValidationErrorOut
from tremplin.web.api.pagination import paginate
from tremplin.web.api.payloads import save_through_service
from tremplin.web.commands import load_json
from tremplin.web.dates import french_date
from tremplin.web.shortcuts import visible_object_or_404

from . import services
from .forms import RuptureForm, SuspensionForm
from .models import Amendment, Convention, Rupture, Suspension
from .queue import may_acknowledge

router = Router(tags=["Conventions CUI"])


def _refusal(message: str, field: str = "__all__") -> Status:
    return Status(
        422,
        {
            "detail": "Les données envoyées contiennent des erreurs : rien n'a été calculé.",
            "errors": {field or "__all__": [message]},
        },
    )


# --- Simulator -------------------------------------------------------------------------------


class PeriodIn(Schema):
    start: datetime.date
    end: datetime.date


class SimulateIn(Schema):
    rate: Decimal = Field(..., description="Taux en % du SMIC horaire brut (au plus 47).")
    hours: Decimal = Field(..., description="Durée hebdomadaire prise en charge (20 à 35 h).")
    start: datetime.date
    end: datetime.date
    suspensions: list[PeriodIn] = Field(
        default_factory=list, description="Suspensions sans rémunération, dates incluses (F12)."
    )


class AidMonthOut(Schema):
    month: str
    days_covered: int
    days_in_month: int
    smic_hourly: str
    rate: str
    hours: str
    amount: str
    explanation: str


class ScheduleOut(Schema):
    months: list[AidMonthOut]
    total: str


@router.post(
    "/aid/simulate",
    response={200: ScheduleOut, 422: ValidationErrorOut},
    summary="Simuler l'aide à l'employeur mois par mois",
    description="Sans convention : taux × SMIC horaire brut × heures × 52/12, au prorata des "
    "jours couverts, le SMIC en vigueur chaque mois. Même JSON que "
    "`tremplin aid-schedule --format json`.",
)
def simulate(request, payload: SimulateIn):
    if payload.end < payload.start:
        return _refusal(
            f"La date de fin ({french_date(payload.end)}) précède la date de début "
            f"({french_date(payload.start)}) (règle C5).",
            "end",
        )
    if not aid.WEEKLY_HOURS_MIN <= payload.hours <= aid.WEEKLY_HOURS_MAX:
        return _refusal(
            "La durée hebdomadaire prise en charge doit être comprise entre 20 et 35 heures "
            "(règles C8, E12).",
            "hours",
        )
    suspensions = []
    for period in payload.suspensions:
        if period.end < period.start or period.start < payload.start or period.end > payload.end:
            return _refusal(
                f"La suspension du {french_date(period.start)} au {french_date(period.end)} "
                "doit avoir ses dates dans l'ordre et se situer dans la période d'aide (règle C9).",
                "suspensions",
            )
        suspensions.append(aid.Suspension(period.start, period.end, paid=False))
    try:
        schedule = aid.aid_schedule(
            payload.start,
            payload.end,
            payload.rate,
            payload.hours,
            suspensions=suspensions,
            smic=services.smic_series(),
        )
    except aid.AidRuleError as error:
        return _refusal(str(error), {"rate": "rate", "hours": "hours"}.get(error.field, ""))
    except ParameterError as error:
        return _refusal(str(error))
    return schedule_as_json(schedule)


# --- The law checkable from outside -----------------------------------------------
# Declared before the read endpoints: "/conventions/check" must not be read as
# "/conventions/{id}".

NOT_CHECKED = "Les données envoyées contiennent des erreurs : la convention n'a pas été vérifiée."


# The JSON is read by ``convention_check`` (the same reading as the command); these schemas
# document it. Dates lie within the product's calendar (``calendar.day_in_bounds``), numbers
# below a million: beyond, the check answers 422 naming the key.
NUMBER_LIMIT = int(LARGEST_NUMBER)  # an int: the OpenAPI document is plain JSON


def _day():
    return Field(
        None,
        description=f"AAAA-MM-JJ, entre le {EARLIEST_DAY:%d/%m/%Y} et le {LATEST_DAY:%d/%m/%Y}.",
    )


class CheckBeneficiaryIn(Schema):
    birth_date: datetime.date | None = _day()
    rsa: bool | None = None
    ass: bool | None = None
    disabled_worker: bool | None = None


class CheckEmployerIn(Schema):
    last_economic_dismissal_on: datetime.date | None = _day()
    late_social_contributions: bool | None = None


class CheckContractIn(Schema):
    type: Literal[CONTRACT_TYPES] | None = None  # type: ignore[valid-type]
    start: datetime.date | None = _day()
    end: datetime.date | None = _day()
    weekly_hours: Decimal | None = Field(None, ge=0, lt=NUMBER_LIMIT)
    hourly_gross_wage: Decimal | None = Field(None, ge=0, lt=NUMBER_LIMIT)


class CheckAidIn(Schema):
    start: datetime.date | None = _day()
    end: datetime.date | None = _day()
    rate: Decimal | None = Field(
        None, ge=0, lt=NUMBER_LIMIT, description="En % du SMIC horaire brut."
    )
    weekly_hours: Decimal | None = Field(None, ge=0, lt=NUMBER_LIMIT)


class CheckTutorIn(Schema):
    experience_years: Decimal | None = Field(None, ge=0, lt=NUMBER_LIMIT)
    employees_followed: int | None = Field(
        None,
        ge=0,
        lt=NUMBER_LIMIT,
        description="Salariés suivis en même temps, celui-ci compris (règle C12).",
    )


class ConventionCheckIn(Schema):
    kind: Literal[KINDS]  # type: ignore[valid-type]
    department: str | None = Field(None, examples=["67"])
    signed_on: datetime.date | None = _day()
    beneficiary: CheckBeneficiaryIn | None = None
    employer: CheckEmployerIn | None = None
    contract: CheckContractIn | None = None
    aid: CheckAidIn | None = None
    tutor: CheckTutorIn | None = None


class CheckFindingOut(Schema):
    rule: str
    severity: Literal["blocking", "warning"]
    message: str


class ConventionCheckOut(Schema):
    findings: list[CheckFindingOut]
    signable: bool


def _check_body_schema() -> dict:
    """ConventionCheckIn's JSON schema with its sections inlined (OpenAPI has no ``$defs``)."""
    schema = ConventionCheckIn.model_json_schema()
    definitions = schema.pop("$defs", {})
    for name, prop in schema["properties"].items():
        for option in prop.get("anyOf", []):
            reference = option.pop("$ref", None)
            if reference:
                option.update(definitions[reference.rsplit("/", 1)[1]])
                schema["properties"][name] = prop
    return schema


@router.post(
    "/conventions/check",
    response={200: ConventionCheckOut, 422: ValidationErrorOut},
    summary="Vérifier une convention sans l'enregistrer",
    description="Les contrôles de l'assistant de saisie des conventions (règles C3, C5, C7, "
    "C8, C12, E1, E4, E6, E9, E12, F5, F8), sur une convention décrite en JSON : le JSON de "
    "`tremplin convention-check`. Dates AAAA-MM-JJ ; montants et heures en nombres ou en "
    "texte ; une clé absente ou null veut dire « inconnu », jamais « faux » : une exception "
    "qu'elle pourrait ouvrir donne un avertissement qui la nomme, pas un constat bloquant ; "
    "seule `kind` est obligatoire. Rien n'est enregistré. Une saisie invalide répond 422, "
    "chaque message nommant sa clé.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _check_body_schema()}},
        }
    },
)
def check_convention(request):
    try:
        data = load_json(request.body or b"null")
    except ValueError as error:
        return Status(422, {"detail": NOT_CHECKED, "errors": {"__all__": [str(error)]}})
    try:
        result = services.check_from_outside(data)
    except CheckInputError as error:
        return Status(422, {"detail": NOT_CHECKED, "errors": error.by_key()})
    return Status(200, result.as_dict())


# --- Read endpoints --------------------------------------------------------------------------


# The JSON keys of the département fields keep the French spelling they were published with;
# the routes that return a convention serialize by alias (``by_alias=True``).
class ConventionOut(Schema):
    id: int
    number: str
    sector: str
    status: str = Field(
        description="L'état du jour, déduit des dates : "
        + ", ".join(f"`{s.value}` ({s.label})" for s in Convention.Status)
        + ". `suspended` : une suspension du contrat couvre ce jour (règle C9)."
    )
    beneficiary_id: int
    employer_id: int
    tutor_id: int | None
    referent_id: int | None
    operator_id: int | None
    prescribed_for_department: bool = Field(serialization_alias="prescribed_for_departement")
    filing_date: datetime.date | None
    prescriber_code: str
    contract_type: str
    hire_date: datetime.date | None
    planned_end: datetime.date | None
    rome_code: str
    job_title: str
    gross_monthly_pay: Decimal | None
    weekly_hours: int | None
    weekly_minutes: int
    modulation: bool
    aid_start: datetime.date | None
    aid_end: datetime.date | None
    subsidised_weekly_hours: int | None
    subsidised_weekly_minutes: int
    prefect_rate_percent: Decimal | None
    department_rate_percent: Decimal | None = Field(serialization_alias="departement_rate_percent")
    department_funds_alone: bool = Field(serialization_alias="departement_funds_alone")
    continues_as_cdi: bool
    payer: str
    renewal_count: int
    modification_count: int
    signed_on: datetime.date | None


class ConventionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ConventionOut]


class ConventionParams(Schema):
    q: str = ""
    status: Literal[tuple(Convention.Status.values)] | None = Field(  # type: ignore[valid-type]
        None, description="Seulement les conventions dans cet état aujourd'hui."
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=200)


class AmendmentOut(Schema):
    id: int
    kind: str
    number: str
    effective_from: datetime.date
    new_aid_end: datetime.date | None
    new_planned_end: datetime.date | None
    new_subsidised_weekly_hours: int | None
    new_subsidised_weekly_minutes: int
    reason: str
    previous: dict


class SuspensionOut(Schema):
    id: int
    convention_id: int
    start: datetime.date
    end: datetime.date
    paid: bool
    reason: str
    details: str
    employer_report_date: datetime.date | None
    reported_late: bool
    acknowledged_at: datetime.datetime | None


class RuptureOut(Schema):
    id: int
    convention_id: int | None
    beneficiary_id: int
    known_at: datetime.datetime
    last_day: datetime.date
    initiative: str
    employee_ground: str
    reason: str
    concertation_held: bool
    lawful_case: bool
    exonerated_contributions: Decimal | None
    employer_report_date: datetime.date | None
    repayment_due: Decimal
    repayment_explanation: str
    acknowledged_at: datetime.datetime | None


class SuspensionIn(Schema):
    start: datetime.date
    end: datetime.date
    paid: bool = False
    reason: Literal[tuple(Suspension.Reason.values)]  # type: ignore[valid-type]
    details: str = ""
    employer_report_date: datetime.date | None = None


class RuptureIn(Schema):
    known_at: datetime.datetime | None = Field(
        None,
        description="Le moment où la rupture est connue (A14 : 48 heures à partir de là) ; "
        "absent : le moment de l'enregistrement.",
    )
    last_day: datetime.date = Field(..., description="Le dernier jour du contrat.")
    initiative: Literal[tuple(Rupture.Initiative.values)]  # type: ignore[valid-type]
    employee_ground: str = Field(
        "", description="Rupture anticipée d'un CDD par le salarié : son motif (règle E5)."
    )
    reason: str
    concertation_held: bool = False
    lawful_case: bool = Field(
        False, description="Rupture dans un cas prévu par le code du travail (règle F13)."
    )
    exonerated_contributions: Decimal | None = Field(None, ge=0)
    employer_report_date: datetime.date | None = None


def form_data(payload: Schema) -> dict:
    """A payload as the page's form reads it (dates as text, a moment in Paris time)."""
    data = {}
    for name, value in payload.dict().items():
        if value is None:
            value = ""
        elif isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                value = timezone.localtime(value)
            value = value.strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, (datetime.date, Decimal)):
            value = str(value)
        elif isinstance(value, bool):
            if not value:
                continue  # an unticked box is absent from a form
            value = "on"
        data[name] = value
    return data


class FunderTotalOut(Schema):
    funder: str
    label: str
    amount: str


class ConventionScheduleOut(ScheduleOut):
    funders: list[FunderTotalOut]


def _visible(request):
    # The suspensions prefetched: each convention's status reads them (rule C9).
    return (
        Convention.objects.visible_to(request.user)
        .select_related("rupture")
        .prefetch_related("suspensions")
    )


def _convention(request, id: int) -> Convention:
    return visible_object_or_404(
        Convention.objects.select_related("rupture", "beneficiary", "employer"), request, id
    )


# A list under a convention: the convention and each record given are views, written in one
# statement (the convention's row says whose records were read, even when there are none).
READ_OF_CONVENTION = (
    "La convention et chaque enregistrement renvoyé sont inscrits au journal d'audit comme "
    "consultés."
)


@router.get(
    "/conventions",
    response=ConventionPage,
    by_alias=True,
    summary="Lister les conventions",
    description="Les conventions des personnes de votre périmètre, les plus récentes d'abord. "
    "Chaque convention renvoyée est inscrite au journal d'audit comme consultée.",
)
def list_conventions(request, params: Query[ConventionParams]):
    conventions = _visible(request).search(params.q)
    if params.status is not None:
        conventions = conventions.in_status(params.status)
    page = paginate(conventions, params.page, params.page_size)
    audit.record_views(page["results"])
    return page


@router.get(
    "/conventions/{id}",
    response={200: ConventionOut, 404: ErrorOut},
    by_alias=True,
    summary="Lire une convention",
    description="Chaque lecture est inscrite au journal d'audit.",
)
def read_convention(request, id: int):
    convention = _convention(request, id)
    audit.record_view(convention)
    return convention


@router.get(
    "/conventions/{id}/amendments",
    response={200: list[AmendmentOut], 404: ErrorOut},
    summary="Les avenants d'une convention (versions précédentes comprises)",
    description=READ_OF_CONVENTION,
)
def list_amendments(request, id: int):
    convention = _convention(request, id)
    amendments = list(Amendment.objects.filter(convention=convention).select_related("convention"))
    audit.record_views([convention, *amendments])
    return amendments


@router.get(
    "/conventions/{id}/suspensions",
    response={200: list[SuspensionOut], 404: ErrorOut},
    summary="Les suspensions d'une convention",
    description=READ_OF_CONVENTION,
)
def list_suspensions(request, id: int):
    convention = _convention(request, id)
    suspensions = list(Suspension.objects.filter(convention=convention))
    audit.record_views([convention, *suspensions])
    return suspensions


@router.get(
    "/conventions/{id}/rupture",
    response={200: RuptureOut, 404: ErrorOut},
    summary="La rupture d'une convention (404 s'il n'y en a pas)",
    description=READ_OF_CONVENTION,
)
def read_rupture(request, id: int):
    convention = _convention(request, id)
    rupture = get_object_or_404(Rupture, convention=convention)
    audit.record_views([convention, rupture])
    return rupture


@router.post(
    "/conventions/{id}/suspensions",
    response={201: SuspensionOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Enregistrer une suspension (règles C9, F12)",
    description="La suspension est enregistrée une fois, sur la convention : la même que "
    "celle déclarée depuis l'accompagnement dans l'emploi. Sans rémunération, ses jours ne "
    "donnent pas d'aide (F12) : l'échéancier, la liste des paiements et la prévision en "
    "tiennent compte. Mêmes contrôles et mêmes messages que la page.",
)
def create_suspension(request, id: int, payload: SuspensionIn):
    convention = _convention(request, id)
    form = SuspensionForm(form_data(payload), convention=convention)
    suspension = save_through_service(
        form,
        lambda: services.record_suspension(
            form.save(commit=False), convention=convention, user=request.user
        ),
    )
    return Status(201, suspension)


@router.post(
    "/conventions/{id}/rupture",
    response={200: RuptureOut, 201: RuptureOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Enregistrer ou corriger la rupture (règles A14, E5, F12, F13)",
    description="Une rupture est un seul enregistrement, qu'elle soit déclarée ici, sur la "
    "page de la convention ou sur l'accompagnement dans l'emploi : l'aide s'arrête au dernier "
    "jour du contrat (F12), le reversement est calculé (F13) et les échéances de "
    "l'accompagnement suivent (A14 : 48 heures à partir du moment où elle est connue). 201 "
    "pour une nouvelle rupture, 200 pour une correction.",
)
def record_rupture(request, id: int, payload: RuptureIn):
    convention = _convention(request, id)
    existing = convention.rupture_or_none()
    form = RuptureForm(form_data(payload), instance=existing, convention=convention)
    rupture = save_through_service(
        form,
        lambda: services.record_rupture(
            form.save(commit=False), convention=convention, user=request.user
        ),
    )
    return Status(200 if existing is not None else 201, rupture)


def _require_agent(request) -> None:
    if not may_acknowledge(request.user):
        raise FrenchHttpError(
            403,
            "Seuls les agents du département et les administrateurs prennent en compte les "
            "ruptures et les suspensions signalées.",
        )


@router.post(
    "/conventions/{id}/rupture/acknowledge",
    response={200: RuptureOut, 403: ErrorOut, 404: ErrorOut},
    summary="Prendre en compte la rupture (file de travail du département)",
)
def acknowledge_rupture(request, id: int):
    _require_agent(request)
    rupture = get_object_or_404(Rupture, convention=_convention(request, id))
    services.acknowledge(rupture, user=request.user)
    return rupture


@router.post(
    "/conventions/{id}/suspensions/{suspension_id}/acknowledge",
    response={200: SuspensionOut, 403: ErrorOut, 404: ErrorOut},
    summary="Prendre en compte une suspension (file de travail du département)",
)
def acknowledge_suspension(request, id: int, suspension_id: int):
    _require_agent(request)
    suspension = get_object_or_404(
        Suspension, convention=_convention(request, id), pk=suspension_id
    )
    services.acknowledge(suspension, user=request.user)
    return suspension


@router.get(
    "/conventions/{id}/schedule",
    response={200: ConventionScheduleOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="L'aide de la convention mois par mois",
    description="Avenants, suspensions sans rémunération et rupture compris ; parts de "
    "chaque financeur (règle F6). Chaque lecture est inscrite au journal d'audit comme une "
    "consultation de la convention.",
)
def convention_schedule(request, id: int):
    convention = _convention(request, id)
    try:
        schedule = services.schedule_of(convention)
    except (aid.AidRuleError, ParameterError) as error:
        return _refusal(str(error))
    audit.record_view(convention)
    return {
        **schedule_as_json(schedule),
        "funders": [
            {"funder": part.funder, "label": part.label, "amount": str(part.amount)}
            for part in schedule.funder_totals()
        ],
    }
