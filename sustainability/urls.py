from django.urls import path

from . import views

app_name = "sustainability"

urlpatterns = [
    path(
        "duurzaamheid/efg-realisatie/",
        views.labelfigure_entry_index,
        name="labelfigure-entry-index",
    ),
    path(
        "duurzaamheid/efg-realisatie/<slug:slug>/",
        views.labelfigure_entry,
        name="labelfigure-entry",
    ),
]
