from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("afspraken/<int:year>/<str:number>/", views.action_detail, name="action-detail"),
    path(
        "afspraken/<int:year>/<str:number>/voortgang/",
        views.action_update,
        name="action-update",
    ),
    path(
        "afspraken/<int:year>/<str:number>/evaluatie/",
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
