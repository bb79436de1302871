"""Milestones on pages of other apps (action page, dashboard, party pages), one query each.

Those apps do not import the cycle; their templates load these tags.
"""

from django import template
from django.db.models import Exists, OuterRef
from django.utils.html import format_html

from cycle.models import Milestone, today, wide_milestones

register = template.Library()


@register.inclusion_tag("cycle/_action_milestones.html", takes_context=True)
def action_milestones(context, action):
    """The action's milestones with their state; move/close for who may. One query.

    ``can_edit`` is the QuerySet twin (``Milestone.objects.editable_by``) as an annotation.
    For a milestone of an action the rule to change it is the rule to add one (kernteam, or
    the trekker's party), so the add link follows the milestones and asks ``rules`` only
    when the action has none.
    """
    user = context["user"]
    milestones = action.milestones.select_related("responsible", "done_by")
    editable = Milestone.objects.editable_by(user) if user.is_authenticated else None
    if editable is not None and not editable.query.is_empty():
        milestones = milestones.annotate(can_edit=Exists(editable.filter(pk=OuterRef("pk"))))
    milestones = list(milestones)
    if milestones:
        can_add = any(getattr(m, "can_edit", False) for m in milestones)
    else:
        can_add = user.is_authenticated and user.has_perm("cycle.add_milestone", action)
    return {
        "action": action,
        "milestones": milestones,
        "editable": set(),
        "today": today(),
        "user": user,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "can_add": can_add,
    }


@register.inclusion_tag("cycle/_overdue_milestones.html")
def overdue_milestones(actions, party=None):
    """Actions with open milestones past their term, from the ``overdue_milestones`` annotation
    the page's action query already carries (``Action.objects.with_overdue_milestones``): no
    query of its own, so the dashboard and party pages stay within their query bound."""
    late = [a for a in actions if getattr(a, "overdue_milestones", 0)]
    return {
        "late_actions": late,
        # Written here: the list can hold every action of a jaarschijf.
        "late_items": [
            format_html(
                '<li class="utrecht-unordered-list__item"><a class="utrecht-link '
                'utrecht-link--html-a" href="{}#mijlpalen">Afspraak {}</a>: {} mijlpa{} te laat '
                "– {}</li>",
                action.get_absolute_url(),
                action.number,
                action.overdue_milestones,
                "al" if action.overdue_milestones == 1 else "len",
                action.short_text,
            )
            for action in late
        ],
        "late_total": sum(a.overdue_milestones for a in late),
        "party": party,
    }


@register.inclusion_tag("cycle/_wide_milestones.html")
def jaarschijf_milestones(jaarschijf):
    """The open milestones of the jaarschijf as a whole (the dashboard): read from the
    jaarschijf's ``open_wide_milestones`` annotation, no query of its own."""
    milestones = wide_milestones(jaarschijf)
    return {
        "jaarschijf": jaarschijf,
        "milestones": milestones,
        "overdue_count": sum(1 for m in milestones if m.is_overdue),
    }
