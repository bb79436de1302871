from django.contrib import admin
from django.urls import path

admin.site.site_header = "Prestatieafspraken – beheer"
admin.site.site_title = "Prestatieafspraken"
admin.site.index_title = "Functioneel beheer"

urlpatterns = [
    path("admin/", admin.site.urls),
]
