"""The demo scenario of the quick start: invented progress, clearly marked as demo.

``fixtures/demo-scenario-2024.json`` (built by fixtures/build_demo_scenario.py) holds a year of
invented progress updates, project and EFG realisations. Every note in it starts with
``NOTE_PREFIX``; while any such update exists, every page says "demogegevens".
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.history import record_loaded_state, rows_loaded

from .models import ProgressUpdate

FIXTURE = "demo-scenario-2024"
#: The same prefix as fixtures/build_demo_scenario.py writes (a standalone script).
NOTE_PREFIX = "Demo – "
#: The reason of the demo's records in the history.
DEMO_REASON = "Demogegevens"


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
    now = timezone.now()
    with rows_loaded() as rows:
        call_command("loaddata", FIXTURE, verbosity=0)
    # The demo's changes in the history, as if made by whom and when the rows say: otherwise
    # the first real edit of a demo project would be credited with the demo's changes too.
    record_loaded_state(
        rows,
        reason=DEMO_REASON,
        when=lambda row: getattr(row, "updated_at", None) or getattr(row, "created_at", now),
        who=lambda row: getattr(row, "updated_by", None) or getattr(row, "author", None),
    )
    return True
