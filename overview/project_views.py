"""The project list: filters, a sortable table and the totals of the filtered set."""

from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django_tables2 import RequestConfig

from core.access import viewer_required
from overview.views import may_edit_any
from projects.filters import ProjectFilter
from projects.models import Project
from projects.tables import ProjectTable

PROJECTS_PER_PAGE = 50


def editable_projects(jaarschijf, user):
    """``Project.objects.editable_by(user)`` within the jaarschijf (see
    overview.views.editable_actions): built once, it gives both ``can_edit`` and whether the
    list offers editing at all."""
    return Project.objects.filter(jaarschijf=jaarschijf).editable_by(user)


def project_queryset(jaarschijf, editable):
    """Projects of a jaarschijf with their corporation, and ``can_edit`` from ``editable``."""
    projects = Project.objects.filter(jaarschijf=jaarschijf).select_related("corporation")
    if may_edit_any(editable):
        projects = projects.annotate(can_edit=Exists(editable.filter(pk=OuterRef("pk"))))
    return projects


@viewer_required
def project_list(request):
    jaarschijf = request.jaarschijf
    editable = editable_projects(jaarschijf, request.user)
    queryset = project_queryset(jaarschijf, editable) if jaarschijf else Project.objects.none()
    project_filter = ProjectFilter(request.GET or None, queryset=queryset, jaarschijf=jaarschijf)
    projects = project_filter.qs
    # One aggregate over the filtered set; a flagged possible duplicate is counted once.
    totals = projects.totals()
    table = ProjectTable(projects, totals=totals)
    if not may_edit_any(editable):
        table.columns.hide("edit")
    RequestConfig(request, paginate={"per_page": PROJECTS_PER_PAGE}).configure(table)
    rows = table.paginator.count
    return render(
        request,
        "overview/project_list.html",
        {
            "nav_active": "projecten",
            "breadcrumbs": [("Dashboard", reverse("overview:dashboard")), ("Projecten", "")],
            "filter": project_filter,
            "table": table,
            "totals": totals,
            "rows": rows,
            "duplicates": rows - (totals["projects"] or 0),
        },
    )
