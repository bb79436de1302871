"""No module of ours reaches into a private attribute of a library (openpyxl, django-tables2).

Such code breaks silently on the next minor release; pyproject.toml pins the major version of
every library whose public API we extend.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "accounts", "agreements", "projects", "sustainability", "overview")
PACKAGES += ("evaluation", "heerlen", "benchmarks", "templates")
PRIVATE_NAMES = (
    "._values_to_row",
    "._cell_styles",
    "._get_and_render_with",
    "._optional_cell_arguments",
    "bound_column._table",
    "._call_render",
    "._style",
)


def our_sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts:
                yield path


def test_the_scan_reads_our_code():
    sources = list(our_sources())
    assert len(sources) > 80
    assert ROOT / "core" / "workbook.py" in sources


def test_no_module_uses_a_private_attribute_of_a_library():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {name}"
        for path in our_sources()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for name in PRIVATE_NAMES
        if re.search(re.escape(name) + r"\b", line)
    ]

    assert found == []
