"""The evaluation report: one context from the live data, rendered as a page and as a PDF.

The page (``evaluation/report/page.html``) and the PDF (``evaluation/report/document.html``,
WeasyPrint, PDF/UA-1: tagged, with the document language and title) include the same body
template, so the council reads in the PDF exactly what the application shows.

Milestones and reporting rounds are not part of this branch: the report leaves the include
``evaluation/report/_milestones.html`` for "milestones met or missed".
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

from agreements import charts
from agreements.models import (
    CLOSED_STATUSES,
    Action,
    Evaluation,
    EvaluationAssessment,
    HeadlineFigure,
    Jaarschijf,
)
from agreements.overview import indicator_rows, indicator_values, parties_prefetch
from projects.models import Project
from sustainability.models import totals_per_year_of
from sustainability.overview import bat_table, efg_chart, efg_figures, efg_trajectory

from . import services
from .vaststelling import tenant_views, vaststelling_state

NOT_ASSESSED = "nog_niet_beoordeeld"

#: How each verdict looks in the chart: a pattern per verdict, never colour alone.
VERDICT_SERIES = [
    charts.Series(EvaluationAssessment.BEHAALD, "Behaald", colour="groen", pattern="solid"),
    charts.Series(
        EvaluationAssessment.DEELS_BEHAALD, "Deels behaald", colour="blauw", pattern="dots"
    ),
    charts.Series(
        EvaluationAssessment.NIET_BEHAALD, "Niet behaald", colour="oranje", pattern="hatch"
    ),
    charts.Series(
        EvaluationAssessment.DOORGESCHOVEN, "Doorgeschoven", colour="petrol", pattern="backhatch"
    ),
    charts.Series(NOT_ASSESSED, "Nog niet beoordeeld", colour="grijs", pattern="outline"),
]
VERDICT_LABELS = {series.key: series.label for series in VERDICT_SERIES}

STYLESHEET = settings.BASE_DIR / "static" / "css" / "report.css"


def report_indicators(jaarschijf: Jaarschijf):
    """The indicator rows of the report: target, realisation and "gehaald?".

    The one place the report reads indicator figures, so that a comparator with its own
    reading of "gehaald" can be plugged in here.
    """
    return indicator_rows(indicator_values(jaarschijf))


@dataclass
class Tally:
    """Verdicts counted for one row (a theme or a lead party)."""

    label: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts.get(series.key, 0) for series in VERDICT_SERIES]


@dataclass
class ThemeSection:
    theme: object
    actions: list


def report_actions(jaarschijf: Jaarschijf):
    """Every action with its latest progress and the kernteam's latest verdict (one query)."""
    latest = Evaluation.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Action.objects.filter(jaarschijf=jaarschijf)
        .with_progress()
        .annotate(
            verdict=Subquery(latest.values("assessment")[:1]),
            verdict_explanation=Subquery(latest.values("explanation")[:1]),
            verdict_at=Subquery(latest.values("created_at")[:1]),
        )
        .select_related("theme", "jaarschijf")
        .prefetch_related(parties_prefetch())
        .numeric_order()
    )


def tallies(actions) -> tuple[list[Tally], list[Tally], Tally]:
    """Verdicts per theme, per lead party (an action with two leads counts for both), total."""
    themes: dict = {}
    leads: dict = {}
    overall = Tally("Totaal")
    for action in actions:
        key = action.verdict or NOT_ASSESSED
        theme = themes.setdefault(
            action.theme.number, Tally(f"{action.theme.number}. {action.theme.title}")
        )
        theme.counts[key] += 1
        overall.counts[key] += 1
        lead_parties = [row.party for row in action.action_parties.all() if row.is_lead]
        for party in lead_parties or [None]:
            name = party.name if party else "Geen trekker genoemd"
            order = (party.sort_order, party.name) if party else (10_000, "")
            leads.setdefault(order, Tally(name)).counts[key] += 1
    return (
        [themes[number] for number in sorted(themes)],
        [leads[key] for key in sorted(leads)],
        overall,
    )


def tally_sentence(overall: Tally) -> str:
    if not overall.total:
        return "Deze jaarschijf heeft geen afspraken."
    parts = [
        f"{overall.counts[s.key]} {s.label.lower()}"
        for s in VERDICT_SERIES
        if overall.counts.get(s.key)
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]
    return f"Oordeel van het kernteam over de {overall.total} afspraken: {listed}."


def projects_per_corporation(jaarschijf: Jaarschijf) -> list[dict]:
    """Planned and realised dwellings per corporation and category (one query)."""
    labels = dict(Project.Category.choices)
    rows = (
        Project.objects.filter(jaarschijf=jaarschijf)
        .counted()
        .values("corporation__name", "corporation__sort_order", "category")
        .annotate(
            projects=Count("pk"), planned=Sum("dwellings"), realised=Sum("realised_dwellings")
        )
        .order_by("corporation__sort_order", "corporation__name", "category")
    )
    order = {value: index for index, value in enumerate(Project.Category.values)}
    result = [row | {"label": labels.get(row["category"], row["category"])} for row in rows]
    result.sort(
        key=lambda r: (r["corporation__sort_order"], r["corporation__name"], order[r["category"]])
    )
    return result


def report_context(jaarschijf: Jaarschijf, *, user=None) -> dict:
    actions = list(report_actions(jaarschijf))
    per_theme, per_lead, overall = tallies(actions)
    sentence = tally_sentence(overall)
    sections: dict = {}
    for action in actions:
        action.verdict_label = VERDICT_LABELS.get(action.verdict or NOT_ASSESSED)
        action.leads = [row.party for row in action.action_parties.all() if row.is_lead]
        sections.setdefault(action.theme.number, ThemeSection(action.theme, [])).actions.append(
            action
        )
    categories = Project.objects.filter(jaarschijf=jaarschijf).per_category()
    figures = list(efg_figures(jaarschijf))
    trajectory = efg_trajectory(figures)
    bat = bat_table(jaarschijf)
    # The same rule as services.carried_actions, on the actions already loaded.
    carried = [a for a in actions if a.current_status not in CLOSED_STATUSES]
    views = list(tenant_views(jaarschijf))
    return {
        "jaarschijf": jaarschijf,
        "printed_at": timezone.now(),
        "state": vaststelling_state(jaarschijf),
        "verdict_series": VERDICT_SERIES,
        "per_theme": per_theme,
        "per_lead": per_lead,
        "overall": overall,
        "tally_sentence": sentence,
        "verdict_chart": charts.horizontal_bars(
            [(row.label, dict(row.counts)) for row in per_theme],
            VERDICT_SERIES,
            uid="oordeel-per-thema",
            title=sentence,
            stacked=True,
        )
        if per_theme
        else "",
        "headline": HeadlineFigure.objects.computed(
            jaarschijf, categories=categories, efg_totals=totals_per_year_of(figures)
        ),
        "sections": [sections[number] for number in sorted(sections)],
        "categories": categories,
        "projects_per_corporation": projects_per_corporation(jaarschijf),
        "efg": trajectory,
        "efg_chart": efg_chart(trajectory),
        "bat": bat,
        "bat_chart": bat.chart(),
        "indicators": report_indicators(jaarschijf),
        "carried_actions": carried,
        "carried_projects": services.carried_projects(jaarschijf).count(),
        "views": [v for v in views if v.theme_id is None],
        "theme_views": [v for v in views if v.theme_id is not None],
        "user": user,
    }


def report_title(jaarschijf: Jaarschijf) -> str:
    return f"Evaluatie jaarschijf {jaarschijf.year} prestatieafspraken"


def render_pdf(jaarschijf: Jaarschijf, *, user=None, context: dict | None = None) -> bytes:
    """The report as a tagged PDF/UA-1 document in Dutch (WeasyPrint)."""
    from weasyprint import CSS, HTML

    context = context or report_context(jaarschijf, user=user)
    html = render_to_string("evaluation/report/document.html", context | {"pdf": True})
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))],
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
    )


def svg_as_image(svg, alt: str):
    """An inline SVG chart as <img> with alternative text, for the tagged PDF."""
    if not svg:
        return ""
    data = base64.b64encode(str(svg).encode()).decode()
    return format_html(
        '<img class="heerlen-report-chart" src="data:image/svg+xml;base64,{}" alt="{}">', data, alt
    )
