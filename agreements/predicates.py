"""Who may do what: the rules of the kernteam, as `rules` predicates.

Every write view asks these through ``user.has_perm(name, obj)``; templates ask the same
through ``{% has_perm %}``, so a hidden button and a refused POST never disagree.
Lists use the QuerySet twins (``editable_by``) so that they need no query per row.
"""

import rules

from accounts.models import UserRole
from accounts.predicates import is_beheerder, is_kernteamlid

from .choices import JaarschijfStatus, PartyKind


def jaarschijf_of(obj):
    for path in ("jaarschijf", "indicator.jaarschijf", "action.jaarschijf"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return obj


@rules.predicate
def is_medewerker(user):
    """A medewerker of a corporation or of the municipality (not of a tenant organisation)."""
    return (
        user.is_authenticated
        and user.role == UserRole.MEDEWERKER
        and user.party_id is not None
        and user.party.kind in (PartyKind.CORPORATIE, PartyKind.GEMEENTE)
    )


@rules.predicate
def is_gemeente_medewerker(user):
    return is_medewerker(user) and user.party.kind == PartyKind.GEMEENTE


@rules.predicate
def is_corporatie_medewerker(user):
    return is_medewerker(user) and user.party.kind == PartyKind.CORPORATIE


@rules.predicate
def jaarschijf_open(user, obj):
    """Once a jaarschijf is evaluated only the beheerder may change anything in it."""
    if obj is None:
        return True
    return not jaarschijf_of(obj).is_evaluated


def part_in_action(user, action) -> tuple[bool, bool]:
    """(takes part, is trekker) of the user's party in the action, directly or through a
    collective such as Woningcorporaties.

    One indexed read of the action's party links, kept on the action instance per party: a
    page that asks both (may report progress, may add a milestone) reads them once. The
    instance lives for one request; a change of the links is a write that reloads it.
    """
    if action is None or user.party_id is None:
        return False, False
    memo = action.__dict__.setdefault("_part_of_party", {})
    if user.party_id not in memo:
        leads = list(
            action.action_parties.filter(user.party.with_collectives_q("party"))
            .order_by()
            .values_list("is_lead", flat=True)
        )
        memo[user.party_id] = (bool(leads), any(leads))
    return memo[user.party_id]


@rules.predicate
def takes_part_in_action(user, action):
    """The user's party takes part directly or through a collective such as Woningcorporaties."""
    return part_in_action(user, action)[0]


@rules.predicate
def owns_corporation_row(user, obj):
    return obj is not None and user.party_id is not None and obj.corporation_id == user.party_id


@rules.predicate
def owns_indicator_value(user, value):
    return value is not None and user.party_id is not None and value.party_id == user.party_id


def editable_rows(queryset, user, *, own):
    """The rows of ``queryset`` the user may change: the list twin of the write rules below.

    Same ladder as the predicates: the beheerder everything, the kernteam everything of a
    jaarschijf not yet evaluated, a medewerker only ``own(rows)`` of such a jaarschijf, the
    rest nothing. ``own`` narrows the open rows to those of the user's party.
    """
    if is_beheerder(user):
        return queryset
    open_rows = queryset.exclude(jaarschijf__status=JaarschijfStatus.GEEVALUEERD)
    if is_kernteamlid(user):
        return open_rows
    if is_medewerker(user):
        return own(open_rows)
    return queryset.none()


can_update_action = is_beheerder | (
    jaarschijf_open & (is_kernteamlid | (is_medewerker & takes_part_in_action))
)
can_evaluate_action = is_beheerder | (jaarschijf_open & is_kernteamlid)
can_update_corporation_row = is_beheerder | (
    jaarschijf_open & (is_kernteamlid | (is_medewerker & owns_corporation_row))
)
can_update_indicator_value = is_beheerder | (
    jaarschijf_open & (is_kernteamlid | (is_medewerker & owns_indicator_value))
)
can_export_evaluation = is_beheerder | is_kernteamlid | is_gemeente_medewerker
can_import_workbook = is_beheerder | (jaarschijf_open & (is_kernteamlid | is_corporatie_medewerker))
can_manage_jaarschijf = is_beheerder | (jaarschijf_open & is_kernteamlid)
