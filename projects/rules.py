import rules

from agreements import predicates as p

rules.add_perm("projects.update_project", p.can_update_corporation_row)
