"""Load a signed jaarschijf: ``manage.py load_jaarschijf jaarschijf-2024``.

``loaddata`` with a first history record for every row it brings in. A figure then has a
history from the signing on, and a round's report reads what it said at the deadline, also
when it is first changed after that deadline (without the record the report would say
"onbekend").

The record is dated at the start of the day the jaarschijf was signed (``signed_on``): the
document says these values from then on, and that is what a report asks ("what did the figure
say at the end of the deadline day?"), not when this database happened to learn them. A
jaarschijf without a signing date (a concept) holds its values from the moment it is loaded.
Rows that already have history keep it: loading the same document again adds nothing.
"""

from datetime import datetime, time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from agreements.models import Jaarschijf
from core.history import record_baselines, rows_loaded


class Command(BaseCommand):
    help = (
        "Laadt een ondertekende jaarschijf (fixture, zoals loaddata) en geeft elke geladen rij "
        "een eerste historie: de stand volgens het document op de datum van ondertekening."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="+", help="fixture, bijvoorbeeld jaarschijf-2024")

    @transaction.atomic
    def handle(self, *args, fixtures, **options):
        with rows_loaded() as rows:
            call_command("loaddata", *fixtures, verbosity=0)
        years = {pk for model, pk in rows if model is Jaarschijf}
        jaarschijven = list(Jaarschijf.objects.filter(pk__in=years))
        if len(jaarschijven) != 1:
            raise CommandError(
                "Laad precies één jaarschijf tegelijk (deze fixture bevat er "
                f"{len(jaarschijven)}); andere gegevens laadt u met loaddata."
            )
        jaarschijf = jaarschijven[0]
        if jaarschijf.signed_on is None:
            at = timezone.now()
        else:
            at = timezone.make_aware(datetime.combine(jaarschijf.signed_on, time.min))
        made = record_baselines(rows, at=at)
        if options["verbosity"]:
            self.stdout.write(
                f"Jaarschijf {jaarschijf.year} geladen: {len(rows)} rijen, "
                f"{made} met een eerste historie."
            )
