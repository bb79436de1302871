"""``{% load evaluation %}``: where a carried-forward action or project came from."""

from django import template

from evaluation.report import svg_as_image
from evaluation.vaststelling import dashboard_summary

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


@register.simple_tag
def chart_image(svg, alt):
    """An SVG chart as <img> with ``alt`` text: the tagged PDF gives a figure its alt text."""
    return svg_as_image(svg, alt)


@register.filter
def chart_image_of(svg, alt):
    return chart_image(svg, alt)


@register.simple_tag
def evaluation_summary(jaarschijf):
    """The dashboard's view of the vaststelling and the tenant views (one query)."""
    return dashboard_summary(jaarschijf)


#: Where the report's own column headers may break on narrow paper (Dutch syllables).
SOFT_HYPHENS = {
    "Doorgeschoven": "Door\u00adge\u00adscho\u00adven",
    "beoordeeld": "be\u00adoor\u00addeeld",
    "behaald": "be\u00adhaald",
}


@register.filter
def soft_hyphens(label: str) -> str:
    """A verdict label with soft hyphens, so that a narrow printed column breaks it cleanly."""
    for word, hyphenated in SOFT_HYPHENS.items():
        label = label.replace(word, hyphenated)
    return label
