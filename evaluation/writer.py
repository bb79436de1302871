"""Writes the sheets of :mod:`evaluation.export` to an .xlsx file with openpyxl.

The workbook is written in write-only mode: rows stream to the file as the row generators
yield them, so memory stays flat however large the jaarschijf is.

Styling every cell the ordinary way (a new cell, then font, fill, alignment and number
format, each looked up in the workbook's style tables) costs several times what writing the
cell costs. So a style is resolved once per combination of format, row style and fill, and
the cells of a column are reused objects (:class:`_Cell`) that carry the resolved style
index; openpyxl writes each cell as soon as the row is appended, before the next row reuses
it. ``benchmarks/export.py`` measures the result against bare openpyxl.

Every ``str`` is stored as a text cell (``data_type = "s"``): openpyxl would otherwise turn
a note that starts with ``=`` into a formula and ``#N/A`` into an error value.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .export import (
    FORMAT_DATE,
    FORMAT_DATETIME,
    FORMAT_INTEGER,
    CellValue,
    Column,
    Sheet,
    StyledRow,
)

#: Excel refuses longer cell texts.
MAX_CELL_TEXT = 32_767
#: Points per line of the default font (Calibri 11) and Excel's highest row.
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409
AUTHOR = "Prestatieafspraken"

HEADER_FILL = "D9E1F2"
_THIN = Side(style="thin", color="808080")


def safe_text(value: str) -> str:
    """Text as Excel accepts it: no control characters, not longer than a cell holds."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[: MAX_CELL_TEXT - 1] + "…"
    return value


def text_cell(ws, value: str) -> Cell:
    """A cell that holds ``value`` as text, never as a formula or an error value."""
    cell = Cell(ws, row=1, column=1)
    cell.value = safe_text(value)
    cell.data_type = "s"
    return cell


class _Cell(Cell):
    """A cell whose style index is resolved once per style instead of once per cell."""

    __slots__ = ("_style_id",)

    def __init__(self, ws):
        super().__init__(ws, row=1, column=1)
        self._style_id = 0

    @property
    def style_id(self):
        return self._style_id

    @property
    def has_style(self):
        return self._style_id != 0


def _prepared_cells(cells, row_idx):
    """Stands in for WriteOnlyWorksheet._values_to_row: our rows are cells already."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.row = row_idx
            cell.column = col_idx
            yield cell


def write_workbook(
    sheets: Iterable[Sheet], target: str | IO[bytes], *, title: str = ""
) -> dict[str, int]:
    """Write ``sheets`` to ``target`` (a path or a binary file); returns rows per sheet."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = AUTHOR
    counts = {}
    styles: dict[tuple, int] = {}  # shared by the sheets: the style table is the workbook's
    for sheet in sheets:
        counts[sheet.name] = _SheetWriter(workbook, sheet, styles).write()
    workbook.save(target)
    return counts


def write_evaluation(jaarschijf, target: str | IO[bytes], **kwargs) -> dict[str, int]:
    """The evaluation workbook of ``jaarschijf`` ('Evaluatie jaarschijf <jaar>')."""
    from .export import evaluation_sheets, workbook_title

    return write_workbook(
        evaluation_sheets(jaarschijf, **kwargs), target, title=workbook_title(jaarschijf)
    )


class _SheetWriter:
    def __init__(self, workbook: Workbook, sheet: Sheet, styles: dict):
        self.sheet = sheet
        self.ws = workbook.create_sheet(title=sheet.name)
        # Rows arrive as prepared cells (see _prepared_cells); the public append() still
        # does the streaming.
        self.ws._values_to_row = _prepared_cells
        self.columns = list(sheet.columns)
        self.styles = styles
        self.scratch: list[_Cell] = []
        self.row_number = 0
        self.lines = 1

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
        if sheet.table:
            ws.freeze_panes = "A2"
            ws.print_title_rows = "1:1"
            self._append([c.header for c in self.columns], "header")

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
        if sheet.chart is not None and rows:
            self._add_chart(rows)
        return rows

    def _append(self, values, row_style: str | None) -> None:
        while len(self.scratch) < len(values):
            self.scratch.append(_Cell(self.ws))
        self.lines = 1
        cells = [self._cell(v, i, row_style) for i, v in enumerate(values)]
        self.row_number += 1
        if self.lines > 1:
            # Spreadsheet programs do not grow a row for wrapped text they did not lay out
            # themselves (LibreOffice keeps it one line high): give the row its height.
            dimensions = self.ws.row_dimensions
            dimensions[self.row_number].height = min(MAX_ROW_HEIGHT, self.lines * LINE_HEIGHT)
            self.ws.append(cells)
            del dimensions[self.row_number]  # written; keep memory flat
        else:
            self.ws.append(cells)

    def _column(self, index: int) -> Column:
        return self.columns[index] if index < len(self.columns) else Column("")

    def _cell(self, value, index: int, row_style: str | None) -> _Cell | None:
        comment = number_format = fill = None
        if type(value) is CellValue:
            value, comment, number_format = value.value, value.comment, value.number_format
        if value is None or value == "":
            return None
        column = self._column(index)
        if type(value) is bool:
            value = "Ja" if value else "Nee"
        if isinstance(value, str):
            value = safe_text(value)
            data_type, kind = "s", "text"
            if column.fills and row_style is None:
                fill = column.fills.get(value)
            if column.wrap or row_style in ("header", "subheader"):
                self.lines = max(self.lines, _lines(value, column.width))
        elif isinstance(value, datetime):
            if value.tzinfo is not None:
                # Excel knows no time zones: the local wall-clock time, as people read it.
                value = timezone.localtime(value).replace(tzinfo=None)
            data_type, kind = "d", "datetime"
        elif isinstance(value, date):
            data_type, kind = "d", "date"
        elif isinstance(value, int):
            data_type, kind = "n", "int"
        elif isinstance(value, (float, Decimal)):
            data_type, kind = "n", "decimal"
        else:
            raise TypeError(f"Kan {type(value).__name__} niet naar Excel schrijven")
        number_format = number_format or _number_format(column, kind)
        style_id = self._style_id(number_format, column.wrap, row_style, fill)
        cell = _Cell(self.ws) if comment else self.scratch[index]
        cell._value = value
        cell.data_type = data_type
        cell._style_id = style_id
        if comment:
            cell.comment = Comment(comment, AUTHOR, width=300, height=80)
        return cell

    def _style_id(self, number_format, wrap, row_style, fill) -> int:
        key = (number_format, wrap, row_style, fill)
        style_id = self.styles.get(key)
        if style_id is None:
            style = self._build_style(*key)
            style_id = self.styles[key] = self.ws.parent._cell_styles.add(style)
        return style_id

    def _build_style(self, number_format, wrap, row_style, fill):
        prototype = Cell(self.ws, row=1, column=1)
        prototype.number_format = number_format
        wrap = wrap or row_style in ("header", "subheader")
        prototype.alignment = Alignment(vertical="top", wrap_text=wrap)
        if row_style in ("header", "subheader"):
            prototype.font = Font(bold=True)
            prototype.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
            prototype.border = Border(bottom=_THIN)
        elif row_style == "total":
            prototype.font = Font(bold=True)
            prototype.border = Border(top=_THIN)
        elif row_style == "title":
            prototype.font = Font(bold=True, size=14)
            prototype.alignment = Alignment(vertical="top", wrap_text=False)
        elif row_style == "heading":
            prototype.font = Font(bold=True, size=12)
            prototype.alignment = Alignment(vertical="top", wrap_text=False)
        if fill:
            prototype.fill = PatternFill("solid", start_color=fill, end_color=fill)
        return prototype._style

    def _add_chart(self, rows: int) -> None:
        spec = self.sheet.chart
        chart = LineChart()
        chart.title = spec.title
        chart.y_axis.title = spec.y_title
        chart.x_axis.title = spec.x_title
        # openpyxl 3.1 marks axes as deleted by default; Excel then hides them.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.height = 10
        chart.width = 24
        for column in spec.series_columns:
            data = Reference(self.ws, min_col=column, min_row=1, max_row=rows + 1)
            chart.add_data(data, titles_from_data=True)
        categories = Reference(self.ws, min_col=spec.category_column, min_row=2, max_row=rows + 1)
        chart.set_categories(categories)
        self.ws.add_chart(chart, f"A{rows + 4}")


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column: a column width unit holds about one character."""
    per_line = max(int(width), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _number_format(column: Column, kind: str) -> str:
    if kind == "text":
        return column.number_format if column.number_format == "@" else "General"
    if column.number_format and column.number_format != "@":
        if kind in ("date", "datetime") or kind == "int" or column.number_format != FORMAT_INTEGER:
            return column.number_format
    return {
        "int": FORMAT_INTEGER,
        "decimal": "General",
        "date": FORMAT_DATE,
        "datetime": FORMAT_DATETIME,
    }[kind]
