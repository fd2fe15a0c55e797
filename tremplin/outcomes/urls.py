from django.urls import path

from .views import indicators, people, report, situations, targets

app_name = "outcomes"

urlpatterns = [
    path("cibles/", targets.AgreementTargetList.as_view(), name="targets"),
    path("cibles/nouvelle/", targets.AgreementTargetCreate.as_view(), name="target_create"),
    path("indicateurs/", indicators.IndicatorPage.as_view(), name="indicators"),
    path("indicateurs/rapport.pdf", report.IndicatorReport.as_view(), name="indicator_report"),
    path("indicateurs/personnes/", people.IndicatorPeople.as_view(), name="indicator_people"),
    path(
        "beneficiaires/<int:beneficiary_pk>/situations/",
        situations.SituationList.as_view(),
        name="beneficiary_situations",
    ),
    path(
        "beneficiaires/<int:beneficiary_pk>/situations/nouvelle/",
        situations.SituationCreate.as_view(),
        name="situation_create",
    ),
    path(
        "beneficiaires/<int:beneficiary_pk>/classer-une-sortie/",
        situations.ClassifyExit.as_view(),
        name="classify_exit",
    ),
    path(
        "situations/<int:pk>/modifier/",
        situations.SituationUpdate.as_view(),
        name="situation_update",
    ),
    path(
        "situations/<int:pk>/supprimer/",
        situations.SituationDelete.as_view(),
        name="situation_delete",
    ),
]
