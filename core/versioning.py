"""Optimistic locking: save a row only if nobody changed it since the user's form was drawn.

The caller locks the row (``select_for_update``) inside a transaction and passes the version
the form was rendered with; a stale version raises :class:`ConflictError` that tells the user
who changed what and when (:func:`core.history.changes_since`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .formats import nl_datetime, person
from .history import Change, changes_since
from .models import VersionedModel


class ConflictError(ValidationError):
    """Somebody else saved the same record after the form was rendered; nothing was saved.

    ``current`` is the record as it is now (for progress updates and evaluations: the newer
    entry); ``changes`` lists what others changed since the version the user saw.
    """

    def __init__(self, message: str, *, current, changes: list[Change] | None = None):
        super().__init__(message, code="conflict")
        self.current = current
        self.changes = list(changes or [])


def describe_user(user) -> str:
    """ "Jan Jansen (Weller)": a name and the party a person speaks for."""
    return "iemand" if user is None else person(user)


def conflict_message(noun: str, changes: list[Change]) -> str:
    """The Dutch refusal for a stale form, naming who changed the record and when."""
    if changes:
        newest = changes[0]
        who = describe_user(newest.user)
        return (
            f"Niet opgeslagen: {who} heeft {noun} op {nl_datetime(newest.date)} gewijzigd, "
            "nadat u het formulier opende. Bekijk wat er is veranderd, controleer uw invoer en "
            "sla opnieuw op als u die wijziging wilt vervangen."
        )
    return (
        f"Niet opgeslagen: iemand anders heeft {noun} gewijzigd nadat u het formulier opende. "
        "Controleer de huidige waarden en sla opnieuw op."
    )


def save_versioned(*, locked: VersionedModel, user, version: int, changes: dict, noun: str) -> bool:
    """Apply ``changes`` to a row locked with ``select_for_update``, unless it is stale.

    Raises ConflictError when the row's version is no longer the ``version`` the user's form
    was rendered with. Returns whether anything changed; an unchanged form saves nothing, so
    the history only holds real changes.
    """
    changed = apply_versioned(locked=locked, user=user, version=version, changes=changes, noun=noun)
    if not changed:
        return False
    locked.full_clean()
    locked.save()
    return True


def apply_versioned(
    *, locked: VersionedModel, user, version: int, changes: dict, noun: str
) -> dict:
    """Set ``changes`` on the locked row and count a new version, without validating or saving.

    Returns the fields that really change (empty: nothing to do). Raises ConflictError as
    :func:`save_versioned` does. For writers that validate and save many rows at once (the
    workbook import); every other writer calls :func:`save_versioned`.
    """
    changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
    if locked.version != version and changed:
        # Stale, and the row does not already hold this input. (A double click's second
        # request finds its own first request's values: nothing to do, not a conflict.)
        others = changes_since(locked, version)
        raise ConflictError(conflict_message(noun, others), current=locked, changes=others)
    if not changed:
        return {}
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.mark_changed(user)
    locked._history_user = user
    return changed
