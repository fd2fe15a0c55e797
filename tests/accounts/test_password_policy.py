"""Password policy after the CNIL (délibération n° 2022-100 du 21 juillet 2022, cas n° 1:
80 bits, met by 12 characters of the four classes, 14 of three, or a 7-word passphrase);
the password-change page linked from « Mon compte »."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from tremplin.accounts.models import AuditEntry
from tremplin.accounts.password_policy import CnilPasswordValidator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "Ab3!efghijkl",  # 12 characters, the four classes (the CNIL's first example)
        "Abcdefghijkl12",  # 14 characters, upper, lower and digits (second example)
        "abcdefghijk-12",  # 14 characters, lower, special, digits: three classes
        "le chat de ma voisine mange des croquettes",  # 7 words (third example)
    ],
)
def test_strong_passwords_are_accepted(password):
    CnilPasswordValidator().validate(password)


@pytest.mark.parametrize(
    "password",
    [
        "Ab3!efghijk",  # 11 characters, four classes: one short
        "Abcdefghijk12",  # 13 characters, three classes: one short of 14
        "abcdefghijklmnopqrst",  # 20 lower-case letters: one class
        "Motdepasselongmaissimple",  # 24 characters, two classes
        "le chat de ma voisine mange",  # 6 words
        "chat chat chat chat chat chat chat",  # 7 words, but one distinct
    ],
)
def test_weak_passwords_are_refused_in_french_citing_the_cnil(password):
    with pytest.raises(ValidationError) as error:
        CnilPasswordValidator().validate(password)
    message = error.value.messages[0]
    assert "trop facile à deviner" in message and "délibération n° 2022-100" in message


def test_the_project_uses_it(referent_user):
    with pytest.raises(ValidationError):
        validate_password("court1A!", referent_user)
    validate_password("Un-nouveau-mot-de-passe-2026", referent_user)


def test_the_account_page_links_to_the_password_change(client, referent_user):
    client.force_login(referent_user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:password_change") in page


def test_changing_the_password(client, referent_user):
    client.force_login(referent_user)
    url = reverse("accounts:password_change")
    response = client.post(
        url,
        {
            "old_password": factories.PASSWORD,
            "new_password1": "trop-court-1",
            "new_password2": "trop-court-1",
        },
    )
    assert "trop facile à deviner" in response.content.decode()
    response = client.post(
        url,
        {
            "old_password": factories.PASSWORD,
            "new_password1": "Un-Nouveau-mot-de-passe-2026",
            "new_password2": "Un-Nouveau-mot-de-passe-2026",
        },
    )
    assert response.status_code == 302
    referent_user.refresh_from_db()
    assert referent_user.check_password("Un-Nouveau-mot-de-passe-2026")
    # Still logged in, and the change is in the audit log.
    assert client.get(reverse("accounts:account")).status_code == 200
    assert AuditEntry.objects.filter(action="password", object_id=str(referent_user.pk)).exists()
