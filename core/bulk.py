"""Many changed rows at once: the model's own rules and the write, without a query per row.

``Model.full_clean()`` checks a row's field validators and ``clean()`` in Python, but its
relations, uniqueness and every ``CheckConstraint`` each cost a query per row. An import that
changes a few fields of thousands of existing rows needs the same answers set-based:

- :func:`clean_changed` runs the field validators of the changed fields and the model's
  ``clean()`` (no query: the unchanged fields and the relations come from the database);
- :func:`constraint_violations` lets the database answer for all the rows in **one** statement:
  the set-based UPDATE of :func:`update_rows` in a savepoint that is always rolled back. Only
  when the database refuses are the refusing rows sought (halving the set in nested
  savepoints) and named with Django's documented ``CheckConstraint.validate()``, whose
  messages are the constraints' own ``violation_error_message``.

The rows' unique constraints are not checked here: callers change no field that takes part in
one (the database still enforces them inside the transaction that writes).

:func:`update_rows` then writes the changed fields of all rows in one ``UPDATE … FROM (VALUES
…)`` statement. (``QuerySet.bulk_update()`` builds a ``CASE WHEN`` expression per row and
field in Python: for 5.000 rows that costs far more than the database's work.)
:func:`record_history` writes their django-simple-history records the same way: one
``INSERT … SELECT`` copies the rows as they now are into the history table (simple-history's
``bulk_history_create()`` builds a historical model instance per row and inserts it through
the ORM: for 5.000 rows most of an import's time).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint, Model


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
    CheckConstraint of ``model``; writes nothing (none for an empty list).

    The database answers: :func:`update_rows` writes all the rows in a savepoint that is
    always rolled back. Only when it refuses (IntegrityError) are the refusing rows sought,
    by halving the set in nested savepoints, and each of them is checked against every
    CheckConstraint with Django's own ``CheckConstraint.validate()``: the messages are the
    constraints' ``violation_error_message``, as ``Model.validate_constraints()`` gives them.
    An IntegrityError that no check constraint explains is raised.
    """
    checks = [c for c in model._meta.constraints if isinstance(c, CheckConstraint)]
    if not instances or not checks:
        return {}
    found: dict[int, list[str]] = {}
    with transaction.atomic():
        try:
            _refused_rows(model, list(instances), fields, checks, found)
        finally:
            transaction.set_rollback(True)
    return found


#: Below this many refused rows the halving stops: each row is checked on its own.
_CHECK_EACH = 8


def _refused_rows(model, instances, fields, checks, found) -> bool:
    """Adds to ``found`` the rows of ``instances`` the database refuses; True if any."""
    try:
        with transaction.atomic():
            update_rows(model, instances, fields)
            # The rows must not stay written for the next half: always roll back.
            transaction.set_rollback(True)
    except IntegrityError:
        if len(instances) > _CHECK_EACH:
            middle = len(instances) // 2
            refused_first = _refused_rows(model, instances[:middle], fields, checks, found)
            refused_second = _refused_rows(model, instances[middle:], fields, checks, found)
            if refused_first or refused_second:
                return True
        else:
            for instance in instances:
                messages = []
                for check in checks:
                    try:
                        check.validate(model, instance)
                    except ValidationError as exc:
                        messages += exc.messages
                if messages:
                    found[instance.pk] = messages
            if any(instance.pk in found for instance in instances):
                return True
        raise
    return False


def update_rows(model: type[Model], instances: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of the saved ``instances`` in one statement; returns the rows updated.

    No signals and no ``auto_now``, as ``bulk_update()``; the caller sets such fields itself.
    """
    if not instances:
        return 0
    if connection.vendor != "postgresql":
        # The embedded default (SQLite) has no unnest() of typed arrays: Django's own
        # bulk_update (CASE … WHEN per batch) gives the same rows there, only slower.
        return model._base_manager.bulk_update(instances, fields, batch_size=500)
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


def record_history(
    model: type[Model], instances: Sequence[Model], *, user, reason: str, date: datetime
) -> int:
    """One "changed" history record per saved instance, as the rows are now in the database.

    The same records as simple-history's ``bulk_history_create(objs, update=True,
    default_user=user, default_change_reason=reason, default_date=date)``: the tracked fields
    (``history.model.tracked_fields``), the date, the user, the reason and ``history_type``
    "~"; written by the database in one statement. Call it after the rows were written, in the
    same transaction. Returns the records written.
    """
    if not instances or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    if connection.vendor != "postgresql":
        # SQLite has no array parameters: simple-history's own bulk insert gives the same rows.
        created = model.history.bulk_history_create(
            instances,
            batch_size=500,
            update=True,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
        return len(created)
    history = model.history.model
    quote = connection.ops.quote_name
    tracked = list(history.tracked_fields)
    target = [quote(history._meta.get_field(field.name).column) for field in tracked]
    source = [quote(model._meta.get_field(field.name).column) for field in tracked]
    for name in ("history_date", "history_user", "history_change_reason", "history_type"):
        target.append(quote(history._meta.get_field(name).column))
    pk = quote(model._meta.pk.column)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(target)}) "  # noqa: S608 - quoted names, values as parameters
        f"SELECT {', '.join(source)}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {pk} = ANY(%s)"
    )
    params = [date, user.pk if user is not None else None, reason, "~"]
    params.append([instance.pk for instance in instances])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
