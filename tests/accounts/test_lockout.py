"""Login throttling: 5 failed attempts for one account lock it for 15 minutes,
even with the right password and from another address; each failure and the lockout are
in the audit log; the account opens again after the 15 minutes."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tremplin.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"


def attempt(client, email, password, ip="198.51.100.7"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def fail(client, user, times, ip="198.51.100.7"):
    for _ in range(times):
        response = attempt(client, user.email, "pas-le-bon-mot-de-passe", ip)
    return response


def test_four_failures_then_the_right_password_logs_in(client, referent_user):
    fail(client, referent_user, 4)
    response = attempt(client, referent_user.email, factories.PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_the_fifth_failure_locks_the_account_even_with_the_right_password(client, referent_user):
    response = fail(client, referent_user, 5)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Ce compte est verrouillé après 5 tentatives" in page
    assert "même avec le bon mot de passe" in page
    response = attempt(client, referent_user.email, factories.PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address too: the lock is the account's, not the address's.
    response = attempt(client, referent_user.email, factories.PASSWORD, ip="203.0.113.9")
    assert response.status_code == 429


def test_the_message_says_until_when(client, referent_user):
    moment = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 40))
    with time_machine.travel(moment, tick=False):
        page = fail(client, referent_user, 5).content.decode()
    # Locked at 9:40 (Paris) for 15 minutes.
    assert "Réessayez après 09:55 (heure de Paris)" in page


def test_the_account_opens_again_after_15_minutes(client, referent_user):
    start = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 40))
    with time_machine.travel(start, tick=False) as clock:
        fail(client, referent_user, 5)
        clock.shift(datetime.timedelta(minutes=14))
        assert attempt(client, referent_user.email, factories.PASSWORD).status_code == 429
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        response = attempt(client, referent_user.email, factories.PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_failures_spread_over_more_than_15_minutes_do_not_lock(client, referent_user):
    start = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
    with time_machine.travel(start, tick=False) as clock:
        fail(client, referent_user, 4)
        clock.shift(datetime.timedelta(minutes=16))
        fail(client, referent_user, 1)
        response = attempt(client, referent_user.email, factories.PASSWORD)
    assert response.status_code == 302


def test_one_account_locked_leaves_the_others_open(client, referent_user, coordinator_user):
    fail(client, referent_user, 5)
    response = attempt(client, coordinator_user.email, factories.PASSWORD)
    assert response.status_code == 302


def test_the_address_typed_in_capitals_counts_for_the_same_account(client, referent_user):
    for email in (referent_user.email.upper(), referent_user.email) * 3:
        attempt(client, email, "faux")
    assert attempt(client, referent_user.email, factories.PASSWORD).status_code == 429


def test_every_failure_and_the_lockout_are_in_the_audit_log(client, referent_user):
    fail(client, referent_user, 5)
    attempt(client, referent_user.email, factories.PASSWORD)  # during the lockout
    failures = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
    assert failures.count() == 6
    assert {entry.object_id for entry in failures} == {str(referent_user.pk)}
    assert {entry.ip_address for entry in failures} == {"198.51.100.7"}
    assert [entry.changes["motif"] for entry in failures.order_by("id")] == [
        "adresse ou mot de passe incorrect"
    ] * 5 + ["compte verrouillé"]
    lockouts = AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT)
    assert lockouts.count() == 1
    assert lockouts.get().object_repr == referent_user.email
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()


def test_an_unknown_address_is_audited_without_revealing_anything(client):
    response = attempt(client, "inconnu@exemple.fr", "faux")
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert (entry.object_id, entry.object_repr) == ("", "inconnu@exemple.fr")
