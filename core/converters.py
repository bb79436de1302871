"""URL converters shared by every app: a path segment matches only what its field can hold."""

from django.urls import register_converter


class YearConverter:
    """A jaarschijf year: four digits (an IntegerField; 10^23 would overflow the lookup)."""

    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(YearConverter, "year")
