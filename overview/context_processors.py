from django.conf import settings

from agreements.models import Jaarschijf


def site(request):
    """The selected jaarschijf and the list for the year switcher, on every page."""
    return {
        "PUBLIC_DASHBOARD": settings.PUBLIC_DASHBOARD,
        "DEBUG": settings.DEBUG,
        "jaarschijf": getattr(request, "jaarschijf", None),
        # The same lazy list the selection came from: the header costs no extra query.
        "jaarschijven": getattr(request, "jaarschijven", Jaarschijf.objects.none()),
    }
