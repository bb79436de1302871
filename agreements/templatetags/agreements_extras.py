"""Template helpers for the agreement pages: ``{% load agreements_extras %}``."""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

#: What an action text may contain after rendering: paragraphs, emphasis, lists, quotes and
#: links. Anything else (scripts, styles, images, raw HTML, event handlers) is dropped.
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "a", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Markdown to HTML, sanitised to the small allow-list above."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


@register.filter(name="markdown", is_safe=True)
def markdown_filter(text):
    """``{{ action.text|markdown }}``: the text as safe HTML (sanitised, never raw)."""
    return mark_safe(render_markdown(str(text or "")))  # noqa: S308 - sanitised by nh3 above
