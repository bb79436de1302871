"""URL converters: a path segment matches only what the field it looks up can hold."""

from django.urls import register_converter

from .models import ACTION_NUMBER_RE


class ActionNumberConverter:
    """An agreement number as printed ("1.7", "3.12"): ``Action.number``'s pattern.

    Anything else (a NUL byte, which PostgreSQL refuses in a query, letters, 200 digits) does
    not match the URL, so the visitor gets the 404 page before any query is made.
    """

    # ASCII digits only: Python's \d also matches other scripts' digits.
    regex = ACTION_NUMBER_RE.removeprefix("^").removesuffix("$").replace(r"\d", "[0-9]")

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(ActionNumberConverter, "actionnumber")
