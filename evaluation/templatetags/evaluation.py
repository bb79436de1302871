"""``{% load evaluation %}``: where a carried-forward action or project came from."""

from django import template

register = template.Library()


@register.filter
def carried_from(obj) -> str:
    """'doorgeschoven uit 2024 – 3.2' for an action, '… – <name>' for a project; else ''.

    Select ``origin__jaarschijf`` with the rows to keep this free of queries.
    """
    origin = getattr(obj, "origin", None)
    if origin is None:
        return ""
    what = getattr(origin, "number", None) or getattr(origin, "name", "")
    return f"doorgeschoven uit {origin.jaarschijf.year} – {what}"
