"""Figures that know how complete they are.

A sum over a column with empty cells is not the total: it is the total of what is known. Every
total the application shows, exports or compares is therefore a :class:`Total` — the value, how
many of the summed items were known and how many there are — and is written with its
completeness ("1.581, 4 van 5 bekend"), never as a bare number.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.formats import format_nl

Number = int | Decimal


@dataclass(frozen=True)
class Total:
    """The sum of the known values of ``count`` items, of which ``known`` were known."""

    value: Number | None
    known: int
    count: int

    @classmethod
    def of(cls, values: Iterable[Number | None]) -> "Total":
        """Sum what is known; None items count as unknown, 0 is a known zero."""
        values = list(values)
        known = [value for value in values if value is not None]
        return cls(value=sum(known) if known else None, known=len(known), count=len(values))

    @classmethod
    def empty(cls) -> "Total":
        return cls(value=None, known=0, count=0)

    def __add__(self, other: "Total") -> "Total":
        if self.value is None:
            value = other.value
        elif other.value is None:
            value = self.value
        else:
            value = self.value + other.value
        return Total(value=value, known=self.known + other.known, count=self.count + other.count)

    @property
    def complete(self) -> bool:
        return self.known == self.count

    @property
    def unknown(self) -> int:
        return self.count - self.known

    @property
    def any_known(self) -> bool:
        return self.known > 0

    def completeness(self, noun: str = "bekend") -> str:
        """'4 van 5 bekend' (or with another noun: '1 van 5 corporaties gemeld')."""
        return f"{self.known} van {self.count} {noun}".strip()

    @property
    def completeness_label(self) -> str:
        """'4 van 5 bekend' (for templates, which cannot pass an argument)."""
        return self.completeness()

    @property
    def completeness_gemeld(self) -> str:
        return self.completeness("gemeld")

    @property
    def completeness_text(self) -> str:
        """Empty when complete; otherwise how much is known, for next to the figure."""
        if self.complete:
            return ""
        if not self.any_known:
            return "onbekend"
        return f"onvolledig: {self.completeness()}"

    def __str__(self) -> str:
        if self.value is None:
            return f"onbekend ({self.completeness()})" if self.count else "onbekend"
        text = format_nl(Decimal(self.value), 0 if _integral(self.value) else 2)
        if self.complete:
            return text
        return f"{text} ({self.completeness_text})"


def _integral(value: Number) -> bool:
    return isinstance(value, int) or value == Decimal(value).to_integral_value()
