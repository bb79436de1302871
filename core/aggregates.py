"""Aggregates Django lacks, on its public Aggregate API, for PostgreSQL and SQLite alike."""

from django.db.models import Aggregate, JSONField


class JSONArrayAgg(Aggregate):
    """The values of a group as one JSON array (``JSONB_AGG`` / SQLite's ``JSON_GROUP_ARRAY``).

    With ``JSONObject`` a correlated subquery brings a few related rows along with each row of
    the outer query, where a prefetch would cost a query of its own. The order of the array is
    not defined: sort it in Python.
    """

    function = "JSONB_AGG"
    name = "JSONArrayAgg"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)
