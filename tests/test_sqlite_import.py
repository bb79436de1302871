"""The embedded default (`scripts/start.sh`) runs on SQLite: a workbook import must work there
too, not only on PostgreSQL (the set-based writes use PostgreSQL's unnest() when they can)."""

import subprocess
import sys

from django.conf import settings

# Runs in a fresh SQLite database with the 2024 jaarschijf; prints what a user would see.
IMPORT_ON_SQLITE = """
import io
import openpyxl
from accounts.models import UserRole
from agreements.models import Jaarschijf
from core.bulk import constraint_violations
from evaluation.export import write_evaluation
from evaluation.importer import read_workbook
from evaluation.services import apply_change_set
from projects.models import Project
from tests.factories import make_user

jaarschijf = Jaarschijf.objects.get(year=2024)
kernteam = make_user(UserRole.KERNTEAMLID, "Wonen Zuid", "kernteam")
buffer = io.BytesIO()
write_evaluation(jaarschijf, buffer)
wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
ws = wb["Projecten"]
header = [cell.value for cell in ws[1]]
name, realised = header.index("Project") + 1, header.index("Gerealiseerd") + 1
row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, name).value == "Slakhorst")
ws.cell(row, realised).value = 20
out = io.BytesIO()
wb.save(out)

change_set = read_workbook(out.getvalue(), jaarschijf=jaarschijf, user=kernteam)
applied = apply_change_set(jaarschijf=jaarschijf, change_set=change_set, user=kernteam)
print("toegepast", applied)
print("slakhorst", Project.objects.get(jaarschijf=jaarschijf, name="Slakhorst").realised_dwellings)

projects = list(Project.objects.filter(jaarschijf=jaarschijf).order_by("pk")[:2])
projects[0].realised_dwellings = 100_000
found = constraint_violations(Project, projects, ["realised_dwellings"])
print("geweigerd", list(found) == [projects[0].pk], found[projects[0].pk][0])
print("ongewijzigd", Project.objects.filter(realised_dwellings=100_000).count())
"""


def run(args, env):
    result = subprocess.run(  # noqa: S603 - the test's own commands
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{args[:2]} mislukt:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_a_workbook_import_writes_its_changes_on_the_embedded_sqlite_default(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "DEBUG": "1"}
    run(["migrate", "--no-input", "-v0"], env)
    run(["loaddata", "-v0", "jaarschijf-2024"], env)

    out = run(["shell", "-c", IMPORT_ON_SQLITE], env)

    assert "slakhorst 20" in out
    assert "toegepast 1" in out
    assert (
        "geweigerd True Dat zijn meer woningen dan een project kan hebben; controleer het aantal."
        in out
    )
    assert "ongewijzigd 0" in out
