"""Progression pages: access (404 outside scope, professional episodes only), the checklist,
the evaluation grid and its French errors (P6, P10), barriers, Job Connexion, skills page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.progress.factories import (
    BarrierActionFactory,
    BarrierFactory,
    evaluate,
    professional_episode_for,
)
from tests.support.factories import episode_for
from tremplin.accounts.models import AuditEntry
from tremplin.progress.models import (
    Barrier,
    BarrierAction,
    Evaluation,
    EvaluationScore,
    ProgressRecord,
    WorkedItem,
)

pytestmark = pytest.mark.django_db

JAN, MAR = dt.date(2025, 1, 6), dt.date(2025, 3, 3)


@pytest.fixture
def episode(referent_user):
    return professional_episode_for(referent_user)


@pytest.mark.parametrize(
    "name, extra",
    [
        ("progress:episode", ()),
        ("progress:evaluation_create", ()),
        ("progress:barrier_create", ()),
        ("progress:job_connexion", ()),
    ],
)
def test_another_referent_s_episode_is_a_404(client, referent_user, operator, name, extra):
    other = professional_episode_for(factories.referent(operator))
    client.force_login(referent_user)
    assert client.get(reverse(name, args=[other.pk, *extra])).status_code == 404


def test_an_in_employment_episode_has_no_progression_page(client, referent_user):
    client.force_login(referent_user)
    episode = episode_for(referent_user)
    assert client.get(reverse("progress:episode", args=[episode.pk])).status_code == 404


def test_the_coordinator_sees_the_page(client, coordinator_user, episode):
    client.force_login(coordinator_user)
    assert client.get(reverse("progress:episode", args=[episode.pk])).status_code == 200


def test_overview_shows_chart_table_barriers_in_few_queries(
    client, referent_user, episode, django_assert_max_num_queries
):
    evaluate(episode, JAN, {"soft_punctuality": 2, "soft_motivation": 3, "mobility_search_area": 1})
    evaluate(episode, MAR, {"soft_punctuality": 3, "soft_motivation": 4})
    BarrierActionFactory(barrier=BarrierFactory(episode=episode))
    BarrierFactory(episode=episode, kind="childcare", lifted_on=MAR, description="")
    WorkedItem.objects.create(episode=episode, item_code="soft_punctuality", worked_on=JAN)
    client.force_login(referent_user)
    url = reverse("progress:episode", args=[episode.pk])
    with django_assert_max_num_queries(17):  # + the navigation's count
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    # The chart is accessible SVG: role, title and description; no script.
    assert 'role="img"' in html and '<desc id="progression-desc">' in html
    assert "<script" not in html.split("<figure")[1].split("</figure>")[0]
    # Soft skills' mean: (2 + 3) / 2 = 2,50 then (3 + 4) / 2 = 3,50; mobility 1 then none.
    assert "2.50" in html or "2,50" in html
    assert "3.50" in html or "3,50" in html
    assert "accueil" in html
    assert "Détail des notes par item" in html
    assert "Demande d&#x27;aide au permis déposée" in html
    assert "levé le 03/03/2025" in html
    assert "depuis le 06/01/2025" in html
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


def test_checklist_adds_and_removes_items(client, referent_user, episode):
    WorkedItem.objects.create(episode=episode, item_code="mobility_search_area", worked_on=JAN)
    client.force_login(referent_user)
    url = reverse("progress:episode", args=[episode.pk])
    response = client.post(url, {"project_known_job": "on", "search_cv_job_connexion": "on"})
    assert response.status_code == 302
    assert set(episode.worked_items.values_list("item_code", flat=True)) == {
        "project_known_job",
        "search_cv_job_connexion",
    }


def test_first_evaluation_is_the_intake_and_is_saved(client, referent_user, episode):
    client.force_login(referent_user)
    url = reverse("progress:evaluation_create", args=[episode.pk])
    assert "Évaluation d&#x27;accueil" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "evaluated_on": "2025-01-06",
            "comment": "Entretien d'accueil",
            "score_soft_punctuality": "2",
            "comment_soft_punctuality": "Retards fréquents",
            "score_search_cv_job_connexion": "1",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(episode=episode)
    assert evaluation.created_by == referent_user
    assert {(s.item_code, s.area, s.score, s.comment) for s in evaluation.scores.all()} == {
        ("soft_punctuality", "soft_skills", 2, "Retards fréquents"),
        ("search_cv_job_connexion", "job_search", 1, ""),
    }
    assert "Évaluation de suivi" in client.get(url).content.decode()


def test_a_score_off_the_scale_is_a_french_error_and_nothing_is_lost(
    client, referent_user, episode
):
    client.force_login(referent_user)
    url = reverse("progress:evaluation_create", args=[episode.pk])
    data = {
        "evaluated_on": "2025-01-06",
        "comment": "Premier bilan détaillé",
        "score_soft_punctuality": "5",
        "comment_soft_punctuality": "Très ponctuel",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Note hors de l&#x27;échelle : « 5 »" in html and "P6, P10" in html
    assert "Premier bilan détaillé" in html and "Très ponctuel" in html
    assert not Evaluation.objects.exists()


def test_an_evaluation_without_any_score_or_before_the_support_is_refused(
    client, referent_user, episode
):
    client.force_login(referent_user)
    url = reverse("progress:evaluation_create", args=[episode.pk])
    html = client.post(url, {"evaluated_on": "2025-01-06"}).content.decode()
    assert "Notez au moins un item" in html
    html = client.post(
        url, {"evaluated_on": "2024-12-31", "score_soft_punctuality": "2"}
    ).content.decode()
    assert "précède le début de l&#x27;accompagnement (06/01/2025)" in html
    html = client.post(
        url, {"evaluated_on": "2099-01-01", "score_soft_punctuality": "2"}
    ).content.decode()
    assert "dans le futur" in html
    assert not Evaluation.objects.exists()


def test_the_grid_is_radio_buttons_beside_the_previous_score(client, referent_user, episode):
    """P6, P10: each item scored 1 to 4 by a radio button (not 19 drop-downs), the previous
    evaluation's score beside it."""
    evaluate(episode, JAN, {"soft_punctuality": 2})
    client.force_login(referent_user)
    page = client.get(reverse("progress:evaluation_create", args=[episode.pk])).content.decode()
    assert 'type="radio" class="form-check-input" name="score_soft_punctuality" value="4"' in page
    assert "<select" not in page.split("<legend")[2]  # the grid has no drop-down
    assert "Évaluation précédente (06/01/2025) : 2" in page
    assert "Évaluation précédente (06/01/2025) : non évalué" in page


def test_editing_an_evaluation_replaces_and_removes_scores(client, referent_user, episode):
    evaluation = evaluate(episode, JAN, {"soft_punctuality": 2, "soft_motivation": 3})
    client.force_login(referent_user)
    url = reverse("progress:evaluation_update", args=[episode.pk, evaluation.pk])
    page = client.get(url).content.decode()
    assert (
        'name="score_soft_punctuality" value="2" id="id_score_soft_punctuality_2" checked' in page
    )
    response = client.post(url, {"evaluated_on": "2025-01-06", "score_soft_punctuality": "4"})
    assert response.status_code == 302
    assert list(EvaluationScore.objects.values_list("item_code", "score")) == [
        ("soft_punctuality", 4)
    ]


def test_barrier_lifted_before_identified_is_refused_then_action_added(
    client, referent_user, episode
):
    client.force_login(referent_user)
    url = reverse("progress:barrier_create", args=[episode.pk])
    data = {
        "kind": "housing",
        "description": "Hébergée chez un tiers",
        "identified_on": "2025-02-01",
        "lifted_on": "2025-01-15",
    }
    html = client.post(url, data).content.decode()
    assert "ne peut pas être levé avant d&#x27;avoir été identifié (01/02/2025)" in html
    assert "Hébergée chez un tiers" in html
    data["lifted_on"] = ""
    assert client.post(url, data).status_code == 302
    barrier = Barrier.objects.get()
    action_url = reverse("progress:barrier_action_create", args=[episode.pk, barrier.pk])
    html = client.post(
        action_url, {"done_on": "2025-01-20", "description": "Dossier SIAO"}
    ).content.decode()
    assert "précède l&#x27;identification du frein" in html
    assert (
        client.post(
            action_url, {"done_on": "2025-02-10", "description": "Dossier SIAO"}
        ).status_code
        == 302
    )
    assert BarrierAction.objects.get().description == "Dossier SIAO"


def test_job_connexion_dates_and_the_missing_cv_list(
    client, referent_user, coordinator_user, operator, episode, django_assert_max_num_queries
):
    client.force_login(referent_user)
    url = reverse("progress:job_connexion", args=[episode.pk])
    assert client.post(url, {"job_ready_on": "2025-03-03", "cv_online_on": ""}).status_code == 302
    colleague_episode = professional_episode_for(factories.referent(operator))
    ProgressRecord.objects.create(episode=colleague_episode, job_ready_on=MAR)
    with_cv = professional_episode_for(referent_user)
    ProgressRecord.objects.create(episode=with_cv, job_ready_on=MAR, cv_online_on=MAR)
    ended = professional_episode_for(referent_user, ended_on=dt.date(2025, 4, 1))
    ProgressRecord.objects.create(episode=ended, job_ready_on=MAR)
    not_ready = professional_episode_for(referent_user)
    ProgressRecord.objects.create(episode=not_ready)

    list_url = reverse("progress:job_connexion_missing")
    with django_assert_max_num_queries(12):  # + the navigation's count
        response = client.get(list_url)
    assert [r.episode for r in response.context["object_list"]] == [episode]
    # Job-ready in the referent's scope, open: episode (no CV) and with_cv -> 1 / 2 = 50 %.
    assert response.context["rate"] == {"job_ready": 2, "cv_online": 1, "share": Decimal("50.0")}
    assert "1 personne prête à l'emploi sur 2 a son CV" in response.content.decode()
    client.force_login(coordinator_user)
    response = client.get(list_url + "?tri=nom")
    assert {r.episode for r in response.context["object_list"]} == {episode, colleague_episode}
    csv = b"".join(client.get(list_url + "?format=csv").streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Bénéficiaire;Structure")
    assert len(csv.splitlines()) == 3
    xlsx = client.get(list_url + "?format=xlsx")
    assert xlsx["Content-Disposition"].endswith('.xlsx"')


def test_job_connexion_date_before_the_support_is_refused(client, referent_user, episode):
    client.force_login(referent_user)
    url = reverse("progress:job_connexion", args=[episode.pk])
    html = client.post(url, {"job_ready_on": "2024-12-01"}).content.decode()
    assert "précède le début de l&#x27;accompagnement (06/01/2025)" in html
    assert not ProgressRecord.objects.exists()


def test_skills_progression_page(client, referent_user, coordinator_user, episode):
    evaluate(episode, JAN, {"soft_punctuality": 2})
    evaluate(episode, MAR, {"soft_punctuality": 3})
    client.force_login(referent_user)
    assert client.get(reverse("progress:skills_progression")).status_code == 404
    client.force_login(coordinator_user)
    html = client.get(reverse("progress:skills_progression")).content.decode()
    # Soft skills 2 -> 3: one person evaluated twice, one rose -> 1 / 1 = 100,0 %.
    assert "Le savoir-être" in html and "100,0 %" in html
    response = client.get(reverse("progress:skills_progression") + "?format=csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Structure;Domaine de travail")
    assert "Le savoir-être;1;1;100.0" in "\n".join(lines)
    assert len(lines) == 1 + 6


def test_demo_data_fills_a_few_professional_episodes_once(referent_user):
    from tremplin.demo.progress import seed_progress

    episodes = [professional_episode_for(referent_user) for _ in range(3)]
    counts = seed_progress(seed=1, today=dt.date(2025, 6, 1))
    # Each episode started 06/01/2025: an intake and a second evaluation 45-75 days later.
    assert counts["evaluations"] == 6
    assert Evaluation.objects.filter(episode=episodes[0]).count() == 2
    assert Barrier.objects.exists() and BarrierAction.objects.exists()
    assert seed_progress(seed=1, today=dt.date(2025, 6, 1)) == {"evaluations": 0, "barriers": 0}


def test_barriers_standing_on_a_day(episode):
    standing = BarrierFactory(episode=episode, identified_on=JAN)
    lifted = BarrierFactory(episode=episode, identified_on=JAN, lifted_on=MAR)
    later = BarrierFactory(episode=episode, identified_on=dt.date(2025, 4, 1))
    assert set(Barrier.objects.standing_on(dt.date(2025, 3, 2))) == {standing, lifted}
    # Lifted on 03/03/2025: no longer standing that day.
    assert set(Barrier.objects.standing_on(MAR)) == {standing}
    assert set(Barrier.objects.standing_on(dt.date(2025, 4, 1))) == {standing, later}
    assert lifted.is_lifted(MAR) and not lifted.is_lifted(dt.date(2025, 3, 2))
