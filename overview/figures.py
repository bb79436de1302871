"""Figures composed from several domain apps (agreements, projects, sustainability)."""

from agreements.models import HeadlineFigure
from projects.models import Project
from sustainability.models import EnergyLabelFigure


def headline_figures(jaarschijf, *, categories=None) -> list[dict]:
    """The headline figures of the document's first page, recomputed from the tables.

    Three queries, two when the caller passes the ``per_category()`` rows it already has.
    """
    if categories is None:
        categories = Project.objects.filter(jaarschijf=jaarschijf).per_category()
    efg_totals = EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).totals_per_year()
    return HeadlineFigure.objects.computed(jaarschijf, categories=categories, efg_totals=efg_totals)
