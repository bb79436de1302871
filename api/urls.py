from django.urls import path

from . import write_urls
from .views import OpenAPIView

app_name = "api"

# No trailing slashes (NL API Design Rules); the version is in the path (/api/v1/).
urlpatterns = [
    path("openapi.json", OpenAPIView.as_view(), name="openapi"),
    # The write API for the parties' own systems (API tokens): api/write_urls.py
    *write_urls.urlpatterns,
]
