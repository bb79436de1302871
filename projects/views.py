"""The project page with its update form and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from agreements import public
from core.access import viewer_required
from core.feedback import redirect_to_confirmation
from core.formats import nl_number
from core.forms import apply_service_errors, rebound
from core.history import changes_of
from core.versioning import ConflictError

from . import access, services
from .forms import ProjectUpdateForm

TEMPLATE = "projects/project_detail.html"


def _project_list_url():
    # The list page belongs to the overview module; without it the crumb is plain text.
    try:
        return reverse("overview:project-list")
    except NoReverseMatch:
        return None


def exceeds_warning(project) -> str:
    return (
        f"Let op: er zijn meer woningen gerealiseerd ({nl_number(project.realised_dwellings)}) "
        f"dan gepland ({nl_number(project.dwellings)}). Dat kan kloppen, maar controleer het aantal."
    )


def project_context(request, project, *, form=None, conflict=None):
    """Everything the project page shows, in a fixed number of queries."""
    user = request.user
    public.require_readable_jaarschijf(user, project.jaarschijf)
    can_edit = user.is_authenticated and user.has_perm("projects.update_project", project)
    visitor = public.is_visitor(user)
    history = project.history.select_related("history_user__party")
    if can_edit and form is None:
        form = ProjectUpdateForm.for_project(project)
    return {
        "project": project,
        "breakdowns": list(project.breakdowns.all()),
        "duplicates": list(project.possible_duplicates.select_related("corporation")),
        # Who changed what is the kernteam's; a visitor reads the figures, not the history.
        "changes": [] if visitor else changes_of(history),
        "show_history": not visitor,
        "show_notes": not visitor,
        "can_edit": can_edit,
        "form": form if can_edit else None,
        "conflict": conflict,
        "exceeds_warning": exceeds_warning(project) if project.realised_exceeds_planned() else "",
        "nav_active": "projecten",
        "breadcrumbs": [
            ("Projecten", _project_list_url()),
            (project.name, project.get_absolute_url()),
        ],
    }


@viewer_required
def project_detail(request, pk: int):
    project = access.get_project(pk)
    return render(request, TEMPLATE, project_context(request, project))


@login_required
@require_http_methods(["GET", "POST"])
def project_update(request, pk: int):
    project = access.get_project_for_update(request.user, pk)
    if request.method == "GET":
        return redirect(f"{project.get_absolute_url()}#bijwerken")
    form = ProjectUpdateForm(request.POST, project=project)
    conflict = None
    if form.is_valid():
        try:
            saved = services.update_project(
                project=project, user=request.user, **form.service_kwargs()
            )
        except ConflictError as error:
            conflict = error
            project = access.get_project(pk)
            form = rebound(form, error, version=error.current.version)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Project ‘{saved.name}’ is bijgewerkt.")
            if saved.realised_exceeds_planned():
                messages.warning(request, exceeds_warning(saved))
            return redirect_to_confirmation(saved.get_absolute_url())
    return render(
        request, TEMPLATE, project_context(request, project, form=form, conflict=conflict)
    )
