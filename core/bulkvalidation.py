"""The model's own rules for many changed rows at once, without a query per row.

``Model.full_clean()`` checks a row's field validators and ``clean()`` in Python, but its
relations, uniqueness and every ``CheckConstraint`` each cost a query per row. An import that
changes a few fields of thousands of existing rows needs the same answers set-based:

- :func:`clean_changed` runs the field validators of the changed fields and the model's
  ``clean()`` (no query: the unchanged fields and the relations come from the database);
- :func:`constraint_violations` evaluates every ``CheckConstraint`` of the model for all the
  rows in **one** query: the constraint conditions are compiled by the ORM against the model's
  table, and a ``WITH`` clause of the same name shadows that table with its rows as they would
  be after the change. The database answers exactly as its CHECK would (NULL passes), and the
  messages are the constraints' own ``violation_error_message``.

The rows' unique constraints are not checked here: callers change no field that takes part in
one (the database still enforces them inside the transaction that writes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, CheckConstraint, ExpressionWrapper, Model, Q, Value
from django.db.models.functions import Coalesce


def clean_changed(instance: Model, fields: Iterable[str]) -> None:
    """Field validators of ``fields`` and the model's ``clean()``; raises ValidationError."""
    fields = set(fields)
    exclude = [f.name for f in instance._meta.fields if f.name not in fields]
    errors: dict[str, list] = {}
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def constraint_violations(
    model: type[Model], instances: Sequence[Model], fields: Sequence[str]
) -> dict[int, list[str]]:
    """{pk: [message, …]} for the saved ``instances`` whose new values of ``fields`` break a
    CheckConstraint of ``model``; one query for all of them (none for an empty list)."""
    checks = [c for c in model._meta.constraints if isinstance(c, CheckConstraint)]
    if not instances or not checks:
        return {}
    meta = model._meta
    changed = [meta.get_field(name) for name in fields]
    pk = meta.pk
    names = {f"check_{index}": check for index, check in enumerate(checks)}
    rows = (
        model._base_manager.filter(pk__in=[obj.pk for obj in instances])
        .annotate(
            **{
                name: Coalesce(
                    ExpressionWrapper(Q(check.condition), output_field=BooleanField()),
                    Value(True),
                    output_field=BooleanField(),
                )
                for name, check in names.items()
            }
        )
        .values_list("pk", *names)
    )
    sql, params = rows.query.sql_with_params()

    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    value_columns = [pk, *changed]
    placeholders = ", ".join(f"CAST(%s AS {field.db_type(connection)})" for field in value_columns)
    values_sql = ", ".join(f"({placeholders})" for _ in instances)
    values_params = [
        field.get_db_prep_save(getattr(obj, field.attname), connection)
        for obj in instances
        for field in value_columns
    ]
    new_columns = {field.column for field in changed}
    selected = ", ".join(
        f"new.{quote(field.column)}"
        if field.column in new_columns
        else f"old.{quote(field.column)}"
        for field in meta.concrete_fields
    )
    aliases = ", ".join(quote(field.column) for field in value_columns)
    with_sql = (
        f"WITH {table} AS (SELECT {selected} FROM {table} old "  # noqa: S608 - quoted names, values as parameters
        f"JOIN (VALUES {values_sql}) AS new ({aliases}) "
        f"ON old.{quote(pk.column)} = new.{quote(pk.column)}) "
    )
    found: dict[int, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(with_sql + sql, [*values_params, *params])
        for pk_value, *passed in cursor.fetchall():
            messages = [
                str(check.get_violation_error_message())
                for ok, check in zip(passed, checks, strict=True)
                if not ok
            ]
            if messages:
                found[pk_value] = messages
    return found
