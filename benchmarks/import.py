"""The 5.000-row workbook import through the web view, under the production gunicorn settings.

    .venv/bin/python benchmarks/import.py [--rows 5000] [--passes 3]

Starts a throwaway PostgreSQL with durable defaults (benchmarks/_harness.py), migrates, loads
jaarschijf 2024 and adds projects until the jaarschijf has ``--rows`` of them (the allowed
maximum, IMPORT_MAX_ROWS, is 5.000). For every pass it builds the import template of the
jaarschijf with every project row changed (status, gerealiseerd, toelichting), then, as a
kernteamlid with a verified second factor, through gunicorn started with
``deploy/gunicorn.conf.py`` (its 30 s timeout included, DEBUG off):

1. uploads the workbook (the dry run: read, validate, store the draft),
2. opens the first page of the preview,
3. applies the draft (one transaction),

and takes turns with the trivial logged-in page ``/ping/``. It prints the median per step,
its ratio to ``/ping/`` and to the 5 s goal, ``/ping/`` before and after a draft exists (the
change set is not in the session), and checks in the database that every row and its history
record were written.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import BIN, ROOT, app_env, free_port, log, manage, postgres, wait_for  # noqa: E402

GOAL_SECONDS = 5.0

SETUP_SCRIPT = r"""
import json, time
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.middleware import SESSION_STARTED_KEY
from accounts.models import User, UserRole
from agreements.models import Jaarschijf, Party
from core.workbook import write_workbook
from evaluation.export import SHEET_PROJECTS, PROJECT_HEADERS, template_sheets
from projects.models import Project, ProjectStatus

ROWS, PASSES, OUT = __ROWS__, __PASSES__, __OUT__
jaarschijf = Jaarschijf.objects.get(year=2024)
existing = list(Project.objects.filter(jaarschijf=jaarschijf).order_by("category", "position"))
last = {}
for p in existing:
    last[p.category] = max(last.get(p.category, 0), p.position)
extra = []
for index in range(ROWS - len(existing)):
    model = existing[index % len(existing)]
    last[model.category] += 1
    extra.append(Project(
        jaarschijf=jaarschijf, category=model.category, position=last[model.category],
        name=f"Meting {index + 1}", neighbourhood_id=model.neighbourhood_id,
        corporation_id=model.corporation_id, dwellings=model.dwellings,
        dwellings_text=model.dwellings_text, dwelling_type=model.dwelling_type,
        bat_class=model.bat_class, rent_class=model.rent_class, status=ProjectStatus.GEPLAND,
    ))
Project.objects.bulk_create(extra, batch_size=1000)

gemeente = Party.objects.filter(kind="gemeente").first()
user = User(username="meting-import", role=UserRole.KERNTEAMLID, party=gemeente, first_name="Meting")
user.set_unusable_password()
user.save()
device = TOTPDevice.objects.create(user=user, name="meting", confirmed=True)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session[SESSION_STARTED_KEY] = int(time.time())
session.set_expiry(3 * 3600)
session.create()

statuses = [ProjectStatus.IN_VOORBEREIDING, ProjectStatus.IN_UITVOERING, ProjectStatus.GEREALISEERD]
status_col = PROJECT_HEADERS.index("Status")
realised_col = PROJECT_HEADERS.index("Gerealiseerd")
note_col = PROJECT_HEADERS.index("Toelichting")
files = []
for number in range(PASSES):
    def changed(sheet, number=number):
        if sheet.name != SHEET_PROJECTS:
            return sheet
        source = sheet.rows
        def rows():
            for index, row in enumerate(source):
                row = list(row)
                row[status_col] = ProjectStatus(statuses[(index + number) % 3]).label
                row[realised_col] = (index % 40) + number + 1
                row[note_col] = f"Meting ronde {number + 1}, rij {index + 1}: opgeleverd volgens planning."
                yield row
        sheet.rows = rows()
        return sheet
    path = f"{OUT}/import-{number + 1}.xlsx"
    write_workbook((changed(s) for s in template_sheets(jaarschijf)), path, title="Meting")
    files.append(path)
print(json.dumps({
    "session": session.session_key, "year": jaarschijf.year, "files": files,
    "projects": Project.objects.filter(jaarschijf=jaarschijf).count(),
}))
"""

CHECK_SCRIPT = r"""
import json
from projects.models import Project
rows = Project.objects.filter(jaarschijf__year=2024, explanation__startswith=__PREFIX__)
history = Project.history.filter(
    jaarschijf__year=2024, explanation__startswith=__PREFIX__, history_user__username="meting-import"
)
print(json.dumps({"rows": rows.count(), "history": history.count()}))
"""


class Client:
    """One logged-in browser: a session cookie, the CSRF cookie, one connection per request."""

    def __init__(self, port: int, session: str):
        self.port = port
        self.cookies = {"sessionid": session}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers = {"Cookie": cookie, "Host": "127.0.0.1", **(headers or {})}
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return elapsed, response.status, response.getheader("Location"), content

    def csrf(self, path: str) -> str:
        _elapsed, status, _location, content = self.request("GET", path)
        if status != 200:
            sys.exit(f"{path} antwoordt {status}; de meting is niet betrouwbaar.")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        return match[1].decode()

    def post_form(self, path: str, fields: dict):
        body = urlencode(fields).encode()
        return self.request(
            "POST",
            path,
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"},
        )

    def post_file(self, path: str, fields: dict, name: str, filename: str, data: bytes):
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/vnd.openxmlformats-'
                "officedocument.spreadsheetml.sheet\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            b"".join(parts),
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": "http://127.0.0.1/",
            },
        )


def ping(client: Client, count: int) -> list[float]:
    times = []
    for _ in range(count):
        elapsed, status, _location, _content = client.request("GET", "/ping/")
        if status != 200:
            sys.exit(f"/ping/ antwoordt {status}.")
        times.append(elapsed)
    return times


def nl(number: float, decimals: int = 2) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{nl(one, 1)} (1 min), {nl(five, 1)} (5 min) op {os.cpu_count()} kernen"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="project rows in the workbook")
    parser.add_argument("--passes", type=int, default=3, help="uploads and applies (median)")
    args = parser.parse_args()

    with postgres() as cluster, tempfile.TemporaryDirectory(prefix="pa-import-") as out:
        cluster.createdb("prestatieafspraken")
        env = app_env(cluster.url("prestatieafspraken"))
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "loaddata", "-v0", "jaarschijf-2024")
        manage(env, "collectstatic", "--no-input", "-v0")
        log(f"{args.rows} projecten en {args.passes} werkmappen klaarzetten…")
        script = (
            SETUP_SCRIPT.replace("__ROWS__", str(args.rows))
            .replace("__PASSES__", str(args.passes))
            .replace("__OUT__", repr(out))
        )
        setup = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
        manage(
            env,
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
        )
        sizes = [Path(path).stat().st_size for path in setup["files"]]

        port = free_port()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        logfile = open(Path(out) / "gunicorn.log", "w")  # noqa: SIM115
        command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "heerlen.wsgi"]
        log("gunicorn: " + " ".join(command) + " (workers, threads en timeout uit dat bestand)")
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", timeout=60)
            results = measure(Client(port, setup["session"]), setup, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
            logfile.close()
        check = json.loads(
            manage(
                env,
                "shell",
                "-c",
                CHECK_SCRIPT.replace("__PREFIX__", repr(f"Meting ronde {args.passes},")),
            )
            .strip()
            .splitlines()[-1]
        )
    report(results, setup, args, sizes, check)


def measure(client: Client, setup: dict, args) -> dict:
    year = setup["year"]
    import_path = f"/evaluatie/{year}/import/"
    preview_path = f"/evaluatie/{year}/import/voorbeeld/"
    for _ in range(5):  # warm up
        ping(client, 1)
        client.csrf(import_path)
    steps = {"ping": [], "upload": [], "preview": [], "apply": [], "ping_with_draft": []}
    for number, path in enumerate(setup["files"], start=1):
        data = Path(path).read_bytes()
        steps["ping"] += ping(client, 5)
        token = client.csrf(import_path)
        elapsed, status, location, _ = client.post_file(
            import_path, {"csrfmiddlewaretoken": token}, "workbook", f"meting-{number}.xlsx", data
        )
        if status != 302 or not location or "voorbeeld" not in location:
            sys.exit(f"Upload {number}: antwoord {status} ({location}); niet ingelezen.")
        steps["upload"].append(elapsed)
        steps["ping_with_draft"] += ping(client, 5)
        elapsed, status, _location, content = client.request("GET", preview_path)
        if status != 200:
            sys.exit(f"Voorbeeld {number}: antwoord {status}.")
        steps["preview"].append(elapsed)
        draft_token = re.search(rb'name="token" value="([^"]+)"', content)[1].decode()
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)[1].decode()
        elapsed, status, location, _ = client.post_form(
            preview_path, {"csrfmiddlewaretoken": csrf, "token": draft_token, "apply": "1"}
        )
        if status != 302:
            sys.exit(f"Doorvoeren {number}: antwoord {status}; niet doorgevoerd.")
        steps["apply"].append(elapsed)
        _e, _s, _l, done = client.request("GET", location)
        found = re.search(rb"De import is doorgevoerd: ([\d.]+) rijen", done)
        if not found:
            sys.exit(f"Doorvoeren {number}: geen bevestiging op de pagina.")
        log(
            f"ronde {number}: upload {nl(steps['upload'][-1])} s, voorbeeld "
            f"{nl(steps['preview'][-1] * 1000, 0)} ms, doorvoeren {nl(steps['apply'][-1])} s "
            f"({found[1].decode()} rijen)"
        )
    return steps


def report(steps: dict, setup: dict, args, sizes: list[int], check: dict) -> None:
    ping_ms = statistics.median(steps["ping"]) * 1000
    draft_ms = statistics.median(steps["ping_with_draft"]) * 1000
    print()
    print(
        f"Import van {nl(setup['projects'], 0)} projectrijen (+ blad EFG-labels), werkmap "
        f"{nl(statistics.median(sizes) / 1024 / 1024, 1)} MB; {args.passes} rondes; gunicorn met "
        f"deploy/gunicorn.conf.py, PostgreSQL, DEBUG uit. Python {platform.python_version()}. "
        f"Belasting van de machine bij het einde: {load_average()}."
    )
    print()
    print("| Stap | mediaan | max | × /ping/ | binnen 5 s |")
    print("|---|---:|---:|---:|:---:|")
    print(f"| /ping/ (ingelogd) | {nl(ping_ms, 1)} ms | – | 1,0 | – |")
    for key, label in (
        ("upload", "Uploaden en controleren (dry run, concept opslaan)"),
        ("preview", "Voorbeeld, eerste pagina (100 rijen)"),
        ("apply", "Doorvoeren (één transactie, met historie)"),
    ):
        median = statistics.median(steps[key])
        ok = "ja" if median < GOAL_SECONDS and max(steps[key]) < GOAL_SECONDS else "**nee**"
        print(
            f"| {label} | {nl(median)} s | {nl(max(steps[key]))} s | "
            f"{nl(median * 1000 / ping_ms, 0)} | {ok} |"
        )
    print(
        f"| /ping/ terwijl een concept klaarstaat | {nl(draft_ms, 1)} ms | – | "
        f"{nl(draft_ms / ping_ms, 2)} | – |"
    )
    print()
    expected = setup["projects"]
    verdict = "klopt" if check["rows"] == expected and check["history"] == expected else "**FOUT**"
    print(
        f"Controle laatste ronde: {nl(check['rows'], 0)} van {nl(expected, 0)} projecten "
        f"bijgewerkt, {nl(check['history'], 0)} historieregels van de meetgebruiker ({verdict})."
    )
    if verdict != "klopt":
        sys.exit(1)


if __name__ == "__main__":
    main()
