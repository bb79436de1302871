"""The evaluation report: one context from the live data, rendered as a page and as a PDF.

The page (``evaluation/report/page.html``) and the PDF (``evaluation/report/document.html``,
WeasyPrint, PDF/UA-1: tagged, with the document language and title) include the same body
template, so the council reads in the PDF exactly what the application shows.

Milestones and reporting rounds are not part of this branch: the report leaves the include
``evaluation/report/_milestones.html`` for "milestones met or missed".
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

from agreements.models import (
    CLOSED_STATUSES,
    Action,
    HeadlineFigure,
    Jaarschijf,
)
from core import charts
from core.formats import nl_date
from core.fragments import on_demand
from cycle.models import Milestone
from overview.sustainability_views import bat_table, efg_chart, efg_figures, efg_trajectory
from overview.views import indicator_rows, indicator_values, parties_prefetch
from projects.models import Project, with_completeness
from sustainability.models import totals_per_year_of

from . import services
from .vaststelling import tenant_views, vaststelling_state
from .verdicts import (
    NOT_ASSESSED,
    VERDICT_LABELS,
    VERDICT_SERIES,
    tallies,
    tally_sentence,
    with_verdict,
)

STYLESHEET = settings.BASE_DIR / "static" / "css" / "report.css"


def report_indicators(jaarschijf: Jaarschijf):
    """The indicator rows of the report: target, realisation and "gehaald?".

    "Gehaald?" is the value's own reading with its comparators (IndicatorValue.is_met), the
    same one the Kengetallen sheet uses.
    """
    return indicator_rows(indicator_values(jaarschijf))


@dataclass
class ThemeSection:
    theme: object
    actions: list
    milestones: list = field(default_factory=list)


@dataclass
class MilestoneOutcome:
    """A milestone as the report reads it: met (on time or late), missed, or still open."""

    milestone: Milestone
    outcome: str
    missed: bool


def milestone_outcome(milestone: Milestone, on) -> MilestoneOutcome:
    due = milestone.due_date
    if milestone.done_on is not None:
        done = milestone.done_on
        if done <= due:
            return MilestoneOutcome(milestone, f"Gehaald op {nl_date(done)}", missed=False)
        return MilestoneOutcome(milestone, f"Te laat gehaald op {nl_date(done)}", missed=True)
    if due < on:
        return MilestoneOutcome(milestone, "Gemist: termijn verstreken, niet afgerond", missed=True)
    return MilestoneOutcome(milestone, "Nog open, termijn niet verstreken", missed=False)


def report_milestones(jaarschijf: Jaarschijf, on=None) -> list[MilestoneOutcome]:
    """Every milestone of the jaarschijf with its outcome, in due order (one query)."""
    on = on or timezone.localdate()
    milestones = (
        Milestone.objects.filter(jaarschijf=jaarschijf)
        .select_related("action", "responsible")
        .order_by("due_date", "sort_order", "pk")
    )
    return [milestone_outcome(milestone, on) for milestone in milestones]


def report_actions(jaarschijf: Jaarschijf):
    """Every action with its latest progress and the kernteam's latest verdict (one query)."""
    return (
        with_verdict(Action.objects.filter(jaarschijf=jaarschijf).with_progress())
        .select_related("theme", "jaarschijf")
        .prefetch_related(parties_prefetch())
        .numeric_order()
    )


def projects_per_corporation(jaarschijf: Jaarschijf) -> list[dict]:
    """Planned and realised dwellings per corporation and category, with completeness
    (one query): the same aggregates as per category, so a merge counts its result."""
    labels = dict(Project.Category.choices)
    projects = Project.objects.filter(jaarschijf=jaarschijf).counted()
    rows = (
        projects.values("corporation__name", "corporation__sort_order", "category")
        .annotate(**projects.AGGREGATES)
        .order_by("corporation__sort_order", "corporation__name", "category")
    )
    order = {value: index for index, value in enumerate(Project.Category.values)}
    result = [
        with_completeness(row) | {"label": labels.get(row["category"], row["category"])}
        for row in rows
    ]
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
    theme_of_action = {action.pk: action.theme.number for action in actions}
    general_milestones = []
    for row in report_milestones(jaarschijf):
        number = theme_of_action.get(row.milestone.action_id)
        if number in sections:
            sections[number].milestones.append(row)
        else:
            general_milestones.append(row)
    categories = Project.objects.filter(jaarschijf=jaarschijf).per_category()
    figures = list(efg_figures(jaarschijf))
    trajectory = efg_trajectory(figures)
    bat = bat_table(jaarschijf)
    # The same rule as services.carried_actions, on the actions already loaded.
    carried = [a for a in actions if a.current_status not in CLOSED_STATUSES]
    views = list(tenant_views(jaarschijf))

    def verdict_chart(draw):
        rows = [(row.label, dict(row.counts)) for row in per_theme]
        return (
            draw(rows, VERDICT_SERIES, uid="oordeel-per-thema", title=sentence, stacked=True)
            if per_theme
            else ""
        )

    return {
        "jaarschijf": jaarschijf,
        "printed_at": timezone.now(),
        "state": vaststelling_state(jaarschijf),
        "verdict_series": VERDICT_SERIES,
        "per_theme": per_theme,
        "per_lead": per_lead,
        "overall": overall,
        "tally_sentence": sentence,
        # The PDF takes the wide chart as a picture, the page both layouts (fitting_bars):
        # each drawn only when the template asks for it (on_demand), so once per render.
        "verdict_chart": on_demand(lambda: verdict_chart(charts.horizontal_bars)),
        "verdict_chart_page": on_demand(lambda: verdict_chart(charts.fitting_bars)),
        "headline": HeadlineFigure.objects.computed(
            jaarschijf, categories=categories, efg_totals=totals_per_year_of(figures)
        ),
        "sections": [sections[number] for number in sorted(sections)],
        "general_milestones": general_milestones,
        "categories": categories,
        "projects_per_corporation": projects_per_corporation(jaarschijf),
        "efg": trajectory,
        "efg_chart": on_demand(lambda: efg_chart(trajectory)),
        "efg_chart_page": on_demand(lambda: efg_chart(trajectory, fitting=True)),
        "bat": bat,
        "bat_chart": on_demand(bat.chart),
        "bat_chart_page": on_demand(lambda: bat.chart(fitting=True)),
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
    # Lazy: WeasyPrint (with Pango) is heavy and only the PDF download needs it.
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
