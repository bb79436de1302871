"""The write API's paths (api.writes), included by api/urls.py under /api/v1/.

The id is matched as text and read by the view: a path that is not a number answers the
API's own 404 (problem+json), not the site's HTML page.
"""

from django.urls import path

from . import writes

urlpatterns = [
    path(
        "efg-cijfers/<str:pk>/realisatie",
        writes.LabelRealisationView.as_view(),
        name="label-realisation",
    ),
    path(
        "projecten/<str:pk>/voortgang",
        writes.ProjectProgressView.as_view(),
        name="project-progress",
    ),
    path(
        "kengetalwaarden/<str:pk>/realisatie",
        writes.IndicatorRealisationView.as_view(),
        name="indicator-realisation",
    ),
]
