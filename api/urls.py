from django.urls import path

from .views import OpenAPIView

app_name = "api"

# No trailing slashes (NL API Design Rules); the version is in the path (/api/v1/).
urlpatterns = [
    path("openapi.json", OpenAPIView.as_view(), name="openapi"),
]
