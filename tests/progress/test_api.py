"""API of the progression: evaluations and barriers per professional episode, scoped."""

import datetime as dt

import pytest

from tests import factories
from tests.progress.factories import BarrierActionFactory, evaluate, professional_episode_for
from tests.support.factories import episode_for
from tremplin.progress.models import Barrier, Evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(referent_user):
    return professional_episode_for(referent_user)


def url(episode, what):
    return f"/api/v1/episodes/{episode.pk}/{what}"


def test_list_evaluations_marks_the_intake(client, referent_user, episode):
    evaluate(episode, dt.date(2025, 3, 3), {"soft_motivation": 3})
    evaluate(episode, dt.date(2025, 1, 6), {"soft_motivation": 2})
    client.force_login(referent_user)
    body = client.get(url(episode, "evaluations")).json()
    assert [(e["evaluated_on"], e["intake"]) for e in body] == [
        ("2025-01-06", True),
        ("2025-03-03", False),
    ]
    assert body[0]["scores"] == [
        {"item": "soft_motivation", "area": "soft_skills", "score": 2, "comment": ""}
    ]


def test_create_evaluation_and_score_off_the_scale(client, referent_user, episode):
    client.force_login(referent_user)
    payload = {
        "evaluated_on": "2025-01-06",
        "comment": "Accueil",
        "scores": [{"item": "soft_punctuality", "score": 5, "comment": "?"}],
    }
    response = client.post(url(episode, "evaluations"), payload, content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]["score_soft_punctuality"]
    assert errors == [
        "Note hors de l'échelle : « 5 ». Chaque item se note de 1 (à travailler) à 4 (acquis), "
        "ou reste vide s'il n'a pas été évalué (grille d'évaluation, P6, P10)."
    ]
    assert not Evaluation.objects.exists()
    payload["scores"] = [{"item": "nope", "score": 2}]
    response = client.post(url(episode, "evaluations"), payload, content_type="application/json")
    assert (
        response.status_code == 422
        and "inconnu : « nope »" in response.json()["errors"]["scores"][0]
    )
    payload["scores"] = [{"item": "soft_punctuality", "score": 3, "comment": "Ponctuel"}]
    response = client.post(url(episode, "evaluations"), payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["intake"] is True
    assert Evaluation.objects.get().scores.get().score == 3


def test_barriers_list_and_create(client, referent_user, episode):
    BarrierActionFactory(barrier__episode=episode)
    client.force_login(referent_user)
    body = client.get(url(episode, "barriers")).json()
    assert body[0]["kind_label"] == "Mobilité"
    assert body[0]["actions"] == [
        {"done_on": "2025-01-20", "description": "Demande d'aide au permis déposée"}
    ]
    payload = {"kind": "digital", "identified_on": "2025-02-01", "lifted_on": "2025-01-01"}
    response = client.post(url(episode, "barriers"), payload, content_type="application/json")
    assert response.status_code == 422 and "lifted_on" in response.json()["errors"]
    payload["lifted_on"] = None
    response = client.post(url(episode, "barriers"), payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["lifted_on"] is None
    assert Barrier.objects.count() == 2


def test_outside_the_scope_or_in_employment_is_a_404(client, referent_user, operator):
    client.force_login(referent_user)
    other = professional_episode_for(factories.referent(operator))
    in_employment = episode_for(referent_user)
    for episode in (other, in_employment):
        for what in ("evaluations", "barriers"):
            assert client.get(url(episode, what)).status_code == 404
    response = client.post(
        url(other, "barriers"),
        {"kind": "digital", "identified_on": "2025-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Barrier.objects.exists()


def test_with_a_personal_token_and_the_coordinator_scope(client, coordinator_user, episode):
    from tests.api.helpers import TokenClient
    from tremplin.accounts.models import ApiToken

    _, key = ApiToken.issue(coordinator_user, "tests")
    api = TokenClient(client, key)
    payload = {
        "evaluated_on": "2025-01-06",
        "scores": [{"item": "mobility_search_area", "score": "3"}],
    }
    response = api.post(url(episode, "evaluations"), payload)
    assert response.status_code == 201
    assert response.json()["scores"][0]["area"] == "mobility"
    assert [e["id"] for e in api.get(url(episode, "evaluations")).json()] == [response.json()["id"]]
    assert api.client.get(url(episode, "barriers")).status_code == 401
