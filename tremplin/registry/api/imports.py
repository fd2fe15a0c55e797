"""Importing a list of people (CSV or XLSX), as the page and ``tremplin import-beneficiaries``
do: same matching, same checks, same JSON answer."""

from __future__ import annotations

from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Membership, Role
from tremplin.registry import services
from tremplin.registry.imports.engine import ImportOptions
from tremplin.registry.models import Beneficiary
from tremplin.registry.views.imports import importable_operators, too_large_message
from tremplin.web.api.errors import ErrorOut, FrenchHttpError, ValidationErrorOut

router = Router(tags=["Imports"])


class CellErrorOut(Schema):
    column: str
    message: str


class RejectedRowOut(Schema):
    row: int
    errors: list[CellErrorOut]


class ImportResultOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: list[RejectedRowOut]


def _refused(messages: list[str]):
    return FrenchHttpError(422, " ".join(messages))


@router.post(
    "/beneficiaries",
    response={
        200: ImportResultOut,
        403: ErrorOut,
        413: ErrorOut,
        422: ValidationErrorOut | ErrorOut,
    },
    summary="Importer une liste de bénéficiaires",
    description="Un fichier CSV (UTF-8, « ; » ou « , ») ou XLSX, envoyé en multipart "
    "(champ `file`). Chaque ligne est rapprochée d'un dossier (NIR, puis numéro "
    "d'allocataire, puis nom et date de naissance) et contrôlée comme sur la page de saisie ; "
    "le tout est enregistré en une transaction (`dry_run` : rien n'est enregistré). Les "
    "lignes sont numérotées à partir de 1 sous les en-têtes. Un fichier de plus de "
    "`TREMPLIN_IMPORT_UPLOAD_MAX_MB` Mo (50 par défaut) est refusé (413). Réservé aux coordinateurs, "
    "agents du département et administrateurs, dans leur périmètre.",
)
def import_beneficiaries(
    request,
    file: File[UploadedFile],
    operator: Form[int | None] = None,
    referent: Form[str] = "",
    rsa_payer: Form[str] = Beneficiary.RsaPayer.CAF,
    mapping: Form[str] = "",
    dry_run: Form[bool] = False,
):
    scope = scope_of(request.user)
    if not (scope.is_admin or scope.coordinated_operator_ids or scope.agent_territory_ids):
        raise FrenchHttpError(
            403,
            "L'import de listes est réservé aux coordinateurs, aux agents du département et aux "
            "administrateurs.",
        )
    operators = importable_operators(request.user)
    if operator is None:
        if operators.count() != 1:
            raise _refused(["Indiquez la structure qui reçoit les nouveaux dossiers (operator)."])
        chosen = operators.get()
    else:
        chosen = operators.filter(pk=operator).first()
        if chosen is None:
            raise _refused([f"La structure n° {operator} n'est pas dans votre périmètre."])
    referent_user = None
    if referent:
        membership = (
            Membership.objects.active()
            .filter(user__email__iexact=referent.strip(), organisation=chosen, role=Role.REFERENT)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise _refused([f"« {referent} » n'est pas l'adresse d'un·e référent·e de {chosen}."])
        referent_user = membership.user
    if rsa_payer not in Beneficiary.RsaPayer.values:
        raise _refused(["rsa_payer vaut CAF ou MSA."])
    if getattr(file, "too_large", False):
        raise FrenchHttpError(413, too_large_message(file))
    options = ImportOptions(
        operator=chosen,
        referent=referent_user,
        user=request.user,
        rsa_payer=rsa_payer,
        dry_run=dry_run,
    )
    try:
        result = services.import_file(file, options, mapping_toml=mapping or None)
    except services.ImportRefused as error:
        raise _refused(error.messages) from None
    return result.as_dict()
