"""Table base class: django-tables2 tables for the overviews."""

import django_tables2 as tables
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import signature

# --- Rendering without inspecting a signature per cell -------------------------------------
#
# django-tables2 calls every render method through call_with_appropriate(), which runs
# inspect.signature() for every cell: about half the time of a 50-row table. The rows below
# look the signature up once per function and call the render method the same way.

_WANTED_ARGUMENTS: dict = {}


def _wanted_arguments(function):
    """The keyword names the render function takes, or None when it takes **kwargs."""
    key = getattr(function, "__func__", function)
    try:
        return _WANTED_ARGUMENTS[key]
    except KeyError:
        names, catch_all = signature(function)
        _WANTED_ARGUMENTS[key] = None if catch_all else names
        return _WANTED_ARGUMENTS[key]


class _Row(BoundRow):
    def items(self):
        # As BoundRow.items, without looking each column up again by name.
        for column in self.table.columns:
            column.current_value = self._get_and_render_with(
                column, render_func=self._call_render, default=column.default
            )
            column.current_record = self.record
            yield column, column.current_value

    def _get_and_render_with(self, bound_column, render_func, default):
        # A column that renders from the record alone and has no empty values needs no
        # value: skip resolving the accessor (and django-tables2's field lookups).
        if render_func == self._call_render and not bound_column.column.empty_values:
            wanted = _wanted_arguments(bound_column.render)
            if wanted is not None and "value" not in wanted:
                return self._call_render(bound_column)
        return super()._get_and_render_with(bound_column, render_func, default)

    def _call_render(self, bound_column, value=None):
        arguments = self._optional_cell_arguments(bound_column, value)
        render = bound_column.render
        wanted = _wanted_arguments(render)
        if wanted is None:
            content = render(**arguments)
        elif all(name in arguments for name in wanted):
            content = render(**{name: arguments[name] for name in wanted})
        else:
            content = None  # as call_with_appropriate: a render method that wants more
        return bound_column.link(content, **arguments) if bound_column.link else content


class _Rows(BoundRows):
    def __iter__(self):
        for record in self.data:
            yield _Row(record, table=self.table)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return _Rows(data=self.data[key], table=self.table)
        return _Row(record=self.data[key], table=self.table)


class FastTable(tables.Table):
    """A Table whose rows render their cells without a signature inspection per cell.

    No pinned rows (none of the overviews uses them).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = _Rows(data=self.data, table=self)
