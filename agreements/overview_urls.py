from django.urls import path

from . import overview

urlpatterns = [
    path("", overview.dashboard, name="dashboard"),
    path("afspraken/", overview.action_list, name="action-list"),
    path("afspraken/excel/", overview.action_list_export, name="action-list-export"),
    path("partijen/", overview.party_list, name="party-list"),
    path("partijen/<slug:slug>/", overview.party_detail, name="party-detail"),
    path("jaar/", overview.jaarschijf_switch, name="jaarschijf-switch"),
    path("ping/", overview.ping, name="ping"),
]
