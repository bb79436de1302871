from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Jaarschijf
from core.formats import nl_number
from evaluation.report import render_pdf


class Command(BaseCommand):
    help = "Schrijft het evaluatierapport van een jaarschijf als toegankelijke PDF (PDF/UA-1)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Jaar van de jaarschijf, bv. 2024")
        parser.add_argument("--output", required=True, help="Pad van het PDF-bestand")

    def handle(self, *args, year, output, **options):
        jaarschijf = Jaarschijf.objects.select_related("municipality").filter(year=year).first()
        if jaarschijf is None:
            raise CommandError(f"Jaarschijf {year} bestaat niet.")
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"De map {target.parent} bestaat niet.")
        content = render_pdf(jaarschijf)
        target.write_bytes(content)
        self.stdout.write(
            f"Evaluatierapport {year} geschreven naar {target} ({nl_number(len(content))} bytes)."
        )
