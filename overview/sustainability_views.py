"""The sustainability page, and the EFG and BAT tables that the dashboard and party pages share.

The tables are built from the rows as stored; every total is computed here, never typed in.
A target the document leaves open ("t.b.") stays unknown: it is never counted as 0, and a total
that had to leave such a value out says so.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.urls import reverse

from core import charts
from core.access import viewer_required
from sustainability.models import BatStock, EnergyLabelFigure, EnergyLabelNote
from sustainability.views import entry_url


@dataclass
class EfgCell:
    year: int
    target: int | None
    realised: int | None
    figure: EnergyLabelFigure | None = None

    @property
    def on_track(self) -> bool | None:
        """Fewer EFG labels than the target is good; None while either is unknown."""
        if self.target is None or self.realised is None:
            return None
        return self.realised <= self.target


@dataclass
class EfgRow:
    corporation: object
    cells: list[EfgCell]
    note: str = ""
    #: Where this user enters the realised figures, when they may (see ``with_edit_links``).
    edit_url: str = ""

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

    @property
    def latest_realised(self) -> EfgCell | None:
        known = [cell for cell in self.cells if cell.realised is not None]
        return known[-1] if known else None


@dataclass
class EfgTotal:
    year: int
    target: int
    realised: int
    unknown_targets: int
    unknown_realised: int
    corporations: int

    @property
    def target_complete(self) -> bool:
        return self.unknown_targets == 0

    @property
    def realised_any(self) -> bool:
        return self.unknown_realised < self.corporations


@dataclass
class EfgTrajectory:
    years: list[int]
    rows: list[EfgRow]
    totals: list[EfgTotal] = field(default_factory=list)

    @property
    def editable_rows(self) -> list[EfgRow]:
        """The rows whose realisation the viewer may fill in (set by ``with_edit_links``)."""
        return [row for row in self.rows if getattr(row, "edit_url", None)]

    @property
    def goal_year(self) -> int | None:
        return self.years[-1] if self.years else None

    @property
    def goal_total(self) -> EfgTotal | None:
        return self.totals[-1] if self.totals else None

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
                f"{'minstens ' if unknown else ''}{charts.number(total.target)} woningen een "
                f"EFG-label ({names})"
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


def efg_trajectory(figures, notes=None) -> EfgTrajectory:
    """The EFG table per corporation × year from label figures (corporation preloaded).

    Totals are computed from the same rows (no second query); a year whose total leaves out
    unknown values counts them in ``unknown_targets`` / ``unknown_realised``.
    """
    figures = list(figures)
    notes = notes or {}
    years = sorted({figure.year for figure in figures})
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
            )
            for year in years
        ]
        rows.append(
            EfgRow(corporation=corporation, cells=cells, note=notes.get(corporation_id, ""))
        )
    totals = []
    for index, year in enumerate(years):
        cells = [row.cells[index] for row in rows]
        totals.append(
            EfgTotal(
                year=year,
                target=sum(cell.target for cell in cells if cell.target is not None),
                realised=sum(cell.realised for cell in cells if cell.realised is not None),
                unknown_targets=sum(1 for cell in cells if cell.target is None),
                unknown_realised=sum(1 for cell in cells if cell.realised is None),
                corporations=len(cells),
            )
        )
    return EfgTrajectory(years=years, rows=rows, totals=totals)


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
        "corporation", "jaarschijf"
    )
    if corporation is not None:
        figures = figures.filter(corporation=corporation)
    return figures.order_by("corporation__sort_order", "corporation__name", "year")


EFG_SERIES = [
    charts.Series(
        "target", "Doel (afgesproken; t.b. = nog niet bekend)", "petrol", "hatch", "t.b."
    ),
    charts.Series("realised", "Gerealiseerd", colour="oranje", pattern="solid", unknown=""),
]


def efg_chart(trajectory: EfgTrajectory, *, uid: str = "efg-totaal"):
    """Columns per year of the total target and realisation; '*' marks incomplete totals."""
    if not trajectory.rows:
        return ""
    values = {
        str(total.year): {
            "target": total.target if total.unknown_targets < total.corporations else None,
            "realised": total.realised if total.realised_any else None,
        }
        for total in trajectory.totals
    }
    incomplete = {str(t.year) for t in trajectory.totals if 0 < t.unknown_targets}
    return charts.columns(
        [str(year) for year in trajectory.years],
        values,
        EFG_SERIES,
        uid=uid,
        title=trajectory.takeaway,
        incomplete=incomplete,
    )


def efg_row_chart(row: EfgRow, *, uid: str):
    """The trajectory of one corporation."""
    values = {
        str(cell.year): {"target": cell.target, "realised": cell.realised} for cell in row.cells
    }
    return charts.columns(
        [str(cell.year) for cell in row.cells],
        values,
        EFG_SERIES,
        uid=uid,
        title=f"EFG-labels {row.corporation.label}: doel en realisatie per jaar",
    )


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

    def corporation_total(self, corporation) -> int | None:
        values = [value for value in self.row(corporation) if value is not None]
        return sum(values) if values else None

    @property
    def class_totals(self) -> list[int]:
        return [
            sum(self.counts.get((c.pk, code)) or 0 for c in self.corporations)
            for code, _label in self.classes
        ]

    @property
    def grand_total(self) -> int:
        return sum(self.class_totals)

    @property
    def takeaway(self) -> str:
        if not self.corporations:
            return "Er is voor deze jaarschijf geen BAT-voorraad vastgelegd."
        totals = self.class_totals
        biggest = max(range(len(totals)), key=lambda index: totals[index])
        who = (
            f"{self.corporations[0].name} heeft"
            if len(self.corporations) == 1
            else "De corporaties hebben samen"
        )
        return (
            f"{who} {charts.number(self.grand_total)} woningen met een "
            f"BAT-klasse; de meeste in {self.classes[biggest][0]} "
            f"({charts.number(totals[biggest])})."
        )

    def chart(self, *, uid="bat-voorraad"):
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
        return charts.horizontal_bars(rows, series, uid=uid, title=self.takeaway, stacked=True)


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
        notes = {
            note.corporation_id: note.text
            for note in EnergyLabelNote.objects.filter(jaarschijf=jaarschijf)
        }
        trajectory = with_edit_links(
            efg_trajectory(efg_figures(jaarschijf), notes), request.user, jaarschijf
        )
        bat = bat_table(jaarschijf)
        context |= {
            "efg": trajectory,
            "efg_chart": efg_chart(trajectory),
            "bat": bat,
            "bat_chart": bat.chart(),
        }
    return render(request, "overview/sustainability.html", context)
