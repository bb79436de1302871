"""The navigation's place for the EFG entry: ``{% may_enter_efg as show %}``."""

from django import template

from sustainability.access import may_enter_label_figures

register = template.Library()


@register.simple_tag(takes_context=True)
def may_enter_efg(context) -> bool:
    return may_enter_label_figures(context["user"], context.get("jaarschijf"))
