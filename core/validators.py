"""Validators for text that people type or paste into the application.

Invisible control characters (NUL, vertical tab, escape, …) arrive by copy-pasting from other
programs. PostgreSQL refuses NUL outright (the request would end in a server error) and
openpyxl refuses the others when the evaluation workbook is written, so they are stopped at
the field with a Dutch message instead. Tab, line feed and carriage return stay allowed:
they are ordinary parts of a multi-line explanation.

The rule itself lives in the model: every model of the project derives from
``core.models.CheckedTextModel``, whose ``clean_fields`` refuses these characters in every text
field, so the admin, the workbook import, commands and the API give the same message at the
field. ``NoControlCharactersFormMixin`` does the same for a form's own fields (forms that are not
model forms, and Django's NUL check replaced so a NUL is reported once, with this message).
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from .formats import nl_date, nl_number

# The characters openpyxl cannot write (C0 controls except tab/LF/CR), plus DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CONTROL_CHARACTER_MESSAGE = (
    "Deze tekst bevat een onzichtbaar stuurteken (bijvoorbeeld uit een ander programma "
    "geplakt). Typ de tekst opnieuw of plak hem eerst in een eenvoudige teksteditor."
)


@deconstructible
class NoControlCharactersValidator:
    message = CONTROL_CHARACTER_MESSAGE
    code = "control_character"

    def __call__(self, value):
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoControlCharactersValidator)


validate_no_control_characters = NoControlCharactersValidator()


def contains_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value or ""))


class NoControlCharactersFormMixin:
    """Refuse control characters in every text field of the form, with one Dutch message, and
    say a too long text with Dutch numbers (:func:`text_length_message`).

    Django's own NUL validator is replaced so that a NUL gives this message only once.
    Put the mixin before the form class: ``class MyForm(NoControlCharactersFormMixin,
    forms.ModelForm)``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators = [
                    TextLengthValidator(validator.limit_value)
                    if isinstance(validator, MaxLengthValidator)
                    and isinstance(validator.limit_value, int)
                    else validator
                    for validator in field.validators
                    if not isinstance(validator, ProhibitNullCharactersValidator)
                ]
                if validate_no_control_characters not in field.validators:
                    field.validators.append(validate_no_control_characters)


#: The most dwellings or labels one number may count: more is a typing error, not a figure.
MAX_COUNT = 99_999


def max_count(message: str) -> MaxValueValidator:
    """The upper limit of a count, with the Dutch message the form, import and admin show."""
    return MaxValueValidator(MAX_COUNT, message=message)


def text_length_message(limit: int, length: int) -> str:
    """Django's length message with the numbers the Dutch way ("4.000", not "4000")."""
    return (
        f"Zorg dat deze waarde niet meer dan {nl_number(limit)} tekens bevat "
        f"(het zijn er nu {nl_number(length)})."
    )


def validate_text_length(value, limit: int) -> None:
    """A text of at most ``limit`` characters (the ``max_length`` of a ``TextField``, which
    Django checks in the form only), with the numbers in Dutch notation."""
    if isinstance(value, str) and len(value) > limit:
        raise ValidationError(text_length_message(limit, len(value)), code="max_length")


class TextLengthValidator:
    """A form's length check with :func:`text_length_message` (replaces Django's
    ``MaxLengthValidator`` in :class:`NoControlCharactersFormMixin`)."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        validate_text_length(value, self.limit)


#: A date people enter (a milestone's due date, a round's period and deadline, the day a
#: jaarschijf was signed, a reference date) lies in these years: the range of the EFG years and
#: of the workbook import. 31-12-9999 or 01-01-0001 is a typing error, not a plan, and no
#: calendar program can be given the day after 31-12-9999.
FIRST_PLAUSIBLE_DATE = datetime.date(2000, 1, 1)
LAST_PLAUSIBLE_DATE = datetime.date(2100, 12, 31)

IMPLAUSIBLE_DATE_MESSAGE = (
    f"Vul een datum in tussen {nl_date(FIRST_PLAUSIBLE_DATE)} en {nl_date(LAST_PLAUSIBLE_DATE)}."
)


def plausible_date(name: str) -> Q:
    """The condition of a CheckConstraint: the date field ``name`` is empty or plausible."""
    return Q(**{f"{name}__isnull": True}) | Q(
        **{f"{name}__gte": FIRST_PLAUSIBLE_DATE, f"{name}__lte": LAST_PLAUSIBLE_DATE}
    )


def implausible_dates(instance, *names: str) -> dict[str, str]:
    """The model-``clean`` twin of :func:`plausible_date`: the message at each date field of
    ``instance`` that lies outside the plausible range."""
    errors = {}
    for name in names:
        value = getattr(instance, name)
        if value is not None and not FIRST_PLAUSIBLE_DATE <= value <= LAST_PLAUSIBLE_DATE:
            errors[name] = IMPLAUSIBLE_DATE_MESSAGE
    return errors
