"""The REST API of Tremplin, version 1, under /api/v1/ (OpenAPI at /api/v1/openapi.json)."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from tremplin.companies.api import companies_router
from tremplin.conventions.api import router as conventions_router
from tremplin.invitations.api import invitations_router
from tremplin.outcomes.api import outcomes_router
from tremplin.professional.api import professional_router
from tremplin.progress.api import progress_router
from tremplin.registry.api import (
    beneficiaries_router,
    employers_router,
    imports_router,
    tutors_router,
)
from tremplin.support.api import support_router
from tremplin.web.api.auth import ApiTokenAuth, BrowserSessionAuth
from tremplin.web.api.bounds import days_within_bounds
from tremplin.web.api.errors import document_common_errors, install_error_handlers

from .docs import LocalSwagger

DESCRIPTION = """
API de Tremplin : le registre (bénéficiaires, employeurs, tuteurs), les conventions CUI et
leur aide, les accompagnements (dans l'emploi et professionnel), la progression, les
relations entreprises, les sorties, et les invitations aux rendez-vous (rappels, présence).

**Authentification** : un jeton personnel, créé depuis la page « Mon compte », dans l'en-tête
`Authorization: Bearer <jeton>` ; ou la session du navigateur (cette page de documentation),
avec l'en-tête `X-CSRFToken` pour les requêtes qui modifient des données.

**Périmètre** : chacun ne voit que ce que ses pages lui montrent (référent : les personnes
qu'il suit ; coordinateur : sa structure ; agent du département : son territoire). Un dossier
hors de votre périmètre répond 404, comme s'il n'existait pas.

**Contrôles** : les mêmes formulaires que les pages valident les données, avec les mêmes
messages en français. Une erreur répond 422 :
`{"detail": "...", "errors": {"champ": ["message", ...]}}` et rien n'est enregistré.

**Données personnelles** : le NIR et le numéro d'allocataire RSA ne sont jamais renvoyés en
clair (`nir_masked`, `rsa_number_masked`) ; chaque lecture d'un dossier est journalisée.
"""


class ReadableJSONRenderer(JSONRenderer):
    # French text stays readable in the raw JSON ("é", not "\\u00e9").
    json_dumps_params = {"ensure_ascii": False}


class TremplinApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_common_errors(document)


api = TremplinApi(
    title="API Tremplin",
    version="1",
    description=DESCRIPTION,
    auth=[ApiTokenAuth(), BrowserSessionAuth()],
    renderer=ReadableJSONRenderer(),
    urls_namespace="api",
    docs=LocalSwagger(),
)
install_error_handlers(api)
api.add_decorator(days_within_bounds)
api.add_router("/beneficiaries", beneficiaries_router)
api.add_router("/employers", employers_router)
api.add_router("/tutors", tutors_router)
api.add_router("/imports", imports_router)
api.add_router("", outcomes_router)
api.add_router("", conventions_router)
api.add_router("", support_router)
api.add_router("", professional_router)
api.add_router("", progress_router)
api.add_router("", companies_router)
api.add_router("", invitations_router)
