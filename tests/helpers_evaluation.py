"""Helpers for the evaluation tests: workbooks in memory, edited the way a user would."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from agreements.models import Jaarschijf
from core.workbook import write_workbook
from evaluation.export import template_sheets, write_evaluation
from projects.models import Project
from sustainability.models import EnergyLabelFigure

from .factories import YEAR


def export_bytes(jaarschijf: Jaarschijf, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_evaluation(jaarschijf, buffer, **kwargs)
    return buffer.getvalue()


def template_bytes(jaarschijf: Jaarschijf, corporation=None) -> bytes:
    buffer = io.BytesIO()
    write_workbook(template_sheets(jaarschijf, corporation=corporation), buffer)
    return buffer.getvalue()


def open_workbook(data: bytes, **kwargs) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), **kwargs)


def header(ws) -> list:
    values = [cell.value for cell in ws[1]]
    while values and values[-1] is None:
        values.pop()
    return values


def data_rows(ws) -> list[tuple]:
    return [
        row for row in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)
    ]


def column_of(ws, name: str) -> int:
    """1-based column number of a header."""
    return header(ws).index(name) + 1


def find_row(ws, **criteria) -> int:
    """The row number of the first row whose named columns hold these values."""
    columns = {name: column_of(ws, name) for name in criteria}
    for number in range(2, ws.max_row + 1):
        if all(ws.cell(number, columns[k]).value == v for k, v in criteria.items()):
            return number
    raise AssertionError(f"no row with {criteria}")


def save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def edit(data: bytes, changes) -> bytes:
    """Apply ``changes(wb)`` to a copy of the workbook and return the new file."""
    wb = open_workbook(data)
    changes(wb)
    return save(wb)


def set_text(cell, value: str) -> None:
    """Type text into a cell as Excel stores it, even when it starts with '='."""
    cell.value = value
    cell.data_type = "s"


def project(name: str, category: str | None = None, position: int | None = None) -> Project:
    projects = Project.objects.filter(jaarschijf__year=YEAR, name=name)
    if category:
        projects = projects.filter(category=category)
    if position:
        projects = projects.filter(position=position)
    return projects.get()


def label_figure(corporation: str, year: int, jaarschijf_year: int = YEAR) -> EnergyLabelFigure:
    return EnergyLabelFigure.objects.get(
        jaarschijf__year=jaarschijf_year, corporation__name=corporation, year=year
    )


def upload(client, data: bytes, *, year: int = YEAR, name: str = "werkmap.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("evaluation:evaluation-import", args=[year]), {"workbook": file})


def confirm(client, *, year: int = YEAR):
    """Press 'Wijzigingen doorvoeren' on the preview, with the token the page shows."""
    page = client.get(reverse("evaluation:evaluation-import-preview", args=[year]))
    token = page.context["draft"].token
    return client.post(
        reverse("evaluation:evaluation-import-preview", args=[year]), {"token": token, "apply": "1"}
    )


def zip_of(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def libreoffice_csv(data: bytes) -> dict[str, list[list[str]]]:
    """Convert the workbook with headless LibreOffice to CSV, one file per sheet.

    LibreOffice runs with its own throwaway profile so that parallel runs do not collide.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is niet geïnstalleerd; scripts/test.sh installeert het")
    with tempfile.TemporaryDirectory(prefix="eval-lo-") as tmp:
        source = Path(tmp) / "werkmap.xlsx"
        source.write_bytes(data)
        profile = Path(tmp) / "profiel"
        out = Path(tmp) / "uit"
        # 44=comma, 34=quote, 76=UTF-8, …, -1 = every sheet in a file of its own
        filter_options = "44,34,76,1,,0,false,true,false,false,false,-1"
        # soffice is the binary found on PATH, the arguments are our own: nothing untrusted.
        result = subprocess.run(  # noqa: S603
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                f"csv:Text - txt - csv (StarCalc):{filter_options}",
                "--outdir",
                str(out),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            env={**os.environ, "HOME": tmp},
        )
        assert result.returncode == 0, result.stderr
        sheets = {}
        # LibreOffice reports the sheets in the workbook's order: "Writing sheet X -> file"
        for name in re.findall(r"Writing sheet (.+?) -> ", result.stdout + result.stderr):
            path = out / f"werkmap-{name}.csv"
            with path.open(encoding="utf-8", newline="") as handle:
                sheets[name] = list(csv.reader(handle))
        assert sheets, f"LibreOffice schreef niets: {result.stdout} {result.stderr}"
        return sheets
