import os

from django.core.management.base import BaseCommand

from overview.demo import DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "Maakt per rol een demo-account aan (alleen met DEBUG en DEMO_ACCOUNTS aan)."

    def handle(self, *args, **options):
        accounts = create_demo_accounts()
        self.stdout.write(f"\nDemo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD})")
        for username, description, party in accounts:
            self.stdout.write(f"  {username:<12} {description} – partij: {party}")
        # scripts/start.sh serves on PORT (8000 unless another port was asked for).
        port = os.environ.get("PORT") or "8000"
        self.stdout.write(f"\nOpen http://127.0.0.1:{port}/ en log in.\n")
