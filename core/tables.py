"""Table base class for the overviews: django-tables2 for columns, ordering and pages, the
cells from the table's own ``render_<column>(record)`` methods.

django-tables2 renders every cell through its value lookup (accessor, field metadata,
``call_with_appropriate`` with ``inspect.signature``): about half the time of a 50-row page.
A :class:`Table` whose every column has a ``render_<name>(self, record)`` method offers
:meth:`Table.plain_rows` instead, and templates/tables/table.html renders those: plain
Python over the public API (``table.columns``, ``column.attrs``, ``table.page``), no private
method of the library overridden. A column's ``td`` attributes must not depend on the record.
"""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils.html import conditional_escape, strip_tags
from django.utils.safestring import mark_safe

from core.formats import escape_html

#: The largest row offset a database takes in LIMIT/OFFSET (a signed 64-bit integer in
#: PostgreSQL and SQLite); a larger one fails in the database ("bigint out of range").
LARGEST_OFFSET = 2**63 - 1


class ReadAheadPaginator(Paginator):
    """A paginator that reads its page plus one row before it counts.

    When that one row more is not there, the page is the last one and the number of rows is
    known: no ``COUNT`` query (with every filter of the list compiled and run a second time).
    Otherwise it counts as Django's paginator does and shows the rows it read. A page past
    the last one, a page number that is not a number, a page number so large that its rows
    would lie beyond any offset the database takes (``?page=99999999999999999999``) and
    ``orphans`` go the usual way: counted first, then no page past the last one is read.
    """

    def page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)
        if wanted < 1 or self.orphans or wanted * self.per_page + 1 > LARGEST_OFFSET:
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and not (wanted == 1 and self.allow_empty_first_page):
            return super().page(number)
        if len(rows) <= self.per_page:
            self.__dict__["count"] = bottom + len(rows)  # the cached_property, now known
            return self._get_page(rows, wanted, self)
        return self._get_page(rows[: self.per_page], self.validate_number(wanted), self)


class Table(tables.Table):
    #: tells templates/tables/table.html to render ``plain_rows``
    plain = True

    #: The most rows one page shows, whatever ``?per_page=`` asks (a page of 100.000 rows would
    #: hold a worker; 0 or a negative number would make the paginator fail).
    MAX_PER_PAGE = 500

    def paginate(self, *args, per_page=None, **kwargs):
        if per_page is not None:
            per_page = min(max(per_page, 1), self.MAX_PER_PAGE)
        if not args:
            kwargs.setdefault("paginator_class", ReadAheadPaginator)
        return super().paginate(*args, per_page=per_page, **kwargs)

    def plain_rows(self):
        """Per record of the current page, the cells of its row as HTML: ``<td attributes
        data-label="header">cell</td>`` in column order (the header text labels the cell when
        a narrow screen shows the row as a card). Written here rather than in a template
        loop: a template resolves three variables per cell, a noticeable part of a long list.
        """
        columns = [
            (
                getattr(self, f"render_{column.name}"),
                f"<td {column.attrs['td'].as_html()} "
                f'data-label="{conditional_escape(strip_tags(str(column.header)))}">',
            )
            for column in self.columns
        ]
        page = getattr(self, "page", None)
        if page is not None:
            records = (row.record for row in page.object_list)  # a page holds BoundRows
        else:
            records = iter(self.data)
        return [
            mark_safe(  # noqa: S308 - attributes from the table, labels and cells escaped
                "".join(
                    f"{opening}{one_piece(escape_html(render(record)))}</td>"
                    for render, opening in columns
                )
            )
            for record in records
        ]


def one_piece(cell: str) -> str:
    """A cell of several parts (a link with the wijk under it, a figure with its remark) in one
    span: where the row is a card, the cell is a grid of its label and its value, and the grid
    would put each part in a row of its own, some under the label. Plain text stays as it is."""
    return f"<span>{cell}</span>" if "<" in cell else cell
