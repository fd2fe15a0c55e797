from django.urls import path

from . import docs
from .api import api

urlpatterns = [
    path("docs/assets/<str:name>", docs.swagger_asset, name="api_docs_asset"),
    path("", api.urls),
]
