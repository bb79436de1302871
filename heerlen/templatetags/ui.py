"""Small presentation helpers for the NL Design System templates.

Load with ``{% load ui %}`` (or register as a builtin). Every helper is Dutch-formatted and
independent of the active locale, so a figure reads the same everywhere: ``1.581``, ``1,4``,
``85 %``, ``28-02-2024`` and ``28-02-2024 14:05``.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms, template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

#: The dash shown for a missing value, with a word for screen readers.
UNKNOWN_HTML = SafeString(
    '<span aria-hidden="true">–</span><span class="visually-hidden">onbekend</span>'
)


def _unknown() -> SafeString:
    return UNKNOWN_HTML


def _to_decimal(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def format_nl(number: Decimal, decimals: int) -> str:
    """``Decimal('1581.46'), 1`` -> ``'1.581,5'`` (half up, thousands with a dot)."""
    quantum = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    text = f"{rounded:,.{max(decimals, 0)}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _decimals_of(arg, default: int | None) -> int | None:
    if arg in (None, ""):
        return default
    try:
        return max(0, min(int(arg), 6))
    except (TypeError, ValueError):
        return default


def _auto_decimals(number: Decimal, maximum: int) -> int:
    """The fewest decimals (up to ``maximum``) that show ``number`` as it is."""
    for decimals in range(maximum + 1):
        quantum = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
        if number == number.quantize(quantum, rounding=ROUND_HALF_UP):
            return decimals
    return maximum


@register.filter(is_safe=True)
def nl_number(value, decimals=0):
    """A number with Dutch separators: ``1581`` -> ``1.581``; ``None`` -> "–" (onbekend).

    An optional argument sets the decimals: ``{{ value|nl_number:1 }}`` -> ``1.581,4``.
    """
    number = _to_decimal(value)
    if number is None:
        return _unknown()
    return format_nl(number, _decimals_of(decimals, 0))


@register.filter(is_safe=True)
def nl_decimal(value, decimals=None):
    """A decimal number with a comma: ``1.4`` -> ``1,4``; ``2`` -> ``2``; ``1.25`` -> ``1,25``.

    Without an argument it shows as many decimals as the value has, at most two; with one it
    shows exactly that many: ``{{ value|nl_decimal:1 }}`` -> ``2,0``.
    """
    number = _to_decimal(value)
    if number is None:
        return _unknown()
    places = _decimals_of(decimals, None)
    if places is None:
        places = _auto_decimals(number, 2)
    return format_nl(number, places)


@register.filter(is_safe=True)
def nl_percent(value, decimals=None):
    """A percentage: ``85`` -> ``85 %``; ``85.5`` -> ``85,5 %``; ``None`` -> "–" (onbekend).

    The value is already a percentage (85 means 85 %). The optional argument fixes the decimals.
    """
    number = _to_decimal(value)
    if number is None:
        return _unknown()
    places = _decimals_of(decimals, None)
    if places is None:
        places = _auto_decimals(number, 1)
    return f"{format_nl(number, places)} %"


@register.filter(is_safe=True)
def nl_date(value):
    """``date(2024, 2, 28)`` -> ``28-02-2024``; an aware datetime in local time first."""
    if value in (None, ""):
        return _unknown()
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, datetime.date):
        return _unknown()
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


@register.filter(is_safe=True)
def nl_datetime(value):
    """``datetime(2024, 2, 28, 14, 5)`` -> ``28-02-2024 14:05`` (in local time)."""
    if value in (None, ""):
        return _unknown()
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, datetime.date):
        return nl_date(value)
    return _unknown()


# --- Status badges ------------------------------------------------------------------------

#: status value -> (Utrecht status-badge modifier, shape). The shape is drawn by app.css
#: (heerlen-status--shape-*), so a status never depends on colour alone; the text says it too.
STATUS_STYLES = {
    # actions (agreements.Status)
    "niet_gestart": ("inactive", "open"),
    "op_schema": ("success", "dot"),
    "vertraagd": ("warning", "triangle"),
    "afgerond": ("neutral", "check"),
    "vervallen": ("inactive", "cross"),
    # projects (projects.ProjectStatus)
    "gepland": ("inactive", "open"),
    "in_voorbereiding": ("active", "half"),
    "in_uitvoering": ("success", "dot"),
    "gerealiseerd": ("neutral", "check"),
}
DEFAULT_STATUS_STYLE = ("inactive", "square")
_SAFE_VALUE = re.compile(r"[^a-z0-9_-]")


def _status_label(value) -> str:
    text = str(value or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def render_status_badge(value, label=None) -> SafeString:
    key = _SAFE_VALUE.sub("", str(value or "").lower())
    modifier, shape = STATUS_STYLES.get(key, DEFAULT_STATUS_STYLE)
    text = label if label not in (None, "") else _status_label(value)
    return format_html(
        '<span class="utrecht-status-badge utrecht-status-badge--{} heerlen-status '
        'heerlen-status--{} heerlen-status--shape-{}" data-status="{}">{}</span>',
        modifier,
        key or "onbekend",
        shape,
        key,
        text,
    )


@register.filter(name="status_badge", is_safe=True)
def status_badge_filter(value, label=None):
    """``{{ action.status|status_badge:action.get_status_display }}`` -> a badge element."""
    return render_status_badge(value, label)


@register.simple_tag(name="status_badge")
def status_badge_tag(value, label=None):
    """``{% status_badge action.status action.get_status_display %}`` -> a badge element."""
    return render_status_badge(value, label)


# --- Bars for charts ----------------------------------------------------------------------


@register.filter
def bar_width(value, total=None):
    """A whole percentage 0..100 for a CSS bar class: ``{{ part|bar_width:total }}``.

    Without ``total`` the value is taken as a percentage already. Use it as
    ``class="heerlen-bar__fill heerlen-w-{{ part|bar_width:total }}"`` (no inline style).
    """
    number = _to_decimal(value)
    if number is None:
        return 0
    if total not in (None, ""):
        whole = _to_decimal(total)
        if not whole:
            return 0
        number = number * 100 / whole
    percent = int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if number > 0 and percent == 0:
        percent = 1  # a non-zero share stays visible
    return max(0, min(100, percent))


@register.filter
def percent_of(value, total):
    """``{{ part|percent_of:total|nl_percent }}``: the share as a percentage (None if no total)."""
    number, whole = _to_decimal(value), _to_decimal(total)
    if number is None or not whole:
        return None
    return (number * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Pagination ---------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def page_url(context, param, number):
    """The current URL's query string with ``param`` set to ``number`` (other keys kept)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        from django.http import QueryDict

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
    from django.forms.boundfield import BoundWidget

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


def _has_callable(mapping) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _has_callable(v)) for v in mapping.values())


@register.filter(is_safe=True)
def td_attrs(bound_column):
    """``column.attrs.td.as_html`` of a django-tables2 column, computed once per column when
    the attributes do not depend on the record (no callables), else per cell as usual."""
    cached = getattr(bound_column, "_heerlen_td_attrs", None)
    if cached is not None:
        return cached
    merged = {
        **dict(getattr(bound_column._table, "attrs", None) or {}),
        **dict(getattr(bound_column.column, "attrs", None) or {}),
    }
    source = merged.get("td", merged.get("cell", {}))
    html = bound_column.attrs["td"].as_html()
    if not _has_callable(dict(source or {})):
        bound_column._heerlen_td_attrs = html
    return html


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


@register.filter
def person(user, party=None) -> str:
    """ "Jan Jansen (Weller)": full name (else username) and the party the person spoke for.

    ``party`` is the party stored with the record (an update keeps the party its author spoke
    for at the time); without it the user's current party. No user: "onbekend".
    """
    if user is None or user == "":
        return "onbekend"
    party = party or getattr(user, "party", None)
    name = user.get_full_name() or user.get_username()
    return f"{name} ({party.name})" if party else name
