from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projecten/<int:pk>/", views.project_detail, name="project-detail"),
    path("projecten/<int:pk>/bijwerken/", views.project_update, name="project-update"),
]
