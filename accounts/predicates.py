"""Role predicates: what the user's role alone decides (`rules`).

The rules that also look at the user's party or at the object (a jaarschijf, an action) are
the domain's: agreements/predicates.py.
"""

import rules

from accounts.models import UserRole


@rules.predicate
def is_beheerder(user):
    return user.is_authenticated and (user.is_superuser or user.role == UserRole.BEHEERDER)


@rules.predicate
def is_kernteamlid(user):
    return user.is_authenticated and user.role == UserRole.KERNTEAMLID
