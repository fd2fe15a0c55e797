from django.urls import path

from .views import browse, documents, drafting, events, funding, orders, signing, smic

app_name = "conventions"

urlpatterns = [
    path("", browse.ConventionList.as_view(), name="list"),
    path("nouvelle/", drafting.convention_create, name="create"),
    path("simulateur/", funding.simulator, name="simulator"),
    path("paiements/", funding.payment_list, name="payments"),
    path("prevision/", funding.forecast, name="forecast"),
    path("arretes/", orders.order_list, name="orders"),
    path("arretes/nouveau/", orders.order_create, name="order_create"),
    path("arretes/<int:pk>/", orders.order_detail, name="order_detail"),
    path("<int:pk>/", browse.convention_detail, name="detail"),
    path("<int:pk>/modifier/", drafting.convention_update, name="update"),
    path("<int:pk>/verifier/", browse.convention_check, name="check"),
    path("<int:pk>/signer/", signing.convention_sign, name="sign"),
    path("<int:pk>/pdf/", documents.convention_pdf, name="pdf"),
    path("<int:pk>/avenants/nouveau/", events.amendment_create, name="amendment_create"),
    path("<int:pk>/suspensions/nouvelle/", events.suspension_create, name="suspension_create"),
    path("<int:pk>/immersions/nouvelle/", events.immersion_create, name="immersion_create"),
    path("<int:pk>/justificatifs/", events.proof_create, name="proof_create"),
    path("<int:pk>/rupture/", events.rupture_edit, name="rupture_create"),
    path("<int:pk>/rupture/signalement/", events.rupture_report, name="rupture_report"),
    path(
        "<int:pk>/suspensions/<int:suspension_pk>/signalement/",
        events.suspension_report,
        name="suspension_report",
    ),
    path(
        "<int:pk>/suspensions/<int:suspension_pk>/prise-en-compte/",
        events.suspension_acknowledge,
        name="suspension_acknowledge",
    ),
    path("ruptures/<int:rupture_pk>/", events.rupture_detail, name="rupture_detail"),
    path(
        "ruptures/<int:rupture_pk>/prise-en-compte/",
        events.rupture_acknowledge,
        name="rupture_acknowledge",
    ),
    path("smic/", smic.smic_list, name="smic"),
    path("smic/nouveau/", smic.smic_create, name="smic_create"),
    path("<int:pk>/reversement/", documents.repayment_notice, name="repayment_notice"),
]
