from django.urls import path

from . import overview

urlpatterns = [
    path("duurzaamheid/", overview.sustainability, name="sustainability"),
]
