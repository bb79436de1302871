"""A backup restored into an empty database gives the same evaluation workbook.

Both documented command pairs of docs/operations.md are exercised exactly as written there:
``pg_dump -Fc`` / ``pg_restore`` for PostgreSQL and ``dumpdata`` / ``loaddata`` with natural
keys for the embedded SQLite default. The latter in XML: Django's JSON serializer cuts times
to milliseconds, which changes the order of two updates saved within the same millisecond
(and every time in the Voortgang sheet). The evaluation export is compared sheet by sheet, cell
by cell; only the "Gegenereerd op" line differs between two exports by nature.
"""

import glob
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.db import connection

from agreements.models import Evaluation

from .factories import action, make_progress_update

MANAGE = [sys.executable, "manage.py"]
GENERATED_AT = "Gegenereerd op"

# The exact commands of docs/operations.md (without the connection options).
DUMPDATA_EXCLUDES = [
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=admin.logentry",
    "--exclude=axes",
]


def pg_tool(name: str) -> str:
    """pg_dump/pg_restore of the newest installed PostgreSQL (the server's own version)."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version)
    if os.environ.get("PG_BIN"):
        candidates.append(os.path.join(os.environ["PG_BIN"], name))
    found = [path for path in candidates if os.access(path, os.X_OK)]
    assert found or shutil.which(name), f"{name} ontbreekt (Debian-pakket postgresql-client)"
    return found[-1] if found else shutil.which(name)


def _version(path: str) -> int:
    try:
        return int(Path(path).parts[-3])
    except ValueError:
        return 0


def run(args, env=None, timeout=300):
    result = subprocess.run(  # noqa: S603 - the test's own commands
        [str(a) for a in args],
        cwd=settings.BASE_DIR,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{args[:3]} mislukt:\n{result.stdout}\n{result.stderr}"
    return result


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(path, data_only=True)
    return {
        sheet.title: [
            row for row in sheet.iter_rows(values_only=True) if not (row and row[0] == GENERATED_AT)
        ]
        for sheet in workbook.worksheets
    }


def export(env: dict, target: Path) -> dict[str, list[tuple]]:
    run([*MANAGE, "export_evaluation", "2024", "--output", target], env=env)
    return sheet_values(target)


def postgres_url(name: str) -> str:
    options = connection.settings_dict.get("OPTIONS", {})
    host = options.get("host") or connection.settings_dict.get("HOST") or "localhost"
    port = options.get("port") or connection.settings_dict.get("PORT") or 5432
    user = connection.settings_dict.get("USER") or "postgres"
    return f"postgresql://{user}@/{name}?host={host}&port={port}"


def libpq_args() -> list[str]:
    options = connection.settings_dict.get("OPTIONS", {})
    host = options.get("host") or connection.settings_dict.get("HOST") or "localhost"
    port = options.get("port") or connection.settings_dict.get("PORT") or 5432
    user = connection.settings_dict.get("USER") or "postgres"
    return ["-h", host, "-p", str(port), "-U", user]


def add_a_year_of_work(weller, kernteam):
    """Beyond the signed document: progress, an evaluation and a project's figures."""
    make_progress_update(
        action("1.8"),
        weller,
        status="vertraagd",
        percent_done=40,
        explanation="Vergunning laat op zich wachten; **nieuwe** planning Q3.",
    )
    make_progress_update(action("2.1"), kernteam, status="afgerond", percent_done=100)
    Evaluation.objects.create(
        action=action("1.8"),
        author=kernteam,
        assessment="deels_behaald",
        explanation="Gedeeltelijk gehaald; loopt door in 2025.",
    )


@pytest.mark.django_db(transaction=True)
def test_postgresql_restore_gives_an_identical_evaluation_export(
    jaarschijf, weller_medewerker, kernteamlid, tmp_path
):
    assert connection.vendor == "postgresql"
    add_a_year_of_work(weller_medewerker, kernteamlid)
    source = connection.settings_dict["NAME"]
    restored = f"herstel_{uuid.uuid4().hex[:8]}"
    backup = tmp_path / "prestatieafspraken.dump"

    run([pg_tool("pg_dump"), "-Fc", *libpq_args(), "-f", backup, source])
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        run([pg_tool("pg_restore"), "--no-owner", *libpq_args(), "-d", restored, backup])
        before = export({"DATABASE_URL": postgres_url(source)}, tmp_path / "voor.xlsx")
        after = export({"DATABASE_URL": postgres_url(restored)}, tmp_path / "na.xlsx")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')

    assert before == after
    assert "Vergunning laat op zich wachten" in str(before)


ADD_WORK = """
from accounts.models import User
from agreements.models import Action, Evaluation, Party, ProgressUpdate
weller = Party.objects.get(name="Weller")
user = User.objects.create_user("weller", password="x" * 16, role="medewerker", party=weller)
one_eight = Action.objects.get(jaarschijf__year=2024, number="1.8")
ProgressUpdate.objects.create(action=one_eight, author=user, party=weller, status="vertraagd",
    percent_done=40, explanation="Vergunning laat op zich wachten.")
Evaluation.objects.create(action=one_eight, author=user, assessment="deels_behaald",
    explanation="Gedeeltelijk gehaald.")
"""


def test_sqlite_dumpdata_and_loaddata_give_an_identical_evaluation_export(tmp_path):
    original = {"DATABASE_URL": f"sqlite:///{tmp_path / 'origineel.sqlite3'}", "DEBUG": "1"}
    restored = {"DATABASE_URL": f"sqlite:///{tmp_path / 'hersteld.sqlite3'}", "DEBUG": "1"}
    backup = tmp_path / "prestatieafspraken.xml"

    run([*MANAGE, "migrate", "--no-input", "-v0"], env=original)
    run([*MANAGE, "loaddata", "-v0", "jaarschijf-2024"], env=original)
    run([*MANAGE, "shell", "-c", ADD_WORK], env=original)
    run(
        [
            *MANAGE,
            "dumpdata",
            "--natural-foreign",
            "--natural-primary",
            *DUMPDATA_EXCLUDES,
            "--format",
            "xml",
            "--indent",
            "1",
            "--output",
            backup,
        ],
        env=original,
    )
    run([*MANAGE, "migrate", "--no-input", "-v0"], env=restored)
    run([*MANAGE, "loaddata", "-v0", backup], env=restored)

    before = export(original, tmp_path / "voor.xlsx")
    after = export(restored, tmp_path / "na.xlsx")
    assert before == after
    assert "Vergunning laat op zich wachten" in str(after)
