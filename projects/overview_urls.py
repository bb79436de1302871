from django.urls import path

from . import overview

urlpatterns = [
    path("projecten/", overview.project_list, name="project-list"),
]
