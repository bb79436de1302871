"""One workbook writer for every Excel file the application produces.

Sheets are data (:class:`Sheet`: a name, its :class:`Column` declarations and an iterator of
rows); the rows are generated elsewhere, next to the queries (the exporter pattern of pretix),
with real Python types and ``None`` for an unknown value. :func:`write_workbook` turns sheets
into an .xlsx file with openpyxl's public API only: a write-only workbook (rows stream to the
file, memory stays flat) and :class:`~openpyxl.cell.WriteOnlyCell` with its font, fill, border,
alignment and number format set directly (as openpyxl documents for write-only mode): one cell
per combination of column, number format, row style and fill, reused for every row.

Conventions for every workbook:

- A ``str`` is always a text cell (``data_type = "s"``) with Excel's quote prefix, so text a
  user typed stays exactly that text when the file is opened and edited: ``=1+1``, ``+31 45``,
  ``-5 woningen`` or ``#N/A`` never become a formula, a number or an error value.
- A percentage is a fraction (0,4 for 40 %) with Excel's percentage format ``0%``.
- ``True``/``False`` are written as "Ja"/"Nee"; dates and times as dates (local wall-clock time:
  Excel knows no time zones).
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Workbooks up to this size are built in memory, larger ones in a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024

FORMAT_INTEGER = "#,##0"
FORMAT_YEAR = "0"
FORMAT_PERCENT = "0%"
FORMAT_DATE = "DD-MM-YYYY"
FORMAT_DATETIME = "DD-MM-YYYY HH:MM"
FORMAT_TEXT = "@"

#: Excel refuses longer cell texts.
MAX_CELL_TEXT = 32_767
#: Points per line of the default font (Calibri 11) and Excel's highest row.
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409
AUTHOR = "Prestatieafspraken"
HEADER_FILL = "D9E1F2"
_THIN = Side(style="thin", color="808080")

#: Row styles a :class:`StyledRow` can ask for.
ROW_STYLES = ("header", "subheader", "total", "title", "heading")


@dataclass(frozen=True)
class Column:
    """A column of a sheet, declared once: header, width, type (number format) and style.

    ``number_format`` is the column's type for numbers and dates (``FORMAT_PERCENT`` means
    the values are fractions); ``FORMAT_TEXT`` marks a column of codes such as "1.10" that
    must never read as numbers. ``fills`` maps a status label to the fill colour of its cell.
    """

    header: str
    width: float = 14
    number_format: str | None = None
    wrap: bool = False
    fills: dict[str, str] | None = None


@dataclass(frozen=True)
class StyledRow:
    """A row that is not data: a section ``heading``, a ``subheader``, a ``total``, a ``title``."""

    values: Sequence[Any]
    style: str


@dataclass(frozen=True)
class CellValue:
    """A value with a cell comment (a caveat: an incomplete total) or its own number format."""

    value: Any
    comment: str = ""
    number_format: str | None = None


def year(value):
    """A year is a number but reads without a thousands separator."""
    return CellValue(value, number_format=FORMAT_YEAR) if value is not None else None


def fraction(percent):
    """A percentage 0–100 as the fraction a percentage cell holds; ``None`` stays unknown."""
    return percent / 100 if percent is not None else None


@dataclass(frozen=True)
class LineChartSpec:
    title: str
    y_title: str
    x_title: str
    #: 1-based column numbers of the sheet
    category_column: int
    series_columns: Sequence[int]


@dataclass(frozen=True)
class BarChartSpec:
    """Stacked horizontal bars of a block of rows that is not the sheet's table (a summary).

    Rows and columns are 1-based sheet positions: ``header_row`` holds the series titles,
    ``first_row``..``last_row`` the categories (in ``category_column``) and their values.
    """

    title: str
    header_row: int
    first_row: int
    last_row: int
    category_column: int
    series_columns: Sequence[int]
    anchor: str
    x_title: str = ""
    y_title: str = ""


@dataclass
class Sheet:
    """One worksheet: ``name``, ``columns`` and a row iterator.

    ``table`` sheets get their header row written, frozen and filtered; a sheet that is a
    sequence of small tables (a summary) writes its own headings instead.
    """

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any] | StyledRow]
    table: bool = True
    chart: LineChartSpec | BarChartSpec | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


def headers(columns: Iterable[Column]) -> tuple[str, ...]:
    return tuple(column.header for column in columns)


def write_workbook(
    sheets: Iterable[Sheet], target: str | IO[bytes], *, title: str = ""
) -> dict[str, int]:
    """Write ``sheets`` to ``target`` (a path or a binary file); returns rows per sheet."""
    writer = WorkbookWriter(title=title)
    counts = {sheet.name: writer.write_sheet(sheet) for sheet in sheets}
    writer.save(target)
    return counts


def workbook_response(sheets: Iterable[Sheet], *, filename: str, title: str = "") -> FileResponse:
    """Every workbook download: ``sheets`` written and streamed to the browser.

    The rows stream from their queries into openpyxl's write-only sheets (memory stays flat),
    the file is assembled in a spooled temporary file (in memory up to SPOOL_BYTES) and sent
    in blocks by FileResponse: no download holds its file in memory, whatever its size.
    """
    buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
    write_workbook(sheets, buffer, title=title)
    buffer.seek(0)
    response = FileResponse(
        buffer, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    # Progress notes and tracking figures are not public: keep the file out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


class WorkbookWriter:
    """Writes sheets into one write-only workbook."""

    def __init__(self, *, title: str = ""):
        self.workbook = Workbook(write_only=True)
        self.workbook.properties.title = title
        self.workbook.properties.creator = AUTHOR

    def save(self, target: str | IO[bytes]) -> None:
        self.workbook.save(target)

    def write_sheet(self, sheet: Sheet) -> int:
        return _SheetWriter(self, sheet).write()


#: The parts of a cell's look, each built once and shared by every workbook: openpyxl
#: registers a part by value in each workbook (a hash and, for two equal but distinct objects,
#: a comparison field by field), so equal parts must be the same object.
_ALIGNMENT = {wrap: Alignment(vertical="top", wrap_text=wrap) for wrap in (False, True)}
_BOLD = Font(bold=True)
_HEADER_PARTS = {
    "font": _BOLD,
    "fill": PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL),
    "border": Border(bottom=_THIN),
}
#: Only what differs from the workbook's defaults (Calibri 11, no fill, no border): a default
#: left out costs nothing to register.
_ROW_STYLE_PARTS: dict[str | None, dict[str, Any]] = {
    None: {},
    "header": _HEADER_PARTS,
    "subheader": _HEADER_PARTS,
    "total": {"font": _BOLD, "border": Border(top=_THIN)},
    "title": {"font": Font(bold=True, size=14)},
    "heading": {"font": Font(bold=True, size=12)},
}
#: Row styles whose text always wraps, and those that never wrap (one-line headings).
_WRAPPED_ROWS = ("header", "subheader")
_UNWRAPPED_ROWS = ("title", "heading")


@functools.cache
def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour, end_color=colour)


@functools.cache
def _style_parts(wrap: bool, row_style: str | None, fill: str | None) -> dict[str, Any]:
    """Alignment and, where they differ, font, fill and border of a cell."""
    if row_style in _WRAPPED_ROWS:
        wrap = True
    elif row_style in _UNWRAPPED_ROWS:
        wrap = False
    parts = {"alignment": _ALIGNMENT[wrap], **_ROW_STYLE_PARTS[row_style]}
    if fill:
        parts["fill"] = _fill(fill)
    return parts


_EMPTY_COLUMN = Column("")


class _SheetWriter:
    def __init__(self, writer: WorkbookWriter, sheet: Sheet):
        self.writer = writer
        self.sheet = sheet
        self.ws = writer.workbook.create_sheet(title=sheet.name[:31])
        self.columns = list(sheet.columns)
        self.row_number = 0
        self.lines = 1
        #: One styled cell per column position, look of the column (wrap, number format),
        #: value type, row style, fill and number format, reused for every row of the sheet:
        #: styling a cell costs more than writing it, and append() writes a row's cells
        #: before it returns. (Each sheet has its own: a cell belongs to its sheet.)
        self.cells: dict[tuple, WriteOnlyCell] = {}
        self.looks = [(i, c.wrap, c.number_format) for i, c in enumerate(self.columns)]
        self.tz = timezone.get_current_timezone()
        self.heights: dict[int, RowDimension] = {}

    def write(self) -> int:
        ws, sheet = self.ws, self.sheet
        # Everything in the sheet's head must be set before the first row is appended.
        for index, column in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        # Printed, a sheet is as wide as the paper and as long as it needs to be.
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        # Narrow margins leave the columns more of the paper: less shrinking to fit the width.
        ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        if sheet.table:
            ws.freeze_panes = "A2"
            ws.print_title_rows = "1:1"
            self._append(sheet.headers, "header")

        rows = 0
        for row in sheet.rows:
            if isinstance(row, StyledRow):
                self._append(row.values, row.style)
            else:
                self._append(row, None)
            rows += 1

        if sheet.table and self.columns:
            last = get_column_letter(len(self.columns))
            ws.auto_filter.ref = f"A1:{last}{rows + 1}"
        if isinstance(sheet.chart, BarChartSpec):
            self._add_bar_chart(sheet.chart)
        elif sheet.chart is not None and rows:
            self._add_chart(rows)
        return rows

    def _append(self, values, row_style: str | None) -> None:
        self.lines = 1
        cell = self._cell
        cells = [cell(v, i, row_style) for i, v in enumerate(values)]
        self.row_number += 1
        if self.lines > 1:
            # Spreadsheet programs do not grow a row for wrapped text they did not lay out
            # themselves (LibreOffice keeps it one line high): give the row its height. One
            # RowDimension per height, shared by the rows of that height (the row's number is
            # not part of what is written for it): building one per row cost more than the row.
            dimension = self.heights.get(self.lines)
            if dimension is None:
                height = min(MAX_ROW_HEIGHT, self.lines * LINE_HEIGHT)
                dimension = self.heights[self.lines] = RowDimension(self.ws, ht=height)
            dimensions = self.ws.row_dimensions
            dimensions[self.row_number] = dimension
            self.ws.append(cells)
            del dimensions[self.row_number]  # written; keep memory flat
        else:
            self.ws.append(cells)

    def _cell(self, value, index: int, row_style: str | None) -> WriteOnlyCell | None:
        comment = number_format = None
        if type(value) is CellValue:  # a value with its own number format or a comment
            value, comment, number_format = value.value, value.comment, value.number_format
        if value is None:
            return None
        if type(value) is bool:
            value = "Ja" if value else "Nee"
        fill = None
        if isinstance(value, str):
            if not value:
                return None
            value, fill = self._text(value, index, row_style)
        elif isinstance(value, datetime) and value.tzinfo is not None:
            # Excel knows no time zones: the local wall-clock time, as people read it.
            value = value.astimezone(self.tz).replace(tzinfo=None)
        if comment:  # a cell of its own
            cell = self._styled_cell(value, index, row_style, fill, number_format)
            cell.comment = Comment(comment, AUTHOR, width=300, height=80)
            return self._set(cell, value)
        key = (
            self.looks[index] if index < len(self.looks) else index,
            type(value),
            row_style,
            fill,
            number_format,
        )
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = self._styled_cell(value, index, row_style, fill, number_format)
        return self._set(cell, value)

    def _text(self, value: str, index: int, row_style: str | None) -> tuple[str, str | None]:
        """A text as its cell holds it, with its fill; for text that may wrap, the lines of
        the row are counted."""
        if len(value) > MAX_CELL_TEXT:
            value = value[: MAX_CELL_TEXT - 1] + "…"
        column = self.columns[index] if index < len(self.columns) else _EMPTY_COLUMN
        if (column.wrap or row_style in _WRAPPED_ROWS) and (
            len(value) > column.width or "\n" in value
        ):
            self.lines = max(self.lines, _lines(value, column.width))
        if column.fills and row_style is None:
            return value, column.fills.get(value)
        return value, None

    @staticmethod
    def _set(cell: WriteOnlyCell, value) -> WriteOnlyCell:
        try:
            cell.value = value
        except IllegalCharacterError:
            # Control characters a user pasted: Excel refuses them, so they are left out.
            cell.value = value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if cell.data_type != "s" and cell.quotePrefix:
            # Text stays text: not a formula or error value, also after editing.
            cell.data_type = "s"
        return cell

    def _styled_cell(
        self, value, index: int, row_style: str | None, fill: str | None, number_format
    ) -> WriteOnlyCell:
        """A cell with the look of ``value`` in its column, row style and fill."""
        column = self.columns[index] if index < len(self.columns) else _EMPTY_COLUMN
        number_format = number_format or cell_number_format(column, value)
        cell = WriteOnlyCell(self.ws)
        for name, part in _style_parts(column.wrap, row_style, fill).items():
            setattr(cell, name, part)
        if number_format != "General":
            cell.number_format = number_format
        if isinstance(value, str):
            cell.quotePrefix = True
        return cell

    def _add_chart(self, rows: int) -> None:
        spec = self.sheet.chart
        chart = _titled(LineChart(), spec, height=10, width=24)
        for column in spec.series_columns:
            data = Reference(self.ws, min_col=column, min_row=1, max_row=rows + 1)
            chart.add_data(data, titles_from_data=True)
        categories = Reference(self.ws, min_col=spec.category_column, min_row=2, max_row=rows + 1)
        chart.set_categories(categories)
        self.ws.add_chart(chart, f"A{rows + 4}")

    def _add_bar_chart(self, spec: BarChartSpec) -> None:
        chart = _titled(BarChart(), spec, height=9, width=22)
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        for column in spec.series_columns:
            data = Reference(
                self.ws, min_col=column, min_row=spec.header_row, max_row=spec.last_row
            )
            chart.add_data(data, titles_from_data=True)
        categories = Reference(
            self.ws,
            min_col=spec.category_column,
            min_row=spec.first_row,
            max_row=spec.last_row,
        )
        chart.set_categories(categories)
        self.ws.add_chart(chart, spec.anchor)


def _titled(chart, spec, *, height: float, width: float):
    chart.title = spec.title
    chart.y_axis.title = spec.y_title
    chart.x_axis.title = spec.x_title
    # openpyxl 3.1 marks axes as deleted by default; Excel then hides them.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height = height
    chart.width = width
    return chart


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column: a column width unit holds about one character."""
    per_line = max(int(width), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def cell_number_format(column: Column, value) -> str:
    """The number format of ``value`` (already a cell value: no bool) in ``column``.

    Text is General (``@`` in a column of codes); a number or date takes the column's format
    when it fits (a decimal never gets the integer format), else the format of its type.
    """
    if isinstance(value, str):
        return FORMAT_TEXT if column.number_format == FORMAT_TEXT else "General"
    if isinstance(value, datetime):
        kind = "datetime"
    elif isinstance(value, date):
        kind = "date"
    elif isinstance(value, int):
        kind = "int"
    elif isinstance(value, (float, Decimal)):
        kind = "decimal"
    else:
        raise TypeError(f"Kan {type(value).__name__} niet naar Excel schrijven")
    if column.number_format and column.number_format != FORMAT_TEXT:
        if kind != "decimal" or column.number_format != FORMAT_INTEGER:
            return column.number_format
    return _TYPE_FORMATS[kind]


_TYPE_FORMATS = {
    "int": FORMAT_INTEGER,
    "decimal": "General",
    "date": FORMAT_DATE,
    "datetime": FORMAT_DATETIME,
}
