"""Speed of the evaluation export, next to the floor: the same rows in plain openpyxl.

Also the import template (projects, EFG labels, instructions) and the action-list download
(agreements.sheets.action_rows, one row per action), and all of them again after every action of one jaarschijf got ``--extra-updates`` more progress updates (in a
transaction that is rolled back): the action list shows only the latest update, so its cost
must not grow with them; the evaluation's Voortgang sheet shows every update, so its floor
grows too and the ratio must stay.

The real export (evaluation.export.write_evaluation, written by core.workbook) queries the
database, formats every cell (cell styles, number formats, text cells with the quote
prefix, comments, the chart) and writes in write-only mode. The floor writes exactly the same
values, already in memory, with the same types and number formats ("Ja"/"Nee" for a boolean,
``#,##0`` for a count, ``0%`` for a fraction, the date formats) with a bare write-only workbook
and ``ws.append(values)``: what openpyxl itself costs for the same cells. The target is every
download within 2 × its floor. A second floor also writes every text as a quote-prefixed cell
(text stays text, as every download must write it); the table shows the ratio to both.

Run it on its own (a fresh clone needs nothing else):

    .venv/bin/python benchmarks/export.py [--scale 10] [--repeat 3]

Without DATABASE_URL it starts a throwaway PostgreSQL (benchmarks/_harness.py) and removes it
afterwards; with DATABASE_URL it uses that database (PostgreSQL). Either way it migrates, loads
jaarschijf 2024 if there are no actions yet, tops the data up with ``generate_data --scale N``
(one synthetic jaarschijf per unit; 0 = only 2024) and runs ``VACUUM ANALYZE`` before measuring.

Time is measured without tracemalloc (it slows Python down several times); peak memory in a
separate run with tracemalloc, as the peak above what was allocated before the run.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import datetime
from itertools import chain, repeat
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heerlen.settings")
os.environ.setdefault("DEBUG", "1")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Runs per measurement (median).")
    parser.add_argument(
        "--jaarschijven", type=int, default=0, help="Only the first N jaarschijven (0 = all)."
    )
    parser.add_argument(
        "--extra-updates",
        type=int,
        default=30,
        help="Progress updates added per action (rolled back) for the growth measurement.",
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=10,
        help="generate_data --scale before measuring (tops up; 0 = only jaarschijf 2024).",
    )
    return parser.parse_args(argv)


if __name__ == "__main__" and not os.environ.get("DATABASE_URL"):
    parse_args()  # --help and a wrong option need no database
    # No database given: measure on a throwaway PostgreSQL cluster of our own.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _harness import postgres

    with postgres() as cluster:
        cluster.createdb("prestatieafspraken")
        database = {"DATABASE_URL": cluster.url("prestatieafspraken")}
        command = [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]]
        status = subprocess.run(command, env={**os.environ, **database}, check=False)  # noqa: S603 - this script
    sys.exit(status.returncode)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402

from agreements.models import Action, Jaarschijf, ProgressUpdate  # noqa: E402
from agreements.sheets import ACTION_COLUMNS, action_rows  # noqa: E402
from core.workbook import (  # noqa: E402
    CellValue,
    Column,
    Sheet,
    StyledRow,
    cell_number_format,
    write_workbook,
)
from evaluation.export import (  # noqa: E402
    evaluation_sheets,
    template_sheets,
    write_evaluation,
)


class Formatted(NamedTuple):
    """A value and the number format the real export gives it (other than General), and for a
    text in the quoted floor Excel's quote prefix."""

    value: object
    number_format: str
    quote: bool = False


def plain(value, column):
    """The value as the real export writes it, with its number format: the floor's cell."""
    number_format = None
    if isinstance(value, CellValue):
        value, number_format = value.value, value.number_format
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = "Ja" if value else "Nee"
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = timezone.localtime(value).replace(tzinfo=None)
    number_format = number_format or cell_number_format(column, value)
    return value if number_format == "General" else Formatted(value, number_format)


def materialise(jaarschijven) -> list[list[Sheet]]:
    """Every workbook's sheets with their rows read into lists: the database part."""
    return [
        [replace(sheet, rows=list(sheet.rows)) for sheet in evaluation_sheets(jaarschijf)]
        for jaarschijf in jaarschijven
    ]


def plain_rows(workbooks) -> list[list[tuple[str, list]]]:
    """The same rows as bare values, header rows included: the floor's input."""
    result = []
    for sheets in workbooks:
        result.append(
            [
                (
                    sheet.name,
                    ([sheet.headers] if sheet.table else [])
                    + [
                        [
                            plain(v, column)
                            for v, column in zip(
                                r.values if isinstance(r, StyledRow) else r,
                                chain(sheet.columns, repeat(Column(""))),
                                strict=False,
                            )
                        ]
                        for r in sheet.rows
                    ],
                )
                for sheet in sheets
            ]
        )
    return result


def floor(workbooks) -> int:
    """Bare openpyxl write-only mode: ws.append(values), a number format where the real export
    has one (a WriteOnlyCell with that format, as openpyxl's documentation shows), no other
    style, no comment, no chart."""
    size = 0
    for sheets in workbooks:
        wb = Workbook(write_only=True)
        for name, rows in sheets:
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append([formatted_cell(ws, v) if type(v) is Formatted else v for v in row])
        buffer = io.BytesIO()
        wb.save(buffer)
        size += buffer.tell()
    return size


def formatted_cell(ws, value: Formatted) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value.value)
    if value.number_format != "General":
        cell.number_format = value.number_format
    if value.quote:
        cell.quotePrefix = True
    return cell


def quoted(bare) -> list[list[tuple[str, list]]]:
    """The floor's rows with every text as a quote-prefixed cell, as every download must write
    it (text stays text): the same cells as the export without its other formatting."""

    def cell(value):
        if type(value) is str:
            return Formatted(value, "General", quote=True)
        if type(value) is Formatted and isinstance(value.value, str):
            return value._replace(quote=True)
        return value

    return [
        [(name, [[cell(v) for v in row] for row in rows]) for name, rows in sheets]
        for sheets in bare
    ]


def writer_only(workbooks) -> int:
    """Our writer on rows already in memory: styles, text cells, comments and the chart."""
    size = 0
    for sheets in workbooks:
        buffer = io.BytesIO()
        write_workbook(sheets, buffer)
        size += buffer.tell()
    return size


def real(jaarschijven) -> int:
    """The export as the command and the download run it, one workbook per jaarschijf."""
    size = 0
    for jaarschijf in jaarschijven:
        buffer = io.BytesIO()
        write_evaluation(jaarschijf, buffer)
        size += buffer.tell()
    return size


def action_list_sheets(jaarschijven) -> list[list[Sheet]]:
    """The action-list download of every jaarschijf, rows read into lists."""
    return [
        [
            Sheet(
                f"Afspraken {j.year}",
                ACTION_COLUMNS,
                list(action_rows(Action.objects.filter(jaarschijf=j))),
            )
        ]
        for j in jaarschijven
    ]


def action_list_real(jaarschijven) -> int:
    """The download as the view builds it: query and write, one workbook per jaarschijf."""
    size = 0
    for j in jaarschijven:
        buffer = io.BytesIO()
        sheet = Sheet(
            f"Afspraken {j.year}", ACTION_COLUMNS, action_rows(Action.objects.filter(jaarschijf=j))
        )
        write_workbook([sheet], buffer)
        size += buffer.tell()
    return size


def template_sheet_lists(jaarschijven) -> list[list[Sheet]]:
    """The import template (projects, EFG labels, instructions) of every jaarschijf, in lists."""
    return [
        [replace(sheet, rows=list(sheet.rows)) for sheet in template_sheets(j)]
        for j in jaarschijven
    ]


def template_real(jaarschijven) -> int:
    """The import template as its view builds it: query and write, one per jaarschijf."""
    size = 0
    for j in jaarschijven:
        buffer = io.BytesIO()
        write_workbook(template_sheets(j), buffer)
        size += buffer.tell()
    return size


def add_updates(jaarschijf, per_action: int) -> int:
    """``per_action`` older progress updates on every action of the jaarschijf."""
    actions = list(Action.objects.filter(jaarschijf=jaarschijf).values_list("pk", flat=True))
    now = timezone.now()
    updates = [
        ProgressUpdate(
            action_id=pk,
            status="op_schema",
            percent_done=n % 100,
            explanation=f"Eerdere update {n}",
            created_at=now.replace(year=now.year - 1),
        )
        for pk in actions
        for n in range(per_action)
    ]
    ProgressUpdate.objects.bulk_create(updates, batch_size=2000)
    return len(updates)


def ratio_row(label, measured, kind):
    """One download against its floor: wall-clock medians and the ratios."""
    real_time, real_cpu = measured[f"{kind}_real"]
    floor_time, floor_cpu = measured[f"{kind}_floor"]
    quoted_time, quoted_cpu = measured[f"{kind}_quoted"]
    verdict = "ja" if real_time <= 2 * floor_time else "**nee**"
    return (
        f"| {label} | {seconds(real_time)} | {seconds(floor_time)} | "
        f"{ratio(real_time, floor_time)} | {ratio(real_cpu, floor_cpu)} | {verdict} | "
        f"{ratio(real_time, quoted_time)} / {ratio(real_cpu, quoted_cpu)} |"
    )


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}".replace(".", ",")


#: A single workbook takes milliseconds: time this many downloads per measurement.
SMALL_BATCH = 5


def downloads(jaarschijven, real_jaarschijf, *, repeat: int, extra_updates: int) -> list[str]:
    """Action list and evaluation workbook against their floors, before and after more updates."""
    lines = [
        "| Download | Tijd (mediaan) | Vloer (zelfde rijen) | × vloer | × vloer (processortijd) "
        "| binnen 2× | × vloer met aanhalingsteken (wandtijd / processortijd) |",
        "|---|---:|---:|---:|---:|:---:|---:|",
    ]

    def measure(label, targets):
        lists = action_list_sheets(targets)
        evaluation = materialise(targets)
        bare = {
            "list": plain_rows(lists),
            "eval": plain_rows(evaluation),
            "template": plain_rows(template_sheet_lists(targets)),
        }
        real_runs = {"list": action_list_real, "eval": real, "template": template_real}
        runs = {}
        for kind, rows in bare.items():
            runs[f"{kind}_real"] = (real_runs[kind], targets)
            runs[f"{kind}_floor"] = (floor, rows)
            runs[f"{kind}_quoted"] = (floor, quoted(rows))
        measured = interleaved_cpu(runs, repeat=repeat)
        lines.append(ratio_row(f"Afsprakenlijst, {label}", measured, "list"))
        lines.append(ratio_row(f"Evaluatiewerkmap, {label}", measured, "eval"))
        lines.append(
            ratio_row(f"Importsjabloon (projecten, EFG-labels), {label}", measured, "template")
        )

    measure(f"{len(jaarschijven)} jaarschijven", jaarschijven)
    single = [real_jaarschijf] * SMALL_BATCH
    measure(f"jaarschijf {real_jaarschijf.year} ({SMALL_BATCH}×)", single)
    if extra_updates:
        with transaction.atomic():
            added = add_updates(real_jaarschijf, extra_updates)
            measure(
                f"jaarschijf {real_jaarschijf.year} met {added:,} updates meer".replace(",", ".")
                + f" ({SMALL_BATCH}×)",
                single,
            )
            transaction.set_rollback(True)
    return lines


def timed(function, *args, repeat: int) -> tuple[float, int]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def interleaved(runs: dict, *, repeat: int) -> dict[str, tuple[float, object]]:
    """Median time per measurement, taking turns so that a busy machine hurts each alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    results = {}
    for _ in range(repeat):
        for name, (function, argument) in runs.items():
            start = time.perf_counter()
            results[name] = function(argument)
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]), results[name]) for name in runs}


def interleaved_cpu(runs: dict, *, repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall-clock and processor time (this process: Python, not PostgreSQL) per
    measurement, taking turns. Processor time hardly changes with the load of the machine."""
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, (function, argument) in runs.items():
            wall, cpu = time.perf_counter(), time.thread_time()
            function(argument)
            cpus[name].append(time.thread_time() - cpu)
            walls[name].append(time.perf_counter() - wall)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in runs}


def peak_memory(function, *args) -> int:
    tracemalloc.start()
    baseline, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    function(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - baseline


def mb(value: int) -> str:
    return f"{value / 1024 / 1024:.1f} MB".replace(".", ",")


def seconds(value: float) -> str:
    return f"{value:.2f} s".replace(".", ",")


def prepare(scale: int) -> float:
    """Migrate, jaarschijf 2024, ``generate_data --scale`` (tops up), VACUUM ANALYZE; seconds."""
    if connection.vendor != "postgresql":
        sys.exit("De meting draait op PostgreSQL (DATABASE_URL).")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Action.objects.exists():
        call_command("loaddata", "jaarschijf-2024", verbosity=0)
    if scale:
        call_command("generate_data", scale=scale, verbosity=0)
    with connection.cursor() as cursor:
        # A freshly filled database has no statistics yet: PostgreSQL would plan badly.
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def load_average() -> str:
    return f"{os.getloadavg()[0]:.1f} (1 min) op {os.cpu_count()} kernen".replace(".", ",")


def main():
    args = parse_args()
    # Query logging (DEBUG) would be measured too; production runs without it.
    settings.DEBUG = False
    prepared = prepare(args.scale)
    print(
        f"Gegevens klaar in {prepared:.0f} s (generate_data --scale {args.scale}, VACUUM ANALYZE); "
        f"belasting van de machine: {load_average()}."
    )

    jaarschijven = list(Jaarschijf.objects.select_related("municipality").order_by("year"))
    if args.jaarschijven:
        jaarschijven = jaarschijven[: args.jaarschijven]
    if not jaarschijven:
        sys.exit("Geen jaarschijven: laad eerst de gegevens (zie de docstring).")
    real_jaarschijf = min(jaarschijven, key=lambda j: (j.status == "concept", -j.year))

    # One workbook, as a user downloads it, with its query count.
    with CaptureQueriesContext(connection) as queries:
        real([real_jaarschijf])
    one_time, _ = timed(real, [real_jaarschijf], repeat=args.repeat)

    # Every jaarschijf: the whole data set through the exporter, and the floor.
    sheets = materialise(jaarschijven)
    bare = plain_rows(sheets)
    rows = sum(len(r) for workbook in bare for _, r in workbook)
    cells = sum(len(row) for workbook in bare for _, r in workbook for row in r)
    measured = interleaved(
        {
            "floor": (floor, bare),
            "writer": (writer_only, sheets),
            "read": (materialise, jaarschijven),
            "real": (real, jaarschijven),
        },
        repeat=args.repeat,
    )
    floor_time, floor_size = measured["floor"]
    writer_time, _ = measured["writer"]
    read_time, _ = measured["read"]
    real_time, real_size = measured["real"]
    real_peak = peak_memory(real, jaarschijven)
    writer_peak = peak_memory(writer_only, sheets)
    floor_peak = peak_memory(floor, bare)

    count = len(jaarschijven)
    print(
        f"Database: {connection.vendor}; {count} jaarschijven = {count} werkmappen; "
        + f"{rows:,} rijen; {cells:,} cellen".replace(",", ".")
    )
    print(
        f"Eén werkmap zoals een gebruiker hem downloadt (jaarschijf {real_jaarschijf.year}): "
        f"{seconds(one_time)}, {len(queries)} queries"
    )
    print()
    print("| Meting (alle werkmappen) | Tijd (mediaan) | × vloer | Piekgeheugen | Bestanden |")
    print("|---|---:|---:|---:|---:|")
    measurements = (
        ("Vloer: kale openpyxl write-only, dezelfde rijen", floor_time, floor_peak, floor_size),
        (
            "Onze writer op dezelfde rijen (opmaak, tekstcellen, grafiek)",
            writer_time,
            writer_peak,
            real_size,
        ),
        ("Rijen lezen uit de database (export.py)", read_time, None, None),
        ("Volledige export: database + writer", real_time, real_peak, real_size),
    )
    for label, spent, peak, size in measurements:
        ratio = f"{spent / floor_time:.2f}".replace(".", ",")
        print(
            f"| {label} | {seconds(spent)} | {ratio} | "
            f"{mb(peak) if peak is not None else '–'} | {mb(size) if size else '–'} |"
        )

    print()
    print(
        "Downloads tegen hun vloer (kale openpyxl, dezelfde rijen), om beurten gemeten in "
        f"dezelfde run; belasting van de machine vooraf: {load_average()}."
    )
    print()
    for line in downloads(
        jaarschijven, real_jaarschijf, repeat=args.repeat, extra_updates=args.extra_updates
    ):
        print(line)
    print()
    print(f"Belasting van de machine na afloop: {load_average()}.")


if __name__ == "__main__":
    main()
