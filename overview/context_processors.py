from django.conf import settings
from django.utils.functional import SimpleLazyObject

from agreements.demo import scenario_loaded
from agreements.models import Jaarschijf


def site(request):
    """The selected jaarschijf and the list for the year switcher, on every page."""
    return {
        "PUBLIC_DASHBOARD": settings.PUBLIC_DASHBOARD,
        "DEBUG": settings.DEBUG,
        "jaarschijf": getattr(request, "jaarschijf", None),
        # The same lazy list the selection came from: the header costs no extra query.
        "jaarschijven": getattr(request, "jaarschijven", Jaarschijf.objects.none()),
        # Looked up only with DEMO_ACCOUNTS on (the quick start), so production pays nothing.
        "DEMO_DATA": SimpleLazyObject(scenario_loaded) if settings.DEMO_ACCOUNTS else False,
    }
