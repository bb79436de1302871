from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("evaluatie/<int:year>/export/", views.export_view, name="evaluation-export"),
    path("evaluatie/<int:year>/import/", views.import_view, name="evaluation-import"),
    path(
        "evaluatie/<int:year>/import/sjabloon/",
        views.import_template_view,
        name="evaluation-import-template",
    ),
    path(
        "evaluatie/<int:year>/import/voorbeeld/",
        views.import_preview_view,
        name="evaluation-import-preview",
    ),
    path("jaarschijf/<int:year>/", views.jaarschijf_view, name="jaarschijf-manage"),
    path("jaarschijf/<int:year>/nieuw/", views.next_jaarschijf_view, name="jaarschijf-next"),
    path("jaarschijf/<int:year>/status/", views.jaarschijf_status_view, name="jaarschijf-status"),
    path(
        "jaarschijf/<int:year>/geevalueerd/",
        views.mark_evaluated_view,
        name="jaarschijf-mark-evaluated",
    ),
    path("vergelijken/", views.compare_view, name="compare-years"),
]
