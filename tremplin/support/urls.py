from django.urls import path

from .views import agenda, deliverables, episodes, livret, meetings, my_day

app_name = "support"

urlpatterns = [
    path("ma-journee/", my_day.my_day, name="my_day"),
    path(
        "nouveau/beneficiaire/<int:beneficiary_pk>/",
        episodes.episode_create,
        name="episode_create",
    ),
    path(
        "nouveau/convention/<int:convention_pk>/",
        episodes.episode_from_convention,
        name="episode_from_convention",
    ),
    path("<int:pk>/", episodes.episode_detail, name="episode_detail"),
    path("<int:pk>/modifier/", episodes.episode_update, name="episode_update"),
    path("<int:pk>/rencontres/nouvelle/", meetings.meeting_edit, name="meeting_create"),
    path("<int:pk>/rencontres/<int:meeting_pk>/", meetings.meeting_edit, name="meeting_update"),
    path(
        "<int:pk>/rencontres/<int:meeting_pk>/presence/",
        meetings.meeting_status,
        name="meeting_status",
    ),
    path(
        "<int:pk>/rencontres/<int:meeting_pk>/annuler/",
        meetings.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "<int:pk>/rencontres/<int:meeting_pk>/reporter/",
        meetings.meeting_reschedule,
        name="meeting_reschedule",
    ),
    path(
        "<int:pk>/rencontres/<int:meeting_pk>/supprimer/",
        meetings.meeting_delete,
        name="meeting_delete",
    ),
    path("<int:pk>/objectifs/", episodes.aims_edit, name="aims"),
    path("<int:pk>/refus/", episodes.refusal_create, name="refusal_create"),
    path("<int:pk>/rupture/", episodes.rupture_edit, name="rupture"),
    path("<int:pk>/suspension/", episodes.suspension_create, name="suspension_create"),
    path("<int:pk>/livrables/<slug:code>/", deliverables.deliverable, name="deliverable"),
    path(
        "<int:pk>/livrables/<slug:code>/envoi/",
        deliverables.deliverable_send,
        name="deliverable_send",
    ),
    path(
        "<int:pk>/livrables/<slug:code>/pdf/", deliverables.deliverable_pdf, name="deliverable_pdf"
    ),
    path("agenda/", agenda.calendar_link, name="calendar_link"),
    path("agenda/<str:token>.ics", agenda.calendar_ics, name="calendar_ics"),
    path("<int:pk>/livret/", livret.document_upload, name="document_upload"),
    path("<int:pk>/livret/<int:document_pk>/", livret.document_download, name="document_download"),
    path("<int:pk>/livret/pdf/", livret.livret_pdf, name="livret_pdf"),
    path(
        "<int:pk>/livret/<int:document_pk>/supprimer/",
        livret.document_delete,
        name="document_delete",
    ),
]
