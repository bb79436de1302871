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
    Comparator,
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
from core.figures import Total
from core.workbook import (
    FORMAT_INTEGER,
    FORMAT_TEXT,
    FORMAT_YEAR,
    BarChartSpec,
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
from overview.sustainability_views import efg_figures, load_trajectory
from projects.models import (
    CountState,
    Project,
    ProjectBreakdown,
    ProjectBreakdownKind,
    ProjectCategory,
    ProjectStatus,
)
from sustainability.models import (
    BatStock,
    BatStockBatClass,
    EnergyLabelFigure,
    figure_kind_label,
    totals_per_year_of,
)

from . import compare
from .vaststelling import vaststelling_state
from .verdicts import VERDICT_SERIES, tally_sentence, verdict_tallies

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
#: Read-only columns after the importable ones: the document's meaning of each row.
PROJECT_INFO_COLUMNS = (
    Column("Vergelijking woningen", width=12),
    Column("Aantal van toepassing", width=14, wrap=True),
    Column("Woningen na samenvoegen/splitsen", width=16, number_format=FORMAT_INTEGER),
    Column("Omschrijving", width=60, wrap=True),
    Column("BAT-uitsplitsing", width=22, wrap=True),
    Column("Huurklasse-uitsplitsing", width=28, wrap=True),
    Column("Verwachte oplevering", width=12),
    Column("Mogelijk dubbel met", width=30, wrap=True),
    Column("Opmerking bij de bron", width=60, wrap=True),
)
#: The comparator is its own column beside its number; the number stays a number.
INDICATOR_COLUMNS = (
    Column("Kengetal", width=45, wrap=True),
    Column("Afspraak", width=10, number_format=FORMAT_TEXT),
    Column("Partij", width=18),
    Column("Periode", width=10, number_format=FORMAT_TEXT),
    Column("Vergelijking doel", width=12),
    Column("Doel", width=11),
    Column("Status doel", width=18),
    Column("Soort doel", width=18),
    Column("Vergelijking realisatie", width=12),
    Column("Realisatie", width=11),
    Column("Eenheid", width=14),
    Column("Gehaald?", width=24, wrap=True),
    Column("Toelichting realisatie", width=40, wrap=True),
    Column("In het document", width=50, wrap=True),
    Column("Toelichting kengetal", width=50, wrap=True),
)
ACTION_HEADERS = headers(AFSPRAKEN_COLUMNS)
PROJECT_HEADERS = headers(PROJECT_COLUMNS)
PROJECT_INFO_HEADERS = headers(PROJECT_INFO_COLUMNS)
INDICATOR_HEADERS = headers(INDICATOR_COLUMNS)
PROGRESS_HEADERS = headers(PROGRESS_COLUMNS)
LABEL_YEAR_HEADER = "Jaar"
LABEL_TARGET_SUFFIX = "doel"
LABEL_REALISED_SUFFIX = "realisatie"
#: Computed columns after the totals of the EFG sheet; the importer never reads them.
LABEL_INFO_HEADERS = (
    "Soort",
    "Totaal doel bekend",
    "Totaal realisatie gemeld",
    "Doel van de corporaties die realisatie meldden",
)
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
    # The EFG figures and the BAT stock serve both the Samenvatting and their own sheet: read
    # once (a few dozen rows each).
    labels = list(efg_figures(jaarschijf))
    stock = bat_stock(jaarschijf)
    yield summary_sheet(
        jaarschijf,
        corps,
        generated_at=generated_at or timezone.now(),
        labels=labels,
        stock=stock,
    )
    yield actions_sheet(jaarschijf)
    yield projects_sheet(Project.objects.filter(jaarschijf=jaarschijf))
    yield labels_sheet(jaarschijf, corps, everyone=corps, figures=labels)
    yield bat_sheet(jaarschijf, corps, stock=stock)
    yield indicators_sheet(jaarschijf)
    yield progress_sheet(jaarschijf)


def template_sheets(jaarschijf: Jaarschijf, *, corporation: Party | None = None) -> Iterator[Sheet]:
    """The import template: the two importable sheets, pre-filled with the current rows.

    With ``corporation`` only that corporation's projects and EFG columns are included (the
    template of a corporation's medewerker); the total columns stay the jaarschijf's totals.
    """
    projects = Project.objects.filter(jaarschijf=jaarschijf)
    everyone = corps = corporations()
    if corporation is not None:
        projects = projects.filter(corporation=corporation)
        corps = [corporation]
    yield projects_sheet(projects)
    yield labels_sheet(jaarschijf, corps, everyone=everyone)
    yield instructions_sheet(jaarschijf, corporation)


# --- Samenvatting ------------------------------------------------------------------------


#: Rows of the Samenvatting before the verdict tally: title, eight facts, an empty row.
SUMMARY_HEAD_ROWS = 10


def summary_sheet(
    jaarschijf: Jaarschijf,
    corps: list[Party],
    *,
    generated_at: datetime,
    labels: list[EnergyLabelFigure] | None = None,
    stock: list[BatStock] | None = None,
) -> Sheet:
    """The Samenvatting; ``labels`` (``efg_figures()``) and ``stock`` (:func:`bat_stock`) are
    read when not given."""
    if labels is None:
        labels = list(efg_figures(jaarschijf))
    if stock is None:
        stock = bat_stock(jaarschijf)
    columns = [Column("", width=48, wrap=True)] + [Column("", width=16) for _ in range(7)]
    per_theme, per_lead, overall = verdict_tallies(Action.objects.filter(jaarschijf=jaarschijf))
    # The tally's heading, its header row, one row per theme: the chart reads those rows.
    header_row = SUMMARY_HEAD_ROWS + 2
    chart = (
        BarChartSpec(
            title="Oordeel van het kernteam per thema",
            header_row=header_row,
            first_row=header_row + 1,
            last_row=header_row + len(per_theme),
            category_column=1,
            series_columns=range(2, 2 + len(VERDICT_SERIES)),
            anchor=f"A{header_row + len(per_theme) + len(per_lead) + 8}",
            y_title="Afspraken",
        )
        if per_theme
        else None
    )
    return Sheet(
        SHEET_SUMMARY,
        columns,
        _summary_rows(
            jaarschijf, corps, generated_at, (per_theme, per_lead, overall), labels, stock
        ),
        table=False,
        chart=chart,
    )


def _summary_rows(
    jaarschijf, corps, generated_at, verdicts, label_figures, stock
) -> Iterator[Sequence[Any] | StyledRow]:
    yield StyledRow([workbook_title(jaarschijf)], "title")
    yield ["Jaarschijf", year(jaarschijf.year)]
    yield ["Titel", jaarschijf.title]
    yield ["Status", jaarschijf.get_status_display()]
    yield ["Ondertekend op", jaarschijf.signed_on]
    yield ["Gegenereerd op", generated_at]
    yield ["Peildatum BAT-voorraad", max((row.reference_date for row in stock), default=None)]
    yield ["Vaststelling door de partijen", vaststelling_state(jaarschijf).summary]
    yield ["Oordeel van het kernteam", tally_sentence(verdicts[2])]
    yield []

    # The kernteam's verdicts: per theme (with the chart below), per lead party
    per_theme, per_lead, overall = verdicts
    labels = [series.label for series in VERDICT_SERIES]
    yield StyledRow(["Oordeel van het kernteam per thema (laatste evaluatie)"], "heading")
    yield StyledRow(["Thema", *labels, TOTAL], "subheader")
    for row in per_theme:
        yield [row.label, *row.cells(), row.total]
    yield StyledRow([TOTAL, *overall.cells(), overall.total], "total")
    yield []
    yield StyledRow(
        ["Oordeel per trekker (een afspraak met twee trekkers telt bij beide)"], "heading"
    )
    yield StyledRow(["Trekker", *labels, TOTAL], "subheader")
    for row in per_lead:
        yield [row.label, *row.cells(), row.total]
    yield []
    # The chart of the tally per theme stands here (rows kept free for it).
    yield from ([] for _ in range(20))

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
    for item in headline_figures(jaarschijf, efg_totals=totals_per_year_of(label_figures)):
        figure, computed = item["figure"], item["computed"]
        difference = (
            computed - figure.printed_value
            if computed is not None and figure.printed_value is not None
            else None
        )
        remark = item["completeness"]
        if computed is not None and computed == figure.printed_value:
            remark = f"{remark} Berekend = document.".strip()
        if computed is None and figure.source == HeadlineFigure.Source.NONE:
            remark = "Niet te berekenen uit de tabellen."
        yield [figure.label, figure.theme_label, computed, figure.printed_value, difference, remark]
    yield []

    # Projects per category, every sum with how many of its rows were known
    yield StyledRow(["Projecten per categorie"], "heading")
    yield StyledRow(
        [
            "Categorie",
            "Projecten",
            "Projecten gerealiseerd",
            "Vergelijking gepland",
            "Woningen gepland",
            "Gepland bekend",
            "Woningen gerealiseerd",
            "Gerealiseerd gemeld",
        ],
        "subheader",
    )
    figures = compare.project_figures(Project.objects.filter(jaarschijf=jaarschijf), by=None)
    projects, completed = 0, 0
    planned, realised = Total.empty(), Total.empty()
    for category in ProjectCategory:
        row = figures.get(category.value)
        if row is None:
            yield [category.label, 0, 0, None, None, None, None, None]
            continue
        projects += row["projects"]
        completed += row["completed"]
        planned += row["planned_total"]
        realised += row["realised_total"]
        yield [
            category.label,
            row["projects"],
            row["completed"],
            _comparator_label(row["planned_total"]),
            row["planned"],
            _planned_remark(row["planned_total"]),
            row["realised"],
            row["realised_total"].completeness("gemeld"),
        ]
    yield StyledRow(
        [
            TOTAL,
            projects,
            completed,
            _comparator_label(planned),
            planned.value,
            _planned_remark(planned),
            realised.value,
            realised.completeness("gemeld"),
        ],
        "total",
    )
    yield ["Een als mogelijk dubbel gemarkeerde projectrij telt eenmaal mee."]
    yield [
        "Een som telt de bekende aantallen op; 'bekend' zegt van hoeveel projecten het aantal "
        "bekend is ('Geen' telt als 0, 'Onbekend' niet; 'N.v.t.' telt niet als onbekend en niet "
        "als 0 en staat apart). 'Vergelijking gepland' zegt of de som exact is, bij benadering "
        "(een aantal is circa of ruim) of een ondergrens (een aantal is minimaal, zoals '+65')."
    ]
    yield []

    # EFG total per year: the stand before the jaarschijf, then targets; a realisation only
    # beside the target of the corporations that reported it
    yield StyledRow(["EFG-labels per jaar (alle corporaties)"], "heading")
    yield StyledRow(
        [
            "Jaar",
            "Soort",
            "Stand of doel totaal",
            "Bekend",
            "Doel onbekend voor",
            "Realisatie gemeld",
            "Realisatie totaal",
            "Doel van dezelfde corporaties",
        ],
        "subheader",
    )
    trajectory = load_trajectory(jaarschijf, figures=label_figures)
    for total in trajectory.totals:
        missing = [
            row.corporation.label
            for row in trajectory.rows
            if row.goal_cell(total.year).target is None
        ]
        yield [
            year(total.year),
            total.kind_label,
            total.target.value,
            total.target.completeness(),
            ", ".join(missing) or None,
            total.realised.completeness("corporaties"),
            total.realised.value,
            total.reported_target.value,
        ]
    yield [
        "Een totaal telt de bekende waarden op; 'Bekend' en 'Realisatie gemeld' zeggen over "
        "hoeveel corporaties het gaat. Jaren voor de jaarschijf zijn de gemeten stand "
        "(peildatum), geen doel."
    ]
    if trajectory.contradiction is not None:
        yield [trajectory.contradiction.text]


def _comparator_label(total: Total) -> str | None:
    """'exact', 'circa', 'minimaal' … for a sum; None where nothing was summed."""
    return None if total.value is None else Comparator(total.comparator).label


def _planned_remark(total: Total) -> str:
    """'35 van 38 bekend, 1 n.v.t.' and, for a sum of inexact numbers, what the sum is."""
    return total.remark or total.completeness()


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
    return Sheet(SHEET_PROJECTS, PROJECT_COLUMNS + PROJECT_INFO_COLUMNS, _project_rows(projects))


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
    "pk",
    "dwellings_comparator",
    "dwellings_state",
    "dwellings_after",
    "description",
    "expected_year",
    "expected_quarter",
    "possible_duplicate_of__name",
    "possible_duplicate_of__corporation__short_name",
    "source_note",
)


def _project_rows(projects) -> Iterator[list[Any]]:
    categories = dict(ProjectCategory.choices)
    statuses = dict(ProjectStatus.choices)
    comparators = dict(Comparator.choices)
    states = {CountState.VAN_TOEPASSING: "ja", CountState.NIET_VAN_TOEPASSING: "n.v.t."}
    rows = (
        projects.annotate(category_rank=category_order())
        .order_by("category_rank", "position", "pk")
        .values_list(*PROJECT_ROW_FIELDS)
    )
    breakdowns = _breakdowns(projects)
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
        pk,
        comparator,
        state,
        after,
        description,
        expected_year,
        expected_quarter,
        duplicate_name,
        duplicate_corporation,
        source_note,
    ) in rows.iterator(chunk_size=2000):
        expected = (
            (f"Q{expected_quarter} {expected_year}" if expected_quarter else year(expected_year))
            if expected_year
            else None
        )
        duplicate = (
            f"{duplicate_name} ({duplicate_corporation}); telt eenmaal" if duplicate_name else None
        )
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
            comparators.get(comparator, comparator) if dwellings is not None else None,
            states.get(state, state),
            after,
            description or None,
            breakdowns.get((pk, ProjectBreakdownKind.BAT)),
            breakdowns.get((pk, ProjectBreakdownKind.RENT)),
            expected,
            duplicate,
            source_note or None,
        ]


def _breakdowns(projects) -> dict[tuple[int, str], str]:
    """'BAT 2: 19; BAT 0: 4' per project and kind (one query for the whole sheet)."""
    texts: dict[tuple[int, str], list[str]] = {}
    rows = ProjectBreakdown.objects.filter(project__in=projects.values("pk")).order_by(
        "project_id", "kind", "position"
    )
    for row in rows.values_list("project_id", "kind", "label", "count", "approximate"):
        project, kind, label, count, approximate = row
        texts.setdefault((project, kind), []).append(
            f"{label}: {'circa ' if approximate else ''}{count}"
        )
    return {key: "; ".join(parts) for key, parts in texts.items()}


# --- EFG-labels --------------------------------------------------------------------------


def label_headers(corps: Iterable[Party]) -> list[str]:
    headers = [LABEL_YEAR_HEADER]
    for corporation in corps:
        headers += [
            f"{corporation.label} {LABEL_TARGET_SUFFIX}",
            f"{corporation.label} {LABEL_REALISED_SUFFIX}",
        ]
    return headers + [f"{TOTAL} {LABEL_TARGET_SUFFIX}", f"{TOTAL} {LABEL_REALISED_SUFFIX}"]


def labels_sheet(
    jaarschijf: Jaarschijf,
    corps: list[Party],
    *,
    everyone: list[Party] | None = None,
    figures: Iterable[EnergyLabelFigure] | None = None,
) -> Sheet:
    """The EFG sheet with the columns of ``corps``; its totals are over ``everyone``, every
    corporation. ``figures`` are the jaarschijf's label figures; both are read when not
    given."""
    names = label_headers(corps)
    columns = (
        [Column(names[0], width=8, number_format=FORMAT_YEAR)]
        + [
            Column(name, width=max(12, len(name) + 2), number_format=FORMAT_INTEGER)
            for name in names[1:]
        ]
        + [
            Column(LABEL_INFO_HEADERS[0], width=18),
            Column(LABEL_INFO_HEADERS[1], width=14),
            Column(LABEL_INFO_HEADERS[2], width=14),
            Column(LABEL_INFO_HEADERS[3], width=18, number_format=FORMAT_INTEGER),
        ]
    )
    # One line per corporation (its stand and targets, and its realisation): never the total
    # over the corporations, whose fall would mostly be the unknown ("t.b.") figures.
    series = list(range(2, len(names) - 2))
    chart = LineChartSpec(
        title=f"EFG-labels: traject per corporatie (jaarschijf {jaarschijf.year})",
        y_title="Sociale huurwoningen met label E, F of G",
        x_title="Jaar",
        category_column=1,
        series_columns=series,
    )
    return Sheet(
        SHEET_LABELS,
        columns,
        _label_rows(
            jaarschijf,
            corps,
            everyone if everyone is not None else corporations(),
            figures,
        ),
        chart=chart,
        extra={"corps": corps},
    )


def _label_rows(jaarschijf, corps, everyone, figures) -> Iterator[list[Any]]:
    if figures is None:
        figures = EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf)
    by_year: dict[int, dict[int, EnergyLabelFigure]] = {}
    for figure in figures:
        by_year.setdefault(figure.year, {})[figure.corporation_id] = figure
    all_corporations = {c.pk: c for c in everyone}
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
        targets = Total.of(f.target if f else None for f in everyone)
        realised = Total.of(f.realised if f else None for f in everyone)
        reported = Total.of(f.target for f in everyone if f and f.realised is not None)
        row += [
            figure_kind_label(figure_year, jaarschijf.year),
            targets.completeness(),
            realised.completeness("gemeld"),
            reported.value,
        ]
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


def bat_stock(jaarschijf: Jaarschijf) -> list[BatStock]:
    """The jaarschijf's BAT stock rows: class, corporation, count and reference date."""
    return list(
        BatStock.objects.filter(jaarschijf=jaarschijf).only(
            "bat_class", "corporation_id", "count", "reference_date"
        )
    )


def bat_sheet(
    jaarschijf: Jaarschijf, corps: list[Party], *, stock: list[BatStock] | None = None
) -> Sheet:
    columns = (
        [Column("Categorie", width=36)]
        + [
            Column(c.label, width=max(12, len(c.label) + 2), number_format=FORMAT_INTEGER)
            for c in corps
        ]
        + [Column(TOTAL, width=12, number_format=FORMAT_INTEGER)]
    )
    return Sheet(SHEET_BAT, columns, _bat_rows(jaarschijf, corps, stock))


def _bat_rows(jaarschijf, corps, stock) -> Iterator[Sequence[Any] | StyledRow]:
    if stock is None:
        stock = bat_stock(jaarschijf)
    counts = {(row.bat_class, row.corporation_id): row.count for row in stock}
    column_totals = [Total.empty()] * len(corps)
    for bat_class in BatStockBatClass:
        row = [counts.get((bat_class.value, c.pk)) for c in corps]
        column_totals = [
            total + Total.of([value]) for total, value in zip(column_totals, row, strict=True)
        ]
        # The document's own name of the class: "Wandelstokgeschikt (BAT1)", not just "BAT1".
        yield [bat_class.label, *row, _with_comment(Total.of(row))]
    grand = sum(column_totals, Total.empty())
    yield StyledRow(
        [TOTAL, *[_with_comment(total) for total in column_totals], _with_comment(grand)],
        "total",
    )


def _with_comment(total: Total):
    """A sum as a number; an incomplete one carries its completeness as a cell comment."""
    if total.complete:
        return total.value
    return CellValue(total.value, f"Onvolledig: {total.completeness()}.")


# --- Kengetallen -------------------------------------------------------------------------


def indicators_sheet(jaarschijf: Jaarschijf) -> Sheet:
    return Sheet(SHEET_INDICATORS, INDICATOR_COLUMNS, _indicator_rows(jaarschijf))


def _indicator_rows(jaarschijf) -> Iterator[list[Any]]:
    values = (
        IndicatorValue.objects.filter(indicator__jaarschijf=jaarschijf)
        .select_related("indicator__action", "party")
        .order_by(
            "indicator__action__number_major",
            "indicator__action__number_minor",
            "indicator__sort_order",
            "indicator__pk",
            "sort_order",
            "pk",
        )
    )
    comparators = dict(Comparator.choices)
    # A jaarschijf's indicator values are bounded by its document: one fetch (see
    # agreements.sheets.action_rows).
    for value in values:
        indicator = value.indicator
        yield [
            indicator.name,
            indicator.action.number,
            value.party.label if value.party_id else None,
            value.period,
            comparators[value.target_comparator] if value.target is not None else None,
            _number(value.target),
            value.get_target_state_display(),
            value.target_qualifier or None,
            comparators[value.realised_comparator] if value.realised is not None else None,
            _number(value.realised),
            indicator.unit or None,
            value.verdict,
            value.realised_note or None,
            value.target_text or None,
            indicator.note or None,
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
