"""Abstract models every domain app builds on: checked text and versioned rows.

No concrete model lives here (the core holds no data of its own), so this module adds no
migrations; the fields of :class:`VersionedModel` appear in the migrations of each app that
uses it.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from .validators import (
    text_length_message,
    validate_no_control_characters,
    validate_text_length,
)


class CheckedTextModel(models.Model):
    """Refuses invisible control characters in every text field, and a text longer than its
    ``max_length`` in a ``TextField``, at the field, in Dutch.

    The rule lives in ``clean_fields``, which every path that validates a row runs: model
    forms (pages and admin), the workbook import, commands (``full_clean``) and the API. One
    place, one message (:data:`core.validators.CONTROL_CHARACTER_MESSAGE`).
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            value = field.value_from_object(self)
            if field.name in errors and field.max_length is not None:
                # Django's own length message writes "4000" and "10000": said the Dutch way.
                errors[field.name] = [
                    ValidationError(text_length_message(field.max_length, len(value)))
                    if getattr(item, "code", None) == "max_length" and isinstance(value, str)
                    else item
                    for item in errors[field.name]
                ]
            if field.name in exclude or field.name in errors:
                continue
            try:
                validate_no_control_characters(value)
                if isinstance(field, models.TextField) and field.max_length is not None:
                    # Django checks a TextField's max_length in its form only: the import,
                    # commands and the API would store a longer text that no form could then
                    # save again.
                    validate_text_length(value, field.max_length)
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        """A unique constraint over several fields that has its own ``violation_error_message``
        reports at its last field, the one people type within the others (the name of a round
        within its jaarschijf), instead of above the form. The message may name the values of
        the constraint's fields: ``"… in jaarschijf {jaarschijf.year}."``. One rule for every
        model, so the pages, the admin, the import and commands say it at the same field."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(self._unique_errors_at_fields(error.error_dict)) from error

    def _unique_errors_at_fields(self, errors: dict) -> dict:
        placed = {
            constraint.get_violation_error_message(): constraint
            for constraint in self._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.violation_error_message != constraint.default_violation_error_message
        }
        general = []
        for error in errors.pop(NON_FIELD_ERRORS, []):
            constraint = placed.get(error.message)
            if constraint is None:
                general.append(error)
                continue
            values = {name: getattr(self, name) for name in constraint.fields}
            message = error.message.format(**values)
            errors.setdefault(constraint.fields[-1], []).append(
                ValidationError(message, code="unique")
            )
        if general:
            errors[NON_FIELD_ERRORS] = general
        return errors


class VersionedModel(CheckedTextModel):
    """A row people edit in forms: ``version`` for optimistic locking, ``updated_by`` for who.

    :func:`core.versioning.save_versioned` and the admin (:class:`core.admin.VersionedAdminMixin`)
    raise the version and set ``updated_by`` on every change; the admin shows ``updated_by``
    read-only. (The fields keep the definitions they had before this base existed, so moving
    them here changed no migration.)
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bijgewerkt door",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def mark_changed(self, user) -> None:
        """One more version, changed by ``user`` (None for a command without a user)."""
        self.version += 1
        self.updated_by = user
