"""Who may change the cycle: milestones and reporting rounds (`rules` predicates).

Twins for lists: ``Milestone.objects.editable_by(user)``.
"""

import rules
from django.db.models import Q

from accounts.predicates import is_beheerder, is_kernteamlid
from agreements.models import Party
from agreements.predicates import is_medewerker, jaarschijf_open, part_in_action


@rules.predicate
def leads_action(user, action):
    """The user's party is trekker of the action, directly or through a collective."""
    return part_in_action(user, action)[1]


@rules.predicate
def answers_for_milestone(user, milestone):
    """Trekker of the milestone's action; for a jaarschijf-wide one: the responsible party."""
    if milestone is None or user.party_id is None:
        return False
    if milestone.action_id:
        return leads_action(user, milestone.action)
    return (
        Party.objects.filter(pk=milestone.responsible_id)
        .filter(Q(pk=user.party_id) | Q(members=user.party_id))
        .exists()
    )


@rules.predicate
def of_own_party(user, submission):
    return (
        submission is not None
        and user.party_id is not None
        and (submission.party_id == user.party_id)
    )


can_add_milestone = is_beheerder | (
    jaarschijf_open & (is_kernteamlid | (is_medewerker & leads_action))
)
can_manage_milestone = is_beheerder | (
    jaarschijf_open & (is_kernteamlid | (is_medewerker & answers_for_milestone))
)
can_manage_round = is_beheerder | (jaarschijf_open & is_kernteamlid)
#: Answer a round's deliverable for one's own party (the view checks the party is asked).
can_submit = is_beheerder | is_kernteamlid | is_medewerker

rules.add_perm("cycle.add_milestone", can_add_milestone)
rules.add_perm("cycle.manage_milestone", can_manage_milestone)
rules.add_perm("cycle.manage_round", can_manage_round)
rules.add_perm("cycle.submit_deliverable", can_submit)
#: A file delivered in a round: the kernteam and the party that delivered it.
can_view_submission_file = is_beheerder | is_kernteamlid | of_own_party
rules.add_perm("cycle.view_submission_file", can_view_submission_file)
