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
    path("evaluatie/<int:year>/", views.evaluation_view, name="evaluation-overview"),
    path(
        "evaluatie/<int:year>/compleet/",
        views.complete_evaluation_view,
        name="evaluation-complete",
    ),
    path("evaluatie/<int:year>/heropenen/", views.reopen_evaluation_view, name="evaluation-reopen"),
    path("evaluatie/<int:year>/besluit/", views.decision_view, name="evaluation-decision"),
    path(
        "evaluatie/<int:year>/zienswijze/",
        views.tenant_view_form_view,
        name="evaluation-tenant-view",
    ),
    path(
        "evaluatie/zienswijze/<int:pk>/bijlage/",
        views.tenant_view_attachment_view,
        name="evaluation-tenant-view-attachment",
    ),
    path("evaluatie/<int:year>/rapport/", views.report_view, name="evaluation-report"),
    path("evaluatie/<int:year>/rapport.pdf", views.report_pdf_view, name="evaluation-report-pdf"),
    path("vergelijken/", views.compare_view, name="compare-years"),
]
