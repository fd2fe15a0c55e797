"""Beneficiaries: list, read (audited), create and partial update, as the pages do."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from tremplin.accounts import audit
from tremplin.registry.forms import BeneficiaryForm
from tremplin.registry.models import Beneficiary
from tremplin.web.api.errors import ErrorOut, ValidationErrorOut
from tremplin.web.api.pagination import paginate
from tremplin.web.api.payloads import current_values, initial_values, save_through_form

from .schemas import BeneficiaryIn, BeneficiaryOut, BeneficiaryPage, BeneficiaryPatch, PageParams

router = Router(tags=["Bénéficiaires"])


def visible_beneficiaries(request):
    """The only way in: the model's visibility rule, with what the output needs joined."""
    return Beneficiary.objects.visible_to(request.user).select_related(
        "territory", "operator", "referent"
    )


@router.get(
    "",
    response={200: BeneficiaryPage, 422: ValidationErrorOut},
    summary="Lister les bénéficiaires",
    description="Les bénéficiaires de votre périmètre, par nom, page par page. Chaque dossier "
    "renvoyé est inscrit au journal d'audit comme consulté.",
)
def list_beneficiaries(request, params: Query[PageParams]):
    queryset = visible_beneficiaries(request).search(params.q)
    page = paginate(queryset, params.page, params.page_size)
    audit.record_views(page["results"])
    return page


@router.get(
    "/{id}",
    response={200: BeneficiaryOut, 404: ErrorOut},
    summary="Lire le dossier d'un bénéficiaire",
    description="Chaque lecture est inscrite au journal d'audit.",
)
def read_beneficiary(request, id: int):
    beneficiary = get_object_or_404(visible_beneficiaries(request), pk=id)
    audit.record_view(beneficiary)
    return beneficiary


@router.post(
    "",
    response={201: BeneficiaryOut, 422: ValidationErrorOut},
    summary="Créer un bénéficiaire",
    description="Mêmes contrôles que la page de création (NIR et sa clé, doublons, "
    "cohérence de l'adresse, situation). Un champ absent prend la valeur que la page "
    "propose (par exemple vous-même comme référent).",
)
def create_beneficiary(request, payload: BeneficiaryIn):
    blank_form = BeneficiaryForm(user=request.user)
    data = {**initial_values(blank_form), **payload.dict(exclude_unset=True)}
    return Status(201, save_through_form(BeneficiaryForm(data=data, user=request.user)))


@router.patch(
    "/{id}",
    response={200: BeneficiaryOut, 404: ErrorOut, 409: ValidationErrorOut, 422: ValidationErrorOut},
    summary="Modifier un bénéficiaire",
    description="Seuls les champs envoyés changent ; le dossier entier est ensuite contrôlé "
    "comme sur la page de modification. Avec la « version » lue (GET), une modification "
    "faite entre-temps par quelqu'un d'autre est refusée : 409, rien n'est enregistré, les "
    "champs concernés nommés avec la valeur enregistrée et la vôtre.",
)
def update_beneficiary(request, id: int, payload: BeneficiaryPatch):
    beneficiary = get_object_or_404(visible_beneficiaries(request), pk=id)
    # The NIR and the RSA number are properties over encrypted columns, not model fields.
    data = current_values(
        beneficiary,
        BeneficiaryForm,
        extra={"nir": beneficiary.nir, "rsa_number": beneficiary.rsa_number},
    )
    data.update(payload.dict(exclude_unset=True))
    return save_through_form(BeneficiaryForm(data=data, instance=beneficiary, user=request.user))
