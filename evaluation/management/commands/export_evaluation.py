from django.core.management.base import BaseCommand, CommandError

from agreements.models import Jaarschijf
from evaluation.export import workbook_title, write_evaluation


class Command(BaseCommand):
    help = "Schrijft de evaluatiewerkmap 'Evaluatie jaarschijf <jaar>' naar een .xlsx-bestand."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, metavar="jaar", help="Het jaar van de jaarschijf.")
        parser.add_argument(
            "--output",
            "-o",
            metavar="bestand.xlsx",
            help="Doelbestand; standaard 'Evaluatie jaarschijf <jaar>.xlsx'.",
        )

    def handle(self, *args, year, output=None, **options):
        try:
            jaarschijf = Jaarschijf.objects.get(year=year)
        except Jaarschijf.DoesNotExist:
            raise CommandError(f"Jaarschijf {year} bestaat niet.") from None
        title = workbook_title(jaarschijf)
        output = output or f"{title}.xlsx"
        try:
            counts = write_evaluation(jaarschijf, output)
        except OSError as exc:
            raise CommandError(f"Kan {output} niet schrijven: {exc.strerror}") from None
        summary = ", ".join(f"{name}: {rows}" for name, rows in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{title} geschreven naar {output} ({summary})."))
