"""A worker killed during an export leaves no openpyxl temporary files behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# An export that never ends, in a process that starts like a gunicorn worker (heerlen.wsgi).
EXPORTING = """
import heerlen.wsgi
from openpyxl import Workbook
workbook = Workbook(write_only=True)
sheet = workbook.create_sheet("Afspraken")
print("started", flush=True)
while True:
    sheet.append(["1.7", "Een afspraak", 40, "op schema"])
"""


def openpyxl_files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("openpyxl*") if p.is_file()]


def start(code: str, tmp: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - the test's own code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp), "DEBUG": "1"},
        stdout=subprocess.PIPE,
        text=True,
    )


def test_the_next_worker_removes_the_temporary_files_of_a_killed_one(tmp_path):
    worker = start(EXPORTING, tmp_path)
    assert worker.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 30
    while not openpyxl_files(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert openpyxl_files(tmp_path), "the killed export left its temporary sheet (as before)"

    successor = subprocess.run(  # noqa: S603 - the test's own code
        [sys.executable, "-c", "import heerlen.wsgi"],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path), "DEBUG": "1"},
        timeout=120,
        check=True,
    )

    assert successor.returncode == 0
    assert openpyxl_files(tmp_path) == []
    # Nothing was ever written outside the per-process directories.
    assert [p.name for p in tmp_path.iterdir()] == ["prestatieafspraken"]
