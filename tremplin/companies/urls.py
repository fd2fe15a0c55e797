from django.urls import path

from .views import events, immersions, network, offers, people

app_name = "companies"

urlpatterns = [
    path("", offers.OfferList.as_view(), name="offer_list"),
    path("offres/nouvelle/", offers.offer_edit, name="offer_create"),
    path("offres/<int:pk>/", offers.offer_detail, name="offer_detail"),
    path("offres/<int:pk>/modifier/", offers.offer_edit, name="offer_update"),
    path("vivier/", people.PoolList.as_view(), name="pool_list"),
    path("personnes/<int:beneficiary_pk>/", people.profile, name="profile"),
    path(
        "personnes/<int:beneficiary_pk>/candidatures/nouvelle/",
        people.application_edit,
        name="application_create",
    ),
    path(
        "personnes/<int:beneficiary_pk>/candidatures/<int:pk>/",
        people.application_edit,
        name="application_update",
    ),
    path("immersions/", immersions.ImmersionList.as_view(), name="immersion_list"),
    path("immersions/nouvelle/", immersions.immersion_edit, name="immersion_create"),
    path("immersions/<int:pk>/", immersions.immersion_detail, name="immersion_detail"),
    path("immersions/<int:pk>/modifier/", immersions.immersion_edit, name="immersion_update"),
    path("evenements/", events.EventList.as_view(), name="event_list"),
    path("evenements/nouveau/", events.event_edit, name="event_create"),
    path("evenements/<int:pk>/", events.event_edit, name="event_update"),
    path(
        "employeurs/<int:employer_pk>/contacts/nouveau/",
        network.contact_edit,
        name="contact_create",
    ),
    path(
        "employeurs/<int:employer_pk>/contacts/<int:pk>/",
        network.contact_edit,
        name="contact_update",
    ),
    path(
        "employeurs/<int:employer_pk>/contacts/<int:pk>/supprimer/",
        network.contact_delete,
        name="contact_delete",
    ),
    path(
        "employeurs/<int:employer_pk>/prospection/nouvelle/",
        network.prospecting_edit,
        name="prospecting_create",
    ),
    path(
        "employeurs/<int:employer_pk>/prospection/<int:pk>/",
        network.prospecting_edit,
        name="prospecting_update",
    ),
]
