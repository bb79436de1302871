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

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible

from .formats import nl_number

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
    """Refuse control characters in every text field of the form, with one Dutch message.

    Django's own NUL validator is replaced so that a NUL gives this message only once.
    Put the mixin before the form class: ``class MyForm(NoControlCharactersFormMixin,
    forms.ModelForm)``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators = [
                    validator
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


def validate_text_length(value, limit: int) -> None:
    """A text of at most ``limit`` characters (the ``max_length`` of a ``TextField``, which
    Django checks in the form only), with the numbers in Dutch notation."""
    if isinstance(value, str) and len(value) > limit:
        raise ValidationError(
            f"Zorg dat deze tekst niet meer dan {nl_number(limit)} tekens bevat "
            f"(het zijn er nu {nl_number(len(value))}).",
            code="max_length",
        )
