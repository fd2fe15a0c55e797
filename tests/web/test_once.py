"""No double submission: every POST form carries a one-time token, consumed in the database
in the view's own transaction (``tremplin.web.once``); two clicks 50 ms apart save once."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.support.factories import episode_for
from tests.web.concurrent_clicks import two_clicks
from tremplin.support.models import Meeting
from tremplin.web import once
from tremplin.web.models import FormSubmission

ROOT = Path(__file__).resolve().parents[2] / "tremplin"
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.IGNORECASE | re.DOTALL)
POST = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)


def templates():
    return sorted(path for path in ROOT.rglob("*.html") if "templates" in path.parts)


def post_forms(path: Path) -> list[str]:
    return [form for form in FORM.findall(path.read_text()) if POST.search(form.split(">")[0])]


def test_every_post_form_of_every_template_carries_the_token():
    found = {path: post_forms(path) for path in templates()}
    assert sum(len(forms) for forms in found.values()) >= 25  # the walk sees the forms
    missing = [
        f"{path.relative_to(ROOT)}: {form[:80]}"
        for path, forms in found.items()
        for form in forms
        if "{% form_token %}" not in form
    ]
    assert not missing, missing


def test_no_python_code_writes_a_post_form_by_hand():
    written = [
        path
        for path in ROOT.rglob("*.py")
        if re.search(r"<form\b[^>]*method=.?post", path.read_text(), re.IGNORECASE)
    ]
    assert written == []


def meeting_form(**changes):
    data = {
        "starts_at": "2025-03-12T10:00",
        "duration_minutes": "60",
        "place": "company",
        "kind": "individual",
        "participants": "",
        "report": "Premier entretien en entreprise.",
        "over_budget_reason": "",
        "status": "",
        "status_reason": "",
    }
    return {**data, **changes}


def token_of(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_the_rendered_page_carries_a_token_and_the_login_page_too(client, referent_user):
    assert 'name="form_token"' in Client().get(reverse("accounts:login")).content.decode()
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    page = client.get(reverse("support:meeting_create", args=[episode.pk]))
    first, second = token_of(page), token_of(client.get(page.request["PATH_INFO"]))
    assert first != second  # one token per rendering


@pytest.mark.django_db
def test_the_second_post_of_a_token_saves_nothing_and_goes_where_the_first_went(
    client, referent_user
):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    url = reverse("support:meeting_create", args=[episode.pk])
    token = token_of(client.get(url))
    first = client.post(url, meeting_form(form_token=token))
    second = client.post(url, meeting_form(form_token=token))
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == episode.get_absolute_url() + "#rencontres"
    assert Meeting.objects.filter(episode=episode).count() == 1
    texts = [str(message) for message in get_messages(second.wsgi_request)]
    assert once.ALREADY_SENT in texts
    assert FormSubmission.objects.get().result_url == first["Location"]


@pytest.mark.django_db
def test_a_form_shown_again_with_its_errors_gives_its_token_back(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    url = reverse("support:meeting_create", args=[episode.pk])
    token = token_of(client.get(url))
    refused = client.post(url, meeting_form(form_token=token, duration_minutes="0"))
    assert refused.status_code == 200
    assert not FormSubmission.objects.exists()
    corrected = client.post(url, meeting_form(form_token=token))
    assert corrected.status_code == 302
    assert Meeting.objects.filter(episode=episode).count() == 1


@pytest.mark.django_db
def test_a_forged_token_is_refused_in_french(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    url = reverse("support:meeting_create", args=[episode.pk])
    response = client.post(url, meeting_form(form_token="abc:def"))
    assert response.status_code == 400
    assert "jeton d&#x27;envoi est altéré" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_clicks_50_ms_apart_create_one_meeting(referent_user, tmp_path):
    """Two threads post the same form 50 ms apart while the first is still saving: the
    database makes the second wait, then it finds the token used and saves nothing."""
    if connection.vendor == "postgresql":
        outcome = two_clicks(episode_for(referent_user), referent_user)
    else:
        # See concurrent_clicks: a SQLite file as in production, in a process of its own.
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'clicks.sqlite3'}"}
        done = subprocess.run(
            [sys.executable, "-m", "tests.web.concurrent_clicks"],
            cwd=ROOT.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["meetings"] == 1
    first, second = outcome["responses"]["first"], outcome["responses"]["second"]
    assert first[0] == second[0] == 302
    assert second[1] == first[1]  # the second click lands where the first went


# --- The technical admin (/admin-technique/): its forms are the project's templates ------


@pytest.fixture
def superuser(client, settings):
    from tests.factories import UserFactory

    settings.TREMPLIN_OTP_REQUIRED = False
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def territory_form():
    return {"code": "976", "name": "Mayotte", "region_code": "06", "region_name": "Mayotte"}


@pytest.mark.django_db
def test_the_admin_pages_carry_the_token_and_the_script(client, superuser):
    from tests.factories import TerritoryFactory

    territory = TerritoryFactory()
    pages = {
        "ajout": "/admin-technique/accounts/territory/add/",
        "modification": f"/admin-technique/accounts/territory/{territory.pk}/change/",
        "suppression": f"/admin-technique/accounts/territory/{territory.pk}/delete/",
        "liste": "/admin-technique/accounts/territory/",
        "mot de passe d'un compte": f"/admin-technique/accounts/user/{superuser.pk}/password/",
        "ajout d'un compte": "/admin-technique/accounts/user/add/",
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        forms = [form for form in FORM.findall(html) if POST.search(form.split(">")[0])]
        assert len(forms) >= 2, name  # the page's form and the log-out form
        assert all('name="form_token"' in form for form in forms), name
        assert "tremplin/submit_once.js" in html, name
    # The confirmation of a deletion chosen in the list (the "delete_selected" action).
    confirm = client.post(
        pages["liste"],
        {
            "action": "delete_selected",
            "_selected_action": [territory.pk],
            "form_token": token_of(client.get(pages["liste"])),
        },
    )
    assert confirm.status_code == 200 and 'name="post" value="yes"' in confirm.content.decode()
    assert len(re.findall(r'name="form_token"', confirm.content.decode())) == 2


@pytest.mark.django_db
def test_a_double_post_of_an_admin_form_creates_one_object(client, superuser):
    from tremplin.accounts.models import Territory

    url = "/admin-technique/accounts/territory/add/"
    token = token_of(client.get(url))
    first = client.post(url, {**territory_form(), "form_token": token})
    second = client.post(url, {**territory_form(), "form_token": token})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Territory.objects.filter(code="976").count() == 1
    assert once.ALREADY_SENT in [str(m) for m in get_messages(second.wsgi_request)]


@pytest.mark.django_db
def test_a_double_post_of_an_admin_deletion_deletes_once(client, superuser):
    from tests.factories import TerritoryFactory
    from tremplin.accounts.models import Territory

    territory = TerritoryFactory()
    url = f"/admin-technique/accounts/territory/{territory.pk}/delete/"
    token = token_of(client.get(url))
    first = client.post(url, {"post": "yes", "form_token": token})
    second = client.post(url, {"post": "yes", "form_token": token})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == "/admin-technique/accounts/territory/"
    assert not Territory.objects.filter(pk=territory.pk).exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_post_without_its_token(client, superuser):
    from tremplin.accounts.models import Territory

    response = client.post("/admin-technique/accounts/territory/add/", territory_form())
    assert response.status_code == 400
    assert "sans son jeton d&#x27;envoi" in response.content.decode()
    assert not Territory.objects.filter(code="976").exists()


@pytest.mark.django_db
def test_the_admin_s_password_change_is_the_project_s(client, superuser):
    response = client.get("/admin-technique/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
