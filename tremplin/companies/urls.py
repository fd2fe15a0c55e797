from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("", views.OfferList.as_view(), name="offer_list"),
    path("offres/nouvelle/", views.offer_edit, name="offer_create"),
    path("offres/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offres/<int:pk>/modifier/", views.offer_edit, name="offer_update"),
    path("vivier/", views.PoolList.as_view(), name="pool_list"),
    path("personnes/<int:beneficiary_pk>/", views.profile, name="profile"),
    path(
        "personnes/<int:beneficiary_pk>/candidatures/nouvelle/",
        views.application_edit,
        name="application_create",
    ),
    path(
        "personnes/<int:beneficiary_pk>/candidatures/<int:pk>/",
        views.application_edit,
        name="application_update",
    ),
    path("immersions/", views.ImmersionList.as_view(), name="immersion_list"),
    path("immersions/nouvelle/", views.immersion_edit, name="immersion_create"),
    path("immersions/<int:pk>/", views.immersion_detail, name="immersion_detail"),
    path("immersions/<int:pk>/modifier/", views.immersion_edit, name="immersion_update"),
    path("evenements/", views.EventList.as_view(), name="event_list"),
    path("evenements/nouveau/", views.event_edit, name="event_create"),
    path("evenements/<int:pk>/", views.event_edit, name="event_update"),
    path(
        "employeurs/<int:employer_pk>/contacts/nouveau/", views.contact_edit, name="contact_create"
    ),
    path(
        "employeurs/<int:employer_pk>/contacts/<int:pk>/",
        views.contact_edit,
        name="contact_update",
    ),
    path(
        "employeurs/<int:employer_pk>/contacts/<int:pk>/supprimer/",
        views.contact_delete,
        name="contact_delete",
    ),
    path(
        "employeurs/<int:employer_pk>/prospection/nouvelle/",
        views.prospecting_edit,
        name="prospecting_create",
    ),
    path(
        "employeurs/<int:employer_pk>/prospection/<int:pk>/",
        views.prospecting_edit,
        name="prospecting_update",
    ),
]
