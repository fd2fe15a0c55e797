"""Employers: list, read, create and partial update, with the checks of the pages."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from tremplin.registry.forms import EmployerForm
from tremplin.registry.models import Employer
from tremplin.web.api.errors import ErrorOut, ValidationErrorOut
from tremplin.web.api.pagination import paginate
from tremplin.web.api.payloads import current_values, initial_values, save_through_form

from .schemas import EmployerIn, EmployerOut, EmployerPage, EmployerPatch, PageParams

router = Router(tags=["Employeurs"])


def visible_employers(request):
    return Employer.objects.visible_to(request.user).select_related("territory")


@router.get(
    "",
    response={200: EmployerPage, 422: ValidationErrorOut},
    summary="Lister les employeurs",
    description="Les employeurs des départements où vous intervenez, par dénomination.",
)
def list_employers(request, params: Query[PageParams]):
    queryset = visible_employers(request).search(params.q)
    return paginate(queryset, params.page, params.page_size)


@router.get(
    "/{id}",
    response={200: EmployerOut, 404: ErrorOut},
    summary="Lire la fiche d'un employeur",
)
def read_employer(request, id: int):
    return get_object_or_404(visible_employers(request), pk=id)


@router.post(
    "",
    response={201: EmployerOut, 422: ValidationErrorOut},
    summary="Créer un employeur",
    description="Mêmes contrôles que la page de création (SIRET et sa clé, doublon, code "
    "NAF, IDCC, adresse administrative complète ou vide).",
)
def create_employer(request, payload: EmployerIn):
    blank_form = EmployerForm(user=request.user)
    data = {**initial_values(blank_form), **payload.dict(exclude_unset=True)}
    return Status(201, save_through_form(EmployerForm(data=data, user=request.user)))


@router.patch(
    "/{id}",
    response={200: EmployerOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Modifier un employeur",
    description="Seuls les champs envoyés changent ; la fiche entière est ensuite contrôlée "
    "comme sur la page de modification.",
)
def update_employer(request, id: int, payload: EmployerPatch):
    employer = get_object_or_404(visible_employers(request), pk=id)
    data = current_values(employer, EmployerForm)
    data.update(payload.dict(exclude_unset=True))
    return save_through_form(EmployerForm(data=data, instance=employer, user=request.user))
