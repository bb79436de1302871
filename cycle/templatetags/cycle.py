"""Milestones on pages of other apps (action page, dashboard, party pages), one query each.

Those apps do not import the cycle; their templates load these tags.
"""

from django import template

from cycle.models import Milestone, today

register = template.Library()


def _editable(user, milestones):
    if not user.is_authenticated or not milestones:
        return set()
    return set(
        Milestone.objects.filter(pk__in=[m.pk for m in milestones])
        .editable_by(user)
        .values_list("pk", flat=True)
    )


@register.inclusion_tag("cycle/_action_milestones.html", takes_context=True)
def action_milestones(context, action):
    """The action's milestones with their state; move/close for who may."""
    user = context["user"]
    milestones = list(action.milestones.select_related("responsible", "done_by"))
    return {
        "action": action,
        "milestones": milestones,
        "editable": _editable(user, milestones),
        "today": today(),
        "user": user,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "can_add": user.is_authenticated and user.has_perm("cycle.add_milestone", action),
    }


@register.inclusion_tag("cycle/_overdue_milestones.html")
def overdue_milestones(actions, party=None):
    """Actions with open milestones past their term, from the ``overdue_milestones`` annotation
    the page's action query already carries (``Action.objects.with_overdue_milestones``): no
    query of its own, so the dashboard and party pages stay within their query bound."""
    late = [a for a in actions if getattr(a, "overdue_milestones", 0)]
    return {
        "late_actions": late,
        "late_total": sum(a.overdue_milestones for a in late),
        "party": party,
    }
