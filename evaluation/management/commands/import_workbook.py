from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from agreements.models import Jaarschijf
from core.formats import nl_number
from evaluation.importer import WorkbookError, read_upload, read_workbook
from evaluation.services import apply_change_set


class Command(BaseCommand):
    help = (
        "Importeert de bladen Projecten en EFG-labels van een corporatiewerkmap: alles of "
        "niets. Zonder --user gelden geen rolregels (functioneel beheer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="bestand", help="De werkmap (.xlsx).")
        parser.add_argument("--jaarschijf", type=int, required=True, metavar="jaar")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen controleren en tonen wat er zou veranderen; niets opslaan.",
        )
        parser.add_argument(
            "--user",
            metavar="gebruikersnaam",
            help="Importeer als deze gebruiker: diens rolregels gelden en de historie noemt hem.",
        )

    def handle(self, *args, path, jaarschijf, dry_run=False, user=None, **options):
        try:
            target = Jaarschijf.objects.get(year=jaarschijf)
        except Jaarschijf.DoesNotExist:
            raise CommandError(f"Jaarschijf {jaarschijf} bestaat niet.") from None
        importer = None
        if user:
            try:
                importer = get_user_model().objects.select_related("party").get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Gebruiker {user} bestaat niet.") from None
            if not importer.has_perm("agreements.import_workbook", target):
                raise CommandError(f"{importer} mag geen werkmap importeren in {target}.")
        file = Path(path)
        try:
            with file.open("rb") as handle:
                data = read_upload(handle)
            change_set = read_workbook(data, jaarschijf=target, user=importer, filename=file.name)
        except OSError as exc:
            raise CommandError(f"Kan {path} niet lezen: {exc.strerror}") from None
        except WorkbookError as exc:
            raise CommandError(self._problems(exc)) from None

        for warning in change_set.warnings:
            self.stdout.write(self.style.WARNING(f"Let op – {warning}"))
        for row in change_set.rows:
            for change in row.changes:
                self.stdout.write(
                    f"{row.sheet}, rij {row.row}: {row.label}: {change.label} "
                    f"{change.old} → {change.new}"
                )
        if change_set.is_empty:
            self.stdout.write("De werkmap komt overeen met de gegevens: er verandert niets.")
            return
        if dry_run:
            self.stdout.write(
                self.style.NOTICE(
                    f"Proefdraaien: {nl_number(len(change_set.rows))} rijen zouden veranderen; er is niets "
                    "opgeslagen."
                )
            )
            return
        try:
            changed = apply_change_set(jaarschijf=target, change_set=change_set, user=importer)
        except WorkbookError as exc:
            raise CommandError(self._problems(exc)) from None
        except PermissionDenied:
            raise CommandError(f"{importer} mag deze werkmap niet importeren.") from None
        self.stdout.write(
            self.style.SUCCESS(f"Import doorgevoerd: {nl_number(changed)} rijen bijgewerkt.")
        )

    @staticmethod
    def _problems(exc: WorkbookError) -> str:
        lines = [
            f"De werkmap is niet geïmporteerd; er is niets opgeslagen ({nl_number(len(exc.problems))} fouten):"
        ]
        return "\n".join(lines + [f"- {problem}" for problem in exc.problems])
