"""Response time of the API's agreements endpoint against the trivial logged-in page /ping/.

    .venv/bin/python benchmarks/api.py [--scale 100] [--requests 40] [--write]

Uses benchmarks/_harness.py: a throwaway PostgreSQL cluster, migrate + jaarschijf 2024 +
``generate_data --scale N``, gunicorn with production settings (DEBUG off) on 127.0.0.1.
A logged-in reader (huurdersorganisatie: no second factor needed) gets a session made in
the database. The endpoints are requested round-robin, one request at a time, after a
warm-up; the script prints the median and 95th percentile of each and their ratio to
/ping/ (goal: within 10×). ``--write`` puts the table in docs/benchmarks.md, in its own
section (benchmarks/pages.py owns the pages' section).
"""

import argparse
import datetime
import http.client
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import ROOT, gunicorn, log, manage, postgres  # noqa: E402

TARGET_RATIO = 10
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
BEGIN, END = "<!-- meting-api -->", "<!-- /meting-api -->"

SESSION_SCRIPT = r"""
import time
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.middleware import SESSION_STARTED_KEY
from accounts.models import User, UserRole
from agreements.models import Action, Party
from overview.management.commands.generate_data import synthetic_jaarschijven

party = Party.objects.filter(kind="huurdersorganisatie").order_by("name").first()
user = User.objects.create(username="meting-api", role=UserRole.HUURDERSORGANISATIE, party=party)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session[SESSION_STARTED_KEY] = int(time.time())
session.set_expiry(3600)
session.create()
year = synthetic_jaarschijven().order_by("-year").values_list("year", flat=True).first()
print(session.session_key, year, Action.objects.filter(jaarschijf__year=year).count(),
      Action.objects.count())
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="generate_data --scale")
    parser.add_argument("--requests", type=int, default=40, help="requests per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    return parser.parse_args()


def request(base: str, path: str, cookie: str) -> tuple[float, int]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed * 1000, response.status


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def nl(number, decimals=1) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def measure(base: str, cookie: str, targets: list[tuple[str, str]], count: int) -> dict:
    for _name, path in targets:
        for _ in range(3):  # warm up: connections, caches
            _ms, status = request(base, path, cookie)
            if status != 200:
                sys.exit(f"{path} antwoordt {status}; de meting is niet betrouwbaar.")
    timings = {name: [] for name, _path in targets}
    for _ in range(count):
        for name, path in targets:
            timings[name].append(request(base, path, cookie)[0])
    return timings


def report(timings: dict, args, counts: str, load: str) -> str:
    names = list(timings)
    ping = statistics.median(timings[names[0]])
    lines = [
        f"| Verzoek | mediaan (ms) | p95 (ms) | × ping (mediaan) | binnen {TARGET_RATIO}× |",
        "|---|---:|---:|---:|:---:|",
    ]
    for name in names:
        median = statistics.median(timings[name])
        ok = "ja" if median / ping <= TARGET_RATIO else "**nee**"
        lines.append(
            f"| {name} | {nl(median)} | {nl(p95(timings[name]))} | {nl(median / ping)} | {ok} |"
        )
    return (
        f"Gemeten {datetime.datetime.now(tz=AMSTERDAM):%d-%m-%Y} met `benchmarks/api.py --scale "
        f"{args.scale} --requests {args.requests} --workers {args.workers}`: {counts}. "
        f"PostgreSQL, gunicorn ({args.workers} workers) op 127.0.0.1, productie-instellingen "
        f"(DEBUG uit), een ingelogde lezer (sessie); {args.requests} verzoeken per regel, één "
        f"tegelijk, om en om. Python {platform.python_version()} op {platform.machine()}. "
        f"De machine (2 kernen) werd gedeeld door 7 engineers die tegelijk testten: {load}; "
        "de verhouding tot /ping/ zegt meer dan de milliseconden.\n\n" + "\n".join(lines) + "\n"
    )


def write_docs(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text(encoding="utf-8")
    section = f"{BEGIN}\n{text}{END}"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        current = head + section + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n## API (/api/v1/afspraken)\n\n" + section + "\n"
    path.write_text(current, encoding="utf-8")


def main():
    args = parse_args()
    with postgres() as cluster:
        cluster.createdb("prestatieafspraken")
        from _harness import app_env

        env = app_env(cluster.url("prestatieafspraken"))
        env["PUBLIC_DASHBOARD"] = "false"
        started = time.monotonic()
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "loaddata", "-v0", "jaarschijf-2024")
        manage(env, "generate_data", "--scale", str(args.scale), timeout=3600)
        manage(env, "collectstatic", "--no-input", "-v0")
        key, year, in_year, total = manage(env, "shell", "-c", SESSION_SCRIPT).split()[-4:]
        log(f"database klaar in {time.monotonic() - started:.0f} s (schaal {args.scale})")
        cookie = f"sessionid={key}"
        targets = [
            ("Ping (triviaal, ingelogd)", "/ping/"),
            ("API afspraken (50 per pagina)", f"/api/v1/afspraken?jaarschijf={year}"),
            (
                "API afspraken (200 per pagina)",
                f"/api/v1/afspraken?jaarschijf={year}&page_size=200",
            ),
            ("API afspraken gefilterd", f"/api/v1/afspraken?jaarschijf={year}&partij=weller"),
            ("API afspraken, alle jaarschijven", "/api/v1/afspraken"),
        ]
        with open("/proc/loadavg") as handle:
            before = handle.read().split()[0]
        with gunicorn(env, workers=args.workers, threads=1) as (base, _process):
            timings = measure(base, cookie, targets, args.requests)
        with open("/proc/loadavg") as handle:
            after = handle.read().split()[0]
        counts = (
            f"{nl(int(total), 0)} afspraken in alle jaarschijven, {nl(int(in_year), 0)} in "
            f"jaarschijf {year}"
        )
        text = report(timings, args, counts, f"belasting (load average) {before} voor, {after} na")
        print(text)
        if args.write:
            write_docs(text)


if __name__ == "__main__":
    main()
