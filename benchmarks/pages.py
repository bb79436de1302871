"""Response times of the overview pages against a trivial logged-in page, on PostgreSQL.

    .venv/bin/python benchmarks/pages.py [--scale 100] [--requests 40] [--write]

Without DATABASE_URL it starts a throwaway PostgreSQL itself (scripts/pg.sh) and stops it
afterwards; with DATABASE_URL it uses that database (which must be PostgreSQL). It migrates,
loads the jaarschijf fixture if needed, adds ``generate_data --scale N``, collects the static
files and starts gunicorn on 127.0.0.1 with production settings (DEBUG off). A writer with a
verified second factor is logged in through a session made in the database. Every page is then
requested a fixed number of times, round-robin with the trivial page ``/ping/``, one request at
a time; the script prints the median and 95th percentile per page and their ratio to the
trivial page. ``--write`` puts the table in docs/benchmarks.md.
"""

import argparse
import datetime
import http.client
import os
import platform
import secrets
import shlex
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="generate_data --scale")
    parser.add_argument("--requests", type=int, default=40, help="requests per page (max 500)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    args.requests = max(5, min(args.requests, 500))
    return args


def with_own_postgres():
    """Run this script again inside a shell that started a throwaway PostgreSQL."""
    script = (
        "set -e; source scripts/pg.sh; pg_start; trap pg_stop EXIT; "
        'export DATABASE_URL="postgresql://postgres@/prestatieafspraken?host=${PGSOCKETDIR}'
        '&port=${PGPORT}"; "$0" "$@"'
    )
    command = ["bash", "-c", script, sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]]
    sys.exit(subprocess.run(command, cwd=ROOT).returncode)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="heerlen.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE="false",  # plain HTTP on the loopback; TLS is the proxy's job
        DEMO_ACCOUNTS="false",
        LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
    )
    env["BENCHMARK_PORT"] = str(port)
    return env


def prepare(scale: int) -> tuple[str, int, dict]:
    """Database, data, user and session; returns the session key, the synthetic year, counts."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import SESSION_STARTED_KEY
    from accounts.models import User
    from agreements.models import Action, Party, ProgressUpdate
    from overview.management.commands.generate_data import synthetic_jaarschijven
    from projects.models import Project

    if connection.vendor != "postgresql":
        sys.exit("De meting draait alleen op PostgreSQL (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    if not Action.objects.exists():
        call_command("loaddata", "jaarschijf-2024", verbosity=0)
    call_command("generate_data", scale=scale, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    corporation = Party.objects.corporations().order_by("sort_order").first()
    user = User.objects.filter(username="meting").first() or User(username="meting")
    user.role, user.party, user.first_name = User.Role.MEDEWERKER, corporation, "Meting"
    user.save()
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="meting", defaults={"confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED_KEY] = int(time.time())
    session.set_expiry(3600)
    session.create()
    year = synthetic_jaarschijven().order_by("-year").values_list("year", flat=True).first()
    counts = {
        "afspraken": Action.objects.count(),
        "projecten": Project.objects.count(),
        "voortgangsupdates": ProgressUpdate.objects.count(),
        "jaarschijven": synthetic_jaarschijven().count() + 1,
    }
    connection.close()
    assert settings.DEBUG is False
    return session.session_key, year, counts


def pages(year: int) -> list[tuple[str, str]]:
    corporation = "weller"
    return [
        ("Dashboard", f"/?jaar={year}"),
        ("Afspraken (25 rijen)", f"/afspraken/?jaar={year}"),
        ("Afspraken (50 rijen)", f"/afspraken/?jaar={year}&per_page=50"),
        ("Afspraken gefilterd", f"/afspraken/?jaar={year}&party={corporation}&attention=on"),
        ("Afspraken Excel", f"/afspraken/excel/?jaar={year}"),
        ("Projecten (50 rijen)", f"/projecten/?jaar={year}"),
        ("Projecten BAT2", f"/projecten/?jaar={year}&bat=BAT2"),
        ("Duurzaamheid", f"/duurzaamheid/?jaar={year}"),
        ("Partijen", f"/partijen/?jaar={year}"),
        ("Partij (corporatie)", f"/partijen/{corporation}/?jaar={year}"),
        ("Dashboard 2024", "/?jaar=2024"),
    ]


def request(port: int, path: str, cookie: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed * 1000, response.status


def wait_until_up(port: int, process) -> None:
    for _ in range(100):
        if process.poll() is not None:
            sys.exit("gunicorn is gestopt voordat de meting begon.")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn start niet.")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(port: int, cookie: str, year: int, count: int):
    targets = [("Ping (triviaal, ingelogd)", "/ping/"), *pages(year)]
    for _name, path in targets:
        for _ in range(3):  # warm up: templates, connections, caches
            _ms, status = request(port, path, cookie)
            if status != 200:
                sys.exit(f"{path} antwoordt {status}; de meting is niet betrouwbaar.")
    timings = {name: [] for name, _path in targets}
    for _ in range(count):
        for name, path in targets:
            ms, _status = request(port, path, cookie)
            timings[name].append(ms)
    return timings


def nl(number, decimals=1) -> str:
    """Dutch notation for the Dutch document: 1.234,5."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def report(timings, args, counts) -> str:
    names = list(timings)
    ping = statistics.median(timings[names[0]])
    lines = [
        f"| Pagina | mediaan (ms) | p95 (ms) | × ping (mediaan) | binnen {TARGET_RATIO}× |",
        "|---|---:|---:|---:|:---:|",
    ]
    for name in names:
        median = statistics.median(timings[name])
        ratio = median / ping
        ok = "ja" if ratio <= TARGET_RATIO else "**nee**"
        lines.append(f"| {name} | {nl(median)} | {nl(p95(timings[name]))} | {nl(ratio)} | {ok} |")
    table = "\n".join(lines)
    data = ", ".join(f"{nl(value, 0)} {key}" for key, value in counts.items())
    return (
        f"Gemeten {datetime.date.today():%d-%m-%Y} met `benchmarks/pages.py --scale {args.scale} "
        f"--requests {args.requests} --workers {args.workers}`: {data}. "
        f"PostgreSQL, gunicorn ({args.workers} sync workers) op 127.0.0.1, DEBUG uit, een "
        f"ingelogde medewerker met tweede factor; {args.requests} verzoeken per pagina, één "
        f"tegelijk. Python {platform.python_version()} op {platform.machine()}.\n\n{table}\n"
    )


BEGIN, END = "<!-- meting -->", "<!-- /meting -->"


def write_docs(text: str) -> None:
    """Replace the measured part of docs/benchmarks.md, keep the rest of the text."""
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
    else:
        head = "# Snelheid van de overzichtspagina's\n\n## Laatste meting\n\n"
        tail = "\n"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")


def main():
    args = parse_args()
    if not os.environ.get("DATABASE_URL"):
        with_own_postgres()
    port = free_port()
    env = production_environment(port)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(f"Gegevens klaarzetten (schaal {args.scale})…", flush=True)
    session_key, year, counts = prepare(args.scale)
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "heerlen.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--log-level",
        "warning",
    ]
    print("Server starten:", shlex.join(command), flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(port, server)
        print(f"Meten: {args.requests} verzoeken per pagina…", flush=True)
        timings = measure(port, f"sessionid={session_key}", year, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = report(timings, args, counts)
    print()
    print(text)
    if args.write:
        write_docs(text)
        print("Geschreven naar docs/benchmarks.md")


if __name__ == "__main__":
    main()
