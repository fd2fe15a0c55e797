"""The five qualitative aims of the in-employment support recorded per person (rule A2): the
model and its service, the support's page, the API, and who may see them."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from ninja.testing import TestClient

from tests import factories
from tests.professional.factories import professional_episode
from tests.support.factories import episode_for
from tremplin.accounts.models import AuditEntry
from tremplin.api.api import api as tremplin_api
from tremplin.support import services
from tremplin.support.models import QualitativeAim
from tremplin.support.services import AimPoint

pytestmark = pytest.mark.django_db

# The factory's support: a CDD from 3 March 2025. The points are made during it.
TODAY = dt.datetime(2025, 6, 10, 12, 0, tzinfo=dt.UTC)
CODES = [
    "company_integration",
    "last_barriers",
    "adaptation_needs",
    "administrative_steps",
    "common_law_contract",
]


@pytest.fixture(autouse=True)
def _june_2025():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(scope="module")
def api():
    return TestClient(tremplin_api)


def audited(action):
    return AuditEntry.objects.filter(object_type="support.qualitativeaim", action=action).count()


# --- The model and its service ----------------------------------------------------------------


def test_the_support_lists_the_five_aims_of_a2_none_recorded_yet(referent_user):
    episode = episode_for(referent_user)
    points = episode.aim_points()
    assert [aim.code for aim, _ in points] == CODES
    assert all(point is None for _, point in points)


def test_recorded_points_are_one_row_per_aim_corrected_in_place_and_audited(referent_user):
    episode = episode_for(referent_user)
    recorded = services.record_aims(
        episode,
        [
            AimPoint("last_barriers", "in_progress", dt.date(2025, 4, 15), "Permis B en cours."),
            AimPoint("adaptation_needs", "to_work", dt.date(2025, 4, 15)),
        ],
        user=referent_user,
    )
    assert len(recorded.created) == len(recorded.written) == 2
    assert audited(AuditEntry.Action.CREATE) == 2
    # Later the barrier is lifted: the same row, its state and day corrected.
    recorded = services.record_aims(
        episode,
        [
            AimPoint("last_barriers", "achieved", dt.date(2025, 6, 2), "Permis obtenu."),
            AimPoint("adaptation_needs", "to_work", dt.date(2025, 4, 15)),  # unchanged
        ],
        user=referent_user,
    )
    assert recorded.created == [] and [row.code for row in recorded.written] == ["last_barriers"]
    assert QualitativeAim.objects.filter(episode=episode).count() == 2
    barrier = QualitativeAim.objects.get(episode=episode, code="last_barriers")
    assert (barrier.status, barrier.assessed_on, barrier.note) == (
        "achieved",
        dt.date(2025, 6, 2),
        "Permis obtenu.",
    )
    assert barrier.updated_by == referent_user
    assert str(barrier) == "Lever les derniers freins à l'insertion professionnelle : atteint"
    # The unchanged point wrote nothing: one update in the audit trail, the barrier's.
    update = AuditEntry.objects.get(
        object_type="support.qualitativeaim", action=AuditEntry.Action.UPDATE
    )
    assert update.object_id == str(barrier.pk) and update.changes["status"] == [
        "in_progress",
        "achieved",
    ]


def test_one_refused_point_writes_none_of_them(referent_user):
    episode = episode_for(referent_user)
    with pytest.raises(services.ValidationError) as refused:
        services.record_aims(
            episode,
            [
                AimPoint("company_integration", "achieved", dt.date(2025, 5, 5)),
                AimPoint("common_law_contract", "not_applicable", dt.date(2025, 5, 5), ""),
                AimPoint("administrative_steps", "in_progress", dt.date(2025, 2, 1)),
            ],
            user=referent_user,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"common_law_contract-note", "administrative_steps-assessed_on"}
    assert (
        "avant le début de l'accompagnement (03/03/2025)"
        in errors["administrative_steps-assessed_on"][0]
    )
    assert not QualitativeAim.objects.exists()


def test_the_professional_programme_has_no_a2_aims(referent_user):
    episode = professional_episode(referent_user)
    assert episode.aim_points() == []
    with pytest.raises(services.ValidationError, match="accompagnement dans l'emploi"):
        services.record_aims(
            episode, [AimPoint("last_barriers", "to_work", dt.date(2025, 5, 5))], user=None
        )


def test_the_database_refuses_an_aim_twice_and_an_unknown_state(referent_user):
    episode = episode_for(referent_user)
    QualitativeAim.objects.create(
        episode=episode, code="last_barriers", status="to_work", assessed_on=dt.date(2025, 4, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        QualitativeAim.objects.create(
            episode=episode,
            code="last_barriers",
            status="achieved",
            assessed_on=dt.date(2025, 5, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        QualitativeAim.objects.create(
            episode=episode,
            code="company_integration",
            status="done",
            assessed_on=dt.date(2025, 5, 1),
        )


# --- The support's page -----------------------------------------------------------------------


def aims_data(**changes):
    data = {f"{code}-status": "" for code in CODES}
    data.update(
        {
            "company_integration-status": "achieved",
            "company_integration-assessed_on": "2025-05-20",
            "company_integration-note": "Bien intégré à l'équipe du matin.",
            "last_barriers-status": "in_progress",
            "last_barriers-assessed_on": "2025-05-20",
            "last_barriers-note": "Garde d'enfant à trouver pour septembre.",
        }
    )
    data.update(changes)
    return data


def test_the_page_shows_the_five_aims_and_records_them(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    page = client.get(episode.get_absolute_url()).content.decode()
    assert "Objectifs qualitatifs" in page
    assert page.count("Non renseigné") == 5
    assert (
        "Déterminer les besoins d&#x27;adaptation à l&#x27;emploi occupé (formation, VAE)" in page
    )

    url = reverse("support:aims", args=[episode.pk])
    form = client.get(url).content.decode()
    assert "Faciliter l&#x27;intégration dans l&#x27;entreprise" in form
    response = client.post(url, aims_data(), follow=True)
    assert response.redirect_chain[-1][0] == f"{episode.get_absolute_url()}#objectifs"
    page = response.content.decode()
    assert "2 objectifs qualitatifs mis à jour." in page
    assert "Garde d&#x27;enfant à trouver pour septembre." in page
    assert page.count("Non renseigné") == 3
    assert audited(AuditEntry.Action.CREATE) == 2

    # One more point, the others as shown: one aim written, said in the singular.
    data = aims_data(**{"adaptation_needs-status": "to_work"})  # no date: today
    response = client.post(url, data, follow=True)
    assert "1 objectif qualitatif mis à jour." in response.content.decode()
    assert QualitativeAim.objects.get(code="adaptation_needs").assessed_on == dt.date(2025, 6, 10)
    assert audited(AuditEntry.Action.UPDATE) == 0  # the two others were left as they were


def test_bad_input_is_refused_in_french_and_nothing_is_half_written(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    url = reverse("support:aims", args=[episode.pk])
    response = client.post(
        url,
        aims_data(
            **{
                "common_law_contract-status": "not_applicable",
                "last_barriers-assessed_on": "2025-07-01",
            }
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Le formulaire contient 2 erreurs" in page
    assert "pourquoi cet objectif est sans objet pour la personne" in page
    assert "Le point est daté du 01/07/2025, dans le futur" in page
    assert 'value="2025-07-01"' in page  # what was typed is kept
    assert not QualitativeAim.objects.exists()  # the valid aim was not written either

    # A state that is not one of the four, and observations without a state.
    response = client.post(
        url,
        aims_data(
            **{"company_integration-status": "fini", "adaptation_needs-note": "Formation CACES"}
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Sélectionnez un choix valide" in page
    assert "Choisissez l&#x27;état de cet objectif pour enregistrer vos observations." in page
    assert not QualitativeAim.objects.exists()


def test_an_aim_recorded_cannot_go_back_to_non_renseigne(client, referent_user):
    episode = episode_for(referent_user)
    services.record_aims(
        episode, [AimPoint("last_barriers", "to_work", dt.date(2025, 4, 1))], user=referent_user
    )
    client.force_login(referent_user)
    response = client.post(
        reverse("support:aims", args=[episode.pk]), {f"{code}-status": "" for code in CODES}
    )
    assert response.status_code == 422
    assert "Cet objectif est déjà renseigné" in response.content.decode()
    assert QualitativeAim.objects.get().status == "to_work"


def test_another_operator_s_person_is_a_404(client, referent_user, other_operator):
    other = episode_for(factories.referent(other_operator))
    colleague = episode_for(factories.referent(referent_user.memberships.first().organisation))
    client.force_login(referent_user)
    for episode in (other, colleague):
        url = reverse("support:aims", args=[episode.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, aims_data()).status_code == 404
    assert not QualitativeAim.objects.exists()
    assert not QualitativeAim.objects.visible_to(referent_user).exists()


def test_the_professional_support_s_page_has_no_aims_form(client, referent_user):
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    response = client.get(reverse("support:aims", args=[episode.pk]), follow=True)
    assert "accompagnement dans l&#x27;emploi" in response.content.decode()
    assert response.redirect_chain


# --- The API ------------------------------------------------------------------------------------


def test_the_episode_s_output_carries_its_five_aims(api, referent_user):
    episode = episode_for(referent_user)
    services.record_aims(
        episode,
        [AimPoint("company_integration", "achieved", dt.date(2025, 5, 20), "Intégré.")],
        user=referent_user,
    )
    body = api.get(f"/episodes/{episode.pk}", user=referent_user).json()
    assert [aim["code"] for aim in body["aims"]] == CODES
    first, second = body["aims"][:2]
    assert first == {
        "code": "company_integration",
        "label": "Faciliter l'intégration dans l'entreprise",
        "rule": "A2",
        "status": "achieved",
        "status_label": "Atteint",
        "assessed_on": "2025-05-20",
        "note": "Intégré.",
        "updated_at": first["updated_at"],
    }
    assert first["updated_at"] is not None
    assert second["status"] is None and second["status_label"] == "Non renseigné"
    listed = api.get("/episodes", user=referent_user).json()["items"][0]
    assert listed["aims"] == body["aims"]


def test_an_aim_is_recorded_then_corrected_through_the_api(api, referent_user):
    episode = episode_for(referent_user)
    url = f"/episodes/{episode.pk}/aims/last_barriers"
    payload = {"status": "in_progress", "assessed_on": "2025-04-15", "note": "Permis B."}
    response = api.put(url, json=payload, user=referent_user)
    assert response.status_code == 201
    assert response.json()["status_label"] == "En cours"
    response = api.put(
        url, json={"status": "achieved", "note": "Permis obtenu."}, user=referent_user
    )
    assert response.status_code == 200
    assert response.json()["assessed_on"] == "2025-06-10"  # absent: today
    row = QualitativeAim.objects.get()
    assert (row.status, row.note, row.updated_by) == ("achieved", "Permis obtenu.", referent_user)


def test_the_api_refuses_bad_input_in_french_and_writes_nothing(api, referent_user):
    episode = episode_for(referent_user)
    url = f"/episodes/{episode.pk}/aims/common_law_contract"
    response = api.put(
        url, json={"status": "not_applicable", "assessed_on": "2025-02-01"}, user=referent_user
    )
    assert response.status_code == 422
    body = response.json()
    assert (
        body["detail"] == "Les données envoyées contiennent des erreurs : rien n'a été enregistré."
    )
    assert "avant le début de l'accompagnement" in body["errors"]["assessed_on"][0]
    assert "pourquoi cet objectif est sans objet" in body["errors"]["note"][0]

    response = api.put(url, json={"status": "fini"}, user=referent_user)
    assert response.status_code == 422
    assert "Valeur non autorisée" in response.json()["errors"]["status"][0]

    response = api.put(
        f"/episodes/{episode.pk}/aims/freins", json={"status": "to_work"}, user=referent_user
    )
    assert response.status_code == 422
    assert "Objectif qualitatif inconnu : « freins »" in response.json()["errors"]["code"][0]
    assert not QualitativeAim.objects.exists()


def test_the_api_gives_a_404_for_another_operator_s_person(api, referent_user, other_operator):
    other = episode_for(factories.referent(other_operator))
    response = api.put(
        f"/episodes/{other.pk}/aims/last_barriers", json={"status": "to_work"}, user=referent_user
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "Introuvable ou hors de votre périmètre."
    assert api.get(f"/episodes/{other.pk}", user=referent_user).status_code == 404
    assert not QualitativeAim.objects.exists()


def test_the_api_refuses_aims_for_the_professional_programme(api, referent_user):
    episode = professional_episode(referent_user)
    assert api.get(f"/episodes/{episode.pk}", user=referent_user).json()["aims"] == []
    response = api.put(
        f"/episodes/{episode.pk}/aims/last_barriers", json={"status": "to_work"}, user=referent_user
    )
    assert response.status_code == 422
    assert "accompagnement dans l'emploi" in response.json()["errors"]["__all__"][0]


# --- The person's data: the right of access, the anonymisation ------------------------------


def test_the_aims_are_in_the_person_s_data_and_their_notes_go_with_the_anonymisation(
    referent_user,
):
    from tremplin.registry import lifecycle

    episode = episode_for(referent_user)
    services.record_aims(
        episode,
        [
            AimPoint("last_barriers", "in_progress", dt.date(2025, 4, 15), "Dettes de loyer."),
            AimPoint("adaptation_needs", "not_applicable", dt.date(2025, 4, 15), "CAP du métier."),
        ],
        user=referent_user,
    )
    held = lifecycle.everything_held(episode.beneficiary)["donnees"]["objectifs qualitatifs"]
    assert {point["note"] for point in held} == {"Dettes de loyer.", "CAP du métier."}

    lifecycle.anonymise(episode.beneficiary)
    # The states and days stay (what the statistics count); what describes the person goes.
    assert set(QualitativeAim.objects.values_list("code", "status", "note")) == {
        ("last_barriers", "in_progress", ""),
        ("adaptation_needs", "not_applicable", ""),
    }
