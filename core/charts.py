"""Server-rendered SVG charts, drawn on top of a table that holds the same figures.

The table is the content; a chart only makes the table easier to take in. The SVG therefore
needs no JavaScript and works under a strict Content Security Policy: it is inline markup with
SVG presentation attributes (``fill=``, ``stroke=``) and never a ``style`` attribute.

Colour is never the only signal: every series has its own pattern and outline, every bar carries
its value as text and the legend names each series. A value that is not known is written as
"onbekend" (or the document's "t.b."), never drawn as a zero-length bar.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.formats import escape_html, format_nl

#: The palette of static/css/heerlen-tokens.css, repeated here because an SVG presentation
#: attribute cannot read a CSS custom property.
COLOURS = {
    "petrol": "#0f4c68",
    "petrol-light": "#cde2eb",
    "blauw": "#1a4d8f",
    "blauw-light": "#d2e2f4",
    "groen": "#237a42",
    "groen-light": "#bfe8cc",
    "oranje": "#b25a17",
    "oranje-light": "#fbdcc0",
    "grijs": "#5e6b76",
    "grijs-dark": "#2e3840",
    "grijs-light": "#dde2e6",
    "wit": "#ffffff",
}

PATTERNS = ("solid", "hatch", "backhatch", "dots", "cross", "vertical", "outline")

FONT_SIZE = 14
SMALL_FONT_SIZE = 12


@dataclass(frozen=True)
class Series:
    """One kind of bar: its key in the row values, its Dutch label and its look."""

    key: str
    label: str
    colour: str = "petrol"
    pattern: str = "solid"
    #: Written instead of a bar when the value is not known; empty to draw nothing.
    unknown: str = "onbekend"


def number(value) -> str:
    """Dutch thousands separators for a chart label; "onbekend" when there is no value."""
    if value is None:
        return "onbekend"
    return format_nl(Decimal(value), 0)


def _uid(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "grafiek"


def _colour(name: str) -> str:
    return COLOURS.get(name, COLOURS["petrol"])


def _light(name: str) -> str:
    return COLOURS.get(f"{name}-light", COLOURS["wit"])


def _pattern_def(uid: str, series: Series) -> SafeString:
    """A <pattern> for a series; a solid series needs none."""
    if series.pattern in ("solid", "outline"):
        return mark_safe("")  # noqa: S308 - empty string
    dark, light = _colour(series.colour), _light(series.colour)
    marks = {
        "hatch": '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{dark}" stroke-width="2"/>',
        "backhatch": '<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke="{dark}" stroke-width="2"/>',
        "dots": '<circle cx="4" cy="4" r="2" fill="{dark}"/>',
        "cross": '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="{dark}" stroke-width="1.5"/>',
        "vertical": '<path d="M2,0 v8 M6,0 v8" stroke="{dark}" stroke-width="2"/>',
    }[series.pattern]
    return format_html(
        '<pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="{}"/>{}</pattern>',
        _fill_id(uid, series),
        light,
        mark_safe(marks.format(dark=dark)),  # noqa: S308 - fixed markup, colours from COLOURS
    )


def _fill_id(uid: str, series: Series) -> str:
    return f"{uid}-{_uid(series.key)}"


def _fill(uid: str, series: Series) -> str:
    if series.pattern == "solid":
        return _colour(series.colour)
    if series.pattern == "outline":
        return COLOURS["wit"]
    return f"url(#{_fill_id(uid, series)})"


# The elements below are built with f-strings rather than format_html (a chart has hundreds
# of them): every attribute value is a number or one of our own constants, and the only text
# that comes from data is escaped.


def _rect(x, y, width, height, uid, series) -> str:
    return (
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(width)}" height="{_f(height)}" '
        f'fill="{_fill(uid, series)}" stroke="{_colour(series.colour)}" stroke-width="1.5"/>'
    )


def _text(
    x, y, content, *, anchor="start", size=FONT_SIZE, weight=None, italic=False, halo=False
) -> str:
    extra = []
    if weight:
        extra.append(f' font-weight="{weight}"')
    if italic:
        extra.append(' font-style="italic"')
    if halo:
        # A white outline behind the letters keeps a label readable on a patterned bar.
        extra.append(
            ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
        )
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="#1b2228"{"".join(extra)}>{escape_html(content)}</text>'
    )


def _f(value) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _legend(uid: str, series: list[Series], y: float, width: float) -> tuple[SafeString, float]:
    """The legend as swatches with text, wrapping onto more lines; returns markup and height."""
    parts, x, line = [], 0.0, 0
    for item in series:
        item_width = 28 + len(item.label) * 7.5 + 20
        if x and x + item_width > width:
            x, line = 0.0, line + 1
        top = y + line * 24
        parts.append(_rect(x, top, 20, 16, uid, item))
        parts.append(_text(x + 26, top + 13, item.label))
        x += item_width
    return mark_safe("".join(parts)), (line + 1) * 24  # noqa: S308 - escaped when built


#: Chart units per em: the SVG is as wide as its viewBox in em/16, so a 13-unit label is
#: 13/16 of the page's font size at any screen width, zoom level or browser font setting (a
#: chart wider than the screen scrolls inside its own region, see app.css).
UNITS_PER_EM = 16


def _svg(uid: str, title: str, width: float, height: float, body) -> SafeString:
    return format_html(
        '<svg class="heerlen-chart__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}em" preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{}-titel" '
        'focusable="false"><title id="{}-titel">{}</title>{}</svg>',
        _f(width),
        _f(height),
        _f(width / UNITS_PER_EM),
        uid,
        uid,
        title,
        body,
    )


def horizontal_bars(
    rows: list[tuple[str, dict]],
    series: list[Series],
    *,
    uid: str,
    title: str,
    stacked: bool = False,
    width: int = 960,
    label_width: int = 220,
    labels_above: bool = False,
    only_present: bool = False,
) -> SafeString:
    """Horizontal bars, one group (or one stacked bar) per row.

    ``rows`` are ``(label, {series key: value})``; a value of None is written as the series'
    ``unknown`` text instead of being drawn. Stacked bars show their total at the end and each
    segment's value inside it where there is room. ``labels_above``: each row's label on a
    line of its own above its bars, which then take the whole width (a narrow layout).
    ``only_present``: a row gets bars only for the series among its keys (as ``columns``: an
    absent key means the series does not apply there, None that its value is unknown).
    """
    uid = _uid(uid)
    value_room = 60 if labels_above else 90
    if labels_above:
        label_width = 1  # the bars' outline inside the picture
    plot = max(width - label_width - value_room, 100)
    label_length = max(int(width / 7.5), 10) if labels_above else 26
    label_room = 22 if labels_above else 0
    bar_height = 22 if stacked else 18
    group_gap = 14
    legend, legend_height = _legend(uid, series, 0, width)
    if stacked:
        totals = [sum(v or 0 for v in values.values()) for _, values in rows]
        largest = max(totals, default=0)
    else:
        largest = max(
            (values.get(s.key) or 0 for _, values in rows for s in series),
            default=0,
        )
    scale = plot / largest if largest else 0
    parts = [mark_safe("<defs>"), *[_pattern_def(uid, s) for s in series], mark_safe("</defs>")]
    parts.append(legend)
    y = legend_height + 10
    for label, values in rows:
        shown = [s for s in series if s.key in values] if only_present else series
        bars = 1 if stacked else len(shown)
        group_height = bars * bar_height + (bars - 1) * 4
        if labels_above:
            parts.append(_text(0, y + 15, _shorten(label, label_length)))
            y += label_room
        else:
            parts.append(
                _text(label_width - 10, y + group_height / 2 + 5, _shorten(label, 26), anchor="end")
            )
        if stacked:
            x = label_width
            for item in series:
                value = values.get(item.key) or 0
                if not value:
                    continue
                length = value * scale
                parts.append(_rect(x, y, length, bar_height, uid, item))
                if length >= 22:
                    parts.append(
                        _text(
                            x + length / 2,
                            y + bar_height / 2 + 5,
                            number(value),
                            anchor="middle",
                            size=SMALL_FONT_SIZE,
                            weight="bold",
                            halo=True,
                        )
                    )
                x += length
            total = sum(v or 0 for v in values.values())
            parts.append(_text(x + 8, y + bar_height / 2 + 5, number(total), weight="bold"))
        else:
            for index, item in enumerate(shown):
                top = y + index * (bar_height + 4)
                value = values.get(item.key)
                if value is None:
                    if item.unknown:
                        parts.append(
                            _text(label_width + 4, top + bar_height - 4, item.unknown, italic=True)
                        )
                    continue
                length = value * scale
                if length:
                    parts.append(_rect(label_width, top, length, bar_height, uid, item))
                parts.append(_text(label_width + length + 6, top + bar_height - 4, number(value)))
        y += group_height + group_gap
    if not labels_above:  # above, a line at the start would run through the labels
        axis = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1b2228" stroke-width="1"/>',
            label_width,
            legend_height + 4,
            label_width,
            _f(y - group_gap + 6),
        )
        parts.append(axis)
    return _svg(uid, title, width, y + 4, mark_safe("".join(parts)))  # noqa: S308


#: The narrow layout of a chart: 21 em (a phone's screen at the default text size), labels
#: above their bars.
NARROW_WIDTH = 336


def fitting_bars(rows: list[tuple[str, dict]], series: list[Series], **options) -> SafeString:
    """``horizontal_bars`` in both layouts, for a page: the wide one where its region has room
    for it (and on paper), the narrow one where the wide one would scroll sideways (a phone,
    text at 200 %). CSS picks one (app.css, a container query); the other is not shown and
    not read out. The PDF, which has one width, takes ``horizontal_bars`` itself."""
    uid = options.pop("uid")
    wide = horizontal_bars(rows, series, uid=uid, **options)
    narrow = horizontal_bars(
        rows, series, uid=f"{uid}-smal", width=NARROW_WIDTH, labels_above=True, **options
    )
    return _both_layouts(wide, narrow, options.get("width", 960))


def fitting_columns(
    categories: list[str], values: dict[str, dict], series: list[Series], **options
) -> SafeString:
    """``columns`` in both layouts (``fitting_bars``): the narrow one draws each category
    (year) as a row of horizontal bars, its sublabels beside its name on the line above."""
    uid, title = options.pop("uid"), options["title"]
    sublabels = options.get("sublabels") or {}
    wide = columns(categories, values, series, uid=uid, **options)
    rows = [
        (
            f"{category} ({', '.join(sublabels[category])})"
            if sublabels.get(category)
            else category,
            values.get(category, {}),
        )
        for category in categories
    ]
    narrow = horizontal_bars(
        rows,
        series,
        uid=f"{uid}-smal",
        title=title,
        width=NARROW_WIDTH,
        labels_above=True,
        only_present=True,
    )
    return _both_layouts(wide, narrow, options.get("width", 960))


def _both_layouts(wide: SafeString, narrow: SafeString, width: int) -> SafeString:
    # The wide layout's width in em names the container query that hides it (app.css).
    return format_html(
        '<span class="heerlen-chart__wide heerlen-chart__wide--{}em">{}</span>'
        '<span class="heerlen-chart__narrow">{}</span>',
        _f(width / UNITS_PER_EM),
        wide,
        narrow,
    )


def columns(
    categories: list[str],
    values: dict[str, dict],
    series: list[Series],
    *,
    uid: str,
    title: str,
    width: int = 960,
    height: int = 300,
    sublabels: dict[str, list[str]] | None = None,
) -> SafeString:
    """Vertical grouped columns per category (e.g. per year), for a trajectory over time.

    ``values`` maps category -> {series key: value}. An unknown value (None) is written as the
    series' ``unknown`` text at the base line; a key that is absent draws nothing (the series does
    not apply to that category). ``sublabels`` are small lines under a category's name: its
    completeness in words ("doel 4 van 5"), never a bare mark.
    """
    uid = _uid(uid)
    sublabels = sublabels or {}
    sublabel_lines = max((len(lines) for lines in sublabels.values()), default=0)
    height += sublabel_lines * 16
    legend, legend_height = _legend(uid, series, 0, width)
    top = legend_height + 24
    base = height - 30 - sublabel_lines * 16
    left = 10
    plot_height = base - top
    largest = max(
        (values.get(c, {}).get(s.key) or 0 for c in categories for s in series), default=0
    )
    scale = plot_height / largest if largest else 0
    slot = (width - left) / max(len(categories), 1)
    column_width = min(52, (slot - 16) / max(len(series), 1))
    parts = [mark_safe("<defs>"), *[_pattern_def(uid, s) for s in series], mark_safe("</defs>")]
    parts.append(legend)
    for index, category in enumerate(categories):
        group_left = left + index * slot + (slot - column_width * len(series)) / 2
        for position, item in enumerate(series):
            x = group_left + position * column_width
            if item.key not in values.get(category, {}):
                continue
            value = values[category][item.key]
            centre = x + column_width / 2
            if value is None:
                if item.unknown:
                    parts.append(
                        _text(
                            centre,
                            base - 6,
                            item.unknown,
                            anchor="middle",
                            size=SMALL_FONT_SIZE,
                            italic=True,
                        )
                    )
                continue
            length = value * scale
            if length:
                parts.append(_rect(x, base - length, column_width - 2, length, uid, item))
            label = number(value)
            parts.append(
                _text(centre, base - length - 5, label, anchor="middle", size=SMALL_FONT_SIZE)
            )
        parts.append(
            _text(
                left + index * slot + slot / 2, base + 20, category, anchor="middle", weight="bold"
            )
        )
        for line, text in enumerate(sublabels.get(category, []), start=1):
            parts.append(
                _text(
                    left + index * slot + slot / 2,
                    base + 20 + line * 16,
                    text,
                    anchor="middle",
                    size=SMALL_FONT_SIZE,
                )
            )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1b2228" stroke-width="1"/>',
            left,
            base,
            width,
            base,
        )
    )
    return _svg(uid, title, width, height, mark_safe("".join(parts)))  # noqa: S308


def _shorten(text: str, length: int) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
