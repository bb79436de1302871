"""Every Excel file comes from one writer with one set of conventions (core.workbook)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.workbook import (
    FORMAT_PERCENT,
    FORMAT_TEXT,
    Column,
    Sheet,
    StyledRow,
    fraction,
    write_workbook,
)

from .factories import action, login, make_progress_update
from .helpers_evaluation import export_bytes, template_bytes

pytestmark = pytest.mark.django_db

HOSTILE = ["=1+1", "+31 45 123", "-5 woningen", "@SUM(A1)", "#N/A", "gewoon"]


def written(sheets) -> bytes:
    buffer = io.BytesIO()
    write_workbook(sheets, buffer)
    return buffer.getvalue()


def text_cells(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield ws.title, cell


def test_every_text_is_a_string_cell_with_excels_quote_prefix():
    columns = [Column("Tekst"), Column("Code", number_format=FORMAT_TEXT)]
    data = written([Sheet("Blad", columns, [[text, "1.10"] for text in HOSTILE])])

    ws = load_workbook(io.BytesIO(data)).active
    cells = [ws.cell(row, 1) for row in range(2, len(HOSTILE) + 2)]
    assert [cell.value for cell in cells] == HOSTILE
    assert {cell.data_type for cell in cells} == {"s"}
    assert all(cell.quotePrefix for cell in cells)
    assert ws["B2"].value == "1.10"
    assert ws["B2"].quotePrefix


def test_control_characters_are_left_out_and_an_overlong_text_is_cut_with_an_ellipsis():
    pasted = "Overleg\x1b[1m met\x0b de huurders\x07"
    rows = [[pasted], ["x" * 40_000], ["=1+1" + "\x07"], ["Ja, wrapped " * 10]]
    data = written([Sheet("Blad", [Column("Tekst", width=10, wrap=True)], rows)])

    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == "Overleg[1m met de huurders"
    assert len(ws["A3"].value) == 32_767
    assert ws["A3"].value.endswith("x…")
    assert ws["A4"].value == "=1+1"
    assert ws["A4"].data_type == "s"
    # A wrapped text of 120 characters in a column 10 wide: its row is 12 lines high.
    assert ws.row_dimensions[5].height == 12 * 15
    assert ws.row_dimensions[2].height == 3 * 15


def test_numbers_dates_and_unknowns_keep_their_type():
    columns = [
        Column("Aantal"),
        Column("% gereed", number_format=FORMAT_PERCENT),
        Column("Datum"),
        Column("Onbekend"),
    ]
    data = written([Sheet("Blad", columns, [[1234, fraction(40), date(2024, 2, 28), None]])])

    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == 1234
    assert ws["A2"].number_format == "#,##0"
    assert ws["B2"].value == pytest.approx(0.4)
    assert ws["B2"].number_format == "0%"
    assert ws["C2"].number_format == "DD-MM-YYYY"
    assert ws["D2"].value is None
    assert fraction(None) is None


def test_header_and_total_rows_are_bold_and_add_no_cell_styles_to_the_gallery():
    sheet = Sheet("Blad", [Column("Tekst")], [StyledRow(["Totaal"], "total"), ["a"]])

    workbook = load_workbook(io.BytesIO(written([sheet])))

    ws = workbook.active
    assert ws["A1"].font.bold  # header
    assert ws["A1"].fill.fgColor.rgb.endswith("D9E1F2")
    assert ws["A2"].font.bold  # total row
    assert ws["A2"].border.top.style == "thin"
    assert not ws["A3"].font.bold
    assert ws["A3"].alignment.vertical == "top"
    # Formatting of the cells themselves: Excel's cell style gallery keeps only its own.
    assert workbook.named_styles == ["Normal"]


def test_every_text_cell_of_the_evaluation_and_the_template_has_the_quote_prefix(
    jaarschijf, kernteamlid
):
    make_progress_update(action("1.9"), kernteamlid, explanation='=HYPERLINK("x")')

    for data in (export_bytes(jaarschijf), template_bytes(jaarschijf)):
        cells = list(text_cells(data))
        assert len(cells) > 100
        unprefixed = [(sheet, cell.coordinate) for sheet, cell in cells if not cell.quotePrefix]
        assert unprefixed == []


def test_every_text_cell_of_the_action_list_download_has_the_quote_prefix(client, kernteamlid):
    login(client, kernteamlid)

    response = client.get(reverse("overview:action-list-export"))

    cells = list(text_cells(b"".join(response.streaming_content)))
    assert len(cells) > 100
    assert all(cell.quotePrefix for _sheet, cell in cells)
    assert all(cell.data_type == "s" for _sheet, cell in cells)


def test_every_workbook_download_streams_and_stays_out_of_shared_caches(
    client, kernteamlid, jaarschijf
):
    login(client, kernteamlid)
    for url in (
        reverse("overview:action-list-export"),
        reverse("evaluation:evaluation-export", args=[jaarschijf.year]),
        reverse("evaluation:evaluation-import-template", args=[jaarschijf.year]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        # Sent in blocks from a (spooled) temporary file, never built whole in the response.
        assert response.streaming, url
        assert response["Cache-Control"] == "private, no-store", url
        assert response["Content-Disposition"].startswith('attachment; filename="'), url
        assert b"".join(response.streaming_content).startswith(b"PK"), url
