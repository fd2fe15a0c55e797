from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("ma-journee/", views.my_day, name="my_day"),
    path(
        "nouveau/beneficiaire/<int:beneficiary_pk>/",
        views.episode_create,
        name="episode_create",
    ),
    path(
        "nouveau/convention/<int:convention_pk>/",
        views.episode_from_convention,
        name="episode_from_convention",
    ),
    path("<int:pk>/", views.episode_detail, name="episode_detail"),
    path("<int:pk>/modifier/", views.episode_update, name="episode_update"),
    path("<int:pk>/rencontres/nouvelle/", views.meeting_edit, name="meeting_create"),
    path("<int:pk>/rencontres/<int:meeting_pk>/", views.meeting_edit, name="meeting_update"),
    path("<int:pk>/refus/", views.refusal_create, name="refusal_create"),
    path("<int:pk>/rupture/", views.rupture_edit, name="rupture"),
    path("<int:pk>/livrables/<slug:code>/", views.deliverable, name="deliverable"),
    path("<int:pk>/livrables/<slug:code>/envoi/", views.deliverable_send, name="deliverable_send"),
    path("<int:pk>/livrables/<slug:code>/pdf/", views.deliverable_pdf, name="deliverable_pdf"),
    path("agenda/", views.calendar_link, name="calendar_link"),
    path("agenda/<str:token>.ics", views.calendar_ics, name="calendar_ics"),
]

urlpatterns += [
    path("<int:pk>/livret/", views.document_upload, name="document_upload"),
    path("<int:pk>/livret/<int:document_pk>/", views.document_download, name="document_download"),
    path("<int:pk>/livret/pdf/", views.livret_pdf, name="livret_pdf"),
]
