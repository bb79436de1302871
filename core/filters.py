"""Filter form building blocks shared by the list pages."""

from django import forms
from django.utils.safestring import mark_safe

from core.formats import escape_html


class FastSelect(forms.Select):
    """A select that writes its options in Python.

    Django renders every option through its own template include; for a filter form with a
    few dozen options that is a noticeable part of the page. Same markup, same attributes
    (``flat_attributes`` writes them as Django's ``flatatt`` does).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f"<option{flat_attributes({'value': option['value'], **option['attrs']})}>"
            f"{escape_html(option['label'])}</option>"
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        )
        return mark_safe(  # noqa: S308 - attributes and labels escaped
            f"<select{flat_attributes({'name': widget['name'], **widget['attrs']})}>"
            f"{options}</select>"
        )


def flat_attributes(attrs: dict) -> str:
    """Django's ``flatatt`` without ``format_html`` per attribute: ``key="value"`` pairs in
    key order, then the attributes that are True, by name; False and None left out."""
    pairs = sorted((key, value) for key, value in attrs.items() if not isinstance(value, bool))
    flags = sorted(key for key, value in attrs.items() if value is True)
    return "".join(
        f' {escape_html(key)}="{escape_html(value)}"' for key, value in pairs if value is not None
    ) + "".join(f" {escape_html(key)}" for key in flags)
