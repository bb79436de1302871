"""The embedded default (`scripts/start.sh`) runs on SQLite: a workbook import must work there
too, not only on PostgreSQL (the set-based writes use PostgreSQL's unnest() when they can), and
a form refuses what SQLite cannot even store as a number."""

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

# Posts ids no database integer holds into the forms' lists of choices, as the kernteam and
# the beheerder; prints the answer and the message at the field.
CHOICES_ON_SQLITE = """
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from accounts.models import UserRole
from agreements.models import Party
from cycle.models import ReportingRound
from tests.factories import make_user

setup_test_environment()
client = Client()
client.force_login(make_user(UserRole.KERNTEAMLID, "Wonen Zuid", "kernteam"))
admin = Client()
admin.force_login(make_user(UserRole.BEHEERDER, None, "beheerder", is_staff=True, is_superuser=True))
weller = Party.objects.get(name="Weller")
for value in ("99999999999999999999", "-99999999999999999999", "-1"):
    response = client.post(reverse("cycle:round-new") + "?jaar=2024", {
        "name": "Ronde", "period_start": "01-01-2024", "period_end": "30-06-2024",
        "deadline": "15-07-2024", "indicators": [value],
    })
    print("ronde", value, response.status_code, response.context["form"].errors["indicators"][0])
    response = admin.post(reverse("admin:agreements_party_change", args=[weller.pk]), {
        "name": weller.name, "slug": weller.slug, "kind": weller.kind,
        "sort_order": weller.sort_order, "members": [value],
    })
    print("partij", value, response.status_code, response.context["adminform"].form.errors["members"][0])
print("rondes", ReportingRound.objects.count())
print("leden", weller.members.count())
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


def test_an_id_beyond_any_integer_in_a_list_of_choices_is_refused_on_sqlite_too(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "DEBUG": "1"}
    run(["migrate", "--no-input", "-v0"], env)
    run(["loaddata", "-v0", "jaarschijf-2024"], env)

    out = run(["shell", "-c", CHOICES_ON_SQLITE], env)

    for value in ("99999999999999999999", "-99999999999999999999", "-1"):
        refused = f"Selecteer een geldige keuze. {value} is geen beschikbare keuze."
        assert f"ronde {value} 200 {refused}" in out
        assert f"partij {value} 200 {refused}" in out
    assert "rondes 0" in out
    assert "leden 0" in out
