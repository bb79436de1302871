"""Dutch number and date formats, as plain functions (only what Django lacks).

Independent of the active locale, so a figure reads the same everywhere: ``1.581``, ``1,4``,
``85 %``, ``28-02-2024`` and ``28-02-2024 14:05``; half-up rounding; an unknown value is the
dash with "onbekend" for screen readers. Templates use them through ``{% load ui %}``.
"""

import datetime
import html
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.safestring import SafeString

#: The dash shown for a missing value, with a word for screen readers.
UNKNOWN_HTML = SafeString(
    '<span aria-hidden="true">–</span><span class="visually-hidden">onbekend</span>'
)


def escape_html(value) -> str:
    """``conditional_escape`` without its lazy-string wrapper (a list page escapes some
    hundreds of cells): safe HTML as it is, anything else as escaped text (Django's
    ``escape`` is ``html.escape``)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def nl_list(parts) -> str:
    """Items as a Dutch sentence lists them: "a", "a en b", "a, b en c"."""
    parts = [str(part) for part in parts]
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} en {parts[-1]}"


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


def nl_number(value, decimals=0):
    """A number with Dutch separators: ``1581`` -> ``1.581``; ``None`` -> "–" (onbekend).

    An optional argument sets the decimals: ``{{ value|nl_number:1 }}`` -> ``1.581,4``.
    """
    if type(value) is int and decimals in (0, None, ""):
        # The common case (a count) without the round trip through Decimal.
        return f"{value:,}".replace(",", ".")
    number = _to_decimal(value)
    if number is None:
        return _unknown()
    return format_nl(number, _decimals_of(decimals, 0))


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


_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?P<kind>[HQ])(?P<n>[1-4]))?")
_PERIOD_WORDS = {"H": "halfjaar", "Q": "kwartaal"}


def period_label(code: str) -> str:
    """A period key in words: ``2024-H1`` -> ``1e halfjaar 2024``, ``2024-Q3`` -> ``3e
    kwartaal 2024``, ``2024`` -> ``2024``; any other text as it is."""
    match = _PERIOD.fullmatch(code or "")
    if not match or (match["kind"] == "H" and match["n"] not in "12"):
        return code
    if not match["kind"]:
        return match["year"]
    return f"{match['n']}e {_PERIOD_WORDS[match['kind']]} {match['year']}"


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


# --- Bars for charts ----------------------------------------------------------------------


def bar_width(value, total=None):
    """A whole percentage 0..100 for a bar: ``{{ part|bar_width:total }}``.

    Without ``total`` the value is taken as a percentage already. Use it as the value of a
    native bar, ``<meter min="0" max="100" value="{{ part|bar_width:total }}">`` (a plain
    integer, never localised, so the attribute always parses).
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


def percent_of(value, total):
    """``{{ part|percent_of:total|nl_percent }}``: the share as a percentage (None if no total)."""
    number, whole = _to_decimal(value), _to_decimal(total)
    if number is None or not whole:
        return None
    return (number * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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
