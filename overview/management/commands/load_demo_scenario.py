from django.core.management.base import BaseCommand

from agreements.demo import load_scenario


class Command(BaseCommand):
    help = (
        "Laadt het demoscenario (verzonnen voortgang over 2024, gemarkeerd als demo); "
        "alleen met DEBUG en DEMO_ACCOUNTS aan, en maar één keer."
    )

    def handle(self, *args, **options):
        if load_scenario():
            self.stdout.write("Demogegevens geladen: elke pagina toont ‘demogegevens’.")
        else:
            self.stdout.write("Demogegevens waren al geladen.")
