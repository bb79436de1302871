"""Many changed rows at once: the model's own rules and the write, without a query per row.

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

:func:`update_rows` then writes the changed fields of all rows in one ``UPDATE … FROM (VALUES
…)`` statement. (``QuerySet.bulk_update()`` builds a ``CASE WHEN`` expression per row and
field in Python: for 5.000 rows that costs far more than the database's work.)
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
    names = {f"check_{index}": check for index, check in enumerate(checks)}
    # The outer query reads the shadowing WITH table: only the changed rows are in it.
    rows = (
        model._base_manager.order_by()
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
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    new_columns = {meta.get_field(name).column for name in fields}
    selected = ", ".join(
        f"new.{quote(field.column)}"
        if field.column in new_columns
        else f"old.{quote(field.column)}"
        for field in meta.concrete_fields
    )
    values_sql, values_params = _values(model, instances, fields)
    with_sql = (
        f"WITH {table} AS (SELECT {selected} FROM {table} old "  # noqa: S608 - quoted names, values as parameters
        f"JOIN {values_sql} ON old.{quote(meta.pk.column)} = new.{quote(meta.pk.column)}) "
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


def update_rows(model: type[Model], instances: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of the saved ``instances`` in one statement; returns the rows updated.

    No signals and no ``auto_now``, as ``bulk_update()``; the caller sets such fields itself.
    """
    if not instances:
        return 0
    meta = model._meta
    quote = connection.ops.quote_name
    values_sql, params = _values(model, instances, fields)
    assignments = ", ".join(
        f"{quote(meta.get_field(name).column)} = new.{quote(meta.get_field(name).column)}"
        for name in fields
    )
    pk = quote(meta.pk.column)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} FROM {values_sql} "  # noqa: S608 - quoted names, values as parameters
        f"WHERE {quote(meta.db_table)}.{pk} = new.{pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _values(model, instances, fields) -> tuple[str, list]:
    """The instances as a table ``new`` of (pk, field, …), typed as the columns.

    One array parameter per column (``unnest``): the statement stays the same size and far
    below the parameter limit however many rows there are.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    arrays = ", ".join(f"CAST(%s AS {field.db_type(connection)}[])" for field in columns)
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for obj in instances]
        for field in columns
    ]
    aliases = ", ".join(quote(field.column) for field in columns)
    return f"unnest({arrays}) AS new ({aliases})", params
