from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/fichier/", views.job_download, name="job_download"),
]
