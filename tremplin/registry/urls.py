from django.urls import path

from .views import duplicates, imports, pathway
from .views import files as views

app_name = "registry"

urlpatterns = [
    path("beneficiaires/", views.BeneficiaryList.as_view(), name="beneficiary_list"),
    path("beneficiaires/nouveau/", views.BeneficiaryCreate.as_view(), name="beneficiary_create"),
    path("beneficiaires/<int:pk>/", views.BeneficiaryDetail.as_view(), name="beneficiary_detail"),
    path("beneficiaires/<int:pk>/parcours/", pathway.pathway, name="pathway"),
    path(
        "beneficiaires/<int:pk>/modifier/",
        views.BeneficiaryUpdate.as_view(),
        name="beneficiary_update",
    ),
    path(
        "beneficiaires/<int:pk>/supprimer/",
        views.BeneficiaryDelete.as_view(),
        name="beneficiary_delete",
    ),
    path(
        "beneficiaires/<int:pk>/exporter-toutes-les-donnees/",
        views.beneficiary_export,
        name="beneficiary_export",
    ),
    path("beneficiaires/import/", imports.import_start, name="import_start"),
    path("beneficiaires/import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("beneficiaires/import/<int:pk>/colonnes/", imports.import_mapping, name="import_mapping"),
    path("beneficiaires/import/<int:pk>/confirmer/", imports.import_confirm, name="import_confirm"),
    path(
        "beneficiaires/import/<int:pk>/lignes-rejetees.xlsx",
        imports.import_rejected_report,
        name="import_rejected_report",
    ),
    path("beneficiaires/doublons/", duplicates.duplicate_list, name="duplicates"),
    path("beneficiaires/fusion/<int:kept_pk>/<int:absorbed_pk>/", duplicates.merge, name="merge"),
    path("employeurs/", views.EmployerList.as_view(), name="employer_list"),
    path("employeurs/nouveau/", views.EmployerCreate.as_view(), name="employer_create"),
    path("employeurs/<int:pk>/", views.EmployerDetail.as_view(), name="employer_detail"),
    path("employeurs/<int:pk>/modifier/", views.EmployerUpdate.as_view(), name="employer_update"),
    path("employeurs/<int:pk>/supprimer/", views.EmployerDelete.as_view(), name="employer_delete"),
    path("tuteurs/nouveau/", views.TutorCreate.as_view(), name="tutor_create"),
    path("tuteurs/<int:pk>/modifier/", views.TutorUpdate.as_view(), name="tutor_update"),
    path("tuteurs/<int:pk>/supprimer/", views.TutorDelete.as_view(), name="tutor_delete"),
]
