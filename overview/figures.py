"""Figures composed from several domain apps (agreements, projects, sustainability)."""

from agreements.models import HeadlineFigure
from projects.models import Project
from sustainability.models import EnergyLabelFigure


def headline_figures(jaarschijf, *, categories=None, efg_totals=None) -> list[dict]:
    """The headline figures of the document's first page, recomputed from the tables.

    Three queries, one less for each of the ``per_category()`` and the EFG
    ``totals_per_year()`` rows the caller already has for the same jaarschijf.
    """
    if categories is None:
        categories = Project.objects.filter(jaarschijf=jaarschijf).per_category()
    if efg_totals is None:
        efg_totals = EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).totals_per_year()
    return HeadlineFigure.objects.computed(jaarschijf, categories=categories, efg_totals=efg_totals)
