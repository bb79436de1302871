"""Writes on projects: the tracking fields the corporations and the kernteam keep current."""

from __future__ import annotations

from django.db import transaction

from core.access import require_perm
from core.versioning import save_versioned

from .models import Project

#: What a corporation or the kernteam may change in the application; the rest of a row is
#: the signed document and changes only through the beheerder (admin).
TRACKING_FIELDS = (
    "status",
    "realised_dwellings",
    "expected_year",
    "expected_quarter",
    "explanation",
)


@transaction.atomic
def update_project(*, project: Project, user, version: int, **changes) -> Project:
    """Update the tracking fields of a project.

    ``version`` is the project's version when the form was rendered: if someone saved the
    project since, ConflictError lists their changes and nothing is saved. Only the fields
    in TRACKING_FIELDS may be passed. Returns the project as stored.
    """
    unknown = set(changes) - set(TRACKING_FIELDS)
    if unknown:
        raise TypeError(f"update_project() cannot change {', '.join(sorted(unknown))}")
    locked = (
        Project.objects.select_for_update(of=("self",))
        .select_related("jaarschijf", "corporation")
        .get(pk=project.pk)
    )
    require_perm(user, "projects.update_project", locked)
    if isinstance(changes.get("explanation"), str):
        changes["explanation"] = changes["explanation"].strip()
    save_versioned(locked=locked, user=user, version=version, changes=changes, noun="dit project")
    return locked
