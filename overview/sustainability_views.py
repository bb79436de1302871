"""The sustainability page, and the EFG and BAT tables that the dashboard and party pages share.

The tables are built from the rows as stored; every total is computed here, never typed in.
A target the document leaves open ("t.b.") stays unknown: it is never counted as 0, and a total
that had to leave such a value out says so.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core import charts
from core.access import viewer_required
from core.figures import Total
from core.formats import nl_number
from sustainability.models import BatStock, EnergyLabelFigure, EnergyLabelGoal, EnergyLabelNote
from sustainability.views import entry_url

#: A target the document leaves open ("t.b."): unknown, never 0.
UNDECIDED_HTML = 't.b.<span class="visually-hidden"> (nog te bepalen, onbekend)</span>'
OVER_TARGET_HTML = ' <span class="heerlen-muted">(boven doel)</span>'


@dataclass
class EfgCell:
    year: int
    target: int | None
    realised: int | None
    figure: EnergyLabelFigure | None = None
    #: A year before the jaarschijf's own year: ``target`` holds the measured stand.
    is_stand: bool = False

    @property
    def kind_label(self) -> str:
        return "stand (peildatum)" if self.is_stand else "doel"

    @property
    def on_track(self) -> bool | None:
        """Fewer EFG labels than the target is good; None while either is unknown."""
        if self.is_stand or self.target is None or self.realised is None:
            return None
        return self.realised <= self.target


@dataclass
class EfgRow:
    corporation: object
    cells: list[EfgCell]
    note: str = ""
    #: Where this user enters the realised figures, when they may (see ``with_edit_links``).
    edit_url: str = ""
    chart: str = ""

    @property
    def goal(self) -> EfgCell:
        return self.cells[-1]

    @property
    def verdict(self) -> str:
        """Whether the corporation's own targets reach zero EFG labels in the last year."""
        goal = self.goal
        if goal.target is None:
            return "onbekend"
        return "ja" if goal.target == 0 else "nee"

    def cells_html(self) -> SafeString:
        """The row's target and realisation cells of templates/overview/_efg_table.html,
        written here: the template resolved some twenty variables per cell."""
        parts = []
        for cell in self.cells:
            target = UNDECIDED_HTML if cell.target is None else nl_number(cell.target)
            over = OVER_TARGET_HTML if cell.on_track is False else ""
            parts.append(
                f'<td class="heerlen-num">{target}</td>'
                f'<td class="heerlen-num">{nl_number(cell.realised)}{over}</td>'
            )
        return mark_safe("".join(parts))  # noqa: S308 - numbers and fixed markup only

    def goal_cell(self, year: int) -> EfgCell | None:
        return next((cell for cell in self.cells if cell.year == year), None)

    @property
    def latest_realised(self) -> EfgCell | None:
        known = [cell for cell in self.cells if cell.realised is not None]
        return known[-1] if known else None


@dataclass
class EfgReport:
    """One corporation's figure in a like-for-like comparison."""

    corporation: object
    target: int | None
    realised: int


@dataclass
class EfgTotal:
    """A year's totals over the corporations, each with its completeness.

    ``realised`` is compared only with ``reported_target``: the target of the corporations that
    reported a realisation, never with the target of all corporations.
    """

    year: int
    is_stand: bool
    target: Total
    realised: Total
    reported_target: Total
    reports: list[EfgReport]

    @property
    def corporations(self) -> int:
        return self.target.count

    @property
    def unknown_targets(self) -> int:
        return self.target.unknown

    @property
    def unknown_realised(self) -> int:
        return self.realised.unknown

    @property
    def target_complete(self) -> bool:
        return self.target.complete

    @property
    def realised_any(self) -> bool:
        return self.realised.any_known

    @property
    def kind_label(self) -> str:
        return "stand (peildatum)" if self.is_stand else "doel"

    @property
    def target_completeness(self) -> str:
        return self.target.completeness("bekend")

    @property
    def realised_completeness(self) -> str:
        return self.realised.completeness("gemeld")

    @property
    def reported(self) -> str:
        """'1 van 5 corporaties' reported a realisation."""
        return self.realised.completeness("corporaties")

    @property
    def comparison(self) -> str:
        """Realised against the target of the same corporations, in one Dutch sentence."""
        if not self.realised.any_known:
            return f"{self.year}: nog geen realisatie gemeld (0 van {self.realised.count} corporaties)."
        names = ", ".join(report.corporation.label for report in self.reports)
        target = (
            charts.number(self.reported_target.value)
            if self.reported_target.complete
            else f"{charts.number(self.reported_target.value)} "
            f"({self.reported_target.completeness_text})"
        )
        return (
            f"{self.year}: {self.reported} gemeld ({names}): gerealiseerd "
            f"{charts.number(self.realised.value)} EFG-labels tegen een doel van {target} "
            f"voor dezelfde corporaties."
        )


@dataclass
class EfgContradiction:
    """The document's stated goal against its own table (e.g. 'all labels gone in 2029')."""

    goal_year: int
    quote: str
    rows: list[EfgRow]

    @property
    def text(self) -> str:
        figures = ", ".join(
            f"{charts.number(row.goal_cell(self.goal_year).target)} ({row.corporation.label})"
            for row in self.rows
        )
        return (
            f"Het document spreekt zichzelf tegen: de tekst zegt \u201c{self.quote}\u201d, maar de "
            f"tabel houdt in {self.goal_year} nog {figures} woningen met een EFG-label."
        )


def _completeness_html(text: str) -> str:
    return f' <span class="heerlen-completeness">({conditional_escape(text)})</span>'


@dataclass
class EfgTrajectory:
    years: list[int]
    rows: list[EfgRow]
    totals: list[EfgTotal] = field(default_factory=list)
    contradiction: EfgContradiction | None = None

    @property
    def editable_rows(self) -> list[EfgRow]:
        """The rows whose realisation the viewer may fill in (set by ``with_edit_links``)."""
        return [row for row in self.rows if getattr(row, "edit_url", None)]

    @property
    def goal_year(self) -> int | None:
        return self.years[-1] if self.years else None

    def total_cells_html(self) -> SafeString:
        """The footer's total cells of templates/overview/_efg_table.html (see
        ``EfgRow.cells_html``): each total with its completeness when a value is missing."""
        parts = []
        for total in self.totals:
            target = nl_number(total.target.value) if total.target.any_known else "t.b."
            if not total.target.complete:
                target += _completeness_html(total.target_completeness)
            realised = nl_number(total.realised.value)
            if total.realised.any_known and not total.realised.complete:
                realised += _completeness_html(total.realised_completeness)
            parts.append(
                f'<td class="heerlen-num">{target}</td><td class="heerlen-num">{realised}</td>'
            )
        return mark_safe("".join(parts))  # noqa: S308 - numbers, fixed markup, texts escaped

    @property
    def goal_total(self) -> EfgTotal | None:
        return self.totals[-1] if self.totals else None

    @property
    def stand_years(self) -> list[int]:
        return [total.year for total in self.totals if total.is_stand]

    @property
    def stand_note(self) -> str:
        """Which years hold the measured stand rather than a target, in one sentence."""
        stand = self.stand_years
        if not stand:
            return ""
        first_target = next((t.year for t in self.totals if not t.is_stand), None)
        years = " en ".join(str(year) for year in stand)
        return (
            f"{years}: gemeten stand op peildatum, geen doel; de doelen beginnen in het jaar "
            f"van de jaarschijf{f' ({first_target})' if first_target else ''}."
        )

    @property
    def reported_totals(self) -> list[EfgTotal]:
        return [total for total in self.totals if total.realised.any_known]

    @property
    def unknown_goal_rows(self) -> list[EfgRow]:
        return [row for row in self.rows if row.verdict == "onbekend"]

    @property
    def remaining_rows(self) -> list[EfgRow]:
        return [row for row in self.rows if row.verdict == "nee"]

    @property
    def takeaway(self) -> str:
        """One sentence: do the agreed targets reach zero EFG labels in the goal year?"""
        if not self.rows:
            return "Er zijn voor deze jaarschijf geen EFG-labelcijfers vastgelegd."
        year, total = self.goal_year, self.goal_total
        remaining = self.remaining_rows
        unknown = self.unknown_goal_rows
        reached = [row for row in self.rows if row.verdict == "ja"]
        parts = []
        if remaining:
            names = ", ".join(
                f"{row.corporation.label} {charts.number(row.goal.target)}" for row in remaining
            )
            parts.append(
                f"Volgens de afgesproken doelen hebben in {year} nog "
                f"{'minstens ' if unknown else ''}{charts.number(total.target.value)} woningen een "
                f"EFG-label ({names}; doel {total.target.completeness('corporaties bekend')})"
            )
        elif reached and unknown:
            names = ", ".join(row.corporation.label for row in reached)
            parts.append(
                f"Volgens de bekende doelen zijn er in {year} geen EFG-labels meer bij {names}"
            )
        elif not unknown:
            parts.append(f"Volgens de afgesproken doelen zijn er in {year} geen EFG-labels meer")
        if unknown:
            names = ", ".join(row.corporation.label for row in unknown)
            parts.append(f"het doel voor {year} is nog onbekend (t.b.) voor {names}")
        sentence = "; ".join(parts)
        return sentence[:1].upper() + sentence[1:] + "."


def efg_trajectory(figures, notes=None, goal=None) -> EfgTrajectory:
    """The EFG table per corporation × year from label figures (corporation and jaarschijf
    preloaded), with like-for-like totals per year.

    Totals are computed from the same rows (no second query); every total carries how many
    corporations it covers. ``goal`` is the jaarschijf's ``EnergyLabelGoal`` if it has one.
    """
    figures = list(figures)
    notes = notes or {}
    years = sorted({figure.year for figure in figures})
    own_year = figures[0].jaarschijf.year if figures else None
    by_corporation: dict[int, dict] = {}
    corporations = {}
    for figure in figures:
        corporations.setdefault(figure.corporation_id, figure.corporation)
        by_corporation.setdefault(figure.corporation_id, {})[figure.year] = figure
    rows = []
    for corporation_id, corporation in corporations.items():
        per_year = by_corporation[corporation_id]
        cells = [
            EfgCell(
                year=year,
                target=per_year[year].target if year in per_year else None,
                realised=per_year[year].realised if year in per_year else None,
                figure=per_year.get(year),
                is_stand=year < own_year,
            )
            for year in years
        ]
        rows.append(
            EfgRow(corporation=corporation, cells=cells, note=notes.get(corporation_id, ""))
        )
    totals = []
    for index, year in enumerate(years):
        pairs = [(row.corporation, row.cells[index]) for row in rows]
        reports = [
            EfgReport(corporation, cell.target, cell.realised)
            for corporation, cell in pairs
            if cell.realised is not None
        ]
        totals.append(
            EfgTotal(
                year=year,
                is_stand=year < own_year,
                target=Total.of(cell.target for _c, cell in pairs),
                realised=Total.of(cell.realised for _c, cell in pairs),
                reported_target=Total.of(report.target for report in reports),
                reports=reports,
            )
        )
    contradiction = None
    if goal is not None and goal.year in years:
        over = [
            row
            for row in rows
            if (cell := row.goal_cell(goal.year)) is not None
            and cell.target is not None
            and cell.target > goal.remaining
        ]
        if over:
            contradiction = EfgContradiction(goal_year=goal.year, quote=goal.quote, rows=over)
    return EfgTrajectory(years=years, rows=rows, totals=totals, contradiction=contradiction)


def with_edit_links(trajectory: EfgTrajectory, user, jaarschijf) -> EfgTrajectory:
    """Set ``edit_url`` on the rows whose figures the user may update (rules, no query)."""

    if not user.is_authenticated:
        return trajectory
    for row in trajectory.rows:
        figure = next((cell.figure for cell in row.cells if cell.figure is not None), None)
        if figure is not None and user.has_perm("sustainability.update_labelfigure", figure):
            row.edit_url = entry_url(row.corporation, jaarschijf)
    return trajectory


def efg_figures(jaarschijf, corporation=None):
    figures = EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).select_related(
        "corporation", "jaarschijf__label_goal"
    )
    if corporation is not None:
        figures = figures.filter(corporation=corporation)
    return figures.order_by("corporation__sort_order", "corporation__name", "year")


STAND_SERIES = charts.Series("stand", "Stand op peildatum (gemeten)", "grijs", "dots", "")
TARGET_SERIES = charts.Series("target", "Doel (t.b. = nog niet bekend)", "petrol", "hatch", "t.b.")
REPORTED_TARGET_SERIES = charts.Series(
    "reported_target", "Doel van dezelfde corporaties", "blauw", "backhatch", ""
)
REALISED_SERIES = charts.Series("realised", "Gerealiseerd", colour="oranje", unknown="")
EFG_SERIES = [STAND_SERIES, TARGET_SERIES, REPORTED_TARGET_SERIES, REALISED_SERIES]
EFG_ROW_SERIES = [STAND_SERIES, TARGET_SERIES, REALISED_SERIES]


def efg_chart(trajectory: EfgTrajectory, *, uid: str = "efg-totaal", fitting: bool = False):
    """Columns per year: the measured stand before the jaarschijf, then the target of all
    corporations and, where some reported, their realisation beside the target of the same
    corporations. Under each year: how many corporations each total covers. ``fitting``: both
    layouts, for a page (``charts.fitting_columns``)."""
    if not trajectory.rows:
        return ""
    values, sublabels = {}, {}
    for total in trajectory.totals:
        key = str(total.year)
        if total.is_stand:
            values[key] = {"stand": total.target.value}
            sublabels[key] = [f"stand {total.target.completeness('')}".strip()]
            continue
        values[key] = {"target": total.target.value}
        sublabels[key] = [f"doel {total.target.completeness('')}".strip()]
        if total.realised.any_known:
            values[key] |= {
                "reported_target": total.reported_target.value,
                "realised": total.realised.value,
            }
            sublabels[key].append(f"gemeld {total.realised.completeness('')}".strip())
    draw = charts.fitting_columns if fitting else charts.columns
    return draw(
        [str(year) for year in trajectory.years],
        values,
        EFG_SERIES,
        uid=uid,
        title=trajectory.takeaway,
        sublabels=sublabels,
    )


def efg_row_chart(row: EfgRow, *, uid: str):
    """The trajectory of one corporation: its stand, its targets and its realisations."""
    values = {
        str(cell.year): {"stand": cell.target}
        if cell.is_stand
        else {"target": cell.target, "realised": cell.realised}
        for cell in row.cells
    }
    return charts.fitting_columns(
        [str(cell.year) for cell in row.cells],
        values,
        EFG_ROW_SERIES,
        uid=uid,
        title=f"EFG-labels {row.corporation.label}: stand, doel en realisatie per jaar",
        width=640,
        height=260,
    )


def load_trajectory(jaarschijf, corporation=None, notes=None, figures=None) -> EfgTrajectory:
    """The jaarschijf's EFG trajectory with its stated goal, in one query (none when the caller
    passes the ``efg_figures`` rows it already loaded)."""
    if figures is None:
        figures = list(efg_figures(jaarschijf, corporation))
    goal = None
    if figures:
        try:
            goal = figures[0].jaarschijf.label_goal  # selected with the figures: no query
        except EnergyLabelGoal.DoesNotExist:
            goal = None
    return efg_trajectory(figures, notes, goal=goal)


#: The names ``efg_context`` gives a page.
EFG_CONTEXT = ("efg", "efg_chart")


def efg_context(
    jaarschijf, user, *, corporation=None, notes=False, uid="efg-totaal", figures=None
) -> dict:
    """What the EFG section of a page needs: the trajectory with its like-for-like totals, the
    total chart and one small chart per corporation."""
    texts = (
        {
            note.corporation_id: note.text
            for note in EnergyLabelNote.objects.filter(jaarschijf=jaarschijf)
        }
        if notes
        else {}
    )
    trajectory = with_edit_links(
        load_trajectory(jaarschijf, corporation, texts, figures), user, jaarschijf
    )
    for row in trajectory.rows:
        row.chart = efg_row_chart(row, uid=f"{uid}-{row.corporation.slug}")
    return {"efg": trajectory, "efg_chart": efg_chart(trajectory, uid=uid, fitting=True)}


@dataclass
class BatTable:
    classes: list[tuple[str, str]]
    corporations: list
    counts: dict  # (corporation id, class) -> count
    reference_date: object

    def row(self, corporation) -> list[int | None]:
        return [self.counts.get((corporation.pk, code)) for code, _label in self.classes]

    @property
    def rows(self):
        return [
            (corporation, self.row(corporation), self.corporation_total(corporation))
            for corporation in self.corporations
        ]

    def corporation_total(self, corporation) -> Total:
        """The corporation's dwellings over the classes; a class without a figure is unknown."""
        return Total.of(self.row(corporation))

    @property
    def class_totals(self) -> list[Total]:
        return [
            Total.of(self.counts.get((c.pk, code)) for c in self.corporations)
            for code, _label in self.classes
        ]

    @property
    def grand_total(self) -> Total:
        return sum(self.class_totals, Total.empty())

    @property
    def takeaway(self) -> str:
        if not self.corporations:
            return "Er is voor deze jaarschijf geen BAT-voorraad vastgelegd."
        totals = [total.value or 0 for total in self.class_totals]
        biggest = max(range(len(totals)), key=lambda index: totals[index])
        grand = self.grand_total
        who = (
            f"{self.corporations[0].name} heeft"
            if len(self.corporations) == 1
            else "De corporaties hebben samen"
        )
        return (
            f"{who} {charts.number(grand.value)} woningen met een "
            f"BAT-klasse{'' if grand.complete else f' ({grand.completeness_text})'}; de meeste "
            f"in {self.classes[biggest][0]} ({charts.number(totals[biggest])})."
        )

    def chart(self, *, uid="bat-voorraad", fitting=False):
        """The stacked bars per corporation; ``fitting``: both layouts, for a page
        (``charts.fitting_bars``)."""
        if not self.corporations:
            return ""
        series = [
            charts.Series(code, label, colour=colour, pattern=pattern)
            for (code, label), (colour, pattern) in zip(
                self.classes,
                [
                    ("petrol", "solid"),
                    ("groen", "hatch"),
                    ("oranje", "dots"),
                    ("blauw", "backhatch"),
                ],
                strict=False,
            )
        ]
        rows = [
            (corporation.label, dict(zip([c for c, _ in self.classes], values, strict=True)))
            for corporation, values, _total in self.rows
        ]
        draw = charts.fitting_bars if fitting else charts.horizontal_bars
        return draw(rows, series, uid=uid, title=self.takeaway, stacked=True)


def bat_table(jaarschijf, corporation=None) -> BatTable:
    stock = BatStock.objects.filter(jaarschijf=jaarschijf).select_related("corporation")
    if corporation is not None:
        stock = stock.filter(corporation=corporation)
    stock = list(stock.order_by("corporation__sort_order", "corporation__name", "bat_class"))
    corporations = list({row.corporation_id: row.corporation for row in stock}.values())
    counts = {(row.corporation_id, row.bat_class): row.count for row in stock}
    dates = {row.reference_date for row in stock}
    return BatTable(
        classes=list(BatStock.BatClass.choices),
        corporations=corporations,
        counts=counts,
        reference_date=min(dates) if len(dates) == 1 else None,
    )


@viewer_required
def sustainability(request):
    jaarschijf = request.jaarschijf
    context = {
        "nav_active": "duurzaamheid",
        "breadcrumbs": [("Dashboard", reverse("overview:dashboard")), ("Duurzaamheid", "")],
    }
    if jaarschijf is not None:
        context |= efg_context(jaarschijf, request.user, notes=True)
        bat = bat_table(jaarschijf)
        context |= {
            "bat": bat,
            "bat_chart": bat.chart(fitting=True),
        }
    return render(request, "overview/sustainability.html", context)
