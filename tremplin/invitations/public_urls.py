"""The person's personal link, public (``login_not_required``): ``/rdv/<id>/<token>/``."""

from django.urls import path

from .views import public

app_name = "invitation_link"

urlpatterns = [
    path("<int:pk>/<str:token>/", public.answer, name="answer"),
]
