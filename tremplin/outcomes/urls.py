from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("cibles/", views.AgreementTargetList.as_view(), name="targets"),
    path("cibles/nouvelle/", views.AgreementTargetCreate.as_view(), name="target_create"),
    path("indicateurs/", views.IndicatorPage.as_view(), name="indicators"),
    path("indicateurs/rapport.pdf", views.IndicatorReport.as_view(), name="indicator_report"),
    path("indicateurs/personnes/", views.IndicatorPeople.as_view(), name="indicator_people"),
    path(
        "beneficiaires/<int:beneficiary_pk>/situations/",
        views.SituationList.as_view(),
        name="beneficiary_situations",
    ),
    path(
        "beneficiaires/<int:beneficiary_pk>/situations/nouvelle/",
        views.SituationCreate.as_view(),
        name="situation_create",
    ),
    path(
        "beneficiaires/<int:beneficiary_pk>/classer-une-sortie/",
        views.ClassifyExit.as_view(),
        name="classify_exit",
    ),
    path("situations/<int:pk>/modifier/", views.SituationUpdate.as_view(), name="situation_update"),
    path(
        "situations/<int:pk>/supprimer/", views.SituationDelete.as_view(), name="situation_delete"
    ),
]
