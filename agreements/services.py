"""Writes on the agreements: progress updates, kernteam evaluations, indicator realisations.

Every write here
- checks the `rules` permission again (a view may forget, a service may not),
- locks the row it guards with ``select_for_update`` and compares what the user saw with what
  is stored now, so that a second person's save never silently overwrites the first's,
- validates with ``full_clean`` before saving, inside one transaction,
- saves through the model (never ``QuerySet.update``), so django-simple-history records the
  user, the time and the values.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from core.access import require_perm
from core.formats import nl_datetime
from core.versioning import ConflictError, describe_user, save_versioned

from .evidence import validate_evidence
from .models import Action, Evaluation, IndicatorValue, ProgressEvidence, ProgressUpdate


def _latest(queryset):
    return queryset.select_related("author").order_by("-created_at", "-pk").first()


def _same_submission(latest, author, **fields) -> bool:
    """Whether ``latest`` is this author's own entry with exactly these values.

    A double click (or a resent form) posts twice with the same ``seen_latest_id``; the
    second request finds the first one's entry. That is the user's own input, stored once:
    answered as saved, never as "niet opgeslagen", and not appended a second time.
    """
    return latest.author_id == getattr(author, "pk", None) and all(
        getattr(latest, name) == value for name, value in fields.items()
    )


@transaction.atomic
def post_progress_update(
    *,
    action: Action,
    author,
    status: str,
    percent_done: int,
    explanation: str = "",
    evidence_url: str = "",
    is_public: bool = False,
    seen_latest_id: int | None,
    files=(),
) -> ProgressUpdate:
    """Append a progress update to the action; its status becomes the action's status.

    ``seen_latest_id`` is the latest update the author saw when the form was rendered (None
    if there was none). When someone posted a newer one meanwhile, ConflictError carries it and
    nothing is saved: the author should read it first.
    """
    locked = (
        Action.objects.select_for_update(of=("self",))
        .select_related("jaarschijf")
        .get(pk=action.pk)
    )
    require_perm(author, "agreements.update_action", locked)
    latest = _latest(locked.updates.select_related("party"))
    if latest is not None and latest.pk != seen_latest_id:
        if _same_submission(
            latest,
            author,
            status=status,
            percent_done=percent_done,
            explanation=explanation.strip(),
            evidence_url=evidence_url.strip(),
            is_public=is_public,
        ):
            return latest
        raise ConflictError(
            f"Niet opgeslagen: {describe_user(latest.author)} heeft op "
            f"{nl_datetime(latest.created_at)} een nieuwere voortgang geplaatst, nadat u het "
            "formulier opende. Lees die eerst en plaats uw update opnieuw als die dan nog klopt.",
            current=latest,
        )
    update = ProgressUpdate(
        action=locked,
        author=author,
        party=author.party,
        status=status,
        percent_done=percent_done,
        explanation=explanation.strip(),
        evidence_url=evidence_url.strip(),
        is_public=is_public,
    )
    update._history_user = author
    kinds = [validate_evidence(uploaded) for uploaded in files]
    update.has_new_files = bool(files)
    update.full_clean()
    update.save()
    for uploaded, kind in zip(files, kinds, strict=True):
        evidence = ProgressEvidence(
            update=update,
            original_name=(uploaded.name or "bestand")[-255:],
            kind=kind,
            size=uploaded.size,
            uploaded_by=author,
        )
        evidence.file.save(evidence.original_name, uploaded, save=False)
        evidence._history_user = author
        evidence.save()
    return update


@transaction.atomic
def evaluate_action(
    *,
    action: Action,
    author,
    assessment: str,
    explanation: str,
    seen_latest_id: int | None,
) -> Evaluation:
    """Record the kernteam's judgement of an action; the latest evaluation counts.

    Like progress updates, evaluations are appended; ``seen_latest_id`` guards against two
    kernteam members judging at the same time without seeing each other's judgement.
    """
    locked = (
        Action.objects.select_for_update(of=("self",))
        .select_related("jaarschijf")
        .get(pk=action.pk)
    )
    require_perm(author, "agreements.evaluate_action", locked)
    latest = _latest(locked.evaluations)
    if latest is not None and latest.pk != seen_latest_id:
        if _same_submission(latest, author, assessment=assessment, explanation=explanation.strip()):
            return latest
        raise ConflictError(
            f"Niet opgeslagen: {describe_user(latest.author)} heeft op "
            f"{nl_datetime(latest.created_at)} al een nieuwere evaluatie vastgelegd "
            f"({latest.get_assessment_display().lower()}), nadat u het formulier opende. Lees "
            "die eerst en leg uw oordeel opnieuw vast als het dan nog klopt.",
            current=latest,
        )
    evaluation = Evaluation(
        action=locked, author=author, assessment=assessment, explanation=explanation.strip()
    )
    evaluation._history_user = author
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def record_indicator_realisation(
    *,
    value: IndicatorValue,
    user,
    version: int,
    realised: Decimal | None,
    realised_note: str = "",
    realised_comparator: str = "exact",
) -> IndicatorValue:
    """Store the realised figure of an indicator value (and its note).

    ``version`` is the value's version when the form was rendered; ConflictError if someone
    saved it since. Returns the value as stored.
    """
    locked = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("indicator__jaarschijf", "party")
        .get(pk=value.pk)
    )
    require_perm(user, "agreements.update_indicatorvalue", locked)
    save_versioned(
        locked=locked,
        user=user,
        version=version,
        changes={
            "realised": realised,
            "realised_comparator": realised_comparator,
            "realised_note": realised_note.strip(),
        },
        noun="deze realisatie",
    )
    return locked
