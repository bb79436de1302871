"""Projects for the project views: 404 when missing, 403 when the user may not update them."""

from django.shortcuts import get_object_or_404

from core.access import require_perm

from .models import Project


def project_queryset():
    return Project.objects.select_related(
        "jaarschijf",
        "corporation",
        "updated_by",
        "possible_duplicate_of__corporation",
        "origin__jaarschijf",
    )


def get_project(pk: int) -> Project:
    return get_object_or_404(project_queryset(), pk=pk)


def get_project_for_update(user, pk: int) -> Project:
    """The project, if the user may update its status and figures (else 403)."""
    project = get_project(pk)
    require_perm(user, "projects.update_project", project)
    return project
