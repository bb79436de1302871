from django.urls import path

from . import views

app_name = "cycle"

urlpatterns = [
    path("mijn-werk/", views.my_work, name="my-work"),
    path("mijn-werk/mijlpalen/", views.my_milestones, name="my-milestones"),
    path("mijn-werk/agenda/", views.calendar_settings, name="calendar-settings"),
    path("mijn-werk/herinneringen/", views.reminder_preferences, name="reminder-preferences"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("mijlpalen/", views.milestone_list, name="milestone-list"),
    path("mijlpalen/nieuw/", views.milestone_add, name="milestone-add"),
    path(
        "afspraken/<int:year>/<str:number>/mijlpaal/",
        views.milestone_add,
        name="milestone-add-for-action",
    ),
    path("mijlpalen/<int:pk>/verschuiven/", views.milestone_move, name="milestone-move"),
    path("mijlpalen/<int:pk>/afronden/", views.milestone_close, name="milestone-close"),
    path("rapportages/", views.round_list, name="round-list"),
    path("rapportages/nieuw/", views.round_new, name="round-new"),
    path("rapportages/<int:pk>/", views.round_detail, name="round-detail"),
    path("rapportages/<int:pk>/sluiten/", views.round_close, name="round-close"),
    path("rapportages/<int:pk>/rapport.xlsx", views.round_workbook, name="round-workbook"),
    path("rapportages/onderdeel/<int:pk>/aanleveren/", views.round_submit, name="round-submit"),
    path(
        "rapportages/aanlevering/<int:pk>/bestand/", views.submission_file, name="submission-file"
    ),
]
