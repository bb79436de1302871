"""Mail each person one digest of what is due for their party (run daily, e.g. from cron)."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cycle.models import today
from cycle.reminders import digests, send


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--op verwacht een datum als 2024-11-01, niet {value!r}.") from None


class Command(BaseCommand):
    help = "Verstuurt per persoon één herinnering met mijlpalen en open rapportage-onderdelen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Toon wat er verstuurd zou worden; verstuur niets.",
        )
        parser.add_argument("--op", help="Doe alsof het deze dag is (JJJJ-MM-DD).")

    def handle(self, *args, dry_run=False, op=None, **options):
        on = parse_day(op) if op else today()
        if not settings.SITE_URL:
            raise CommandError(
                "Zet SITE_URL (bijvoorbeeld https://prestatieafspraken.example): zonder het adres "
                "van de site kunnen de herinneringen geen links bevatten."
            )
        found = digests(on)
        if dry_run:
            for digest in found:
                self.stdout.write(
                    f"== {digest.user.get_full_name() or digest.user.username} "
                    f"<{digest.user.email}> ({digest.user.party.label}, "
                    f"{digest.user.get_role_display().lower()})"
                )
                self.stdout.write(digest.body)
                self.stdout.write("")
            self.stdout.write(
                f"{len(found)} herinnering(en) zouden worden verstuurd (niets verstuurd)."
            )
            return
        sent = send(found)
        self.stdout.write(f"{sent} herinnering(en) verstuurd.")
