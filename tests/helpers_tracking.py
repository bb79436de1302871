"""Helpers for the tracking tests: the rows each persona works on, and the form posts."""

from django.urls import reverse

from agreements.models import Action, IndicatorValue, Jaarschijf, ProgressUpdate
from projects.models import Project
from sustainability.models import EnergyLabelFigure

from .conftest import YEAR


def make_evaluated(jaarschijf: Jaarschijf) -> Jaarschijf:
    """The jaarschijf as after the annual evaluation: only the beheerder may still write."""
    jaarschijf.status = Jaarschijf.Status.GEEVALUEERD
    jaarschijf.save()
    return jaarschijf


def project_of(corporation: str, category: str | None = None) -> Project:
    """The corporation's first project (of a category), as printed in the document."""
    projects = Project.objects.filter(
        jaarschijf__year=YEAR, corporation__name=corporation, possible_duplicate_of__isnull=True
    )
    if category:
        projects = projects.filter(category=category)
    return projects.order_by("category", "position").first()


def label_figure(corporation: str, year: int = YEAR) -> EnergyLabelFigure:
    return EnergyLabelFigure.objects.get(
        jaarschijf__year=YEAR, corporation__name=corporation, year=year
    )


def indicator_value(code: str, party: str | None, period: str = str(YEAR)) -> IndicatorValue:
    return (
        IndicatorValue.objects.get(
            indicator__jaarschijf__year=YEAR,
            indicator__code=code,
            party__name=party,
            period=period,
        )
        if party
        else IndicatorValue.objects.get(
            indicator__jaarschijf__year=YEAR,
            indicator__code=code,
            party__isnull=True,
            period=period,
        )
    )


#: Weller's own budgeted rent increase (2.5); Wonen Zuid has one of its own.
RENT_INCREASE = "2-5-huurstijging-concernbreed-begroting"
#: A national maximum without a party: only the kernteam records its realisation.
DAEB = "2-4-daeb-toewijzing"


def latest_update_id(action: Action) -> int | None:
    latest = action.updates.order_by("-created_at", "-pk").first()
    return latest.pk if latest else None


def progress_data(action: Action, **fields) -> dict:
    data = {
        "status": "op_schema",
        "percent_done": "40",
        "explanation": "",
        "evidence_url": "",
        "seen_latest_id": latest_update_id(action) or "",
    }
    data.update({k: v for k, v in fields.items()})
    return data


def post_progress(client, action: Action, **fields):
    url = reverse("agreements:action-update", args=[action.jaarschijf.year, action.number])
    return client.post(url, progress_data(action, **fields))


def evaluation_data(action: Action, **fields) -> dict:
    latest = action.evaluations.order_by("-created_at", "-pk").first()
    data = {
        "assessment": "deels_behaald",
        "explanation": "Overleg loopt, besluit volgt in het tweede kwartaal.",
        "seen_latest_id": latest.pk if latest else "",
    }
    data.update(fields)
    return data


def post_evaluation(client, action: Action, **fields):
    url = reverse("agreements:action-evaluate", args=[action.jaarschijf.year, action.number])
    return client.post(url, evaluation_data(action, **fields))


def project_data(project: Project, **fields) -> dict:
    data = {
        "status": project.status,
        "realised_dwellings": ""
        if project.realised_dwellings is None
        else project.realised_dwellings,
        "expected_year": "" if project.expected_year is None else project.expected_year,
        "expected_quarter": "" if project.expected_quarter is None else project.expected_quarter,
        "explanation": project.explanation,
        "version": project.version,
    }
    data.update(fields)
    return data


def post_project(client, project: Project, **fields):
    return client.post(
        reverse("projects:project-update", args=[project.pk]), project_data(project, **fields)
    )


def label_data(corporation: str, realised: dict[int, object] | None = None, **overrides) -> dict:
    """The entry form of a corporation's EFG rows as rendered, with some realised values typed in."""
    figures = list(
        EnergyLabelFigure.objects.filter(
            jaarschijf__year=YEAR, corporation__name=corporation
        ).order_by("year")
    )
    realised = realised or {}
    data = {
        "efg-TOTAL_FORMS": str(len(figures)),
        "efg-INITIAL_FORMS": str(len(figures)),
        "efg-MIN_NUM_FORMS": "0",
        "efg-MAX_NUM_FORMS": "50",
    }
    for index, figure in enumerate(figures):
        value = realised.get(figure.year, figure.realised)
        data[f"efg-{index}-figure_id"] = str(figure.pk)
        data[f"efg-{index}-version"] = str(figure.version)
        data[f"efg-{index}-realised"] = "" if value is None else str(value)
    data.update(overrides)
    return data


def label_index(corporation: str, year: int) -> int:
    years = list(
        EnergyLabelFigure.objects.filter(jaarschijf__year=YEAR, corporation__name=corporation)
        .order_by("year")
        .values_list("year", flat=True)
    )
    return years.index(year)


def labelfigure_url(slug: str) -> str:
    return f"{reverse('sustainability:labelfigure-entry', args=[slug])}?jaar={YEAR}"


def post_labels(client, corporation: str, slug: str, realised: dict[int, object], **overrides):
    return client.post(labelfigure_url(slug), label_data(corporation, realised, **overrides))


def realisation_data(value: IndicatorValue, **fields) -> dict:
    data = {
        "realised": "" if value.realised is None else str(value.realised).replace(".", ","),
        "realised_note": value.realised_note,
        "version": value.version,
    }
    data.update(fields)
    return data


def post_realisation(client, value: IndicatorValue, **fields):
    return client.post(
        reverse("agreements:indicator-realisation", args=[value.pk]),
        realisation_data(value, **fields),
    )


def progress_count() -> int:
    return ProgressUpdate.objects.count()


def project_at(category: str, position: int) -> Project:
    """A project row by its place in the document's tables."""
    return Project.objects.get(jaarschijf__year=YEAR, category=category, position=position)
