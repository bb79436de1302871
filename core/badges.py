"""The look of a status, declared next to its choices (NetBox's ``ChoiceSet`` with colour).

A choices class derives from :class:`BadgeChoices` and declares ``looks()``: per value the
Utrecht status-badge colour modifier, the shape drawn by app.css (so a status never depends
on colour alone; the text says it too) and the fill colour of its cell in Excel.
:func:`render_badge` draws any registered value; templates use ``{% status_badge %}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils.safestring import SafeString, mark_safe

from core.formats import escape_html


@dataclass(frozen=True)
class Look:
    #: Utrecht status-badge modifier: inactive, active, success, warning, neutral …
    colour: str
    #: heerlen-status--shape-*: open, dot, triangle, check, cross, half, square
    shape: str
    #: RGB fill of the status cell in a workbook
    fill: str | None = None


DEFAULT_LOOK = Look("inactive", "square")
#: value -> look, over every BadgeChoices class (a value shared by two classes looks alike).
_LOOKS: dict[str, Look] = {}
_SAFE_VALUE = re.compile(r"[^a-z0-9_-]")


class BadgeChoices(models.TextChoices):
    """TextChoices whose members know their look: ``ActionStatus.VERTRAAGD.look``."""

    @classmethod
    def looks(cls) -> dict[str, Look]:
        return {}

    @property
    def look(self) -> Look:
        return type(self).looks().get(self.value, DEFAULT_LOOK)

    @classmethod
    def fills(cls) -> dict[str, str]:
        """label -> fill colour, for the status column of a workbook."""
        return {member.label: member.look.fill for member in cls if member.look.fill}

    @classmethod
    def register(cls) -> None:
        """Make the looks known to :func:`render_badge` (called once, after the class body)."""
        _LOOKS.update(cls.looks())


def look_of(value) -> Look:
    return _LOOKS.get(str(value or ""), DEFAULT_LOOK)


def _default_label(value) -> str:
    text = str(value or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def render_badge(value, label=None) -> SafeString:
    """A status badge: colour, shape and the label as text."""
    key = _SAFE_VALUE.sub("", str(value or "").lower())
    look = _LOOKS.get(key, DEFAULT_LOOK)
    text = label if label not in (None, "") else _default_label(value)
    # An f-string rather than format_html (a list writes one badge per row): the key is
    # [a-z0-9_-] only, colour and shape are our own constants, the label is escaped.
    return mark_safe(  # noqa: S308
        f'<span class="utrecht-status-badge utrecht-status-badge--{look.colour} heerlen-status '
        f'heerlen-status--{key or "onbekend"} heerlen-status--shape-{look.shape}" '
        f'data-status="{key}">{escape_html(text)}</span>'
    )
