"""The evaluation workbook as data: sheets of rows, without knowing anything about Excel.

Each function here yields a :class:`Sheet` (name, columns with their formats, an iterator of
rows); :func:`core.workbook.write_workbook` turns sheets into an .xlsx file. Keeping the two apart (the
exporter pattern of pretix) lets the import template, the management command, the benchmark
and the tests share one definition of every sheet, and keeps the query count bounded: every
sheet runs a fixed number of queries however many rows the jaarschijf has, and the long sheets
stream through ``.iterator(chunk_size=…)``.

The sheet Afspraken is the action list's columns (:mod:`agreements.sheets`) plus the latest
update's note and the kernteam's latest judgement ("Oordeel", "Evaluatie").

Values are Python values: numbers stay numbers, dates stay dates, and an unknown value is
``None`` (an empty cell), never 0. Text that users typed is passed on as ``str``; the writer
always stores a ``str`` as text, so a note that starts with ``=`` never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import IO, Any

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from agreements.models import (
    Action,
    ActionStatus,
    HeadlineFigure,
    IndicatorValue,
    Jaarschijf,
    Party,
)
from agreements.sheets import (
    ACTION_COLUMNS,
    EVALUATION_COLUMNS,
    PROGRESS_COLUMNS,
    action_rows,
    progress_rows,
)
from core.workbook import (
    FORMAT_INTEGER,
    FORMAT_TEXT,
    FORMAT_YEAR,
    CellValue,
    Column,
    LineChartSpec,
    Sheet,
    StyledRow,
    headers,
    write_workbook,
    year,
)
from overview.figures import headline_figures
from projects.models import Project, ProjectCategory, ProjectStatus
from sustainability.models import BatStock, BatStockBatClass, EnergyLabelFigure

from . import compare

SHEET_SUMMARY = "Samenvatting"
SHEET_ACTIONS = "Afspraken"
SHEET_PROJECTS = "Projecten"
SHEET_LABELS = "EFG-labels"
SHEET_BAT = "BAT-voorraad"
SHEET_INDICATORS = "Kengetallen"
SHEET_PROGRESS = "Voortgang"
SHEET_INSTRUCTIONS = "Uitleg"


#: The columns of each table sheet, declared once for the exporter, the importer and the tests.
AFSPRAKEN_COLUMNS = ACTION_COLUMNS + EVALUATION_COLUMNS
PROJECT_COLUMNS = (
    Column("Categorie", width=14),
    Column("Project", width=40, wrap=True),
    Column("Wijk", width=16, wrap=True),
    Column("Corporatie", width=16),
    Column("Woningen (document)", width=18, wrap=True),
    Column("Woningen", width=11, number_format=FORMAT_INTEGER),
    Column("Type", width=28, wrap=True),
    Column("BAT", width=18, wrap=True),
    Column("Huurklasse", width=24, wrap=True),
    Column("Status", width=16, fills=ProjectStatus.fills()),
    Column("Gerealiseerd", width=13, number_format=FORMAT_INTEGER),
    Column("Toelichting", width=45, wrap=True),
)
INDICATOR_COLUMNS = (
    Column("Kengetal", width=45, wrap=True),
    Column("Afspraak", width=10, number_format=FORMAT_TEXT),
    Column("Partij", width=18),
    Column("Periode", width=10, number_format=FORMAT_TEXT),
    Column("Doel", width=11),
    Column("Realisatie", width=11),
    Column("Eenheid", width=14),
)
ACTION_HEADERS = headers(AFSPRAKEN_COLUMNS)
PROJECT_HEADERS = headers(PROJECT_COLUMNS)
INDICATOR_HEADERS = headers(INDICATOR_COLUMNS)
PROGRESS_HEADERS = headers(PROGRESS_COLUMNS)
LABEL_YEAR_HEADER = "Jaar"
LABEL_TARGET_SUFFIX = "doel"
LABEL_REALISED_SUFFIX = "realisatie"
TOTAL = "Totaal"


def write_evaluation(jaarschijf: Jaarschijf, target: str | IO[bytes], **kwargs) -> dict[str, int]:
    """The evaluation workbook of ``jaarschijf`` ('Evaluatie jaarschijf <jaar>')."""
    return write_workbook(
        evaluation_sheets(jaarschijf, **kwargs), target, title=workbook_title(jaarschijf)
    )


def corporations() -> list[Party]:
    """The corporations in the order the parties are sorted: the column order of the sheets."""
    return list(Party.objects.corporations().order_by("sort_order", "name"))


def workbook_title(jaarschijf: Jaarschijf) -> str:
    return f"Evaluatie jaarschijf {jaarschijf.year}"


def evaluation_sheets(
    jaarschijf: Jaarschijf, *, generated_at: datetime | None = None
) -> Iterator[Sheet]:
    """All sheets of the evaluation workbook of ``jaarschijf``, in the agreed order."""
    corps = corporations()
    yield summary_sheet(jaarschijf, corps, generated_at=generated_at or timezone.now())
    yield actions_sheet(jaarschijf)
    yield projects_sheet(Project.objects.filter(jaarschijf=jaarschijf))
    yield labels_sheet(jaarschijf, corps)
    yield bat_sheet(jaarschijf, corps)
    yield indicators_sheet(jaarschijf)
    yield progress_sheet(jaarschijf)


def template_sheets(jaarschijf: Jaarschijf, *, corporation: Party | None = None) -> Iterator[Sheet]:
    """The import template: the two importable sheets, pre-filled with the current rows.

    With ``corporation`` only that corporation's projects and EFG columns are included (the
    template of a corporation's medewerker); the total columns stay the jaarschijf's totals.
    """
    projects = Project.objects.filter(jaarschijf=jaarschijf)
    corps = corporations()
    if corporation is not None:
        projects = projects.filter(corporation=corporation)
        corps = [corporation]
    yield projects_sheet(projects)
    yield labels_sheet(jaarschijf, corps)
    yield instructions_sheet(jaarschijf, corporation)


# --- Samenvatting ------------------------------------------------------------------------


def summary_sheet(jaarschijf: Jaarschijf, corps: list[Party], *, generated_at: datetime) -> Sheet:
    columns = [Column("", width=48, wrap=True)] + [Column("", width=16) for _ in range(7)]
    return Sheet(
        SHEET_SUMMARY,
        columns,
        _summary_rows(jaarschijf, corps, generated_at),
        table=False,
    )


def _summary_rows(jaarschijf, corps, generated_at) -> Iterator[Sequence[Any] | StyledRow]:
    yield StyledRow([workbook_title(jaarschijf)], "title")
    yield ["Jaarschijf", year(jaarschijf.year)]
    yield ["Titel", jaarschijf.title]
    yield ["Status", jaarschijf.get_status_display()]
    yield ["Ondertekend op", jaarschijf.signed_on]
    yield ["Gegenereerd op", generated_at]
    reference = (
        BatStock.objects.filter(jaarschijf=jaarschijf)
        .order_by("-reference_date")
        .values_list("reference_date", flat=True)
        .first()
    )
    yield ["Peildatum BAT-voorraad", reference]
    yield []

    # Actions per theme and status
    statuses = list(ActionStatus)
    yield StyledRow(["Afspraken per thema en status"], "heading")
    yield StyledRow(["Thema", *[s.label for s in statuses], TOTAL], "subheader")
    counts = compare.action_status_counts(
        Action.objects.filter(jaarschijf=jaarschijf), by="theme_id"
    )
    overall = dict.fromkeys(statuses, 0)
    for theme in jaarschijf.themes.order_by("number"):
        per_status = counts.get(theme.pk, {})
        row = [per_status.get(s.value, 0) for s in statuses]
        for s, n in zip(statuses, row, strict=True):
            overall[s] += n
        yield [str(theme), *row, sum(row)]
    yield StyledRow([TOTAL, *overall.values(), sum(overall.values())], "total")
    yield []

    # Headline figures of the document's first page, recomputed from the tables
    yield StyledRow(["Kerncijfers"], "heading")
    yield StyledRow(
        ["Kerncijfer", "Rubriek", "Berekend", "In het document", "Verschil", "Opmerking"],
        "subheader",
    )
    for item in headline_figures(jaarschijf):
        figure, computed = item["figure"], item["computed"]
        difference = (
            computed - figure.printed_value
            if computed is not None and figure.printed_value is not None
            else None
        )
        remark = "Onvolledig: niet alle doelen zijn bekend." if item["incomplete"] else ""
        if computed is None and figure.source == HeadlineFigure.Source.NONE:
            remark = "Niet te berekenen uit de tabellen."
        yield [figure.label, figure.theme_label, computed, figure.printed_value, difference, remark]
    yield []

    # Projects per category
    yield StyledRow(["Projecten per categorie"], "heading")
    yield StyledRow(
        [
            "Categorie",
            "Projecten",
            "Projecten gerealiseerd",
            "Woningen gepland",
            "Woningen gerealiseerd",
        ],
        "subheader",
    )
    figures = compare.project_figures(Project.objects.filter(jaarschijf=jaarschijf), by=None)
    totals = {"projects": 0, "completed": 0, "planned": None, "realised": None}
    for category in ProjectCategory:
        row = figures.get(category.value, compare.EMPTY_PROJECT_FIGURES)
        for key in totals:
            totals[key] = _add(totals[key], row[key])
        yield [
            category.label,
            row["projects"],
            row["completed"],
            row["planned"],
            row["realised"],
        ]
    yield StyledRow(
        [
            TOTAL,
            totals["projects"],
            totals["completed"],
            totals["planned"],
            totals["realised"],
        ],
        "total",
    )
    yield ["Een als mogelijk dubbel gemarkeerde projectrij telt eenmaal mee."]
    yield []

    # EFG total per year
    yield StyledRow(["EFG-labels per jaar (alle corporaties)"], "heading")
    yield StyledRow(["Jaar", "Doel totaal", "Realisatie totaal", "Doel onbekend voor"], "subheader")
    unknown = _unknown_targets(jaarschijf)
    for row in EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).totals_per_year():
        yield [
            year(row["year"]),
            row["target_total"],
            row["realised_total"],
            ", ".join(unknown.get(row["year"], [])),
        ]
    yield ["Een totaal telt de bekende doelen op; 'Doel onbekend voor' noemt wat ontbreekt."]


def _unknown_targets(jaarschijf) -> dict[int, list[str]]:
    unknown: dict[int, list[str]] = {}
    rows = (
        EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf, target__isnull=True)
        .select_related("corporation")
        .order_by("year", "corporation__sort_order")
    )
    for figure in rows:
        unknown.setdefault(figure.year, []).append(figure.corporation.label)
    return unknown


def _add(total, value):
    if value is None:
        return total
    return value if total is None else total + value


# --- Afspraken ---------------------------------------------------------------------------


def actions_sheet(jaarschijf: Jaarschijf) -> Sheet:
    rows = action_rows(Action.objects.filter(jaarschijf=jaarschijf), evaluation=True)
    return Sheet(SHEET_ACTIONS, AFSPRAKEN_COLUMNS, rows)


# --- Projecten ---------------------------------------------------------------------------


def category_order():
    """Sort by the categories' order of the document, not alphabetically."""
    return Case(
        *[When(category=c.value, then=Value(i)) for i, c in enumerate(ProjectCategory)],
        default=Value(99),
        output_field=IntegerField(),
    )


def ordered_projects(projects):
    return (
        projects.select_related("corporation")
        .annotate(category_rank=category_order())
        .order_by("category_rank", "position", "pk")
    )


def projects_sheet(projects) -> Sheet:
    return Sheet(SHEET_PROJECTS, PROJECT_COLUMNS, _project_rows(projects))


PROJECT_ROW_FIELDS = (
    "category",
    "name",
    "neighbourhood",
    "corporation__short_name",
    "corporation__name",
    "dwellings_text",
    "dwellings",
    "dwelling_type",
    "bat_class",
    "rent_class",
    "status",
    "realised_dwellings",
    "explanation",
)


def _project_rows(projects) -> Iterator[list[Any]]:
    categories = dict(ProjectCategory.choices)
    statuses = dict(ProjectStatus.choices)
    rows = (
        projects.annotate(category_rank=category_order())
        .order_by("category_rank", "position", "pk")
        .values_list(*PROJECT_ROW_FIELDS)
    )
    for (
        category,
        name,
        neighbourhood,
        short_name,
        corporation,
        dwellings_text,
        dwellings,
        dwelling_type,
        bat_class,
        rent_class,
        status,
        realised,
        explanation,
    ) in rows.iterator(chunk_size=2000):
        yield [
            categories.get(category, category),
            name,
            neighbourhood or None,
            short_name or corporation,
            dwellings_text or None,
            dwellings,
            dwelling_type or None,
            bat_class or None,
            rent_class or None,
            statuses.get(status, status),
            realised,
            explanation or None,
        ]


# --- EFG-labels --------------------------------------------------------------------------


def label_headers(corps: Iterable[Party]) -> list[str]:
    headers = [LABEL_YEAR_HEADER]
    for corporation in corps:
        headers += [
            f"{corporation.label} {LABEL_TARGET_SUFFIX}",
            f"{corporation.label} {LABEL_REALISED_SUFFIX}",
        ]
    return headers + [f"{TOTAL} {LABEL_TARGET_SUFFIX}", f"{TOTAL} {LABEL_REALISED_SUFFIX}"]


def labels_sheet(jaarschijf: Jaarschijf, corps: list[Party]) -> Sheet:
    names = label_headers(corps)
    columns = [Column(names[0], width=8, number_format=FORMAT_YEAR)] + [
        Column(name, width=max(12, len(name) + 2), number_format=FORMAT_INTEGER)
        for name in names[1:]
    ]
    series = list(range(2, len(names) - 1, 2)) + [len(names) - 1, len(names)]
    chart = LineChartSpec(
        title=f"EFG-labels: traject per corporatie (jaarschijf {jaarschijf.year})",
        y_title="Sociale huurwoningen met label E, F of G",
        x_title="Jaar",
        category_column=1,
        series_columns=series,
    )
    return Sheet(
        SHEET_LABELS, columns, _label_rows(jaarschijf, corps), chart=chart, extra={"corps": corps}
    )


def _label_rows(jaarschijf, corps) -> Iterator[list[Any]]:
    figures = EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).select_related("corporation")
    by_year: dict[int, dict[int, EnergyLabelFigure]] = {}
    for figure in figures:
        by_year.setdefault(figure.year, {})[figure.corporation_id] = figure
    all_corporations = {c.pk: c for c in corporations()}
    for figure_year in sorted(by_year):
        per_corporation = by_year[figure_year]
        row: list[Any] = [figure_year]
        for corporation in corps:
            figure = per_corporation.get(corporation.pk)
            row += [figure.target, figure.realised] if figure else [None, None]
        # The totals are over every corporation, also in a one-corporation template.
        everyone = [per_corporation.get(pk) for pk in all_corporations]
        row.append(_total(everyone, "target", all_corporations, "doel"))
        row.append(_total(everyone, "realised", all_corporations, "realisatie"))
        yield row


def _total(figures, attribute, all_corporations, word):
    known = [getattr(f, attribute) for f in figures if f and getattr(f, attribute) is not None]
    if not known:
        return None
    total = sum(known)
    missing = [
        all_corporations[f.corporation_id].label
        for f in figures
        if f is not None and getattr(f, attribute) is None
    ]
    missing += [
        c.label
        for pk, c in all_corporations.items()
        if all(f is None or f.corporation_id != pk for f in figures)
    ]
    if missing:
        return CellValue(total, f"Onvolledig: geen {word} bekend voor {', '.join(missing)}.")
    return total


# --- BAT-voorraad ------------------------------------------------------------------------


def bat_sheet(jaarschijf: Jaarschijf, corps: list[Party]) -> Sheet:
    columns = (
        [Column("Categorie", width=12)]
        + [
            Column(c.label, width=max(12, len(c.label) + 2), number_format=FORMAT_INTEGER)
            for c in corps
        ]
        + [Column(TOTAL, width=12, number_format=FORMAT_INTEGER)]
    )
    return Sheet(SHEET_BAT, columns, _bat_rows(jaarschijf, corps))


def _bat_rows(jaarschijf, corps) -> Iterator[Sequence[Any] | StyledRow]:
    counts = {
        (row.bat_class, row.corporation_id): row.count
        for row in BatStock.objects.filter(jaarschijf=jaarschijf).only(
            "bat_class", "corporation_id", "count"
        )
    }
    column_totals: list[Any] = [None] * len(corps)
    for bat_class in BatStockBatClass:
        row = [counts.get((bat_class.value, c.pk)) for c in corps]
        column_totals = [_add(t, v) for t, v in zip(column_totals, row, strict=True)]
        row_total = None
        for value in row:
            row_total = _add(row_total, value)
        yield [bat_class.value, *row, row_total]
    grand = None
    for value in column_totals:
        grand = _add(grand, value)
    yield StyledRow([TOTAL, *column_totals, grand], "total")


# --- Kengetallen -------------------------------------------------------------------------


def indicators_sheet(jaarschijf: Jaarschijf) -> Sheet:
    return Sheet(SHEET_INDICATORS, INDICATOR_COLUMNS, _indicator_rows(jaarschijf))


def _indicator_rows(jaarschijf) -> Iterator[list[Any]]:
    values = (
        IndicatorValue.objects.filter(indicator__jaarschijf=jaarschijf)
        .order_by(
            "indicator__action__number_major",
            "indicator__action__number_minor",
            "indicator__sort_order",
            "indicator__pk",
            "sort_order",
            "pk",
        )
        .values_list(
            "indicator__name",
            "indicator__action__number",
            "party__short_name",
            "party__name",
            "period",
            "target",
            "realised",
            "indicator__unit",
        )
    )
    for name, number, short_name, party, period, target, realised, unit in values.iterator(
        chunk_size=2000
    ):
        yield [
            name,
            number,
            short_name or party or None,
            period,
            _number(target),
            _number(realised),
            unit or None,
        ]


def _number(value):
    """480.00 is written as 480; a fraction keeps its decimals."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


# --- Voortgang ---------------------------------------------------------------------------


def progress_sheet(jaarschijf: Jaarschijf) -> Sheet:
    return Sheet(SHEET_PROGRESS, PROGRESS_COLUMNS, progress_rows(jaarschijf))


# --- Uitleg (import template) ------------------------------------------------------------


def instructions_sheet(jaarschijf: Jaarschijf, corporation: Party | None) -> Sheet:
    who = f"de rijen van {corporation.label}" if corporation else "alle rijen"
    lines = [
        StyledRow([f"Sjabloon voor de import – jaarschijf {jaarschijf.year}"], "title"),
        [f"Dit sjabloon bevat {who} zoals ze nu in de applicatie staan."],
        [],
        StyledRow(["Wat u kunt wijzigen"], "heading"),
        ["Blad Projecten: de kolommen Status, Gerealiseerd en Toelichting."],
        ["Blad EFG-labels: de kolommen '<corporatie> realisatie'."],
        [],
        StyledRow(["Wat u niet kunt wijzigen"], "heading"),
        [
            "De andere kolommen komen uit de ondertekende jaarschijf. Ze herkennen het project; "
            "een gewijzigde waarde wordt niet overgenomen."
        ],
        ["Voeg geen rijen toe en wijzig de namen van de bladen en de kopregels niet."],
        ["Formules worden geweigerd: typ de waarden zelf in."],
        [],
        StyledRow(["Toegestane statussen van een project"], "heading"),
        *[[label] for label in ProjectStatus.labels],
        [],
        [
            "Na het uploaden ziet u eerst welke wijzigingen worden doorgevoerd; pas na uw "
            "bevestiging worden ze opgeslagen. Bevat één rij een fout, dan wordt niets opgeslagen."
        ],
    ]
    return Sheet(SHEET_INSTRUCTIONS, [Column("", width=100, wrap=True)], lines, table=False)
