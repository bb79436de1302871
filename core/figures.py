"""Figures that know how complete they are.

A sum over a column with empty cells is not the total: it is the total of what is known. Every
total the application shows, exports or compares is therefore a :class:`Total` — the value, how
many of the summed items were known and how many there are — and is written with its
completeness ("1.581, 4 van 5 bekend"), never as a bare number.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from core.formats import format_nl, nl_number

Number = int | Decimal


class Comparator(models.TextChoices):
    """How a figure relates to the number written beside it, in the document's own words.

    "exact" is the number itself; "minimaal"/"maximaal" make it a floor or a ceiling; "circa"
    and "ruim" make it an estimate, which is never "gehaald" or "niet gehaald" by itself.
    """

    EXACT = "exact", "exact"
    MINIMAAL = "minimaal", "minimaal"
    MAXIMAAL = "maximaal", "maximaal"
    CIRCA = "circa", "circa"
    RUIM = "ruim", "ruim"

    @classmethod
    def estimates(cls) -> tuple[str, ...]:
        return (cls.CIRCA.value, cls.RUIM.value)

    @classmethod
    def qualified(cls) -> tuple[str, ...]:
        """Every comparator that makes a number more or less than exact."""
        return tuple(value for value in cls.values if value != cls.EXACT)

    @classmethod
    def words(cls, comparator: str) -> str:
        """The word before the number: '' for exact, 'minimaal' for a floor, …"""
        return "" if comparator in ("", cls.EXACT) else cls(comparator).label


#: How one qualified count reads in a completeness sentence ("1 aantal minimaal").
QUALIFIED_WORDS = {
    Comparator.CIRCA: "bij benadering (circa)",
    Comparator.RUIM: "bij benadering (ruim)",
    Comparator.MINIMAAL: "minimaal",
    Comparator.MAXIMAAL: "maximaal",
}
#: What the sum is, by the comparator it gets from its parts.
SUM_WORDS = {
    Comparator.CIRCA: "de som is dus bij benadering",
    Comparator.MINIMAAL: "de som is dus een ondergrens",
    Comparator.MAXIMAAL: "de som is dus een bovengrens",
}


@dataclass(frozen=True)
class Total:
    """The sum of the known values of ``count`` items, of which ``known`` were known.

    ``not_applicable`` items ("n.v.t." in the document) are neither unknown nor zero: they are
    in neither ``known`` nor ``count``. ``qualified`` says how many of the known values were
    not exact, per comparator (``(("minimaal", 1),)`` for one "+65"): the sum is then an
    estimate, a lower or an upper bound too (:attr:`comparator`).
    """

    value: Number | None
    known: int
    count: int
    not_applicable: int = 0
    qualified: tuple[tuple[str, int], ...] = ()

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
        qualified = dict(self.qualified)
        for comparator, number in other.qualified:
            qualified[comparator] = qualified.get(comparator, 0) + number
        return Total(
            value=value,
            known=self.known + other.known,
            count=self.count + other.count,
            not_applicable=self.not_applicable + other.not_applicable,
            qualified=_qualified(qualified),
        )

    @classmethod
    def with_comparators(
        cls, value: Number | None, known: int, count: int, not_applicable: int = 0, **counts
    ) -> "Total":
        """A total whose known values were ``counts`` times not exact (``minimaal=1``)."""
        return cls(value, known, count, not_applicable, _qualified(counts))

    @property
    def comparator(self) -> str:
        """How the sum relates to the real total of the known items.

        Any estimate (circa, ruim) or floors and ceilings together make it an estimate;
        floors only make it a lower bound (minimaal), ceilings only an upper bound (maximaal).
        """
        kinds = {comparator for comparator, number in self.qualified if number}
        bounds = {Comparator.MINIMAAL, Comparator.MAXIMAAL}
        if kinds & set(Comparator.estimates()) or bounds <= kinds:
            return Comparator.CIRCA
        if Comparator.MINIMAAL in kinds:
            return Comparator.MINIMAAL
        if Comparator.MAXIMAAL in kinds:
            return Comparator.MAXIMAAL
        return Comparator.EXACT

    @property
    def comparator_words(self) -> str:
        """'' for an exact sum, else 'circa', 'minimaal', 'maximaal' (before the number)."""
        if self.value is None:
            return ""
        return Comparator.words(self.comparator)

    @property
    def qualification(self) -> str:
        """'1 aantal minimaal, de som is dus een ondergrens'; empty for an exact sum."""
        parts = [
            f"{number} {'aantal' if number == 1 else 'aantallen'} {QUALIFIED_WORDS[comparator]}"
            for comparator, number in self.qualified
            if number
        ]
        if not parts:
            return ""
        estimates_only = all(
            comparator in Comparator.estimates() for comparator, number in self.qualified if number
        )
        ending = "de som dus ook" if estimates_only else SUM_WORDS[self.comparator]
        return f"{', '.join(parts)}, {ending}"

    def sentence(self, one: str, many: str) -> str:
        """'Volledig: 5 van 5 projecten bekend.', 'Onvolledig: 35 van 38 projecten bekend; …'.

        Says how many items are known, that unknown ones do not count, how many do not
        apply (n.v.t.) and what the sum is when some of its values are not exact.
        """
        noun = one if self.count == 1 else many
        if self.complete:
            text = f"Volledig: {self.known} van {self.count} {noun} bekend"
        else:
            text = (
                f"Onvolledig: {self.known} van {self.count} {noun} bekend; de onbekende tellen "
                "niet mee, het werkelijke aantal kan hoger zijn"
            )
        if self.not_applicable:
            text += (
                f"; {self.not_applicable} {one if self.not_applicable == 1 else many} "
                "n.v.t. (niet van toepassing), niet meegeteld"
            )
        if self.qualification:
            text += f"; {self.qualification}"
        return text + "."

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
        """'4 van 5 bekend' (or with another noun: '1 van 5 corporaties gemeld').

        With items that do not apply: '35 van 38 bekend, 1 n.v.t.'.
        """
        text = f"{self.known} van {self.count} {noun}".strip()
        if self.not_applicable:
            text += f", {self.not_applicable} n.v.t."
        return text

    @property
    def remark(self) -> str:
        """What a reader must know beside the number; empty for a complete, exact sum.

        '35 van 38 bekend, 1 n.v.t.', '9 van 9 bekend; 1 aantal minimaal, de som is dus een
        ondergrens'.
        """
        return self.remark_for("bekend")

    def remark_for(self, noun: str) -> str:
        """:attr:`remark` with another noun ('1 van 5 gemeld')."""
        if self.complete and not self.not_applicable and not self.qualification:
            return ""
        text = self.completeness(noun)
        return f"{text}; {self.qualification}" if self.qualification else text

    @property
    def number_words(self) -> str:
        """The sum with its comparator, Dutch notation: 'minimaal 446', 'circa 55', '–'."""
        if self.value is None:
            return nl_number(None)
        return f"{self.comparator_words} {nl_number(self.value)}".strip()

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
            if not self.count and self.not_applicable:
                return "n.v.t."
            return f"onbekend ({self.completeness()})" if self.count else "onbekend"
        text = format_nl(Decimal(self.value), 0 if _integral(self.value) else 2)
        text = f"{self.comparator_words} {text}".strip()
        if self.complete and not self.not_applicable:
            return text
        return f"{text} ({self.completeness_text or self.completeness()})"


def _qualified(counts: dict) -> tuple[tuple[str, int], ...]:
    """The non-zero counts per comparator, in the comparators' order (hashable)."""
    return tuple(
        (comparator, counts[comparator])
        for comparator in Comparator.qualified()
        if counts.get(comparator)
    )


def _integral(value: Number) -> bool:
    return isinstance(value, int) or value == Decimal(value).to_integral_value()
