from django.urls import path

from . import views

app_name = "conventions"

urlpatterns = [
    path("", views.ConventionList.as_view(), name="list"),
    path("nouvelle/", views.convention_create, name="create"),
    path("simulateur/", views.simulator, name="simulator"),
    path("paiements/", views.payment_list, name="payments"),
    path("prevision/", views.forecast, name="forecast"),
    path("arretes/", views.order_list, name="orders"),
    path("arretes/nouveau/", views.order_create, name="order_create"),
    path("arretes/<int:pk>/", views.order_detail, name="order_detail"),
    path("<int:pk>/", views.convention_detail, name="detail"),
    path("<int:pk>/modifier/", views.convention_update, name="update"),
    path("<int:pk>/verifier/", views.convention_check, name="check"),
    path("<int:pk>/signer/", views.convention_sign, name="sign"),
    path("<int:pk>/pdf/", views.convention_pdf, name="pdf"),
    path("<int:pk>/avenants/nouveau/", views.amendment_create, name="amendment_create"),
    path("<int:pk>/suspensions/nouvelle/", views.suspension_create, name="suspension_create"),
    path("<int:pk>/immersions/nouvelle/", views.immersion_create, name="immersion_create"),
    path("<int:pk>/justificatifs/", views.proof_create, name="proof_create"),
    path("<int:pk>/rupture/", views.rupture_create, name="rupture_create"),
    path("<int:pk>/rupture/signalement/", views.rupture_report, name="rupture_report"),
    path(
        "<int:pk>/suspensions/<int:suspension_pk>/signalement/",
        views.suspension_report,
        name="suspension_report",
    ),
    path("<int:pk>/reversement/", views.repayment_notice, name="repayment_notice"),
]
