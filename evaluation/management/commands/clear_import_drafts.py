from django.core.management.base import BaseCommand

from core.formats import nl_number
from evaluation.drafts import clear_expired


class Command(BaseCommand):
    help = (
        "Verwijdert verlopen importvoorbeelden (geüploade werkmappen die niet binnen "
        "IMPORT_DRAFT_MINUTES zijn doorgevoerd). Draai dit bijvoorbeeld elk uur."
    )

    def handle(self, *args, **options):
        count = clear_expired()
        self.stdout.write(
            f"{nl_number(count)} verlopen {'importvoorbeeld' if count == 1 else 'importvoorbeelden'} verwijderd."
        )
