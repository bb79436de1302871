"""Figures that can be compared across jaarschijven, computed in the database.

Each function takes a QuerySet (so callers decide which jaarschijven or which part of one) and
groups by a field path (``by``, default the jaarschijf's year); a query per function however
many jaarschijven or rows there are. :func:`comparison` assembles the table of the
"Vergelijken" page from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from agreements.models import Action, ActionStatus, Jaarschijf, ProgressUpdate
from core.formats import nl_number
from projects.models import Project, ProjectCategory, ProjectStatus, with_completeness
from sustainability.models import EnergyLabelFigure

EMPTY_PROJECT_FIGURES = {"projects": 0, "completed": 0, "planned": None, "realised": None}


def action_status_counts(actions, *, by: str | None = "jaarschijf__year") -> dict:
    """``{group: {status: number of actions}}`` by the current status (latest update).

    An action without updates counts as niet gestart, as everywhere else. With ``by=None``
    the result is ``{status: number}``.
    """
    keys = [by] if by else []
    rows = actions.with_progress().values(*keys, "current_status").annotate(n=Count("pk"))
    result: dict = {}
    for row in rows.order_by():
        if by is None:
            result[row["current_status"]] = row["n"]
        else:
            result.setdefault(row[by], {})[row["current_status"]] = row["n"]
    return result


def status_counts_per_year(jaarschijven) -> dict:
    """``{year: {status: number of actions}}`` by the latest update, in one query.

    Each action of these jaarschijven finds its latest update through the index
    ``progress_latest_per_action`` (one row per action): the cost follows the number of
    actions shown, not the number of their updates (a ``ROW_NUMBER()`` pass over every update
    of the jaarschijven read 3.000 rows for one busy action at scale 1000). An action without
    updates counts as niet gestart, as everywhere else.
    """
    ids = [j.pk for j in jaarschijven]
    if not ids:
        return {}
    action, update, jaarschijf = Action._meta, ProgressUpdate._meta, Jaarschijf._meta
    qn = connection.ops.quote_name

    def col(meta, name):
        return qn(meta.get_field(name).column)

    marks = ", ".join(["%s"] * len(ids))
    # Only quoted identifiers from the models are put into the text; every value is a parameter.
    sql = f"""
        SELECT j.{col(jaarschijf, "year")}, COALESCE((
            SELECT l.{col(update, "status")} FROM {qn(update.db_table)} l
            WHERE l.{col(update, "action")} = a.{col(action, "id")}
            ORDER BY l.{col(update, "created_at")} DESC, l.{col(update, "id")} DESC
            LIMIT 1
        ), %s), COUNT(*)
        FROM {qn(action.db_table)} a
        JOIN {qn(jaarschijf.db_table)} j ON j.{col(jaarschijf, "id")} = a.{col(action, "jaarschijf")}
        WHERE a.{col(action, "jaarschijf")} IN ({marks})
        GROUP BY 1, 2
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [ActionStatus.NIET_GESTART.value, *ids])
        rows = cursor.fetchall()
    result: dict = {}
    for year, status, count in rows:
        result.setdefault(year, {})[status] = count
    return result


def project_figures(projects, *, by: str | None = "jaarschijf__year") -> dict:
    """``{group: {category: {projects, completed, planned, realised}}}``.

    A row flagged as a possible duplicate is counted once; the sums stay ``None`` when no row
    of the category has a known number (unknown is not 0).
    """
    keys = [by] if by else []
    rows = (
        projects.counted()
        .values(*keys, "category")
        .annotate(
            **projects.AGGREGATES,
            completed=Count("pk", filter=Q(status=ProjectStatus.GEREALISEERD)),
        )
        .order_by()
    )
    result: dict = {}
    for row in rows:
        figures = {key: row[key] for key in EMPTY_PROJECT_FIGURES} | {
            "planned_total": with_completeness(row)["planned_total"],
            "realised_total": with_completeness(row)["realised_total"],
        }
        if by is None:
            result[row["category"]] = figures
        else:
            result.setdefault(row[by], {})[row["category"]] = figures
    return result


def efg_own_year_totals(figures, *, by: str = "jaarschijf__year") -> dict:
    """Per jaarschijf the EFG total of its own year: target, realised and how many unknown."""
    rows = (
        figures.filter(year=F("jaarschijf__year"))
        .values(by)
        .annotate(
            target_total=Sum("target"),
            realised_total=Sum("realised"),
            unknown_targets=Count("pk", filter=Q(target__isnull=True)),
            unknown_realised=Count("pk", filter=Q(realised__isnull=True)),
            corporations=Count("pk"),
        )
        .order_by()
    )
    return {row[by]: row for row in rows}


@dataclass
class ComparisonRow:
    label: str
    values: list[Any]
    #: "count" or "dwellings"; both are shown as whole numbers
    kind: str = "count"
    notes: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[str, str]]:
        """(the value in Dutch notation, note) per jaarschijf: each number formatted once."""
        notes = self.notes or [""] * len(self.values)
        return [(nl_number(value), note) for value, note in zip(self.values, notes, strict=True)]


@dataclass
class ComparisonSection:
    title: str
    rows: list[ComparisonRow]


@dataclass
class Column:
    year: int
    url: str
    concept: bool


@dataclass
class Comparison:
    jaarschijven: list[Jaarschijf]
    sections: list[ComparisonSection]
    #: One heading per jaarschijf, its link reversed once for every table of the page.
    columns: list[Column] = field(default_factory=list)


def comparison(jaarschijven) -> Comparison:
    """The figures of the given jaarschijven side by side, oldest first.

    A fixed number of queries (three, plus one if ``jaarschijven`` is a QuerySet): callers
    pass a bounded page of jaarschijven, never all of them.
    """
    years = sorted(jaarschijven, key=lambda j: j.year)
    ids = [j.pk for j in years]
    status_counts = status_counts_per_year(years)
    projects = project_figures(Project.objects.filter(jaarschijf__in=ids))
    efg = efg_own_year_totals(EnergyLabelFigure.objects.filter(jaarschijf__in=ids))

    def per_year(get):
        return [get(j.year) for j in years]

    action_rows = [
        ComparisonRow(
            status.label, per_year(lambda y, s=status: status_counts.get(y, {}).get(s.value, 0))
        )
        for status in ActionStatus
    ]
    action_rows.append(
        ComparisonRow(
            "Totaal afspraken", per_year(lambda y: sum(status_counts.get(y, {}).values()))
        )
    )

    project_rows = []
    for category in ProjectCategory:

        def figure(y, key, c=category):
            return projects.get(y, {}).get(c.value, EMPTY_PROJECT_FIGURES).get(key)

        def completeness(y, key, noun, f=figure):
            # A sum over the known counts only: say how many of the projects it covers, how
            # many do not apply (n.v.t.) and whether the sum is approximate or a lower bound.
            total = f(y, key)
            return total.remark_for(noun) if total and total.any_known else ""

        project_rows += [
            ComparisonRow(
                f"{category.label}: woningen gepland",
                per_year(lambda y, f=figure: f(y, "planned")),
                kind="dwellings",
                notes=per_year(lambda y: completeness(y, "planned_total", "bekend")),
            ),
            ComparisonRow(
                f"{category.label}: woningen gerealiseerd",
                per_year(lambda y, f=figure: f(y, "realised")),
                kind="dwellings",
                notes=per_year(lambda y: completeness(y, "realised_total", "gemeld")),
            ),
        ]

    def efg_row(label, key, unknown_key):
        values, notes = [], []
        for j in years:
            row = efg.get(j.year)
            value = row[key] if row else None
            values.append(value)
            # A sum over known figures only: say of how many corporations, when not all.
            known = row["corporations"] - row[unknown_key] if row else 0
            notes.append(
                f"{known} van {row['corporations']} corporaties"
                if value is not None and row[unknown_key]
                else ""
            )
        return ComparisonRow(label, values, kind="dwellings", notes=notes)

    efg_rows = [
        efg_row(
            "EFG-labels: doel in het jaar van de jaarschijf", "target_total", "unknown_targets"
        ),
        efg_row(
            "EFG-labels: realisatie in het jaar van de jaarschijf",
            "realised_total",
            "unknown_realised",
        ),
    ]
    return Comparison(
        jaarschijven=years,
        columns=[
            Column(
                year=j.year,
                url=reverse("evaluation:jaarschijf-manage", args=[j.year]),
                concept=j.status == Jaarschijf.Status.CONCEPT,
            )
            for j in years
        ],
        sections=[
            ComparisonSection("Afspraken per status", action_rows),
            ComparisonSection("Woningen per projectcategorie", project_rows),
            ComparisonSection("EFG-labels (alle corporaties)", efg_rows),
        ],
    )
