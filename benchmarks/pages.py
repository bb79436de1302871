"""Response times of the pages against a trivial logged-in page, at two scales in one run.

    .venv/bin/python benchmarks/pages.py [--scales 100 1000] [--requests 15] [--passes 3] [--write]
    .venv/bin/python benchmarks/pages.py --quick        # scales 1 and 10, fewer requests

Without DATABASE_URL it starts a throwaway PostgreSQL itself (scripts/pg.sh) and stops it
afterwards; with DATABASE_URL it uses that database (which must be PostgreSQL). It migrates,
loads the jaarschijf fixture if needed and collects the static files. Then, per scale from
small to large: ``generate_data --scale N`` (topping up), 3 × N progress updates on one action
(the action page pages through them), ``VACUUM ANALYZE`` (a freshly generated database has no
statistics), gunicorn with the production configuration (deploy/gunicorn.conf.py) and
production settings (DEBUG off). A writer with a verified second factor is logged in through a
session made in the database. Every page is requested round-robin with the trivial page
``/ping/``, one request at a time, in several passes; the script prints the median and 95th
percentile per page and their ratio to the median of ``/ping/`` at each scale, checks them
against the goal (5× median, 8× p95) and marks a page whose ratio grows from the smaller to
the larger scale, with the machine's load average before, at its highest during (sampled
after every round) and after the measurement: on a shared machine the ratios only compare
runs under a similar load. ``--write`` puts the table in docs/benchmarks.md.
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
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
TARGET_MEDIAN = 5
TARGET_P95 = 8
#: A ratio "grows" when it is this much larger (factor and absolute) at the larger scale:
#: less is within what two runs on a shared machine differ.
GROWTH_FACTOR, GROWTH_ABSOLUTE = 1.25, 0.5
#: The action whose updates grow with the scale (3 per unit) on the action page.
BUSY_ACTION = "2.5"
#: Longer than gunicorn's own timeout (30 s): a page that slow shows as gunicorn's error.
REQUEST_TIMEOUT = 60
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", type=int, nargs="+", default=[100, 1000], help="generate_data scales"
    )
    parser.add_argument("--scale", type=int, help="measure at one scale only")
    parser.add_argument("--quick", action="store_true", help="scales 1 and 10, 5 requests")
    parser.add_argument("--requests", type=int, default=15, help="requests per page per pass")
    parser.add_argument("--passes", type=int, default=3, help="passes over all pages")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    if args.quick:
        args.scales, args.requests = [1, 10], 5
    if args.scale is not None:
        args.scales = [args.scale]
    args.scales = sorted(set(args.scales))
    args.requests = max(3, min(args.requests, 500))
    args.passes = max(1, min(args.passes, 10))
    return args


def with_own_postgres():
    """Run the script that was started (this one, cpu.py or admin.py: ``sys.argv[0]``) again
    inside a shell that started a throwaway PostgreSQL."""
    script = (
        "set -e; source scripts/pg.sh; pg_start; trap pg_stop EXIT; "
        'export DATABASE_URL="postgresql://postgres@/prestatieafspraken?host=${PGSOCKETDIR}'
        '&port=${PGPORT}"; "$0" "$@"'
    )
    command = [
        "bash",
        "-c",
        script,
        sys.executable,
        str(Path(sys.argv[0]).resolve()),
        *sys.argv[1:],
    ]
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


def prepare() -> str:
    """Database, fixture, static files, the measuring user and its session (key returned)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from agreements.models import Action, Party

    if connection.vendor != "postgresql":
        sys.exit("De meting draait alleen op PostgreSQL (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    if not Action.objects.exists():
        call_command("loaddata", "jaarschijf-2024", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    corporation = Party.objects.corporations().order_by("sort_order").first()
    user = User.objects.filter(username="meting").first() or User(username="meting")
    user.role, user.party, user.first_name = User.Role.MEDEWERKER, corporation, "Meting"
    user.save()
    return logged_in_session(user)


def logged_in_session(user) -> str:
    """A session in the database for ``user`` with a verified second factor (its key)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import SESSION_STARTED_KEY

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="meting", defaults={"confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED_KEY] = int(time.time())
    session.set_expiry(6 * 3600)
    session.create()
    connection.close()
    return session.session_key


def in_process() -> str:
    """Set up for measuring through Django's test client in this process (cpu.py, admin.py):
    a throwaway PostgreSQL unless DATABASE_URL is set, production settings, ``prepare()``."""
    if not os.environ.get("DATABASE_URL"):
        with_own_postgres()
    os.environ.update(production_environment(free_port()))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    return prepare()


def grow_to(scale: int) -> dict:
    """``generate_data --scale N``, 3 × N updates on the busy action, VACUUM ANALYZE; counts."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from agreements.models import Action, Jaarschijf, ProgressUpdate
    from overview.management.commands.generate_data import HIGHEST_YEAR
    from projects.models import Project

    started = time.perf_counter()
    call_command("generate_data", scale=scale, verbosity=0)
    busy = Action.objects.get(jaarschijf__year=HIGHEST_YEAR, number=BUSY_ACTION)
    missing = 3 * scale - busy.updates.count()
    now = timezone.now()
    ProgressUpdate.objects.bulk_create(
        (
            ProgressUpdate(
                action=busy,
                status="op_schema",
                percent_done=n % 100,
                explanation=f"Meting {n}: voortgang besproken in het kernteam.",
                created_at=now - datetime.timedelta(minutes=n),
            )
            for n in range(max(0, missing))
        ),
        batch_size=1000,
    )
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    counts = {
        "jaarschijven": Jaarschijf.objects.count(),
        "afspraken": Action.objects.count(),
        "projecten": Project.objects.count(),
        "voortgangsupdates": ProgressUpdate.objects.count(),
        f"updates op afspraak {BUSY_ACTION}": busy.updates.count(),
    }
    connection.close()
    return counts | {"_seconds": generated}


def pages(year: int) -> list[tuple[str, str]]:
    corporation = "weller"
    action = f"/afspraken/{year}/{BUSY_ACTION}/"
    return [
        ("Dashboard", f"/?jaar={year}"),
        ("Afspraken (25 rijen)", f"/afspraken/?jaar={year}"),
        ("Afspraken (50 rijen)", f"/afspraken/?jaar={year}&per_page=50"),
        ("Afspraken gefilterd", f"/afspraken/?jaar={year}&party={corporation}&attention=on"),
        ("Afspraken Excel", f"/afspraken/excel/?jaar={year}"),
        ("Afspraak (3 × schaal updates)", action),
        ("Afspraak, updates pagina 2", f"{action}?pagina=2"),
        ("Projecten (50 rijen)", f"/projecten/?jaar={year}"),
        ("Projecten BAT2", f"/projecten/?jaar={year}&bat=BAT2"),
        ("Duurzaamheid", f"/duurzaamheid/?jaar={year}"),
        ("Partijen", f"/partijen/?jaar={year}"),
        ("Partij (corporatie)", f"/partijen/{corporation}/?jaar={year}"),
        ("Vergelijken (standaard)", "/vergelijken/"),
        ("Vergelijken, alle jaren, pagina 2", "/vergelijken/?van=2000&tot=9999&pagina=2"),
        ("Alle jaarschijven", "/jaarschijven/"),
        ("Mijn werk", f"/mijn-werk/?jaar={year}"),
        ("Open mijlpalen, pagina 2", "/mijn-werk/mijlpalen/?pagina=2"),
        ("Mijlpalen", f"/mijlpalen/?jaar={year}"),
        ("Rapportages", f"/rapportages/?jaar={year}"),
        ("Dashboard 2024", "/?jaar=2024"),
    ]


def request(port: int, path: str, cookie: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
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


# Pages kept as rendered while the data is unchanged (core.fragments): measured as kept and
# also as the first view after a change, with a committed write before every request.
KEPT_PAGES = ("Dashboard", "Partij (corporatie)")
AFTER_A_CHANGE = ", direct na een wijziging"


def commit_a_write(year: int) -> None:
    """A committed change (the jaarschijf's title written again, as a form would): the next
    view of every kept page is computed afresh, as after any change to the data."""
    from django.db.models import F

    from agreements.models import Jaarschijf

    Jaarschijf.objects.filter(year=year).update(title=F("title"))


def measure(port: int, cookie: str, year: int, count: int, passes: int):
    """Round-robin over ping and every page, ``count`` rounds per pass, ``passes`` passes.

    Then the kept pages as the first view after a change: as many rounds again over ping and
    those pages, each request after a committed write. That phase comes last, so that its
    writes do not make the kept pages of the passes before it the first view after a change.
    """
    ping = ("Ping (triviaal, ingelogd)", "/ping/")
    targets, after_a_change, order = [ping], [ping], [ping[0]]
    for name, path in pages(year):
        _ms, status = request(port, path, cookie)
        if status == 200:
            targets.append((name, path))
            order.append(name)
            if name in KEPT_PAGES:
                after_a_change.append((name + AFTER_A_CHANGE, path))
                order.append(name + AFTER_A_CHANGE)
        else:
            print(f"  {path} antwoordt {status}; niet gemeten.", flush=True)
    for _name, path in targets:
        for _ in range(3):  # warm up: templates, connections, caches
            request(port, path, cookie)
    timings = {name: [] for name in order}
    loads = []
    phases = [(targets, False, "doorgang"), (after_a_change, True, "doorgang na een wijziging")]
    for phase_targets, write_first, label in phases:
        for number in range(passes):
            for _ in range(count):
                for name, path in phase_targets:
                    if write_first and name != ping[0]:
                        commit_a_write(year)
                    ms, _status = request(port, path, cookie)
                    timings[name].append(ms)
                loads.append(os.getloadavg()[0])
            print(
                f"  {label} {number + 1} van {passes} klaar "
                f"(load average 1 min nu {nl(loads[-1])})",
                flush=True,
            )
    return timings, max(loads)


def nl(number, decimals=1) -> str:
    """Dutch notation for the Dutch document: 1.234,5."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def ratios(timings) -> dict:
    """Per page: median, p95 (ms) and both divided by the median of ping."""
    names = list(timings)
    ping = statistics.median(timings[names[0]])
    return {
        name: {
            "median": statistics.median(values),
            "p95": p95(values),
            "ratio": statistics.median(values) / ping,
            "ratio95": p95(values) / ping,
        }
        for name, values in timings.items()
    }


def grows(small: dict, large: dict) -> bool:
    return (
        large["ratio"] > small["ratio"] * GROWTH_FACTOR
        and large["ratio"] - small["ratio"] > GROWTH_ABSOLUTE
    )


def report(results, args) -> str:
    """``results``: [(scale, counts, load averages, figures per page)], smallest scale first."""
    scales = [scale for scale, *_rest in results]
    head = "| Pagina |"
    rule = "|---|"
    for scale in scales:
        head += f" schaal {scale}: mediaan / p95 (ms) | × ping mediaan / p95 |"
        rule += "---:|---:|"
    head += f" binnen {TARGET_MEDIAN}× / {TARGET_P95}× | groeit |"
    rule += ":---:|:---:|"
    lines = [head, rule]
    names = [name for name in results[0][3] if all(name in r[3] for r in results)]
    failures, growing = [], []
    for name in names:
        row = f"| {name} |"
        ok = True
        for _scale, _counts, _load, figures in results:
            f = figures[name]
            row += f" {nl(f['median'])} / {nl(f['p95'])} | {nl(f['ratio'])} / {nl(f['ratio95'])} |"
            ok = ok and f["ratio"] <= TARGET_MEDIAN and f["ratio95"] <= TARGET_P95
        grew = len(results) > 1 and grows(results[0][3][name], results[-1][3][name])
        row += f" {'ja' if ok else '**nee**'} | {'**ja**' if grew else 'nee'} |"
        lines.append(row)
        if not ok:
            failures.append(name)
        if grew:
            growing.append(name)
    data = []
    for scale, counts, load, _figures in results:
        described = ", ".join(
            f"{nl(value, 0)} {key}" for key, value in counts.items() if not key.startswith("_")
        )
        data.append(
            f"- schaal {scale}: {described}; gegevens aangemaakt in {nl(counts['_seconds'], 0)} s; "
            f"belasting van de machine (load average 1 min) vóór / hoogste tijdens / na het "
            f"meten: {nl(load[0])} / {nl(load[1])} / {nl(load[2])} op {os.cpu_count()} kernen"
        )
    summary = (
        f"Binnen {TARGET_MEDIAN}× (mediaan) en {TARGET_P95}× (p95): "
        + ("alle pagina's." if not failures else f"niet: {', '.join(failures)}.")
        + " Groeiend tussen de schalen: "
        + (", ".join(growing) + "." if growing else "geen.")
    )
    return (
        f"Gemeten {datetime.datetime.now(tz=AMSTERDAM):%d-%m-%Y %H:%M} met `benchmarks/pages.py "
        f"--scales {' '.join(map(str, scales))} --requests {args.requests} --passes {args.passes} "
        f"--workers {args.workers}`. PostgreSQL (VACUUM ANALYZE na het aanmaken), gunicorn met "
        f"deploy/gunicorn.conf.py ({args.workers} workers) op 127.0.0.1, DEBUG uit, een "
        f"ingelogde medewerker met tweede factor; per pagina {args.requests * args.passes} "
        f"verzoeken in {args.passes} doorgangen, één tegelijk, om beurten met /ping/. "
        f"Python {platform.python_version()} op {platform.machine()}. "
        f"{', '.join(KEPT_PAGES)}: bewaard zolang de gegevens niet veranderen (core.fragments, "
        f"per gebruiker en adres); de regels '…{AFTER_A_CHANGE}' meten dezelfde pagina met vóór "
        f"elk verzoek een vastgelegde wijziging (de titel van de jaarschijf opnieuw "
        f"geschreven), zodat elke keer alles opnieuw wordt berekend (evenveel verzoeken, om beurten met /ping/, na de andere doorgangen)."
        f"\n\n" + "\n".join(data) + f"\n\n{chr(10).join(lines)}\n\n{summary}\n"
    )


BEGIN, END = "<!-- meting -->", "<!-- /meting -->"


def write_docs(text: str, markers=(BEGIN, END), heading="Laatste meting") -> None:
    """Replace the measured part of docs/benchmarks.md between ``markers``, keep the rest of
    the text (a missing part is added at the end, under ``heading``)."""
    begin, end = markers
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        tail = rest.split(end, 1)[1]
    else:
        head = (current.rstrip("\n") + "\n\n" if current else "") + f"## {heading}\n\n"
        tail = "\n"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"{head}{begin}\n{text}{end}{tail}", encoding="utf-8")


def publish(text: str, write: bool, **where) -> None:
    """Print the measurement; with ``--write`` also put it in docs/benchmarks.md."""
    print()
    print(text)
    if write:
        write_docs(text, **where)
        print("Geschreven naar docs/benchmarks.md")


def serve_and_measure(args, env, port, session_key, year):
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "heerlen.wsgi:application",
        "--access-logfile",
        "/dev/null",
        "--log-level",
        "warning",
    ]
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(args.workers)}
    print("Server starten:", shlex.join(command), flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(port, server)
        return measure(port, f"sessionid={session_key}", year, args.requests, args.passes)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    args = parse_args()
    if not os.environ.get("DATABASE_URL"):
        with_own_postgres()
    port = free_port()
    env = production_environment(port)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    session_key = prepare()
    from overview.management.commands.generate_data import HIGHEST_YEAR

    results = []
    for scale in args.scales:
        print(f"Gegevens klaarzetten (schaal {scale})…", flush=True)
        counts = grow_to(scale)
        before = os.getloadavg()[0]
        print(f"Meten (schaal {scale}): {args.requests} × {args.passes} verzoeken per pagina…")
        timings, peak = serve_and_measure(args, env, port, session_key, HIGHEST_YEAR)
        results.append((scale, counts, (before, peak, os.getloadavg()[0]), ratios(timings)))
    publish(report(results, args), args.write)


if __name__ == "__main__":
    main()
