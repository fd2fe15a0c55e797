"""Every API error is JSON with a French sentence, in the same shape whoever raised it.

Form errors come from the very forms of the pages, so their messages are already French;
type errors come from pydantic, in English, and are translated here by error type.
"""

import html
import re

from django.http import Http404
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tremplin.rules.calendar import DAY_OUT_OF_BOUNDS

NOTHING_SAVED = "Les données envoyées contiennent des erreurs : rien n'a été enregistré."
INVALID_PARAMETERS = "Les paramètres de la requête contiennent des erreurs."
EDIT_CONFLICT = (
    "Le dossier a été modifié depuis votre lecture : rien n'a été enregistré. Relisez-le "
    "(GET), puis renvoyez vos modifications avec sa nouvelle « version »."
)
NOT_FOUND = "Introuvable ou hors de votre périmètre."
UNAUTHENTICATED = (
    "Authentification requise : envoyez l'en-tête « Authorization: Bearer <jeton> » avec un "
    "jeton personnel créé depuis la page « Mon compte », ou connectez-vous dans le navigateur."
)
CSRF_FAILED = (
    "Vérification CSRF échouée : avec la session du navigateur, une requête qui modifie des "
    "données doit porter l'en-tête X-CSRFToken. Un client programmé utilise plutôt un jeton "
    "personnel (Authorization: Bearer <jeton>)."
)
# Messages of HttpError that ninja raises itself, in English, by status code.
HTTP_ERROR_MESSAGES = {
    400: "Le corps de la requête n'est pas un JSON valide.",
    403: "Action non autorisée.",
    429: "Trop de requêtes : réessayez dans un moment.",
}

NON_FIELD_KEY = "__all__"  # the key Django uses for errors of the whole form

# pydantic error type -> French message; "{name}" placeholders are filled from the error's ctx.
PYDANTIC_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "extra_forbidden": "Ce champ n'existe pas : retirez-le de la requête.",
    "int_parsing": "Nombre entier attendu.",
    "int_type": "Nombre entier attendu.",
    "int_from_float": "Nombre entier attendu (sans décimales).",
    "float_parsing": "Nombre attendu.",
    "float_type": "Nombre attendu.",
    "decimal_parsing": "Nombre décimal attendu.",
    "decimal_type": "Nombre décimal attendu.",
    "bool_parsing": "Valeur booléenne attendue : true ou false.",
    "bool_type": "Valeur booléenne attendue : true ou false.",
    "string_type": "Texte attendu.",
    "string_too_short": "Texte trop court : au moins {min_length} caractères attendus.",
    "string_too_long": "Au plus {max_length} caractères.",
    "date_parsing": "Date attendue au format AAAA-MM-JJ.",
    "date_type": "Date attendue au format AAAA-MM-JJ.",
    "date_from_datetime_parsing": "Date attendue au format AAAA-MM-JJ.",
    "date_from_datetime_inexact": "Date attendue au format AAAA-MM-JJ, sans heure.",
    "datetime_parsing": "Date et heure attendues au format AAAA-MM-JJTHH:MM:SS.",
    "datetime_type": "Date et heure attendues au format AAAA-MM-JJTHH:MM:SS.",
    "datetime_from_date_parsing": "Date et heure attendues au format AAAA-MM-JJTHH:MM:SS.",
    "greater_than": "La valeur doit être supérieure à {gt}.",
    "greater_than_equal": "La valeur doit être supérieure ou égale à {ge}.",
    "less_than": "La valeur doit être inférieure à {lt}.",
    "less_than_equal": "La valeur doit être inférieure ou égale à {le}.",
    "enum": "Valeur non autorisée : choisissez parmi {expected}.",
    "literal_error": "Valeur non autorisée : choisissez parmi {expected}.",
    "list_type": "Liste attendue.",
    "dict_type": "Objet JSON attendu.",
    "model_type": "Objet JSON attendu.",
    "model_attributes_type": "Objet JSON attendu.",
    "json_invalid": "JSON invalide.",
    "json_type": "JSON invalide.",
    "day_out_of_bounds": DAY_OUT_OF_BOUNDS,
    "integer_too_large": "Nombre trop grand : aucune valeur de Tremplin n'atteint ce nombre.",
}
UNKNOWN_ERROR_MESSAGE = "Valeur invalide."


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class FrenchHttpError(HttpError):
    """An HTTP error whose message is already a French sentence for the user."""


class EditConflictError(Exception):
    """Another save changed the record since the version the client sent: 409, nothing
    saved, the fields concerned named with the recorded value and the value sent."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


class FormInvalid(Exception):
    """A page's form refused the data: the API answers 422 with the form's own messages."""

    def __init__(self, form):
        self.form = form
        super().__init__(form.errors)


def french_message(error: dict) -> str:
    template = PYDANTIC_MESSAGES.get(error.get("type", ""), UNKNOWN_ERROR_MESSAGE)
    context = error.get("ctx") or {}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template


def field_key(location) -> str:
    """("body", "payload", "headcount_dec31") -> "headcount_dec31"; ("query", "page") -> "page"."""
    parts = list(location)
    # The body's location also names the view's parameter; clients never see that name.
    skip = 2 if parts and parts[0] == "body" else 1
    rest = [str(part) for part in parts[skip:]]
    return ".".join(rest) or NON_FIELD_KEY


def plain_text(message) -> str:
    """A form message as plain text; a link to the existing file becomes "name (address)"."""
    if not isinstance(message, SafeData):
        return str(message)
    with_addresses = re.sub(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', r"\2 (\1)", str(message))
    return html.unescape(strip_tags(with_addresses))


def form_errors(form) -> dict[str, list[str]]:
    return {
        field: [plain_text(message) for message in messages]
        for field, messages in form.errors.items()
    }


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(FormInvalid)
    def form_invalid(request, exc: FormInvalid):
        return api.create_response(
            request, {"detail": NOTHING_SAVED, "errors": form_errors(exc.form)}, status=422
        )

    @api.exception_handler(EditConflictError)
    def edit_conflict(request, exc: EditConflictError):
        errors = {
            field: [plain_text(m) for m in messages] for field, messages in exc.errors.items()
        }
        return api.create_response(request, {"detail": EDIT_CONFLICT, "errors": errors}, status=409)

    @api.exception_handler(ValidationError)
    def payload_invalid(request, exc: ValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(field_key(error.get("loc", ())), []).append(french_message(error))
        # A reading request writes nothing, so "nothing was saved" would mislead there.
        detail = INVALID_PARAMETERS if request.method in ("GET", "HEAD") else NOTHING_SAVED
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = api.create_response(request, {"detail": UNAUTHENTICATED}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # Our own errors are already French; ninja's are English and known by status.
        message = str(exc)
        if not isinstance(exc, FrenchHttpError):
            message = HTTP_ERROR_MESSAGES.get(exc.status_code, message)
        return api.create_response(request, {"detail": message}, status=exc.status_code)


# --- The answers every operation may give, in the OpenAPI document ---------------------------

COMMON_ERRORS = {
    "400": ("Le corps de la requête n'est pas un JSON valide.", "ErrorOut"),
    "401": ("Authentification requise ou jeton invalide.", "ErrorOut"),
    "403": ("Action non autorisée (ou vérification CSRF échouée).", "ErrorOut"),
    "404": ("Introuvable ou hors de votre périmètre.", "ErrorOut"),
    "422": ("Paramètres ou données invalides : rien n'a été enregistré.", "ValidationErrorOut"),
}


def document_common_errors(document: dict) -> dict:
    """Every operation's answers include the errors any of them may give: 401 without a
    valid token, 403 for an action refused (or a missing CSRF token with the browser's
    session), 404 for an id unknown or out of scope, 422 for parameters or a body of the
    wrong type; each with its JSON shape. Checked by the schemathesis test."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, ValidationErrorOut):
        schemas.setdefault(model.__name__, model.model_json_schema())
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, (description, schema_name) in COMMON_ERRORS.items():
                if status in responses or int(status) in responses:
                    continue
                responses[status] = {
                    "description": description,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{schema_name}"}
                        }
                    },
                }
    return document
