"""The demo scenario of the quick start: invented progress, clearly marked as demo.

``fixtures/demo-scenario-2024.json`` (built by fixtures/build_demo_scenario.py) holds a year of
invented progress updates, project and EFG realisations. Every note in it starts with
``NOTE_PREFIX``; while any such update exists, every page says "demogegevens".
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction

from .models import ProgressUpdate

FIXTURE = "demo-scenario-2024"
#: The same prefix as fixtures/build_demo_scenario.py writes (a standalone script).
NOTE_PREFIX = "Demo – "


def scenario_loaded() -> bool:
    """Whether the demo scenario is in the database (only looked for with DEMO_ACCOUNTS on)."""
    if not settings.DEMO_ACCOUNTS:
        return False
    return ProgressUpdate.objects.filter(explanation__startswith=NOTE_PREFIX).exists()


@transaction.atomic
def load_scenario() -> bool:
    """Load the demo scenario once; False when it was already there. DEBUG + DEMO_ACCOUNTS only."""
    if not (settings.DEBUG and settings.DEMO_ACCOUNTS):
        raise ImproperlyConfigured("Demogegevens bestaan alleen met DEBUG en DEMO_ACCOUNTS aan.")
    if scenario_loaded():
        return False
    call_command("loaddata", FIXTURE, verbosity=0)
    return True
