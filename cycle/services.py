"""Writes on the cycle: add, move and close milestones; open, answer and close rounds.

Same pattern as agreements/services.py: check the permission again, lock the row, compare
the version the user saw, ``full_clean``, save through the model so the history records who,
when and (for a move) why.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.evidence import validate_evidence
from core.access import require_perm
from core.versioning import save_versioned

from .models import Milestone, ReportingRound, RoundItem, Submission
from .rounds import asked_parties, build_snapshot

ROUND_ASKS_NOTHING = "Kies ten minste één onderdeel dat de ronde vraagt."


@transaction.atomic
def add_milestone(
    *, jaarschijf, action, user, description, due_date, due_precision, due_text, responsible
) -> Milestone:
    require_perm(user, "cycle.add_milestone", action)
    if action is None:
        require_perm(user, "cycle.manage_round", jaarschijf)
    base = f"{action.number if action else 'jaarschijf'}-{due_date:%Y%m%d}"
    code, n = base, 1
    while Milestone.objects.filter(jaarschijf=jaarschijf, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    milestone = Milestone(
        jaarschijf=jaarschijf,
        action=action,
        code=code.replace(".", "-"),
        description=description.strip(),
        due_date=due_date,
        due_precision=due_precision,
        due_text=due_text.strip(),
        responsible=responsible,
    )
    milestone._history_user = user
    milestone.full_clean()
    milestone.save()
    return milestone


def _locked(milestone: Milestone) -> Milestone:
    return (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("jaarschijf", "action")
        .get(pk=milestone.pk)
    )


@transaction.atomic
def move_milestone(
    *,
    milestone: Milestone,
    user,
    version: int,
    due_date: date,
    due_precision: str,
    due_text: str,
    reason: str,
) -> Milestone:
    """Give the milestone a new due date; the reason is kept in its history."""
    locked = _locked(milestone)
    require_perm(user, "cycle.manage_milestone", locked)
    if not reason.strip():
        raise ValidationError({"reason": "Schrijf waarom de mijlpaal verschuift."})
    locked._change_reason = f"Verschoven: {reason.strip()}"
    save_versioned(
        locked=locked,
        user=user,
        version=version,
        changes={
            "due_date": due_date,
            "due_precision": due_precision,
            "due_text": due_text.strip(),
        },
        noun="deze mijlpaal",
    )
    return locked


@transaction.atomic
def close_milestone(
    *,
    milestone: Milestone,
    user,
    version: int,
    reopen: bool = False,
    done_on: date | None = None,
    note: str = "",
) -> Milestone:
    """Mark the milestone done on ``done_on`` (today when not given), recorded now by
    ``user`` with an optional note that stands with it (and in its history); or open it
    again, without the note (the history keeps it)."""
    locked = _locked(milestone)
    require_perm(user, "cycle.manage_milestone", locked)
    if reopen:
        locked._change_reason = "Heropend"
        changes = {"done_on": None, "done_at": None, "done_by": None, "done_note": ""}
    else:
        note = " ".join(note.split())
        locked._change_reason = f"Afgerond: {note}" if note else "Afgerond"
        changes = {
            "done_on": done_on or timezone.localdate(),
            "done_at": timezone.now(),
            "done_by": user,
            "done_note": note,
        }
    save_versioned(locked=locked, user=user, version=version, changes=changes, noun="deze mijlpaal")
    return locked


@transaction.atomic
def open_round(
    *, jaarschijf, user, name, period_start, period_end, deadline, items
) -> ReportingRound:
    """Open a round with its items: dicts of ``kind`` and optional ``indicator, party, label``."""
    require_perm(user, "cycle.manage_round", jaarschijf)
    reporting_round = ReportingRound(
        jaarschijf=jaarschijf,
        name=name.strip(),
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
    )
    reporting_round._history_user = user
    # The round's own rules and "a round asks something", told together.
    errors: dict = {}
    try:
        reporting_round.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if not items:
        errors.setdefault(NON_FIELD_ERRORS, []).append(ROUND_ASKS_NOTHING)
    if errors:
        raise ValidationError(errors)
    reporting_round.save()
    for order, fields in enumerate(items, start=1):
        item = RoundItem(round=reporting_round, sort_order=order, **fields)
        item._history_user = user
        item.full_clean()
        item.save()
    return reporting_round


@transaction.atomic
def submit_deliverable(
    *, item: RoundItem, user, text: str = "", evidence_url: str = "", file=None
) -> Submission:
    """The user's party answers a deliverable item of an open round: figures or a
    explanation, a link, and/or a file (checked on its content, like evidence files)."""
    locked_round = ReportingRound.objects.select_for_update().get(pk=item.round_id)
    require_perm(user, "cycle.submit_deliverable", locked_round)
    if not locked_round.is_open:
        raise ValidationError("Deze ronde is gesloten; aanleveren kan niet meer.")
    if user.party_id not in {p.pk for p in asked_parties(item)}:
        raise ValidationError("Deze ronde vraagt dit stuk niet van uw partij.")
    submission = Submission(
        item=item,
        party=user.party,
        author=user,
        text=text.strip(),
        evidence_url=evidence_url.strip(),
    )
    if file is not None:
        try:
            submission.file_kind = validate_evidence(file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        submission.original_name = (file.name or "bestand")[-255:]
        submission.file_size = file.size
        submission.file.save(submission.original_name, file, save=False)
    submission._history_user = user
    submission.full_clean()
    submission.save()
    return submission


@transaction.atomic
def close_round(*, reporting_round: ReportingRound, user, version: int) -> ReportingRound:
    """Freeze the round: store what every ask says now; the report is made from this only."""
    locked = (
        ReportingRound.objects.select_for_update()
        .select_related("jaarschijf")
        .get(pk=reporting_round.pk)
    )
    require_perm(user, "cycle.manage_round", locked)
    if not locked.is_open:
        raise ValidationError("Deze ronde is al gesloten.")
    now = timezone.now()
    save_versioned(
        locked=locked,
        user=user,
        version=version,
        changes={
            "status": ReportingRound.Status.CLOSED,
            "closed_at": now,
            "closed_by": user,
            "snapshot": build_snapshot(locked, now=now),
        },
        noun="deze ronde",
    )
    return locked
