"""Who may take which step of the vaststelling and the tenant views (`rules` predicates).

The role predicates come from accounts.predicates; these add what depends on the
evaluation's own state. Services ask the same permissions again, views through
``require_perm``, templates through ``{% has_perm %}``.
"""

import rules

from accounts.models import UserRole
from agreements import predicates as p
from agreements.choices import PartyKind

#: Roles that may speak for their party in the vaststelling (a beheerder speaks for no party).
PARTY_ROLES = (UserRole.KERNTEAMLID, UserRole.MEDEWERKER, UserRole.HUURDERSORGANISATIE)


@rules.predicate
def decides_for_signing_party(user, jaarschijf):
    """The evaluation is complete and the user's party signed the jaarschijf (one query).

    The signing parties come from the jaarschijf's signatories, not from the code.
    """
    if jaarschijf is None or not user.is_authenticated or user.party_id is None:
        return False
    if user.role not in PARTY_ROLES:
        return False
    return jaarschijf.signatories.filter(
        party_id=user.party_id, jaarschijf__vaststelling__isnull=False
    ).exists()


@rules.predicate
def speaks_for_tenant_organisation(user):
    return (
        user.is_authenticated
        and user.party_id is not None
        and user.role in PARTY_ROLES
        and user.party.kind == PartyKind.HUURDERSORGANISATIE
    )


@rules.predicate
def is_logged_in(user):
    return user.is_authenticated


can_complete_evaluation = p.is_beheerder | (p.jaarschijf_open & p.is_kernteamlid)
can_decide_evaluation = p.jaarschijf_open & decides_for_signing_party
can_give_tenant_view = p.jaarschijf_open & speaks_for_tenant_organisation
#: Attachments are not public, even with PUBLIC_DASHBOARD: only logged-in users read them.
can_read_attachment = is_logged_in

rules.add_perm("evaluation.complete_evaluation", can_complete_evaluation)
rules.add_perm("evaluation.decide_evaluation", can_decide_evaluation)
rules.add_perm("evaluation.give_tenant_view", can_give_tenant_view)
rules.add_perm("evaluation.read_attachment", can_read_attachment)
