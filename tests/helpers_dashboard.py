"""Helpers for the dashboard, list and party page tests: read a page the way a user does."""

import re
from datetime import timedelta
from html.parser import HTMLParser

from django.utils import timezone

from .factories import make_progress_update


class _TableParser(HTMLParser):
    """Collects every <table> as caption + rows of cell texts (th and td alike)."""

    def __init__(self):
        super().__init__()
        self.tables = []
        self._table = None
        self._row = None
        self._cell = None
        self._caption = None
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = {"caption": "", "rows": []}
        elif tag == "caption" and self._table is not None:
            self._caption = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "svg":
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag == "caption" and self._caption is not None:
            self._table["caption"] = _squash("".join(self._caption))
            self._caption = None
        elif tag == "tr" and self._row is not None:
            self._table["rows"].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(_squash("".join(self._cell)))
            self._cell = None
        elif tag == "svg":
            self._hidden -= 1

    def handle_data(self, data):
        if self._hidden:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def tables(response) -> dict[str, list[list[str]]]:
    """The page's tables by caption (prefix match is up to the caller)."""
    parser = _TableParser()
    parser.feed(response.content.decode())
    return {table["caption"]: table["rows"] for table in parser.tables}


def table(response, caption_start: str) -> list[list[str]]:
    found = [
        rows for caption, rows in tables(response).items() if caption.startswith(caption_start)
    ]
    assert found, f"no table whose caption starts with {caption_start!r}"
    return found[0]


def row_of(rows, first_cell_start: str) -> list[str]:
    found = [row for row in rows if row and row[0].startswith(first_cell_start)]
    assert found, f"no row starting with {first_cell_start!r}"
    return found[0]


def switcher_years(response) -> list[str]:
    """The years the header's year switcher offers, in its order."""
    html = response.content.decode()
    switcher = html[html.index('id="jaarschijf-keuze"') :]
    return re.findall(r'<option value="(\d+)"', switcher[: switcher.index("</select>")])


def page_text(response) -> str:
    """The visible text of a page (tags and charts left out), whitespace squashed."""
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    # Inline elements do not separate words; every other tag does.
    html = re.sub(r"</?(a|span|strong|em|sup|abbr|small|b|i)\b[^>]*>", "", html)
    return _squash(re.sub(r"<[^>]+>", " ", html))


def make_update_days_ago(action, days: int, user=None, **fields):
    """A progress update as if posted ``days`` days ago."""
    fields.setdefault("created_at", timezone.now() - timedelta(days=days))
    if fields.get("status") in ("vertraagd", "vervallen"):
        fields.setdefault("explanation", "Toelichting voor de test.")
    return make_progress_update(action, user, **fields)


def records(rows) -> list[dict]:
    """Rows as dicts by column header; a sortable header's hidden ", sorteer …" left out."""
    header = [re.sub(r", sorteer \w+$", "", cell) for cell in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]
