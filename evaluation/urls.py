from django.urls import path

import core.converters  # noqa: F401  (registers <year:>)

from . import views

app_name = "evaluation"

urlpatterns = [
    path("evaluatie/<year:year>/export/", views.export_view, name="evaluation-export"),
    path("evaluatie/<year:year>/import/", views.import_view, name="evaluation-import"),
    path(
        "evaluatie/<year:year>/import/sjabloon/",
        views.import_template_view,
        name="evaluation-import-template",
    ),
    path(
        "evaluatie/<year:year>/import/voorbeeld/",
        views.import_preview_view,
        name="evaluation-import-preview",
    ),
    path("jaarschijf/<year:year>/", views.jaarschijf_view, name="jaarschijf-manage"),
    path("jaarschijf/<year:year>/nieuw/", views.next_jaarschijf_view, name="jaarschijf-next"),
    path("jaarschijf/<year:year>/status/", views.jaarschijf_status_view, name="jaarschijf-status"),
    path(
        "jaarschijf/<year:year>/geevalueerd/",
        views.mark_evaluated_view,
        name="jaarschijf-mark-evaluated",
    ),
    path("vergelijken/", views.compare_view, name="compare-years"),
]
