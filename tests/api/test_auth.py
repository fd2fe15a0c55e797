"""Who may call the API: a personal token, or the browser session with its CSRF token."""

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.api.helpers import beneficiary_payload
from tremplin.accounts.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db

LIST = "/api/v1/beneficiaries"


def test_a_personal_token_authenticates(client, referent_user, operator, territory):
    factories.BeneficiaryFactory(territory=territory, operator=operator, referent=referent_user)
    token, key = ApiToken.issue(referent_user, "script")
    response = client.get(LIST, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(client, referent_user):
    token, key = ApiToken.issue(referent_user, "ancien script")
    token.revoked_at = timezone.now()
    token.save()
    response = client.get(LIST, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401
    assert "Authentification requise" in response.json()["detail"]


def test_an_unknown_token_is_refused(client, referent_user):
    response = client.get(LIST, headers={"Authorization": "Bearer tpl_inconnu"})
    assert response.status_code == 401


def test_no_credentials_is_a_french_401(client):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "jeton personnel" in response.json()["detail"]


def test_a_token_of_an_inactive_user_is_refused(client, referent_user):
    _, key = ApiToken.issue(referent_user, "script")
    referent_user.is_active = False
    referent_user.save()
    response = client.get(LIST, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_the_browser_session_authenticates(client, referent_user):
    client.force_login(referent_user)
    response = client.get(LIST)
    assert response.status_code == 200


def test_a_session_write_without_csrf_token_is_refused_in_french(referent_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(referent_user)
    response = browser.post(LIST, {}, content_type="application/json")
    assert response.status_code == 403
    assert "Vérification CSRF échouée" in response.json()["detail"]


def test_a_token_write_needs_no_csrf_token(referent_user, operator, territory):
    _, key = ApiToken.issue(referent_user, "script")
    program = Client(enforce_csrf_checks=True)
    response = program.post(
        LIST,
        beneficiary_payload(territory, operator, referent_user),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201, response.json()


def test_writes_by_token_are_audited_under_the_tokens_owner(
    api_as, referent_user, operator, territory
):
    response = api_as(referent_user).post(
        LIST, beneficiary_payload(territory, operator, referent_user)
    )
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="create", object_type="registry.beneficiary")
    assert entry.actor == referent_user
    assert entry.source == "api"
