"""Figures that can be compared across jaarschijven, computed in the database.

Each function takes a QuerySet (so callers decide which jaarschijven or which part of one) and
groups by a field path (``by``, default the jaarschijf's year); a query per function however
many jaarschijven or rows there are. :func:`comparison` assembles the table of the
"Vergelijken" page from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, Sum

from agreements.models import Action, ActionStatus, Jaarschijf
from projects.models import Project, ProjectCategory, ProjectStatus
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
            projects=Count("pk"),
            completed=Count("pk", filter=Q(status=ProjectStatus.GEREALISEERD)),
            planned=Sum("dwellings"),
            realised=Sum("realised_dwellings"),
        )
        .order_by()
    )
    result: dict = {}
    for row in rows:
        figures = {key: row[key] for key in EMPTY_PROJECT_FIGURES}
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
    #: "count" or "dwellings"; the template formats both as whole numbers
    kind: str = "count"
    notes: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[Any, str]]:
        """(value, note) per jaarschijf."""
        notes = self.notes or [""] * len(self.values)
        return list(zip(self.values, notes, strict=True))


@dataclass
class ComparisonSection:
    title: str
    rows: list[ComparisonRow]


@dataclass
class Comparison:
    jaarschijven: list[Jaarschijf]
    sections: list[ComparisonSection]


def comparison(jaarschijven) -> Comparison:
    """The figures of each jaarschijf side by side; a fixed number of queries (four)."""
    years = list(jaarschijven.order_by("year"))
    ids = [j.pk for j in years]
    status_counts = action_status_counts(Action.objects.filter(jaarschijf__in=ids))
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
            return projects.get(y, {}).get(c.value, EMPTY_PROJECT_FIGURES)[key]

        project_rows += [
            ComparisonRow(
                f"{category.label}: woningen gepland",
                per_year(lambda y, f=figure: f(y, "planned")),
                kind="dwellings",
            ),
            ComparisonRow(
                f"{category.label}: woningen gerealiseerd",
                per_year(lambda y, f=figure: f(y, "realised")),
                kind="dwellings",
            ),
        ]

    def efg_row(label, key, unknown_key):
        values, notes = [], []
        for j in years:
            row = efg.get(j.year)
            value = row[key] if row else None
            values.append(value)
            # A sum over known figures only; say so when some corporation's figure is missing.
            notes.append("onvolledig" if value is not None and row[unknown_key] else "")
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
        sections=[
            ComparisonSection("Afspraken per status", action_rows),
            ComparisonSection("Woningen per projectcategorie", project_rows),
            ComparisonSection("EFG-labels (alle corporaties)", efg_rows),
        ],
    )
