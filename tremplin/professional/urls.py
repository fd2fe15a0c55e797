from django.urls import path

from .views import below_cadence, cers, collective_actions, episodes, interviews, portfolios

app_name = "professional"

urlpatterns = [
    path("ouvrir/beneficiaire/<int:beneficiary_pk>/", episodes.open_support, name="open_support"),
    path("<int:pk>/", episodes.episode_detail, name="episode_detail"),
    path("<int:pk>/renouveler/", cers.renew, name="renew"),
    path("<int:pk>/clore/", episodes.close, name="close"),
    path("<int:pk>/cer/<int:number>/valider/", cers.validate_cer, name="validate_cer"),
    path("<int:pk>/entretiens/nouveau/", interviews.interview_edit, name="interview_create"),
    path(
        "<int:pk>/entretiens/<int:meeting_pk>/",
        interviews.interview_edit,
        name="interview_update",
    ),
    path("<int:pk>/contacts/nouveau/", interviews.contact_create, name="contact_create"),
    path("<int:pk>/cadence/", interviews.cadence, name="cadence"),
    path("sous-la-cadence/", below_cadence.below_cadence, name="below_cadence"),
    path("portefeuilles/", portfolios.portfolio, name="portfolio"),
    path("portefeuilles/<int:referent_pk>/transfert/", portfolios.transfer, name="transfer"),
    path(
        "actions-collectives/",
        collective_actions.CollectiveActionList.as_view(),
        name="action_list",
    ),
    path("actions-collectives/nouvelle/", collective_actions.action_edit, name="action_create"),
    path("actions-collectives/<int:pk>/", collective_actions.action_detail, name="action_detail"),
    path(
        "actions-collectives/<int:pk>/modifier/",
        collective_actions.action_edit,
        name="action_update",
    ),
]
