"""Sessions: closed after TREMPLIN_SESSION_IDLE_MINUTES without a request (30 by
default) and TREMPLIN_SESSION_MAX_HOURS after the login whatever the activity; nothing shown
to a signed-in person is cached."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tremplin.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def login(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def test_thirty_minutes_idle_end_the_session(client, referent_user):
    with time_machine.travel(START, tick=False) as clock:
        login(client, referent_user)
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))  # active 29 minutes ago: still open
        assert client.get(reverse("home")).status_code == 200
        clock.shift(datetime.timedelta(minutes=30, seconds=1))
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")
    page = client.get(response["Location"]).content.decode()
    assert "après 30 minutes d&#x27;inactivité" in page
    entry = AuditEntry.objects.get(action="session")
    assert entry.changes == {"motif": "inactivité"} and entry.object_id == str(referent_user.pk)


def test_the_idle_timeout_is_a_setting(client, referent_user, settings):
    settings.TREMPLIN_SESSION_IDLE_MINUTES = 5
    with time_machine.travel(START, tick=False) as clock:
        login(client, referent_user)
        clock.shift(datetime.timedelta(minutes=6))
        assert client.get(reverse("home")).status_code == 302


def test_the_session_ends_after_its_maximum_lifetime_even_when_active(client, referent_user):
    with time_machine.travel(START, tick=False) as clock:
        login(client, referent_user)
        for _ in range(12 * 4):  # a request every 15 minutes for 12 hours
            clock.shift(datetime.timedelta(minutes=15))
            response = client.get(reverse("accounts:account"))
        assert response.status_code == 200  # exactly 12 hours: still open
        clock.shift(datetime.timedelta(minutes=1))
        assert client.get(reverse("accounts:account")).status_code == 302
    assert AuditEntry.objects.get(action="session").changes == {"motif": "durée maximale"}


def test_signed_in_pages_and_exports_are_not_cached(client, referent_user):
    client.force_login(referent_user)
    assert client.get(reverse("home"))["Cache-Control"] == "no-store"
    export = client.get(reverse("registry:beneficiary_list"), {"format": "csv"})
    assert export["Cache-Control"] == "no-store"
    token_page = client.get(reverse("accounts:account"))
    assert token_page["Cache-Control"] == "no-store"


def test_static_assets_keep_their_cache(client, referent_user):
    client.force_login(referent_user)
    asset = client.get("/api/v1/docs/assets/swagger-ui.css")
    assert "public" in asset["Cache-Control"] and "no-store" not in asset["Cache-Control"]


def test_a_page_reads_the_session_from_the_cache_and_from_the_database_once_it_is_emptied(
    client, referent_user
):
    # One query fewer on every page (settings: cached_db); the database still holds every
    # session, so that emptying the cache (a Redis restart) logs nobody out.
    login(client, referent_user)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("help_glossary")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("help_glossary"))
    assert page.status_code == 200 and referent_user.get_full_name() in page.content.decode()
    assert len([q for q in queries if 'FROM "django_session"' in q["sql"]]) == 1


def test_logging_out_ends_the_session_in_the_cache_too(client, referent_user):
    login(client, referent_user)
    key = client.session.session_key
    client.post(reverse("accounts:logout"))
    # The old cookie no longer opens anything, whichever store is asked first.
    client.cookies["sessionid"] = key
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")
