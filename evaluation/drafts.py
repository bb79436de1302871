"""The stored preview of an import (:class:`~evaluation.models.ImportDraft`).

The web import reads a workbook into a change set (:func:`evaluation.importer.read_workbook`),
stores it here for its owner, shows it page by page and applies it on confirmation
(:func:`apply_draft`), all or nothing. Nothing of it is kept in the session.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from agreements.models import Jaarschijf

from .importer import ChangeSet, FieldChange, Problem, RowChange, WorkbookError
from .models import ImportDraft, ImportDraftRow
from .services import apply_change_set

BATCH_SIZE = 1000

EXPIRED = (
    "Dit voorbeeld is verlopen: een geüploade werkmap blijft {minutes} minuten klaarstaan. "
    "Er is niets opgeslagen. Upload de werkmap opnieuw."
)
NOT_YOURS = (
    "Deze wijzigingen zijn door iemand anders geüpload; alleen die persoon kan ze doorvoeren."
)


def expired_message() -> str:
    return EXPIRED.format(minutes=settings.IMPORT_DRAFT_MINUTES)


def clear_expired(now=None) -> int:
    """Remove every expired draft with its rows; returns how many drafts went."""
    deleted = ImportDraft.objects.filter(expires__lte=now or timezone.now()).delete()[1]
    return deleted.get(ImportDraft._meta.label, 0)


@transaction.atomic
def store_draft(*, change_set: ChangeSet, jaarschijf: Jaarschijf, owner) -> ImportDraft:
    """Store ``change_set`` as ``owner``'s draft for ``jaarschijf``, replacing an earlier one.

    Expired drafts of anyone are removed on the way (the command does the same on a schedule).
    """
    now = timezone.now()
    clear_expired(now)
    ImportDraft.objects.filter(owner=owner, jaarschijf=jaarschijf).delete()
    draft = ImportDraft.objects.create(
        token=change_set.token,
        owner=owner,
        jaarschijf=jaarschijf,
        filename=change_set.filename[:255],
        digest=change_set.digest,
        checked_rows=change_set.checked_rows,
        warnings=[asdict(warning) for warning in change_set.warnings],
        row_count=len(change_set.rows),
        field_count=change_set.field_count,
        created=now,
        expires=now + timedelta(minutes=settings.IMPORT_DRAFT_MINUTES),
    )
    ImportDraftRow.objects.bulk_create(
        (
            ImportDraftRow(
                draft=draft,
                position=position,
                kind=row.kind,
                object_id=row.pk,
                version=row.version,
                label=row.label,
                sheet=row.sheet,
                row=row.row,
                changes=[asdict(change) for change in row.changes],
            )
            for position, row in enumerate(change_set.rows)
        ),
        batch_size=BATCH_SIZE,
    )
    return draft


def owned_draft(*, owner, jaarschijf: Jaarschijf) -> ImportDraft | None:
    """``owner``'s draft for ``jaarschijf``; an expired one is removed and refused.

    Raises WorkbookError (with the Dutch message) for an expired draft.
    """
    draft = ImportDraft.objects.filter(owner=owner, jaarschijf=jaarschijf).first()
    if draft is not None and draft.is_expired:
        draft.delete()
        raise WorkbookError(expired_message())
    return draft


def warnings_of(draft: ImportDraft) -> list[Problem]:
    return [Problem(**warning) for warning in draft.warnings]


def change_set_of(draft: ImportDraft) -> ChangeSet:
    """The draft as the change set it was made from (one query for its rows)."""
    fields = ("kind", "object_id", "version", "label", "sheet", "row", "changes")
    rows = [
        RowChange(
            kind=kind,
            pk=pk,
            version=version,
            label=label,
            sheet=sheet,
            row=number,
            changes=[FieldChange(**change) for change in changes],
        )
        for kind, pk, version, label, sheet, number, changes in draft.rows.order_by(
            "position"
        ).values_list(*fields)
    ]
    return ChangeSet(
        year=draft.jaarschijf.year,
        digest=draft.digest,
        filename=draft.filename,
        rows=rows,
        warnings=warnings_of(draft),
        token=draft.token.hex,
        checked_rows=draft.checked_rows,
    )


def apply_draft(*, draft: ImportDraft, user) -> int:
    """Apply the draft for its owner, all or nothing, and remove it; returns the rows changed.

    Refused (nothing written) for anyone but the owner (PermissionDenied) and once expired
    (WorkbookError; the draft is removed). A draft whose rows changed meanwhile fails as the
    import does (:func:`evaluation.services.apply_change_set`) and stays for another look.
    """
    if user is None or draft.owner_id != user.pk:
        raise PermissionDenied(NOT_YOURS)
    if draft.is_expired:
        ImportDraft.objects.filter(pk=draft.pk).delete()
        raise WorkbookError(expired_message())
    with transaction.atomic():
        # Locked: a double click's second request waits, then finds the draft gone.
        locked = (
            ImportDraft.objects.select_for_update(of=("self",))
            .select_related("jaarschijf")
            .filter(pk=draft.pk)
            .first()
        )
        if locked is None:
            raise WorkbookError("Deze wijzigingen zijn al doorgevoerd of afgebroken.")
        changed = apply_change_set(
            jaarschijf=locked.jaarschijf, change_set=change_set_of(locked), user=user
        )
        locked.delete()
    return changed
