"""The filtered action list as an Excel workbook.

Two halves: ``action_rows`` turns actions into plain rows (testable without Excel) and
``write_workbook`` writes any rows to an .xlsx file. Text is always written as text: a cell
that starts with ``=``, ``+``, ``-`` or ``@`` would otherwise become a formula when the file is
opened or edited (spreadsheet injection), so such cells get the string type and Excel's quote
prefix, which keeps the value exactly as typed.
"""

import io
from collections.abc import Iterable, Iterator

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .tables import STATUS_LABELS, lead_parties, other_parties, party_names

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: (Dutch header, column width, number format) per column.
ACTION_COLUMNS = (
    ("Nummer", 9, None),
    ("Thema", 28, None),
    ("Afspraak", 70, None),
    ("Trekker", 24, None),
    ("Betrokken partijen", 40, None),
    ("Status", 14, None),
    ("% gereed", 10, "0%"),
    ("Laatste update", 15, "DD-MM-YYYY"),
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def action_rows(actions: Iterable) -> Iterator[list]:
    """One row per action, in the order of ACTION_COLUMNS.

    The actions need ``with_progress()`` and prefetched ``action_parties__party``.
    """
    for action in actions:
        updated = action.last_update_at
        yield [
            action.number,
            f"{action.theme.number}. {action.theme.title}",
            action.short_text,
            party_names(lead_parties(action)),
            party_names(other_parties(action)),
            STATUS_LABELS.get(action.current_status, action.current_status),
            action.current_percent / 100 if action.current_percent is not None else None,
            timezone.localtime(updated).date() if updated else None,
        ]


def write_workbook(columns, rows: Iterable[list], *, title: str) -> bytes:
    """An .xlsx with a bold, frozen, filterable header row and Dutch-styled numbers and dates.

    ``columns`` are (header, width, number format or None), as ACTION_COLUMNS.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    bold = Font(bold=True)
    for column, (header, width, _format) in enumerate(columns, start=1):
        write_cell(sheet.cell(row=1, column=column), header).font = bold
        sheet.column_dimensions[get_column_letter(column)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    row_number = 1
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = write_cell(sheet.cell(row=row_number, column=column), value)
            cell.alignment = wrap
            number_format = columns[column - 1][2]
            if number_format and value is not None:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{row_number}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_cell(cell, value):
    """Write a value with its own type; text never becomes a formula. Returns the cell."""
    if isinstance(value, str):
        # Control characters are not allowed in the file format; they carry no meaning here.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str):
        # openpyxl turns a leading "=" into a formula; every text cell is forced to text.
        cell.data_type = TYPE_STRING
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell
