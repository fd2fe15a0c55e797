"""Schemathesis against the whole API, in process: every operation of the OpenAPI document
gets a few generated requests (valid and invalid), with an administrator's token; none
may answer a server error, and every answer must match the document (status code, content
type, body). Bounded: a few examples per operation, a fixed seed (the same requests on
every run), so that it runs in CI with the rest of the suite (marker ``schemathesis``)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks as schemathesis_checks
from schemathesis.specs.openapi import checks as openapi_checks

from tests import factories
from tests.conventions.factories import ConventionFactory
from tests.support.factories import InEmploymentEpisodeFactory
from tremplin.accounts.models import ApiToken
from tremplin.api.api import api

EXAMPLES_PER_OPERATION = 5
SEED = 20261203
CHECKS = [
    schemathesis_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()
# The document's examples, the "coverage" phase (the boundaries the schema defines: huge
# numbers, wrong types, missing keys; a bounded set, deterministic) and a few random cases.
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
schema.config.seed = SEED

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _keep_the_tests_connection():
    """As Django's test client does: at the start and the end of each request the WSGI
    handler closes an old database connection, which on PostgreSQL is the test's, inside its
    transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(admin_user, operator, territory):
    """An administrator's token (the widest scope), and a few records for ids to meet."""
    beneficiary = factories.BeneficiaryFactory(territory=territory, operator=operator)
    ConventionFactory(territory=territory, beneficiary=beneficiary)
    InEmploymentEpisodeFactory(beneficiary=beneficiary)
    _, key = ApiToken.issue(admin_user, "schemathesis")
    return key


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_request_without_server_error_and_as_documented(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)
