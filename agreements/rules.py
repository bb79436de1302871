import rules

from agreements import predicates as p

rules.add_perm("agreements.update_action", p.can_update_action)
rules.add_perm("agreements.evaluate_action", p.can_evaluate_action)
rules.add_perm("agreements.update_indicatorvalue", p.can_update_indicator_value)
rules.add_perm("agreements.export_evaluation", p.can_export_evaluation)
rules.add_perm("agreements.import_workbook", p.can_import_workbook)
rules.add_perm("agreements.manage_jaarschijf", p.can_manage_jaarschijf)
