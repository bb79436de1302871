"""Template tags of the NL Design System templates: ``{% load ui %}``.

The Dutch formats are registered from :mod:`core.formats` and the status badge from
:mod:`core.badges`; what is left here is template plumbing (pagination, form widgets).
"""

import re

from django import forms, template
from django.forms.boundfield import BoundWidget
from django.http import QueryDict
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core import formats
from core.badges import render_badge

register = template.Library()

for _name in ("nl_number", "nl_decimal", "nl_percent", "nl_date", "nl_datetime"):
    register.filter(_name, getattr(formats, _name), is_safe=True)
register.filter("bar_width", formats.bar_width)
register.filter("percent_of", formats.percent_of)
person = register.filter("person", formats.person)


def on_one_line(text):
    """``text`` (escaped) in an element that does not wrap."""
    return format_html('<span class="heerlen-nowrap">{}</span>', text)


@register.filter
def nl_date_whole(value):
    """``nl_date`` kept on one line in running text ("22-12-2026", never "22-12-" and "2026"
    on two lines when the text is large). Not for attribute values."""
    return on_one_line(formats.nl_date(value))


#: A date as the pages and the document write it (dd-mm-jjjj), inside a text.
DATE_IN_TEXT = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")


@register.filter
def dates_whole(text):
    """``text`` escaped, each date in it (dd-mm-jjjj, as in "per 01-07-2024") kept on one
    line: a narrow card breaks the text around a date, never at the date's hyphens."""
    return mark_safe(  # noqa: S308 - escaped first; the spans hold only digits and hyphens
        DATE_IN_TEXT.sub(lambda match: on_one_line(match[0]), str(conditional_escape(text)))
    )


@register.filter(name="status_badge", is_safe=True)
def status_badge_filter(value, label=None):
    """``{{ action.status|status_badge:action.get_status_display }}`` -> a badge element."""
    return render_badge(value, label)


@register.simple_tag(name="status_badge")
def status_badge_tag(value, label=None):
    """``{% status_badge action.status action.get_status_display %}`` -> a badge element."""
    return render_badge(value, label)


# --- Pagination ---------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def page_url(context, param, number):
    """The current URL's query string with ``param`` set to ``number`` (other keys kept)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        query = QueryDict(mutable=True)
    query[str(param or "page")] = str(number)
    return "?" + query.urlencode()


@register.filter
def elided_pages(page, on_each_side=2):
    """Page numbers around the current one, with ``None`` where numbers are left out."""
    try:
        paginator, number = page.paginator, page.number
    except AttributeError:
        return []
    ellipsis = getattr(paginator, "ELLIPSIS", "…")
    return [
        None if p == ellipsis else p
        for p in paginator.get_elided_page_range(number, on_each_side=int(on_each_side), on_ends=1)
    ]


# --- Forms --------------------------------------------------------------------------------

_TEXT_INPUT_TYPES = {
    "text",
    "email",
    "url",
    "tel",
    "number",
    "password",
    "search",
    "date",
    "datetime-local",
    "time",
    "month",
    "week",
}


def widget_classes(widget, invalid: bool) -> list[str]:
    """The Utrecht classes for a widget (by its input type), plus the invalid modifier."""
    if isinstance(widget, forms.MultiWidget) and widget.widgets:
        # The attrs reach every part (e.g. date and time of a SplitDateTimeWidget).
        return widget_classes(widget.widgets[0], invalid)
    input_type = getattr(widget, "input_type", None)
    if isinstance(widget, forms.Textarea):
        base = "utrecht-textarea"
        classes = [base, "utrecht-textarea--html-textarea"]
    elif isinstance(widget, forms.Select) or input_type == "select":
        base = "utrecht-select"
        classes = [base, "utrecht-select--html-select"]
    elif input_type == "checkbox":
        base = "utrecht-checkbox"
        classes = [base, "utrecht-checkbox--html-input", "utrecht-checkbox--custom"]
    elif input_type == "radio":
        base = "utrecht-radio-button"
        classes = [base, "utrecht-radio-button--html-input"]
    elif input_type == "file":
        return ["heerlen-file-input"]
    elif input_type in _TEXT_INPUT_TYPES:
        base = "utrecht-textbox"
        classes = [base, "utrecht-textbox--html-input"]
        if input_type == "number":
            classes.append("utrecht-textbox--numeric")
        elif input_type == "password":
            classes.append("utrecht-textbox--password")
        elif input_type == "url":
            classes.append("utrecht-textbox--url")
    else:
        return []
    if invalid:
        classes.append(f"{base}--invalid")
    return classes


def _merge_class(existing, extra) -> str:
    names = (existing or "").split() + list(extra)
    return " ".join(dict.fromkeys(n for n in names if n))


def field_kind(bound_field) -> str:
    """How forms/field.html lays a field out: 'hidden', 'choices' (radios or boxes in a
    fieldset), 'fieldset' (another widget of several inputs, e.g. date and time), 'checkbox'
    (a single box) or 'input'."""
    widget = bound_field.field.widget
    if bound_field.is_hidden:
        return "hidden"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if bound_field.use_fieldset:
        return "fieldset"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def field_anchor(bound_field):
    """The id to link to from the error summary: the input's id, or its first part's."""
    if bound_field.id_for_label:
        return bound_field.id_for_label
    if bound_field.auto_id:
        return f"{bound_field.auto_id}_0"
    return ""


@register.filter
def field_kind_of(bound_field):
    return field_kind(bound_field)


@register.filter(is_safe=True)
def nlds_widget(bound_field):
    """Render a bound field's widget with the Utrecht classes (and Django's aria attributes).

    The parts of a widget in a fieldset (date and time, say) are named by its legend.
    """
    widget = bound_field.field.widget
    classes = widget_classes(widget, bool(bound_field.errors))
    attrs = {}
    if classes:
        attrs["class"] = _merge_class(widget.attrs.get("class"), classes)
    if field_kind(bound_field) == "fieldset" and bound_field.auto_id:
        attrs["aria-labelledby"] = f"{bound_field.auto_id}_legend"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def nlds_options(bound_field):
    """The options of a radio/checkbox list, each input carrying the Utrecht classes."""
    widget = bound_field.field.widget
    id_ = widget.attrs.get("id") or bound_field.auto_id
    attrs = {"id": id_} if id_ else {}
    attrs = bound_field.build_widget_attrs(attrs)
    classes = widget_classes(widget, bool(bound_field.errors))
    if classes:
        attrs["class"] = _merge_class(widget.attrs.get("class"), classes)
    return [
        BoundWidget(widget, sub, bound_field.form.renderer)
        for sub in widget.subwidgets(bound_field.html_name, bound_field.value(), attrs=attrs)
    ]


@register.filter
def fields_with_errors(fields):
    """From a form template's ``fields`` [(bound field, errors)], those that have errors."""
    return [(field, errors) for field, errors in fields or () if errors]


@register.filter
def nl_minutes(value):
    """A timedelta (or a number of seconds) as whole minutes, at least 1: ``30``."""
    if value is None or value == "":
        return ""
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value)
    return max(1, round(seconds / 60))


@register.filter(is_safe=True)
def html_attrs(attrs, extra_class=""):
    """Render an attribute mapping (e.g. a django-tables2 ``table.attrs``) with extra classes.

    ``<table {{ table.attrs|html_attrs:"utrecht-table utrecht-table--html-table" }}>``; keys
    whose value is None or a nested mapping (th, td, thead …) are left out.
    """
    items = dict(attrs or {})
    classes = _merge_class(str(items.get("class") or ""), str(extra_class or "").split())
    if classes:
        items["class"] = classes
    parts = []
    for key, value in items.items():
        if callable(value):
            value = value()
        if value is None or isinstance(value, dict):
            continue
        parts.append(format_html('{}="{}"', key, value))
    return SafeString(" ".join(parts))


def _has_errors(value) -> bool:
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, forms.BaseFormSet):
        return value.is_bound and not value.is_valid()
    return False


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """Whether the page shows a refused form: its title then starts with "Fout:".

    True for any bound form or formset in the context that has errors, and for the
    ``page_errors`` a view passes for errors outside a form (a conflict on a formset).
    """
    flat = context.flatten()
    if flat.get("page_errors"):
        return True
    return any(_has_errors(value) for value in flat.values())
