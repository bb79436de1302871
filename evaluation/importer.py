"""Reading a corporation's workbook (sheets Projecten and EFG-labels) into a change set.

Nothing here writes to the database: :func:`read_workbook` checks the file, validates every
row and returns a :class:`ChangeSet` (old → new per field) for the preview, or raises
:class:`WorkbookError` with every problem found, per sheet, row and column, in Dutch.
:func:`evaluation.services.apply_change_set` writes a change set, all or nothing.

**Which fields an import changes.** Only the tracking fields: a project's Status,
Gerealiseerd and Toelichting, and a corporation's EFG realisatie per year. The other columns
come from the signed jaarschijf; a changed value there is reported as a warning and not
taken over. (The expected completion year/quarter is not a column of the agreed layout, so
the import leaves it alone.)

**How rows are matched.** The header rows are fixed by the agreed layout, so the workbook
carries no hidden ID column. A project row is matched on (Categorie, Project, Corporatie),
compared without regard to case and spacing. Where the jaarschijf has several projects with
that key (the same complex under study twice), the document columns (Wijk, Woningen
(document), Woningen, Type, BAT, Huurklasse) choose between them, and when those are equal
too, the order of appearance does: the first such row in the sheet is the first such project
of the jaarschijf. Sorting or filtering the sheet therefore does not break the match. A row
that matches no project is an error: an import does not add projects. An EFG row is matched
on its Jaar, a column on ``<corporatie> realisatie``.

**Hostile files.** The size is checked first (``IMPORT_MAX_BYTES``), then the zip directory
(number of members, compression ratio, the uncompressed size of every part -- the shared
strings are parsed whole on opening -- and of all parts together) before openpyxl opens the file
in read-only mode; reading stops after ``IMPORT_MAX_ROWS`` rows, and a formula anywhere in
the columns read is refused.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from agreements.models import Jaarschijf, Party
from core.bulk import clean_changed, constraint_violations
from core.formats import nl_list
from core.validators import FIRST_PLAUSIBLE_DATE, LAST_PLAUSIBLE_DATE
from projects.models import Project, ProjectCategory, ProjectStatus
from sustainability.models import EnergyLabelFigure

from .export import (
    LABEL_INFO_HEADERS,
    LABEL_REALISED_SUFFIX,
    LABEL_TARGET_SUFFIX,
    LABEL_YEAR_HEADER,
    PROJECT_HEADERS,
    SHEET_LABELS,
    SHEET_PROJECTS,
    TOTAL,
    corporations,
    ordered_projects,
)

REQUIRED_SHEETS = (SHEET_PROJECTS, SHEET_LABELS)
#: The model fields whose validators (limits) every imported number must pass.
REALISED_DWELLINGS = Project._meta.get_field("realised_dwellings")
REALISED_LABELS = EnergyLabelFigure._meta.get_field("realised")
#: What the year column of the EFG sheet holds: a year of the plausible dates people enter
#: (core.validators), the years EnergyLabelFigure allows.
FIRST_YEAR, LAST_YEAR = FIRST_PLAUSIBLE_DATE.year, LAST_PLAUSIBLE_DATE.year
YEAR_EXPECTED = f"Vul een jaartal in tussen {FIRST_YEAR} en {LAST_YEAR}, zoals 2025."

#: Fields an import may change, per kind of row; also enforced when the change set is applied.
IMPORTABLE_FIELDS = {
    "project": {"status", "realised_dwellings", "explanation"},
    "labelfigure": {"realised"},
}

#: The project columns that identify a row besides the key; they are not imported.
DOCUMENT_COLUMNS = {
    "Wijk": "neighbourhood_id",
    "Woningen (document)": "dwellings_text",
    "Woningen": "dwellings",
    "Type": "dwelling_type",
    "BAT": "bat_class",
    "Huurklasse": "rent_class",
}
PROJECT_FIELD_COLUMNS = {
    "status": "Status",
    "realised_dwellings": "Gerealiseerd",
    "explanation": "Toelichting",
}

MAX_ZIP_MEMBERS = 500
#: A real workbook compresses well, but not a thousandfold.
MAX_COMPRESSION_RATIO = 100
#: Rows scanned in total (empty ones too) before the reading stops, as a multiple of the rows.
MAX_SCANNED_FACTOR = 4
MAX_HEADER_COLUMNS = 200
#: The shared-strings part is parsed whole when the workbook opens (also in read-only mode),
#: so its size bounds the cost of opening; the agreed layout needs far less than this.
SHARED_STRINGS = "xl/sharedStrings.xml"


def max_uncompressed_bytes() -> int:
    """All members together, uncompressed (IMPORT_MAX_UNCOMPRESSED_BYTES, 5× the file limit)."""
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 5 * settings.IMPORT_MAX_BYTES)


def max_part_bytes() -> int:
    """One member (a sheet, the shared strings, the styles), uncompressed.

    openpyxl parses the shared strings and the styles whole before the first row is read and
    a sheet row by row; bounding every part bounds what the reading can cost, whatever ratio
    the file was compressed at.
    """
    return getattr(settings, "IMPORT_MAX_PART_BYTES", 2 * settings.IMPORT_MAX_BYTES)


# --- Problems ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One error or warning, located as precisely as the workbook allows."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    column_letter: str | None = None

    @property
    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"blad {self.sheet}")
        if self.row:
            parts.append(f"rij {self.row}")
        if self.column:
            letter = f" ({self.column_letter})" if self.column_letter else ""
            parts.append(f"kolom {self.column}{letter}")
        elif self.column_letter:
            parts.append(f"kolom {self.column_letter}")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def __str__(self):
        return f"{self.location}: {self.message}" if self.location else self.message


class WorkbookError(Exception):
    """The workbook cannot be imported; ``problems`` says everything that is wrong."""

    def __init__(self, problems: Iterable[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


# --- Change set -------------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    value: Any


@dataclass
class RowChange:
    kind: str  # "project" | "labelfigure"
    pk: int
    version: int
    label: str
    sheet: str
    row: int
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ChangeSet:
    """What an import would change; the web import stores it as a draft (evaluation.drafts)."""

    year: int
    digest: str
    filename: str = ""
    rows: list[RowChange] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    checked_rows: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def field_count(self) -> int:
        return sum(len(row.changes) for row in self.rows)


# --- File checks ------------------------------------------------------------------------


def read_upload(fileobj, *, max_bytes: int | None = None) -> bytes:
    """The uploaded file's bytes, refusing more than IMPORT_MAX_BYTES without reading it all."""
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    size = getattr(fileobj, "size", None)
    if size is not None and size > max_bytes:
        raise WorkbookError(_too_large(max_bytes))
    data = fileobj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise WorkbookError(_too_large(max_bytes))
    return data


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")


def _too_large(max_bytes: int) -> str:
    return f"Het bestand is te groot: een werkmap mag ten hoogste {_megabytes(max_bytes)} MB zijn."


NOT_XLSX = (
    "Dit bestand is geen Excel-werkmap (.xlsx). Sla het bestand in Excel of LibreOffice op als "
    "'Excel-werkmap (.xlsx)' en probeer het opnieuw."
)


def check_archive(data: bytes) -> None:
    """Refuse anything that is not a sane .xlsx before openpyxl inflates it."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise WorkbookError(_too_large(settings.IMPORT_MAX_BYTES))
    if not data or not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookError(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookError(NOT_XLSX) from None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookError(NOT_XLSX)
    if len(members) > MAX_ZIP_MEMBERS:
        raise WorkbookError("Het bestand bevat ongewoon veel onderdelen en wordt niet gelezen.")
    total = 0
    part_limit = max_part_bytes()
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise WorkbookError(
                "Het bestand is verdacht sterk gecomprimeerd (mogelijk een zip-bom) en wordt "
                "niet gelezen."
            )
        if member.file_size > part_limit:
            what = "de gedeelde teksten" if member.filename == SHARED_STRINGS else "een onderdeel"
            raise WorkbookError(
                f"Het bestand is uitgepakt te groot om te lezen: {what} ({member.filename}) "
                f"beslaat uitgepakt meer dan {_megabytes(part_limit)} MB. Verwijder overbodige "
                "teksten, bladen en opmaak, of lever minder rijen aan."
            )
    if total > max_uncompressed_bytes():
        raise WorkbookError(
            "Het bestand is uitgepakt te groot om te lezen "
            f"(meer dan {_megabytes(max_uncompressed_bytes())} MB). Verwijder overbodige bladen "
            "en opmaak, of lever minder rijen aan."
        )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Reading ----------------------------------------------------------------------------


def read_workbook(
    data: bytes, *, jaarschijf: Jaarschijf, user=None, filename: str = ""
) -> ChangeSet:
    """Validate the workbook against ``jaarschijf`` for ``user``; return what would change.

    ``user=None`` (the management command without --user) may change every row.
    Raises :class:`WorkbookError` with all problems; then nothing may be written.
    """
    check_archive(data)
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds on malformed parts; all mean the same here
        raise WorkbookError(
            "Het bestand kan niet als Excel-werkmap worden gelezen. Is het beschadigd?"
        ) from None
    try:
        missing = [name for name in REQUIRED_SHEETS if name not in workbook.sheetnames]
        if missing:
            present = ", ".join(f"'{n}'" for n in workbook.sheetnames) or "geen"
            raise WorkbookError(
                [
                    Problem(
                        f"Het blad '{name}' ontbreekt (de werkmap heeft de bladen {present}). "
                        "Gebruik het sjabloon en wijzig de namen van de bladen niet.",
                        sheet=name,
                    )
                    for name in missing
                ]
            )
        change_set = ChangeSet(year=jaarschijf.year, digest=digest(data), filename=filename)
        reader = _Reader(jaarschijf, user, change_set)
        try:
            reader.read_projects(workbook[SHEET_PROJECTS])
            reader.read_labels(workbook[SHEET_LABELS])
            if not reader.errors:
                reader.check_constraints()
        except WorkbookError:
            raise
        except Exception:
            raise WorkbookError(
                "Het bestand kan niet als Excel-werkmap worden gelezen. Is het beschadigd?"
            ) from None
    finally:
        workbook.close()
    if reader.errors:
        raise WorkbookError(reader.errors)
    return change_set


def _norm(value) -> str:
    """Compare text as people read it: without regard to case, spacing or a number's type."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()).casefold()


def _display(value) -> str:
    if value is None or value == "":
        return "(leeg)"
    return str(value)


class _Reader:
    def __init__(self, jaarschijf: Jaarschijf, user, change_set: ChangeSet):
        self.jaarschijf = jaarschijf
        self.user = user
        self.change_set = change_set
        self.errors: list[Problem] = []
        #: Changed rows (model instance with the new values, row of the change set) whose
        #: check constraints are validated together after reading.
        self.pending: dict[str, list[tuple[Any, RowChange]]] = {
            kind: [] for kind in IMPORTABLE_FIELDS
        }
        corps = corporations()
        self.corporations = corps
        self.corporation_by_text = {}
        for corporation in corps:
            self.corporation_by_text[_norm(corporation.name)] = corporation
            if corporation.short_name:
                self.corporation_by_text[_norm(corporation.short_name)] = corporation

    # -- helpers

    def editable(self, rows, loaded) -> set[int]:
        """The pks the user may change: the permission's QuerySet twin, one query."""
        if self.user is None:
            return {obj.pk for obj in loaded}
        return set(rows.editable_by(self.user).values_list("pk", flat=True))

    def error(self, message, sheet, row=None, column=None, index=None):
        letter = get_column_letter(index + 1) if index is not None else None
        self.errors.append(Problem(message, sheet, row, column, letter))

    def warn(self, message, sheet, row=None):
        self.change_set.warnings.append(Problem(message, sheet, row))

    def own_corporation(self) -> Party | None:
        """The corporation a medewerker speaks for; None for those who may import any row."""
        return self.user.own_corporation if self.user is not None else None

    def rows(self, ws, width: int):
        """Data rows as (row number, cells), stopping at IMPORT_MAX_ROWS non-empty rows."""
        max_rows = settings.IMPORT_MAX_ROWS
        seen = 0
        for number, cells in enumerate(
            ws.iter_rows(min_row=2, max_col=width, values_only=False), start=2
        ):
            if number - 1 > max_rows * MAX_SCANNED_FACTOR:
                raise WorkbookError(self._too_many(ws.title, max_rows))
            if all(cell.value is None or cell.value == "" for cell in cells):
                continue
            seen += 1
            if seen > max_rows:
                raise WorkbookError(self._too_many(ws.title, max_rows))
            yield number, list(cells) + [None] * (width - len(cells))

    @staticmethod
    def _too_many(sheet: str, max_rows: int) -> Problem:
        shown = f"{max_rows:,}".replace(",", ".")
        return Problem(
            f"Het blad bevat meer dan {shown} rijen; de import is gestopt en er is niets "
            "opgeslagen.",
            sheet,
        )

    def value(self, cell, sheet, row, header, index):
        """The cell's value, or an error for a formula or an error value (#N/B)."""
        if cell is None:
            return None
        if cell.data_type == "f":
            self.error(
                "Formules zijn niet toegestaan. Typ de waarde zelf in (of plak alleen de waarde).",
                sheet,
                row,
                header,
                index,
            )
            return None
        if cell.data_type == "e":
            self.error(f"De cel bevat een foutwaarde ({cell.value}).", sheet, row, header, index)
            return None
        value = cell.value
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def header(self, ws, max_col=MAX_HEADER_COLUMNS) -> list[str]:
        for cells in ws.iter_rows(min_row=1, max_row=1, max_col=max_col, values_only=False):
            headers = []
            for index, cell in enumerate(cells):
                if cell.data_type == "f":
                    self.error("Formules zijn niet toegestaan.", ws.title, 1, None, index)
                headers.append("" if cell.value is None else " ".join(str(cell.value).split()))
            while headers and headers[-1] == "":
                headers.pop()
            return headers
        return []

    @staticmethod
    def year(value) -> int | None:
        """The year of a row (its key, not an amount): a whole number in the plausible years, typed
        as 2025 or kept by Excel as 2025.0; None for anything else."""
        if isinstance(value, bool):
            return None
        if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
            value = int(value)
        if isinstance(value, (float, Decimal)) and value == int(value):
            value = int(value)
        if isinstance(value, int) and FIRST_YEAR <= value <= LAST_YEAR:
            return value
        return None

    def count(self, value, sheet, row, header, index, *, field=None):
        """A whole, non-negative number, or None for an empty cell.

        With ``field`` (a model field) the number must also pass that field's validators: the
        limits of the model, so the import refuses what a form or the admin would refuse.
        """
        if value is None:
            return None
        if isinstance(value, bool) or isinstance(value, (date, datetime)):
            self.error("Vul een aantal in (een geheel getal).", sheet, row, header, index)
            return None
        if isinstance(value, str):
            text = value.replace(" ", "")
            if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
                text = text.replace(".", "")
            if not re.fullmatch(r"-?\d+", text):
                self.error(
                    f"'{value}' is geen geheel getal. Vul een aantal in of laat de cel leeg.",
                    sheet,
                    row,
                    header,
                    index,
                )
                return None
            value = int(text)
        if isinstance(value, (float, Decimal)):
            if value != int(value):
                self.error(
                    f"{value} is geen geheel getal.".replace(".", ","), sheet, row, header, index
                )
                return None
            value = int(value)
        if value < 0:
            self.error("Een aantal kan niet negatief zijn.", sheet, row, header, index)
            return None
        if value > 2_147_483_647:
            self.error("Dit aantal is te groot.", sheet, row, header, index)
            return None
        if field is not None:
            try:
                field.run_validators(value)
            except ValidationError as error:
                for message in error.messages:
                    self.error(message, sheet, row, header, index)
                return None
        return value

    # -- Projecten

    def read_projects(self, ws) -> None:
        sheet = ws.title
        headers = self.header(ws, len(PROJECT_HEADERS) + 20)
        if headers[: len(PROJECT_HEADERS)] != list(PROJECT_HEADERS):
            for index, expected in enumerate(PROJECT_HEADERS):
                found = headers[index] if index < len(headers) else ""
                if found != expected:
                    self.error(
                        f"De kopregel wijkt af: hier hoort '{expected}' te staan, niet "
                        f"'{found or '(leeg)'}'. Gebruik de kopregel van het sjabloon.",
                        sheet,
                        1,
                        None,
                        index,
                    )
            return
        column = {header: index for index, header in enumerate(PROJECT_HEADERS)}

        projects = list(ordered_projects(Project.objects.filter(jaarschijf=self.jaarschijf)))
        editable = self.editable(Project.objects.filter(jaarschijf=self.jaarschijf), projects)
        candidates: dict[tuple, list[Project]] = {}
        for project in projects:
            # The permission rules look at the project's jaarschijf: share the one we have.
            project.jaarschijf = self.jaarschijf
            key = (project.category, _norm(project.name), project.corporation_id)
            candidates.setdefault(key, []).append(project)
        categories = {}
        for category in ProjectCategory:
            categories[_norm(category.label)] = category.value
            categories[_norm(category.value)] = category.value
        statuses = {}
        for status in ProjectStatus:
            statuses[_norm(status.label)] = status.value
            statuses[_norm(status.value)] = status.value
            statuses[_norm(status.value.replace("_", " "))] = status.value
        own = self.own_corporation()
        checked = 0

        for number, cells in self.rows(ws, len(PROJECT_HEADERS)):
            checked += 1
            errors_before = len(self.errors)
            values = {
                header: self.value(cells[index], sheet, number, header, index)
                for header, index in column.items()
            }
            if len(self.errors) > errors_before:
                continue

            def err(message, header=None, number=number):
                self.error(message, sheet, number, header, column.get(header))

            category = categories.get(_norm(values["Categorie"]))
            if category is None:
                err(
                    f"Onbekende categorie '{_display(values['Categorie'])}'. Kies uit: "
                    + ", ".join(ProjectCategory.labels)
                    + ".",
                    "Categorie",
                )
            corporation = self.corporation_by_text.get(_norm(values["Corporatie"]))
            if corporation is None:
                err(
                    f"Onbekende corporatie '{_display(values['Corporatie'])}'. Kies uit: "
                    + ", ".join(c.label for c in self.corporations)
                    + ".",
                    "Corporatie",
                )
            if not values["Project"]:
                err("Vul de naam van het project in, zoals in het sjabloon.", "Project")
            if len(self.errors) > errors_before:
                continue
            if own is not None and corporation.pk != own.pk:
                err(
                    f"Dit is een project van {corporation.label}. U mag alleen projecten van "
                    f"{own.label} importeren.",
                    "Corporatie",
                )
                continue

            project = self._match(candidates, category, corporation, values)
            if project is None:
                err(
                    f"Geen project '{values['Project']}' van {corporation.label} in de categorie "
                    f"{ProjectCategory(category).label} gevonden in jaarschijf "
                    f"{self.jaarschijf.year} (of de rij staat er vaker in dan het project). "
                    "Een import voegt geen projecten toe; wijzig Categorie, Project en "
                    "Corporatie niet.",
                    "Project",
                )
                continue
            if project.pk not in editable:
                err("U mag dit project niet wijzigen.", "Project")
                continue

            status = statuses.get(_norm(values["Status"]))
            if status is None:
                err(
                    f"Onbekende status '{_display(values['Status'])}'. Kies uit: "
                    + ", ".join(ProjectStatus.labels)
                    + ".",
                    "Status",
                )
            realised = self.count(
                values["Gerealiseerd"],
                sheet,
                number,
                "Gerealiseerd",
                column["Gerealiseerd"],
                field=REALISED_DWELLINGS,
            )
            explanation = values["Toelichting"]
            explanation = "" if explanation is None else _text(explanation)
            if len(self.errors) > errors_before:
                continue

            differing = [
                header
                for header, attribute in DOCUMENT_COLUMNS.items()
                if _norm(values[header]) != _norm(getattr(project, attribute))
            ]
            if differing:
                if len(differing) == 1:
                    what = f"de kolom {differing[0]} wijkt af van de jaarschijf en wordt"
                else:
                    what = f"de kolommen {nl_list(differing)} wijken af van de jaarschijf en worden"
                self.warn(f"{project.name}: {what} niet geïmporteerd.", sheet, number)

            new = {"status": status, "realised_dwellings": realised, "explanation": explanation}
            self._project_change(project, new, sheet, number, column)

        self.change_set.checked_rows[sheet] = checked

    def _match(self, candidates, category, corporation, values) -> Project | None:
        options = candidates.get((category, _norm(values["Project"]), corporation.pk))
        if not options:
            return None
        if len(options) > 1:
            same_document = [
                p
                for p in options
                if all(
                    _norm(values[header]) == _norm(getattr(p, attribute))
                    for header, attribute in DOCUMENT_COLUMNS.items()
                )
            ]
            chosen = same_document[0] if same_document else options[0]
        else:
            chosen = options[0]
        options.remove(chosen)
        return chosen

    def _project_change(self, project, new, sheet, number, column):
        changes = []
        for name, value in new.items():
            old = getattr(project, name)
            if name == "explanation":
                old = _text(old or "")
            if old == value:
                continue
            label = PROJECT_FIELD_COLUMNS[name]
            if name == "status":
                old_text = ProjectStatus(old).label if old else ""
                new_text = ProjectStatus(value).label
            else:
                old_text, new_text = old, value
            changes.append(FieldChange(name, label, _display(old_text), _display(new_text), value))
        if not changes:
            return
        for change in changes:
            setattr(project, change.field, change.value)
        try:
            # The model's field validators and clean(), in Python; its check constraints
            # follow for all rows at once (check_constraints).
            clean_changed(project, [change.field for change in changes])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                header = PROJECT_FIELD_COLUMNS.get(name)
                for message in messages:
                    self.error(message, sheet, number, header, column.get(header))
            return
        row = RowChange(
            kind="project",
            pk=project.pk,
            version=project.version,
            label=f"{project.get_category_display()}: {project.name} ({project.corporation.label})",
            sheet=sheet,
            row=number,
            changes=changes,
        )
        self.pending["project"].append((project, row))
        self.change_set.rows.append(row)

    def check_constraints(self) -> None:
        """The models' check constraints for every changed row: one query per kind of row."""
        for kind, pending in self.pending.items():
            model = Project if kind == "project" else EnergyLabelFigure
            rows = {obj.pk: row for obj, row in pending}
            violations = constraint_violations(
                model, [obj for obj, _row in pending], sorted(IMPORTABLE_FIELDS[kind])
            )
            for pk, messages in violations.items():
                row = rows[pk]
                # A constraint may span several columns: the row is located, not one column.
                for message in messages:
                    self.errors.append(Problem(f"{row.label}: {message}", row.sheet, row.row))

    # -- EFG-labels

    def read_labels(self, ws) -> None:
        sheet = ws.title
        headers = self.header(ws)
        if not headers or headers[0] != LABEL_YEAR_HEADER:
            self.error(
                f"De eerste kolom hoort '{LABEL_YEAR_HEADER}' te heten. Gebruik de kopregel "
                "van het sjabloon.",
                sheet,
                1,
                None,
                0,
            )
            return
        own = self.own_corporation()
        realised_columns: dict[int, Party] = {}
        target_columns: dict[int, Party] = {}
        seen = set()
        totals = {
            _norm(f"{TOTAL} {LABEL_TARGET_SUFFIX}"),
            _norm(f"{TOTAL} {LABEL_REALISED_SUFFIX}"),
            *(_norm(header) for header in LABEL_INFO_HEADERS),
        }
        problems_before = len(self.errors)
        for index, header in enumerate(headers[1:], start=1):
            text = _norm(header)
            if text in totals:
                continue  # computed, never read
            match = re.fullmatch(
                rf"(.+) ({LABEL_TARGET_SUFFIX}|{LABEL_REALISED_SUFFIX})", text, flags=re.I
            )
            corporation = self.corporation_by_text.get(match[1]) if match else None
            if corporation is None:
                self.error(
                    f"Onbekende kolom '{header or '(leeg)'}'. Verwacht: '<corporatie> "
                    f"{LABEL_TARGET_SUFFIX}' of '<corporatie> {LABEL_REALISED_SUFFIX}' met als "
                    "corporatie een van: " + ", ".join(c.label for c in self.corporations) + ".",
                    sheet,
                    1,
                    header,
                    index,
                )
                continue
            if (corporation.pk, match[2]) in seen:
                self.error("Deze kolom staat er twee keer in.", sheet, 1, header, index)
                continue
            seen.add((corporation.pk, match[2]))
            if own is not None and corporation.pk != own.pk:
                self.error(
                    f"Dit is een kolom van {corporation.label}. U mag alleen de cijfers van "
                    f"{own.label} importeren.",
                    sheet,
                    1,
                    header,
                    index,
                )
                continue
            if match[2] == LABEL_REALISED_SUFFIX:
                realised_columns[index] = corporation
            else:
                target_columns[index] = corporation
        if len(self.errors) > problems_before:
            return

        figures = {
            (f.corporation_id, f.year): f
            for f in EnergyLabelFigure.objects.filter(jaarschijf=self.jaarschijf)
        }
        for figure in figures.values():
            figure.jaarschijf = self.jaarschijf
        editable = self.editable(
            EnergyLabelFigure.objects.filter(jaarschijf=self.jaarschijf), figures.values()
        )
        years_seen: dict[int, int] = {}
        checked = 0
        for number, cells in self.rows(ws, len(headers)):
            checked += 1
            errors_before = len(self.errors)
            raw_year = self.value(cells[0], sheet, number, LABEL_YEAR_HEADER, 0)
            year = self.year(raw_year)
            if raw_year is not None and year is None:
                self.error(
                    f"'{raw_year}' is geen jaartal. {YEAR_EXPECTED}",
                    sheet,
                    number,
                    LABEL_YEAR_HEADER,
                    0,
                )
                continue
            if year is None:
                if len(self.errors) == errors_before:
                    self.error("Vul het jaar in.", sheet, number, LABEL_YEAR_HEADER, 0)
                continue
            if year in years_seen:
                self.error(
                    f"Het jaar {year} staat ook al in rij {years_seen[year]}.",
                    sheet,
                    number,
                    LABEL_YEAR_HEADER,
                    0,
                )
                continue
            years_seen[year] = number

            for index, corporation in target_columns.items():
                header = headers[index]
                target = self.count(
                    self.value(cells[index], sheet, number, header, index),
                    sheet,
                    number,
                    header,
                    index,
                )
                figure = figures.get((corporation.pk, year))
                if (
                    figure is not None
                    and target != figure.target
                    and len(self.errors) == errors_before
                ):
                    self.warn(
                        f"{corporation.label} {year}: het doel ({_display(target)}) wijkt af van "
                        f"de jaarschijf ({_display(figure.target)}) en wordt niet geïmporteerd.",
                        sheet,
                        number,
                    )

            for index, corporation in realised_columns.items():
                header = headers[index]
                realised = self.count(
                    self.value(cells[index], sheet, number, header, index),
                    sheet,
                    number,
                    header,
                    index,
                    field=REALISED_LABELS,
                )
                if len(self.errors) > errors_before:
                    continue
                figure = figures.get((corporation.pk, year))
                if figure is None:
                    if realised is not None:
                        self.error(
                            f"Jaarschijf {self.jaarschijf.year} heeft geen EFG-cijfer van "
                            f"{corporation.label} voor {year}; een import voegt geen jaren toe.",
                            sheet,
                            number,
                            header,
                            index,
                        )
                    continue
                if realised == figure.realised:
                    continue
                if figure.pk not in editable:
                    self.error("U mag dit cijfer niet wijzigen.", sheet, number, header, index)
                    continue
                change = RowChange(
                    kind="labelfigure",
                    pk=figure.pk,
                    version=figure.version,
                    label=f"EFG-labels {corporation.label} {year}",
                    sheet=sheet,
                    row=number,
                    changes=[
                        FieldChange(
                            "realised",
                            "Realisatie",
                            _display(figure.realised),
                            _display(realised),
                            realised,
                        )
                    ],
                )
                figure.realised = realised
                try:
                    clean_changed(figure, ["realised"])
                except ValidationError as exc:
                    for message in exc.messages:
                        self.error(message, sheet, number, header, index)
                    continue
                self.pending["labelfigure"].append((figure, change))
                self.change_set.rows.append(change)
        self.change_set.checked_rows[sheet] = checked


def _text(value) -> str:
    """A cell as the text of a Toelichting; line breaks as Excel and the database keep them."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
