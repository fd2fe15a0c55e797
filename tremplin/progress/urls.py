from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("accompagnement/<int:pk>/", views.episode_progress, name="episode"),
    path(
        "accompagnement/<int:pk>/evaluations/nouvelle/",
        views.evaluation_edit,
        name="evaluation_create",
    ),
    path(
        "accompagnement/<int:pk>/evaluations/<int:evaluation_pk>/",
        views.evaluation_edit,
        name="evaluation_update",
    ),
    path("accompagnement/<int:pk>/freins/nouveau/", views.barrier_edit, name="barrier_create"),
    path(
        "accompagnement/<int:pk>/freins/<int:barrier_pk>/",
        views.barrier_edit,
        name="barrier_update",
    ),
    path(
        "accompagnement/<int:pk>/freins/<int:barrier_pk>/actions/nouvelle/",
        views.barrier_action_create,
        name="barrier_action_create",
    ),
    path("accompagnement/<int:pk>/job-connexion/", views.job_connexion_edit, name="job_connexion"),
    path("job-connexion/", views.JobConnexionMissing.as_view(), name="job_connexion_missing"),
    path("competences/", views.skills_progression_page, name="skills_progression"),
]
