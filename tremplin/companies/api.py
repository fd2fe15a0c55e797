"""API of company relations (P7): job offers and PMSMP immersions.

Mounted by the project's API under ``/api/v1/`` (authentication: personal token or session).
The pages' forms validate (same French messages, same rules: ROME code, employer required,
L5135-1 and D5135-3 for immersions); reading goes through each model's ``visible_to``:
offers are seen by the members of their operator, immersions by whoever sees the person.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from tremplin.accounts import audit
from tremplin.web.api.errors import ErrorOut, ValidationErrorOut
from tremplin.web.api.pagination import paginate
from tremplin.web.api.payloads import StrictInput, save_through_form
from tremplin.web.shortcuts import visible_object_or_404

from .forms import ImmersionForm, JobOfferForm, operators_of
from .matching import matches_for_offer
from .models import Immersion, JobOffer

companies_router = Router(tags=["Relations entreprises"])


class OfferParams(Schema):
    page: int = Field(1, ge=1, description="Numéro de la page, à partir de 1.")
    page_size: int = Field(25, ge=1, le=100, description="Lignes par page (100 au plus).")
    q: str = Field("", description="Recherche : intitulé, code ROME, commune, employeur.")
    status: str = Field("", description="open, filled ou closed ; vide : toutes.")


class OfferOut(Schema):
    id: int
    operator: int = Field(..., alias="operator_id")
    employer: int = Field(..., alias="employer_id")
    employer_name: str = Field(..., alias="employer.name")
    title: str
    rome_code: str
    postal_code: str
    city: str
    weekly_hours: Decimal
    contract_type: str
    contract_months: int | None
    starts_on: dt.date | None
    description: str
    status: str
    created_at: dt.datetime


class OfferPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OfferOut]


class OfferIn(StrictInput):
    operator: int | None = Field(
        None, description="Structure d'accompagnement ; vide : la vôtre si vous n'en avez qu'une."
    )
    employer: int | None = Field(
        None, description="Employeur du registre (identifiant) ; obligatoire (règle P7)."
    )
    title: str = Field(..., description="Intitulé du poste.")
    rome_code: str = Field(..., description="Code ROME : une lettre de A à N et 4 chiffres.")
    postal_code: str
    city: str
    weekly_hours: Decimal = Field(..., description="Heures par semaine (48 au plus).")
    contract_type: str = Field(
        ..., description="cdi, cdd, interim, alternance, aided (contrat aidé) ou iae."
    )
    contract_months: int | None = None
    starts_on: dt.date | None = None
    description: str = ""
    status: str = "open"


class ImmersionParams(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)
    beneficiary: int | None = Field(None, description="Les immersions d'une personne.")


class ImmersionOut(Schema):
    id: int
    beneficiary: int = Field(..., alias="beneficiary_id")
    employer: int = Field(..., alias="employer_id")
    tutor: int | None = Field(None, alias="tutor_id")
    renewal_of: int | None = Field(None, alias="renewal_of_id")
    purpose: str
    objectives: str
    starts_on: dt.date
    ends_on: dt.date
    outcome: str
    assessment: str


class ImmersionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ImmersionOut]


class ImmersionIn(StrictInput):
    beneficiary: int
    employer: int
    tutor: int | None = None
    renewal_of: int | None = Field(
        None, description="La PMSMP renouvelée (une fois, même structure et même objet)."
    )
    purpose: str = Field(..., description="discover, confirm ou recruit (art. L5135-1).")
    objectives: str
    starts_on: dt.date
    ends_on: dt.date = Field(..., description="Au plus un mois de date à date (D5135-3).")
    outcome: str = ""
    assessment: str = ""


def _offers(request):
    return JobOffer.objects.visible_to(request.user).select_related("employer")


@companies_router.get(
    "/offers",
    response={200: OfferPage, 422: ValidationErrorOut},
    summary="Lister les offres d'emploi",
    description="Les offres des structures dont vous êtes membre, les plus récentes d'abord.",
)
def list_offers(request, params: Query[OfferParams]):
    queryset = _offers(request).search(params.q).order_by("-created_at", "-id")
    if params.status:
        queryset = queryset.filter(status=params.status)
    return paginate(queryset, params.page, params.page_size)


@companies_router.get(
    "/offers/{id}", response={200: OfferOut, 404: ErrorOut}, summary="Lire une offre d'emploi"
)
def read_offer(request, id: int):
    return visible_object_or_404(JobOffer.objects.select_related("employer"), request, id)


@companies_router.post(
    "/offers",
    response={201: OfferOut, 422: ValidationErrorOut},
    summary="Créer une offre d'emploi",
    description="Mêmes contrôles que la page : employeur obligatoire (règle P7), code ROME, "
    "code postal, heures par semaine (48 au plus, art. L3121-20 du Code du travail).",
)
def create_offer(request, payload: OfferIn):
    data = payload.dict()
    if data["operator"] is None:
        operators = list(operators_of(request.user)[:2])
        data["operator"] = operators[0].pk if len(operators) == 1 else None
    form = JobOfferForm(data=data, user=request.user)
    form.instance.created_by = request.user
    return Status(201, save_through_form(form))


class MatchOut(Schema):
    beneficiary: int
    name: str
    score: int = Field(
        ..., description="Sur 100 : métier 50 (domaine 25), lieu 30 (département 15), heures 20."
    )
    reasons: list[str]


@companies_router.get(
    "/offers/{id}/matches",
    response={200: list[MatchOut], 404: ErrorOut},
    summary="Personnes à proposer pour une offre",
    description="Parmi les personnes que vous voyez et dont le profil de recherche est "
    "renseigné : même code ROME ou même domaine professionnel, classées par score, avec les "
    "raisons (règle P7). Chaque personne nommée est inscrite au journal d'audit comme "
    "consultée.",
)
def offer_matches(request, id: int):
    offer = visible_object_or_404(JobOffer.objects.select_related("employer"), request, id)
    matches = matches_for_offer(request.user, offer)
    # Each person named (and their search profile judged) is a view of their file.
    audit.record_views([row["beneficiary"] for row in matches])
    return [
        {
            "beneficiary": row["beneficiary"].pk,
            "name": str(row["beneficiary"]),
            "score": row["match"].score,
            "reasons": list(row["match"].reasons),
        }
        for row in matches
    ]


def _immersions(request):
    # The person and the employer joined: an immersion's name in the audit log says both.
    return Immersion.objects.visible_to(request.user).select_related("beneficiary", "employer")


@companies_router.get(
    "/immersions",
    response={200: ImmersionPage, 422: ValidationErrorOut},
    summary="Lister les immersions (PMSMP)",
    description="Les immersions des personnes que vous voyez, les plus récentes d'abord. "
    "Chaque immersion renvoyée est inscrite au journal d'audit comme consultée.",
)
def list_immersions(request, params: Query[ImmersionParams]):
    queryset = _immersions(request)
    if params.beneficiary is not None:
        queryset = queryset.filter(beneficiary_id=params.beneficiary)
    page = paginate(queryset, params.page, params.page_size)
    audit.record_views(page["results"])
    return page


@companies_router.get(
    "/immersions/{id}",
    response={200: ImmersionOut, 404: ErrorOut},
    summary="Lire une immersion (PMSMP)",
    description="Chaque lecture est inscrite au journal d'audit.",
)
def read_immersion(request, id: int):
    immersion = visible_object_or_404(
        Immersion.objects.select_related("beneficiary", "employer"), request, id
    )
    audit.record_view(immersion)
    return immersion


@companies_router.post(
    "/immersions",
    response={201: ImmersionOut, 422: ValidationErrorOut},
    summary="Enregistrer une immersion (PMSMP)",
    description="Contrôles du Code du travail : objet de l'art. L5135-1 ; durée d'un mois au "
    "plus de date à date, un seul renouvellement, au plus deux conventions et 60 jours avec "
    "une même structure sur 12 mois (art. D5135-3). Les erreurs qui portent sur l'ensemble "
    "sont sous la clé « __all__ ».",
)
def create_immersion(request, payload: ImmersionIn):
    form = ImmersionForm(data=payload.dict(), user=request.user)
    form.instance.created_by = request.user
    return Status(201, save_through_form(form))
