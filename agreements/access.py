"""Objects for the agreement views: 404 when they do not exist, 403 when the user may not write.

The permission itself lives in the `rules` predicates (accounts/predicates.py); these helpers
only fetch the object with what its page needs and ask the permission for that very object.
"""

from django.shortcuts import get_object_or_404

from core.access import require_perm

from .models import Action, ActionParty, IndicatorValue

#: What the action page shows of an action besides its own columns.
ACTION_RELATED = ("jaarschijf__municipality", "theme", "origin__jaarschijf")


def action_queryset():
    return Action.objects.select_related(*ACTION_RELATED)


def get_action(year: int, number: str) -> Action:
    return get_object_or_404(action_queryset(), jaarschijf__year=year, number=number)


def get_action_with_parties(year: int, number: str) -> tuple[Action, list[ActionParty]]:
    """The action and its parties (lead marked), in one query: through the party rows.

    Every action in the document names at least one party; one without falls back to a
    query of its own.
    """
    rows = list(
        ActionParty.objects.select_related("party", *(f"action__{p}" for p in ACTION_RELATED))
        .filter(action__jaarschijf__year=year, action__number=number)
        .order_by("sort_order", "pk")
    )
    if not rows:
        return get_action(year, number), []
    action = rows[0].action
    for row in rows:
        row.action = action
    return action, rows


def get_action_for_update(user, year: int, number: str) -> Action:
    """The action, if the user may post progress updates on it (else 403)."""
    action = get_action(year, number)
    require_perm(user, "agreements.update_action", action)
    return action


def get_action_for_evaluation(user, year: int, number: str) -> Action:
    """The action, if the user may record the kernteam's evaluation of it (else 403)."""
    action = get_action(year, number)
    require_perm(user, "agreements.evaluate_action", action)
    return action


def get_indicator_value_for_update(user, pk: int) -> IndicatorValue:
    """The indicator value, if the user may record its realisation (else 403)."""
    value = get_object_or_404(
        IndicatorValue.objects.select_related(
            "indicator__jaarschijf", "indicator__action__jaarschijf", "party"
        ),
        pk=pk,
    )
    require_perm(user, "agreements.update_indicatorvalue", value)
    return value
