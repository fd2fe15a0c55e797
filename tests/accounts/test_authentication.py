"""Log in with an e-mail address, log out, reset a password by e-mail, API tokens."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories
from tremplin.accounts.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password(client, referent_user):
    response = client.post(
        reverse("accounts:login"),
        {"username": referent_user.email.upper(), "password": factories.PASSWORD},
    )
    # E-mail addresses are stored lower-case; the form normalises what is typed.
    assert response.status_code in (200, 302)


def test_login_then_logout(client, referent_user):
    response = client.post(
        reverse("accounts:login"),
        {"username": referent_user.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert AuditEntry.objects.filter(action="login", actor=referent_user).exists()
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


def test_wrong_password_is_explained_in_french(client, referent_user):
    response = client.post(
        reverse("accounts:login"), {"username": referent_user.email, "password": "non"}
    )
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()


def test_password_reset_by_email(client, referent_user):
    client.post(reverse("accounts:password_reset"), {"email": referent_user.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [referent_user.email]
    assert "réinitialisation" in message.subject
    link = re.search(r"https?://[^/]+(/compte/mot-de-passe/nouveau/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "Un-nouveau-mot-de-passe-2026",
            "new_password2": "Un-nouveau-mot-de-passe-2026",
        },
    )
    assert response.status_code == 302
    referent_user.refresh_from_db()
    assert referent_user.check_password("Un-nouveau-mot-de-passe-2026")


def test_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.fr"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_token_is_shown_once_and_only_its_digest_is_stored(client, referent_user):
    client.force_login(referent_user)
    response = client.post(reverse("accounts:account"), {"name": "Tableur"})
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=referent_user)
    assert token.digest == ApiToken.digest_of(key) and key not in token.digest
    assert ApiToken.authenticate(key) == referent_user
    assert key not in client.get(reverse("accounts:account")).content.decode()


def test_revoked_token_no_longer_authenticates(client, referent_user):
    token, key = ApiToken.issue(referent_user, "Ancien script")
    client.force_login(referent_user)
    client.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert ApiToken.authenticate(key) is None


def test_a_user_cannot_revoke_someone_elses_token(client, referent_user, coordinator_user):
    token, key = ApiToken.issue(coordinator_user, "Script")
    client.force_login(referent_user)
    assert client.post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 404
    assert ApiToken.authenticate(key) == coordinator_user
