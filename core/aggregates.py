"""Aggregates Django offers only for PostgreSQL, written once for both databases we run on
(PostgreSQL in production and tests, SQLite for the quick-start)."""

from django.db.models import Aggregate, JSONField


class JSONArrayAgg(Aggregate):
    """The group's values as one JSON array: ``jsonb_agg`` / ``json_group_array``.

    The order inside the array is the database's; sort after reading.
    """

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)
