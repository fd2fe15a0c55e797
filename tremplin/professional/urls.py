from django.urls import path

from . import views

app_name = "professional"

urlpatterns = [
    path("ouvrir/beneficiaire/<int:beneficiary_pk>/", views.open_support, name="open_support"),
    path("<int:pk>/", views.episode_detail, name="episode_detail"),
    path("<int:pk>/renouveler/", views.renew, name="renew"),
    path("<int:pk>/clore/", views.close, name="close"),
    path("<int:pk>/cer/<int:number>/valider/", views.validate_cer, name="validate_cer"),
    path("<int:pk>/entretiens/nouveau/", views.interview_edit, name="interview_create"),
    path("<int:pk>/entretiens/<int:meeting_pk>/", views.interview_edit, name="interview_update"),
    path("<int:pk>/contacts/nouveau/", views.contact_create, name="contact_create"),
    path("<int:pk>/cadence/", views.cadence, name="cadence"),
    path("sous-la-cadence/", views.below_cadence, name="below_cadence"),
    path("portefeuilles/", views.portfolio, name="portfolio"),
    path("portefeuilles/<int:referent_pk>/transfert/", views.transfer, name="transfer"),
    path("actions-collectives/", views.CollectiveActionList.as_view(), name="action_list"),
    path("actions-collectives/nouvelle/", views.action_edit, name="action_create"),
    path("actions-collectives/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions-collectives/<int:pk>/modifier/", views.action_edit, name="action_update"),
]
