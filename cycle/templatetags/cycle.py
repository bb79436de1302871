"""Milestones on pages of other apps (action page, dashboard, party pages), one query each.

Those apps do not import the cycle; their templates load these tags.
"""

from urllib.parse import quote

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from core.formats import nl_date, person
from core.templatetags.ui import dates_whole, nl_date_whole
from cycle.models import today, wide_milestones

register = template.Library()


@register.inclusion_tag("cycle/_action_milestones.html", takes_context=True)
def action_milestones(context, action):
    """The action's milestones with their state; move/close for who may. One query for the
    milestones and at most one for the rule.

    For a milestone of an action the rule to change it is the rule to add one (kernteam, or
    the trekker's party, while the jaarschijf is open: ``cycle.rules``), so ``rules`` is
    asked once for the action and its answer holds for every milestone of it. (A per-row
    ``editable_by`` annotation gave the same answer at a higher price: building and planning
    its nested subqueries cost more than the rows, also on an action without milestones.)
    """
    user = context["user"]
    milestones = list(action.milestones.select_related("responsible", "done_by"))
    can_add = user.is_authenticated and user.has_perm("cycle.add_milestone", action)
    for milestone in milestones:
        milestone.can_edit = can_add
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


@register.simple_tag(takes_context=True)
def milestone_rows(context, milestones, *, show_jaarschijf=False, hide_action=False):
    """The rows of cycle/_milestone_table.html, written here: the template resolved some forty
    variables per milestone (tests/test_fast_rendering.py compares the two)."""
    user = context.get("user")
    writer = bool(user is not None and user.is_authenticated and user.can_write)
    signed_in = bool(user is not None and user.is_authenticated)
    editable = context.get("editable") or ()
    on = context.get("today")
    request = context.get("request")
    full_path = request.get_full_path() if request is not None else ""
    next_path = conditional_escape(full_path)
    next_query = conditional_escape(quote(full_path, safe=""))
    csrf = _csrf_input(context.get("csrf_token"))
    rows = []
    for m in milestones:
        short = conditional_escape(m.short_description)
        cells = [
            f'<th scope="row" class="heerlen-cell-prose">{dates_whole(m.short_description)}</th>'
        ]
        if show_jaarschijf:
            cells.append(f'<td data-label="Jaarschijf">{m.jaarschijf.year}</td>')
        cells.append(
            f'<td class="heerlen-nowrap" data-label="Uiterlijk">{nl_date(m.due_date)}</td>'
        )
        cells.append(
            f'<td data-label="Termijn zoals afgesproken">{conditional_escape(m.due_text)}</td>'
        )
        if not hide_action:
            action = m.action
            link = (
                format_html(
                    '<a class="utrecht-link utrecht-link--html-a" href="{}">{}</a>',
                    action.get_absolute_url(),
                    action.number,
                )
                if action
                else '<span class="heerlen-muted">Jaarschijf</span>'
            )
            cells.append(f'<td data-label="Afspraak">{link}</td>')
        cells.append(
            f'<td data-label="Verantwoordelijk">{conditional_escape(m.responsible_label)}</td>'
        )
        if m.is_done:
            # One element: in a card the cell is a grid of label and value.
            state = f"<span>Afgerond op {nl_date_whole(m.done_on)}"
            if m.done_by and signed_in:
                state += f" door {conditional_escape(person(m.done_by))}"
            if m.done_note:
                state += f'<br><span class="heerlen-muted">{conditional_escape(m.done_note)}</span>'
            state += "</span>"
        elif on is not None and m.due_date < on:
            state = '<strong class="heerlen-late">Te laat</strong>'
        else:
            state = "Open"
        cells.append(f'<td data-label="Stand">{state}</td>')
        if writer:
            actions = ""
            if getattr(m, "can_edit", False) or m.pk in editable:
                move = (
                    f'<a class="utrecht-link utrecht-link--html-a" '
                    f'href="{conditional_escape(m.move_url)}">Verschuiven<span '
                    f'class="visually-hidden">: {short}</span></a>'
                )
                if m.is_done:
                    # Reopening asks nothing: one button, back to this list.
                    close = (
                        f'<form method="post" action="{conditional_escape(m.close_url)}" '
                        f'class="heerlen-inline-form">{csrf}<input type="hidden" '
                        f'name="version" value="{m.version}"><input type="hidden" '
                        f'name="reopen" value="on"><input type="hidden" name="next" '
                        f'value="{next_path}"><button class="utrecht-button '
                        'utrecht-button--subtle" type="submit">Heropenen<span '
                        f'class="visually-hidden">: {short}</span></button></form>'
                    )
                else:
                    # Closing asks the day it was reached: a page of its own.
                    close = (
                        f'<a class="utrecht-link utrecht-link--html-a" '
                        f'href="{conditional_escape(m.close_url)}?next={next_query}">Afronden'
                        f'<span class="visually-hidden">: {short}</span></a>'
                    )
                actions = f"\n          {move}\n          {close}\n        "
            cells.append(f'<td data-label="" class="heerlen-row-actions">{actions}</td>')
        rows.append("\n      <tr>\n        " + "\n        ".join(cells) + "\n      </tr>")
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


def _csrf_input(value) -> str:
    """What ``{% csrf_token %}`` writes for the context's ``csrf_token``."""
    if not value or value == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', value)
