from django.urls import path

from . import project_views, sustainability_views, views

app_name = "overview"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("afspraken/", views.action_list, name="action-list"),
    path("afspraken/excel/", views.action_list_export, name="action-list-export"),
    path("partijen/", views.party_list, name="party-list"),
    path("partijen/<slug:slug>/", views.party_detail, name="party-detail"),
    path("jaar/", views.jaarschijf_switch, name="jaarschijf-switch"),
    path("jaarschijven/", views.jaarschijf_list, name="jaarschijf-list"),
    path("ping/", views.ping, name="ping"),
    path("projecten/", project_views.project_list, name="project-list"),
    path("duurzaamheid/", sustainability_views.sustainability, name="sustainability"),
]
