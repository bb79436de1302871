from django.conf import settings

from agreements.models import Jaarschijf


def site(request):
    """The selected jaarschijf and the list for the year switcher, on every page."""
    return {
        "PUBLIC_DASHBOARD": settings.PUBLIC_DASHBOARD,
        "DEBUG": settings.DEBUG,
        "jaarschijf": getattr(request, "jaarschijf", None),
        # Evaluated lazily by the template, so pages that do not show the header pay nothing.
        "jaarschijven": Jaarschijf.objects.only("year", "status").order_by("-year"),
    }
