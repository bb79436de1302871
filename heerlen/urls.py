from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from api.urls import fallback as api_fallback
from api.urls import opendata_urls

admin.site.site_header = "Prestatieafspraken – beheer"
admin.site.site_title = "Prestatieafspraken"
admin.site.index_title = "Functioneel beheer"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("stijlgids/", TemplateView.as_view(template_name="styleguide.html"), name="styleguide"),
    # Accounts, security and site-wide pages (login, 2FA, healthz, security.txt, toegankelijkheid)
    path("", include("accounts.urls")),
    # Dashboards and lists (read-only overviews)
    path("", include("overview.urls")),
    # Detail pages and the forms that keep the figures current
    path("", include("agreements.urls")),
    path("", include("projects.urls")),
    path("", include("sustainability.urls")),
    # Annual evaluation: Excel export and import, next jaarschijf
    path("", include("evaluation.urls")),
    # The yearly cycle: milestones, reporting rounds, Mijn werk, the calendar feed
    path("", include("cycle.urls")),
    # The API and open data (NL API Design Rules): versioned path, no trailing slashes
    path("api/v1/", include("api.urls")),
    path("api/", include(api_fallback)),
    path("open-data/", include(opendata_urls)),
]
