"""The project list: filters, a sortable table and the totals of the filtered set."""

from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django_tables2 import RequestConfig

from core.access import viewer_required
from projects.filters import ProjectFilter
from projects.models import Project
from projects.tables import ProjectTable

PROJECTS_PER_PAGE = 50


def project_queryset(jaarschijf, user=None):
    """Projects of a jaarschijf with their corporation, and ``can_edit`` from editable_by."""
    projects = Project.objects.filter(jaarschijf=jaarschijf).select_related("corporation")
    if user is not None:
        # Narrowed to the jaarschijf: see overview.views.with_edit_flag.
        editable = Project.objects.filter(jaarschijf=jaarschijf).editable_by(user)
        if not editable.query.is_empty():
            projects = projects.annotate(can_edit=Exists(editable.filter(pk=OuterRef("pk"))))
    return projects


def may_edit_any(user) -> bool:
    return not Project.objects.editable_by(user).query.is_empty()


@viewer_required
def project_list(request):
    jaarschijf = request.jaarschijf
    queryset = project_queryset(jaarschijf, request.user) if jaarschijf else Project.objects.none()
    project_filter = ProjectFilter(request.GET or None, queryset=queryset, jaarschijf=jaarschijf)
    projects = project_filter.qs
    # One aggregate over the filtered set; a flagged possible duplicate is counted once.
    totals = projects.totals()
    table = ProjectTable(projects, totals=totals)
    if not may_edit_any(request.user):
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
