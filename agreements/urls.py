from django.urls import path

import core.converters  # noqa: F401  (registers <year:>)

from . import converters, views  # noqa: F401  (converters registers <actionnumber:>)

app_name = "agreements"

urlpatterns = [
    path("afspraken/<year:year>/<actionnumber:number>/", views.action_detail, name="action-detail"),
    path(
        "afspraken/<year:year>/<actionnumber:number>/voortgang/",
        views.action_update,
        name="action-update",
    ),
    path(
        "afspraken/<year:year>/<actionnumber:number>/evaluatie/",
        views.action_evaluate,
        name="action-evaluate",
    ),
    path(
        "afspraken/<int:year>/<str:number>/onderbouwing/<int:pk>/",
        views.evidence_download,
        name="evidence-download",
    ),
    path(
        "kengetallen/<int:pk>/realisatie/",
        views.indicator_realisation,
        name="indicator-realisation",
    ),
]
