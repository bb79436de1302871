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


def test_styles_are_named_styles_of_the_workbook():
    sheet = Sheet("Blad", [Column("Tekst")], [StyledRow(["Totaal"], "total"), ["a"]])

    workbook = load_workbook(io.BytesIO(written([sheet])))

    ws = workbook.active
    assert ws["A1"].font.bold  # header
    assert ws["A2"].font.bold  # total row
    assert ws["A2"].style.startswith("Prestatieafspraken")
    assert not ws["A3"].font.bold


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
