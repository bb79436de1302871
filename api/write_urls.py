"""The write API's paths (api.writes), included by api/urls.py under /api/v1/.

A figure is addressed by its natural key, as the read API lists it. The keys are matched as
text and read by the view: a key that is not a number where one is needed answers the API's
own 404 (problem+json).
"""

from django.urls import path

from . import writes

urlpatterns = [
    path(
        "efg-labelcijfers/<str:jaarschijf>/<str:corporatie>/<str:jaar>/realisatie",
        writes.LabelRealisationView.as_view(),
        name="label-realisation",
    ),
    path(
        "projecten/<str:jaarschijf>/<str:categorie>/<str:volgnummer>/voortgang",
        writes.ProjectProgressView.as_view(),
        name="project-progress",
    ),
    path(
        "kengetallen/<str:jaarschijf>/<str:code>/waarden/<str:partij>/<str:periode>/realisatie",
        writes.IndicatorRealisationView.as_view(),
        name="indicator-realisation",
    ),
]
