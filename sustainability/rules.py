import rules

from agreements import predicates as p

rules.add_perm("sustainability.update_labelfigure", p.can_update_corporation_row)
rules.add_perm("sustainability.update_batstock", p.can_update_corporation_row)
