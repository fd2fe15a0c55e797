"""Second factor (django-otp): required of département agents and administrators,
optional for the others; enrolment with a QR code, the code step after the password,
recovery codes, an administrator's reset."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.accounts.otp import current_code, enrol
from tremplin.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.TREMPLIN_OTP_REQUIRED = True


def password_step(client, user, password=factories.PASSWORD):
    return client.post(LOGIN, {"username": user.email, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_an_agent_without_authenticator_sets_one_up_at_the_first_login(client, agent_user):
    response = password_step(client, agent_user)
    assert response["Location"] == reverse("accounts:enrol")
    assert not logged_in(client)  # not before the second factor
    page = client.get(reverse("accounts:enrol")).content.decode()
    assert "<svg" in page and "QR code" in page and "Activer" in page
    device = TOTPDevice.objects.get(user=agent_user, confirmed=False)
    response = client.post(reverse("accounts:enrol"), {"code": current_code(device)})
    assert response["Location"] == reverse("accounts:recovery_codes")
    assert logged_in(client)
    codes_page = client.get(reverse("accounts:recovery_codes")).content.decode()
    codes = StaticDevice.objects.get(user=agent_user).token_set.values_list("token", flat=True)
    assert len(codes) == 10 and all(code in codes_page for code in codes)
    # Shown once.
    assert client.get(reverse("accounts:recovery_codes")).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(action="otp_on", object_id=str(agent_user.pk)).exists()


def test_a_wrong_enrolment_code_is_refused_in_french(client, agent_user):
    password_step(client, agent_user)
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert "Ce code ne correspond pas" in response.content.decode()
    assert not logged_in(client)


def test_an_enrolled_administrator_types_the_code_after_the_password(client, admin_user):
    device = enrol(admin_user)
    response = password_step(client, admin_user)
    assert response["Location"] == reverse("accounts:login_code")
    assert not logged_in(client)
    response = client.post(reverse("accounts:login_code"), {"code": "123456"})
    assert "Ce code n&#x27;est pas le bon" in response.content.decode()
    assert not logged_in(client)
    failure = AuditEntry.objects.get(action="login_fail")
    assert failure.changes == {"motif": "code de double authentification incorrect"}
    response = client.post(reverse("accounts:login_code"), {"code": current_code(device)})
    assert response["Location"] == reverse("home")
    assert logged_in(client)
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(action="login", actor=admin_user).count() == 1


def test_a_recovery_code_works_once(client, admin_user):
    device = enrol(admin_user)
    code = device.recovery_codes[0]
    password_step(client, admin_user)
    response = client.post(reverse("accounts:login_code"), {"code": code})
    assert response["Location"] == reverse("home")
    client.post(reverse("accounts:logout"))
    password_step(client, admin_user)
    response = client.post(reverse("accounts:login_code"), {"code": code})
    assert response.status_code == 200 and not logged_in(client)


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, admin_user):
    device = enrol(admin_user)
    password_step(client, admin_user)
    for _ in range(5):
        response = client.post(reverse("accounts:login_code"), {"code": "000000"})
    assert response.status_code == 429
    assert "Ce compte est verrouillé" in response.content.decode()
    password_step(client, admin_user)  # the right password, during the lockout
    assert not logged_in(client)
    assert client.post(reverse("accounts:login_code"), {"code": current_code(device)})
    assert not logged_in(client)


def test_a_referent_logs_in_with_the_password_alone(client, referent_user):
    response = password_step(client, referent_user)
    assert response["Location"] == reverse("home") and logged_in(client)


def test_a_referent_may_choose_a_second_factor_and_is_then_asked_for_it(client, referent_user):
    client.force_login(referent_user)
    assert client.get(reverse("accounts:two_factor")).status_code == 200
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=referent_user)
    response = client.post(reverse("accounts:enrol"), {"code": current_code(device)})
    assert response["Location"] == reverse("accounts:recovery_codes")
    client.post(reverse("accounts:logout"))
    assert password_step(client, referent_user)["Location"] == reverse("accounts:login_code")
    # Optional for a referent: they may remove it.
    client.post(reverse("accounts:login_code"), {"code": current_code(device)})
    client.post(reverse("accounts:two_factor_remove"))
    assert not TOTPDevice.objects.filter(user=referent_user).exists()
    assert AuditEntry.objects.filter(action="otp_off").exists()


def test_an_agent_cannot_remove_a_required_second_factor(client, agent_user):
    device = enrol(agent_user)
    password_step(client, agent_user)
    client.post(reverse("accounts:login_code"), {"code": current_code(device)})
    response = client.post(reverse("accounts:two_factor_remove"), follow=True)
    assert "obligatoire pour votre rôle" in response.content.decode()
    assert TOTPDevice.objects.filter(user=agent_user).exists()


def test_a_session_that_skipped_the_second_factor_is_closed(client, agent_user):
    client.force_login(agent_user)  # a session opened without the code step
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert not logged_in(client)


def test_an_administrator_resets_someone_s_second_factor(client, admin_user, agent_user):
    enrol(agent_user)
    device = enrol(admin_user)
    password_step(client, admin_user)
    client.post(reverse("accounts:login_code"), {"code": current_code(device)})
    response = client.post(reverse("accounts:two_factor_reset"), {"email": agent_user.email})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=agent_user).exists()
    assert not StaticDevice.objects.filter(user=agent_user).exists()
    entry = AuditEntry.objects.get(action="otp_reset")
    assert entry.object_id == str(agent_user.pk) and entry.changes == {"par": admin_user.email}
    # The agent's next login asks for a new authenticator.
    client.post(reverse("accounts:logout"))
    assert password_step(client, agent_user)["Location"] == reverse("accounts:enrol")


def test_only_an_administrator_resets(client, referent_user, agent_user):
    client.force_login(referent_user)
    response = client.post(reverse("accounts:two_factor_reset"), {"email": agent_user.email})
    assert response.status_code == 403


def test_an_unknown_address_to_reset_is_explained(client, admin_user):
    device = enrol(admin_user)
    password_step(client, admin_user)
    client.post(reverse("accounts:login_code"), {"code": current_code(device)})
    response = client.post(reverse("accounts:two_factor_reset"), {"email": "x@exemple.fr"})
    assert "Aucun compte n&#x27;a cette adresse" in response.content.decode()


def test_the_technical_admin_resets_too(client, agent_user, settings):
    from tests.factories import UserFactory

    settings.TREMPLIN_OTP_REQUIRED = False
    staff = UserFactory(is_staff=True, is_superuser=True)
    enrol(agent_user)
    client.force_login(staff)
    page = client.get("/admin-technique/accounts/user/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)  # web/once.py
    response = client.post(
        "/admin-technique/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [agent_user.pk], "form_token": token},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=agent_user).exists()
    assert AuditEntry.objects.get(action="otp_reset").changes == {"par": staff.email}
