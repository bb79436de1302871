"""Who may act in the vaststelling.

Deciding on the evaluation and giving a zienswijze are acts *on behalf of the user's own
party*. Django lets a superuser (the beheerder) pass every ``has_perm``, but a beheerder has
no party to decide or speak for: for these acts the rule itself is asked (``rules.has_perm``,
without the superuser shortcut), so the page offers no form and the service refuses.
"""

import rules
from django.core.exceptions import PermissionDenied

from core.access import require_perm

#: Permissions that are acts on behalf of the user's party.
PARTY_ACTS = frozenset({"evaluation.decide_evaluation", "evaluation.give_tenant_view"})


def may(user, perm: str, jaarschijf) -> bool:
    """Whether the user has ``perm`` on the jaarschijf (for a party act: by its rule only)."""
    if not user.is_authenticated:
        return False
    if perm in PARTY_ACTS:
        return rules.has_perm(perm, user, jaarschijf)
    return user.has_perm(perm, jaarschijf)


def require(user, perm: str, jaarschijf) -> None:
    """403 unless :func:`may`."""
    if perm not in PARTY_ACTS:
        require_perm(user, perm, jaarschijf)
    elif not may(user, perm, jaarschijf):
        raise PermissionDenied
