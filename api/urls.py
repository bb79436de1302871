from django.urls import path, re_path

from . import opendata, read, write_urls
from .views import NotFoundView, OpenAPIView

app_name = "api"

# No trailing slashes (NL API Design Rules); the version is in the path (/api/v1/).
urlpatterns = [
    path("openapi.json", OpenAPIView.as_view(), name="openapi"),
    path("jaarschijven", read.JaarschijfList.as_view(), name="jaarschijf-list"),
    path("themas", read.ThemeList.as_view(), name="theme-list"),
    path("partijen", read.PartyList.as_view(), name="party-list"),
    path("partijen/<str:slug>", read.PartyDetail.as_view(), name="party-detail"),
    path("afspraken", read.ActionList.as_view(), name="action-list"),
    path(
        "afspraken/<str:jaarschijf>/<str:nummer>",
        read.ActionDetail.as_view(),
        name="action-detail",
    ),
    path("voortgangsupdates", read.ProgressUpdateList.as_view(), name="progress-list"),
    path("voortgangsupdates/<str:id>", read.ProgressUpdateDetail.as_view(), name="progress-detail"),
    path("projecten", read.ProjectList.as_view(), name="project-list"),
    path(
        "projecten/<str:jaarschijf>/<str:categorie>/<str:volgnummer>",
        read.ProjectDetail.as_view(),
        name="project-detail",
    ),
    path("efg-labelcijfers", read.EnergyLabelList.as_view(), name="efg-list"),
    path("efg-totalen", read.EnergyLabelTotalList.as_view(), name="efg-totals"),
    path("bat-voorraad", read.BatStockList.as_view(), name="bat-list"),
    path("kengetallen", read.IndicatorList.as_view(), name="indicator-list"),
    path("kerncijfers", read.HeadlineFigureList.as_view(), name="headline-list"),
    # The write API for the parties' own systems (API tokens): api/write_urls.py
    *write_urls.urlpatterns,
]

#: Last: any other path under /api/ is a 404 problem+json, also with a trailing slash.
fallback = [re_path(r"^.*$", NotFoundView.as_view(), name="not-found")]

#: The open-data page and its downloads (pages, so with the site's trailing slash).
opendata_urls = (
    [
        path("", opendata.open_data, name="index"),
        path("<slug:slug>.<str:extension>", opendata.download, name="download"),
    ],
    "opendata",
)
