"""Open data: every dataset of the API as a CSV and a JSON download, with a data dictionary.

The rows come from the same queries (api/datasets.py) and serializers (api/serializers.py)
as the API, so a download, an API answer and a page never disagree; the data dictionary is
made from the serializers' own descriptions. Public by the same policy: without a login only
with PUBLIC_DASHBOARD on, and then without concepts, private notes or names.

CSV: UTF-8 with a byte-order mark (so Excel recognises UTF-8 and shows ë and ‘ correctly),
``;`` between columns and a decimal comma, as a Dutch spreadsheet expects; an empty cell is
unknown, never zero; ja/nee for yes/no; dates as JJJJ-MM-DD. JSON: the API's own values
(numbers as numbers, null for unknown). Licence CC0 1.0 (README: Open data).
"""

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from rest_framework import serializers as drf
from rest_framework.renderers import JSONRenderer

from core.access import viewer_required

from . import datasets
from . import serializers as s

DELIMITER = ";"
#: Rows read, serialised and written per step of a download: whatever the number of rows, the
#: file streams out with flat memory (a queryset through ``iterator(chunk_size=…)``, which
#: also runs its prefetches per chunk).
CHUNK_ROWS = 500
LICENCE = {
    "name": "CC0 1.0 Universeel (publiek domein)",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.nl",
    "spdx": "CC0-1.0",
}

#: The unit of a column where its type does not say it.
UNITS = {
    "percent_done": "procent (0–100)",
    "dwellings": "woningen",
    "dwellings_after": "woningen",
    "dwellings_comparator": "exact, circa, ruim, minimaal of maximaal",
    "dwellings_state": "van_toepassing of nvt",
    "realised_dwellings": "woningen",
    "count": "woningen",
    "target": "woningen met EFG-label (kengetallen: de eenheid in ‘unit’)",
    "realised": "woningen met EFG-label (kengetallen: de eenheid in ‘unit’)",
    "target_total": "woningen met EFG-label",
    "realised_total": "woningen met EFG-label",
    "unknown_targets": "corporaties",
    "unknown_realised": "corporaties",
    "corporations": "corporaties",
    "printed_value": "zoals de omschrijving zegt (woningen, projecten, labels)",
    "computed": "zoals de omschrijving zegt (woningen, projecten, labels)",
    "year": "jaartal",
    "jaarschijf": "jaartal",
    "expected_year": "jaartal",
    "expected_quarter": "kwartaal (1–4)",
    "possible_duplicate": "ja/nee",
    "api_url": "adres (URL)",
}


def _type_unit(serializer_field) -> str:
    if isinstance(serializer_field, drf.BooleanField):
        return "ja/nee"
    if isinstance(serializer_field, drf.DateTimeField):
        return "datum en tijd (ISO 8601)"
    if isinstance(serializer_field, drf.DateField):
        return "datum (JJJJ-MM-DD)"
    if isinstance(serializer_field, drf.DecimalField):
        return "getal (decimale komma)"
    if isinstance(serializer_field, drf.IntegerField):
        return "getal"
    return "tekst"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    unit: str
    empty: str

    @classmethod
    def of(cls, name: str, serializer_field, meaning: str | None = None) -> "Column":
        nullable = getattr(serializer_field, "allow_null", False)
        if isinstance(serializer_field, drf.SerializerMethodField | drf.CharField):
            empty = "niet ingevuld of niet openbaar" if not nullable else "onbekend"
        else:
            empty = "onbekend (niet 0)" if nullable else "altijd ingevuld"
        return cls(
            name=name,
            meaning=meaning or str(serializer_field.help_text or ""),
            unit=UNITS.get(name, _type_unit(serializer_field)),
            empty=empty,
        )


def _join(values) -> str:
    return ", ".join(str(v) for v in values)


#: How a nested list of a row becomes one CSV cell: column -> (meaning, cell).
NESTED: dict[str, tuple[str, Callable]] = {
    "parties": (
        "Sleutels van de betrokken partijen, komma-gescheiden.",
        lambda parties: _join(p["slug"] for p in parties),
    ),
    "milestones": (
        "Mijlpalen als ‘code (uiterste datum)’, komma-gescheiden; de volledige mijlpalen "
        "staan in de JSON.",
        lambda items: _join(f"{m['code']} ({m['due_date']})" for m in items),
    ),
    "breakdowns": (
        "Uitsplitsing als ‘soort klasse aantal’, komma-gescheiden (‘circa’ waar het document "
        "dat zegt).",
        lambda items: _join(
            f"{b['kind']} {b['label']} {'circa ' if b['approximate'] else ''}{b['count']}"
            for b in items
        ),
    ),
    "municipality": ("Sleutel van de gemeente.", lambda party: party["slug"]),
    "_links": ("Adres van deze regel in de API (‘self’).", lambda links: links["self"]["href"]),
}
#: CSV column names for the API's names that a spreadsheet should not show.
CSV_NAMES = {"_links": "api_url"}
#: Extra columns made from a nested list: column -> (source field, meaning, cell).
DERIVED = {
    "leads": (
        "parties",
        "Sleutels van de trekker(s), komma-gescheiden.",
        lambda parties: _join(p["slug"] for p in parties if p["is_lead"]),
    ),
}


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    serializer: type
    rows: Callable
    #: A nested list whose items become the CSV rows (kengetallen: one row per value).
    explode: str | None = None

    def chunks(self, request) -> Iterator[list[dict]]:
        """The serialised rows, CHUNK_ROWS at a time, read from the database as they go."""
        rows = self.rows(request.user)
        source = rows.iterator(chunk_size=CHUNK_ROWS) if isinstance(rows, QuerySet) else iter(rows)
        while batch := list(itertools.islice(source, CHUNK_ROWS)):
            yield self.serializer(batch, many=True, context={"request": request}).data

    def columns(self) -> list[Column]:
        fields = self.serializer().fields
        columns = []
        for name, serializer_field in fields.items():
            if name == self.explode:
                child = serializer_field.child
                columns += [Column.of(n, f) for n, f in child.fields.items()]
            elif name in NESTED:
                meaning = NESTED[name][0]
                columns.append(Column.of(CSV_NAMES.get(name, name), serializer_field, meaning))
            else:
                columns.append(Column.of(name, serializer_field))
            columns += [
                Column(extra, meaning, "tekst", "geen")
                for extra, (source, meaning, _cell) in DERIVED.items()
                if source == name
            ]
        return columns

    def csv_rows(self, data: list[dict]):
        """The rows of the CSV as dicts of cells, nested lists flattened."""
        for item in data:
            flat = {}
            for name, value in item.items():
                if name == self.explode:
                    continue
                flat[CSV_NAMES.get(name, name)] = (
                    NESTED[name][1](value) if name in NESTED else value
                )
                for extra, (source, _meaning, cell) in DERIVED.items():
                    if source == name:
                        flat[extra] = cell(value)
            if self.explode:
                for child in item[self.explode]:
                    yield flat | dict(child)
            else:
                yield flat


DATASETS = [
    Dataset(
        "afspraken",
        "Afspraken",
        "Elke afspraak met trekker, betrokken partijen, status en percentage uit de laatste "
        "voortgangsupdate en mijlpalen.",
        s.ActionSerializer,
        datasets.actions,
    ),
    Dataset(
        "voortgangsupdates",
        "Voortgangsupdates",
        "Elke gemelde status en elk percentage; de toelichting alleen waar die openbaar is.",
        s.ProgressUpdateSerializer,
        datasets.progress_updates,
    ),
    Dataset(
        "projecten",
        "Projecten",
        "De woningbouwprojecten met geplande en gerealiseerde woningen en hun uitsplitsing.",
        s.ProjectSerializer,
        datasets.projects,
    ),
    Dataset(
        "efg-labelcijfers",
        "EFG-labelcijfers",
        "Per corporatie en jaar: sociale huurwoningen met een E-, F- of G-label (doel of "
        "stand, en realisatie).",
        s.EnergyLabelFigureSerializer,
        datasets.energy_labels,
    ),
    Dataset(
        "efg-totalen",
        "EFG-totalen",
        "Per jaarschijf en jaar de som over de corporaties, met hoeveel er nog onbekend zijn.",
        s.EnergyLabelTotalSerializer,
        lambda user: datasets.per_jaarschijf(user, datasets.energy_label_totals),
    ),
    Dataset(
        "bat-voorraad",
        "BAT-voorraad",
        "Per corporatie de woningen per BAT-toegankelijkheidsklasse op de peildatum.",
        s.BatStockSerializer,
        datasets.bat_stock,
    ),
    Dataset(
        "kengetallen",
        "Kengetallen",
        "Per kengetal, partij en periode het doel en de realisatie, met de vergelijking "
        "(minimaal, maximaal, circa, …) en of het doel gehaald is. Eén regel per waarde.",
        s.IndicatorSerializer,
        datasets.indicators,
        explode="values",
    ),
    Dataset(
        "kerncijfers",
        "Kerncijfers",
        "De kerncijfers van het document, opnieuw berekend uit de tabellen, met hun volledigheid.",
        s.HeadlineFigureSerializer,
        lambda user: datasets.per_jaarschijf(user, datasets.headline_rows),
    ),
    Dataset(
        "partijen",
        "Partijen",
        "De partijen en collectieven met hun leden.",
        s.PartySerializer,
        datasets.parties,
    ),
    Dataset(
        "themas",
        "Thema's",
        "De thema's per jaarschijf.",
        s.ThemeSerializer,
        datasets.themes,
    ),
    Dataset(
        "jaarschijven",
        "Jaarschijven",
        "De jaarschijven en hun status.",
        s.JaarschijfSerializer,
        datasets.jaarschijven,
    ),
]
BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal | float):
        return format(value, "f").replace(".", ",")
    return value


def write_csv(dataset: Dataset, chunks: Iterable[list[dict]]) -> Iterator[str]:
    """The one CSV writer: BOM, ``;``, a header of column names, cells as ``csv_cell``; the
    text of each chunk of rows as it is written."""
    names = [column.name for column in dataset.columns()]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, delimiter=DELIMITER, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writeheader()
    for data in chunks:
        for row in dataset.csv_rows(data):
            writer.writerow({name: csv_cell(row.get(name)) for name in names})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header of a dataset without rows


def write_json(dataset: Dataset, chunks: Iterable[list[dict]]) -> Iterator[bytes]:
    """``{"dataset", "title", "licence", "results": [...]}`` as the API's JSONRenderer writes
    it, the results chunk by chunk."""
    renderer = JSONRenderer()
    head = renderer.render({"dataset": dataset.slug, "title": dataset.title, "licence": LICENCE})
    yield head[:-1] + b',"results":['
    separator = b""
    for data in chunks:
        items = renderer.render(list(data))[1:-1]  # the list's items, without its brackets
        if items:
            yield separator + items
            separator = b","
    yield b"]}"


@viewer_required
def open_data(request):
    return render(
        request,
        "api/open_data.html",
        {
            "datasets": DATASETS,
            "licence": LICENCE,
            "delimiter": DELIMITER,
            "nav_active": "open-data",
            "breadcrumbs": [("Dashboard", reverse("overview:dashboard")), ("Open data", "")],
        },
    )


@viewer_required
def download(request, slug: str, extension: str):
    dataset = BY_SLUG.get(slug)
    if dataset is None or extension not in ("csv", "json"):
        raise Http404
    filename = f"{dataset.slug}.{extension}"
    if extension == "csv":
        response = StreamingHttpResponse(
            write_csv(dataset, dataset.chunks(request)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            write_json(dataset, dataset.chunks(request)),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
