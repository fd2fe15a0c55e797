"""``POST /outcomes/classify``: the classification of an exit over the API (A3, A4, P1, P10).

The same JSON as ``tremplin classify-exit`` goes in, the same ``as_dict()`` comes out: the
decision is ``tremplin.rules.outcomes``, this module only carries it over HTTP. The router
is mounted by the project's API under ``/api/v1/`` and inherits its authentication.

The body is read as raw JSON on purpose, not through a pydantic schema: the rules' own
parser (``exit_case_from_mapping``) already answers every mistake with a French sentence
that names the situation and the field, and the command says exactly the same thing. The
pydantic schemas below only document the body in the OpenAPI description.
"""

import datetime
import json
from typing import Literal

from ninja import Router, Schema, Status

from tremplin.rules.outcomes import (
    ExitInputError,
    SituationKind,
    classify_exit,
    exit_case_from_mapping,
)
from tremplin.rules.programmes import Programme
from tremplin.web.commands import TOO_DEEP_OR_TOO_LONG

outcomes_router = Router(tags=["Sorties"])

CANNOT_CLASSIFY = "Impossible de classer la sortie : les données envoyées contiennent des erreurs."
BODY_NOT_JSON = "Le corps de la requête n'est pas du JSON valide (ligne {line}, colonne {column})."


class SituationIn(Schema):
    kind: Literal[tuple(SituationKind)]  # type: ignore[valid-type]
    start: datetime.date
    end: datetime.date | None = None
    weekly_hours: float | None = None
    company_full_time_hours: float | None = None
    in_siae: bool = False
    rncp_listed: bool = False
    qualifying: bool = False
    appointment: bool = False
    permanent_contract: bool = False
    supported_contract: bool = False


class ExitCaseIn(Schema):
    programme: Literal[tuple(Programme)]  # type: ignore[valid-type]
    support_start: datetime.date
    support_end: datetime.date | None = None
    evaluation_date: datetime.date
    situations: list[SituationIn] = []


class ExitClassificationOut(Schema):
    programme: str
    category: str
    category_label: str
    positive: bool
    rule: str
    explanation: str
    deciding_situations: list[int]
    indicators: dict[str, bool]


class ClassifyErrorOut(Schema):
    detail: str
    errors: list[str]


def _request_body_schema() -> dict:
    """ExitCaseIn's JSON schema with the situation inlined (OpenAPI has no ``$defs``)."""
    schema = ExitCaseIn.model_json_schema()
    definitions = schema.pop("$defs", {})
    schema["properties"]["situations"]["items"] = definitions["SituationIn"]
    return schema


@outcomes_router.post(
    "/outcomes/classify",
    response={200: ExitClassificationOut, 422: ClassifyErrorOut},
    summary="Classer la sortie d'un accompagnement",
    description=(
        "Règles A3, A4 (accompagnement dans l'emploi), P1 et P10 (accompagnement "
        "professionnel). Entrée : programme, début et fin de l'accompagnement, date "
        "d'évaluation, situations de la personne (le JSON de `tremplin classify-exit`, voir "
        "docs/rules-outcomes.md). Sortie : catégorie, sortie positive ou non, règle "
        "appliquée, explication en français, situations décisives (numérotées à partir de "
        "1) et indicateurs. Une saisie incohérente répond 422 avec la liste des erreurs."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _request_body_schema()}},
        }
    },
)
def classify_outcome(request):
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line, column = getattr(error, "lineno", 1), getattr(error, "colno", 1)
        message = BODY_NOT_JSON.format(line=line, column=column)
        return Status(422, {"detail": message, "errors": [message]})
    except (ValueError, RecursionError):
        # An integer of more than 4,300 digits, thousands of nested brackets.
        return Status(422, {"detail": TOO_DEEP_OR_TOO_LONG, "errors": [TOO_DEEP_OR_TOO_LONG]})
    try:
        result = classify_exit(exit_case_from_mapping(data))
    except ExitInputError as error:
        return Status(422, {"detail": CANNOT_CLASSIFY, "errors": list(error.messages)})
    return Status(200, result.as_dict())
