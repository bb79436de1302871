"""Fault test: PostgreSQL stops in the middle of a load and comes back.

    .venv/bin/python benchmarks/fault.py [--users 8] [--scale 10] [--before 10]
                                         [--outage 15] [--after 20] [--mode fast|immediate]

Starts its own PostgreSQL cluster and gunicorn (production settings, two-factor on) on
127.0.0.1, logs in readers and writers, and keeps them busy: pages read, progress updates
posted, /healthz polled twice a second. After ``--before`` seconds PostgreSQL is stopped
(``pg_ctl stop -m fast``, or ``immediate`` for a crash), after ``--outage`` seconds started
again on the same port; gunicorn is never touched. Checks, each reported:

1. only 200, 302 and 503 answers (never a 500, a bare 400 or no answer), never a traceback;
2. while the database is down every page is the Dutch 503 page and /healthz answers 503;
3. after the restart /healthz answers 200 again without restarting gunicorn (same master,
   no worker rebooted) and pages work again for the users who were logged in;
4. every write that got a success response is in the database, and no write is stored half
   (each progress update has its history record, author and party).

Bounded: about before + outage + after seconds plus setup; exit code 0 only if all checks pass.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import threading
import time
import uuid
from binascii import unhexlify
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import check_writes, gunicorn, log, postgres, prepare_database  # noqa: E402

DUTCH_503 = "Tijdelijk niet beschikbaar"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEEN_LATEST = re.compile(r'name="seen_latest_id"(?: value="([^"]*)")?')
TIMEOUT = 10


@dataclass
class Result:
    started: float
    at: float
    phase: str
    what: str
    status: int  # 0: no answer at all
    dutch_503: bool = False
    traceback: bool = False


class Run:
    def __init__(self, base: str, config: dict):
        self.base = base
        self.config = config
        self.phase = "voor"
        self.stop = threading.Event()
        self.results: list[Result] = []
        self.acknowledged: list[str] = []
        self.unacknowledged: list[str] = []
        self.lock = threading.Lock()

    def record(self, what: str, response: requests.Response | None, started: float) -> None:
        if response is None:
            result = Result(started, time.monotonic(), self.phase, what, 0)
        else:
            body = response.text
            result = Result(
                started,
                time.monotonic(),
                self.phase,
                what,
                response.status_code,
                dutch_503=response.status_code == 503 and DUTCH_503 in body,
                traceback="Traceback" in body or "OperationalError" in body,
            )
        with self.lock:
            self.results.append(result)

    def get(self, session, path: str, what: str, **kwargs):
        started = time.monotonic()
        try:
            response = session.get(self.base + path, timeout=TIMEOUT, **kwargs)
        except requests.RequestException:
            response = None
        self.record(what, response, started)
        return response


def login(run: Run, account: dict) -> requests.Session:
    session = requests.Session()
    page = session.get(run.base + "/inloggen/", timeout=TIMEOUT)
    response = session.post(
        run.base + "/inloggen/",
        {
            "username": account["username"],
            "password": run.config["password"],
            "csrfmiddlewaretoken": CSRF_INPUT.search(page.text).group(1),
        },
        timeout=TIMEOUT,
    )
    if account["writer"]:
        from django_otp.oath import TOTP

        token = f"{TOTP(unhexlify(account['totp_key'])).token():06d}"
        response = session.post(
            run.base + "/tweestapsverificatie/",
            {"token": token, "csrfmiddlewaretoken": CSRF_INPUT.search(response.text).group(1)},
            timeout=TIMEOUT,
        )
    if "Ingelogd als" not in response.text:
        raise SystemExit(f"inloggen als {account['username']} mislukt")
    return session


def reader(run: Run, session: requests.Session) -> None:
    site, year = run.config["site"], run.config["year"]
    pages = [
        ("/", "dashboard"),
        ("/afspraken/?status=vertraagd", "afspraken"),
        ("/projecten/", "projecten"),
        ("/duurzaamheid/", "duurzaamheid"),
    ]
    while not run.stop.is_set():
        if random.random() < 0.4:
            run.get(session, f"/afspraken/{year}/{random.choice(site['actions'])}/", "afspraak")
        else:
            path, what = random.choice(pages)
            run.get(session, path, what)
        time.sleep(random.uniform(0.1, 0.5))


def writer(run: Run, session: requests.Session, account: dict) -> None:
    year = run.config["year"]
    token, seen = "", ""
    while not run.stop.is_set():
        number = random.choice(account["actions"])
        url = f"/afspraken/{year}/{number}/"
        page = run.get(session, url, "afspraak")
        if page is not None and page.status_code == 200:
            token = CSRF_INPUT.search(page.text).group(1)
            match = SEEN_LATEST.search(page.text)
            seen = (match.group(1) or "") if match else ""
        # Posted also while the database is down, with the token from before: must get 503.
        marker = uuid.uuid4().hex
        started = time.monotonic()
        try:
            response = session.post(
                run.base + url + "voortgang/",
                {
                    "csrfmiddlewaretoken": token,
                    "status": "op_schema",
                    "percent_done": str(random.randint(1, 99)),
                    "explanation": f"Belastingtest {marker} – tijdens de storingstest.",
                    "evidence_url": "",
                    "seen_latest_id": seen,
                },
                timeout=TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException:
            response = None
        run.record("voortgang (POST)", response, started)
        ok = (
            response is not None
            and response.status_code == 302
            and "#voortgang" in response.headers.get("Location", "")
        )
        with run.lock:
            (run.acknowledged if ok else run.unacknowledged).append(marker)
        time.sleep(random.uniform(0.2, 0.8))


def monitor(run: Run) -> None:
    session = requests.Session()
    while not run.stop.is_set():
        started = time.monotonic()
        try:
            response = session.get(run.base + "/healthz", timeout=TIMEOUT)
        except requests.RequestException:
            response = None
        run.record("healthz", response, started)
        if response is not None:
            expected = "ok\n" if response.status_code == 200 else "database niet bereikbaar\n"
            if response.text != expected:
                run.record("healthz (onverwachte tekst)", None, started)
        time.sleep(0.5)


def booted_workers(logfile: Path) -> int:
    return logfile.read_text(errors="replace").count("Booting worker")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--before", type=float, default=10)
    parser.add_argument("--outage", type=float, default=15)
    parser.add_argument("--after", type=float, default=20)
    parser.add_argument("--mode", choices=["fast", "immediate"], default="fast")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if not 1 <= args.users <= 50 or max(args.before, args.outage, args.after) > 300:
        parser.error("--users 1–50 en elke fase hoogstens 300 seconden")

    checks: list[tuple[str, bool, str]] = []
    with postgres() as cluster:
        env, config = prepare_database(cluster, scale=args.scale, copies=1)
        with gunicorn(env, workers=args.workers, threads=args.threads) as (base, master):
            logfile = Path(f"/tmp/pa-bench-gunicorn-{base.rsplit(':', 1)[1]}.log")
            workers_at_start = booted_workers(logfile)
            run = Run(base, config)
            writers = [a for a in config["accounts"] if a["writer"] and a["actions"]]
            readers = [a for a in config["accounts"] if not a["writer"]]
            n_writers = max(1, args.users // 3)
            threads = [threading.Thread(target=monitor, args=(run,), daemon=True)]
            for account in writers[:n_writers]:
                threads.append(
                    threading.Thread(
                        target=writer, args=(run, login(run, account), account), daemon=True
                    )
                )
            for account in (readers * args.users)[: args.users - n_writers]:
                threads.append(
                    threading.Thread(target=reader, args=(run, login(run, account)), daemon=True)
                )
            log(f"{len(threads) - 1} gebruikers ingelogd en aan het werk")
            for thread in threads:
                thread.start()

            time.sleep(args.before)
            log(f"PostgreSQL stoppen (-m {args.mode})")
            run.phase = "storing"
            cluster.stop(args.mode)
            stopped_at = time.monotonic()
            time.sleep(args.outage)
            log("PostgreSQL weer starten")
            restarting_at = time.monotonic()
            cluster.start()
            started_at = time.monotonic()
            run.phase = "herstel"
            time.sleep(args.after)
            run.stop.set()
            for thread in threads:
                thread.join(timeout=TIMEOUT + 5)

            still_running = master.poll() is None
            reboots = booted_workers(logfile) - workers_at_start

        writes = check_writes(env, run.acknowledged)
        stored_anyway = check_writes(env, run.unacknowledged)

    results = run.results
    by_phase = {
        phase: [r for r in results if r.phase == phase] for phase in ("voor", "storing", "herstel")
    }
    bad = [r for r in results if r.status not in (200, 302, 503) or r.traceback]
    checks.append(
        (
            "alleen 200, 302 of 503, nooit een traceback",
            not bad,
            "0 keer" if not bad else f"{len(bad)} keer: {Counter(r.status for r in bad)}",
        )
    )

    # Requests already under way when the database stopped may still finish normally (or,
    # caught while saving their session, with Django's 400): judged are those sent later.
    settled = [
        r for r in by_phase["storing"] if r.started > stopped_at + 0.5 and r.at < restarting_at
    ]
    pages = [r for r in settled if r.what not in ("healthz",)]
    not_503 = [r for r in pages if not r.dutch_503]
    checks.append(
        (
            "tijdens de storing: elke pagina de Nederlandse 503-pagina",
            bool(pages) and not not_503,
            f"{len(pages) - len(not_503)} van {len(pages)}"
            + (f"; anders: {Counter(r.status for r in not_503)}" if not_503 else ""),
        )
    )
    health_down = [r for r in settled if r.what == "healthz"]
    checks.append(
        (
            "tijdens de storing: /healthz 503",
            bool(health_down) and all(r.status == 503 for r in health_down),
            f"{sum(r.status == 503 for r in health_down)} van {len(health_down)}",
        )
    )
    first_ok = next(
        (r.at for r in by_phase["herstel"] if r.what == "healthz" and r.status == 200), None
    )
    recovery = None if first_ok is None else first_ok - started_at
    checks.append(
        (
            "na de herstart: /healthz weer 200",
            recovery is not None,
            "niet hersteld" if recovery is None else f"na {recovery:.1f} s",
        )
    )
    if first_ok is not None:
        later = [r for r in by_phase["herstel"] if r.started > first_ok + 1 and r.what != "healthz"]
        good = [r for r in later if r.status in (200, 302)]
        checks.append(
            (
                "na het herstel: pagina's en schrijfacties werken weer (zelfde sessies)",
                bool(later) and len(good) == len(later),
                f"{len(good)} van {len(later)}",
            )
        )
    checks.append(
        (
            "gunicorn niet herstart",
            still_running and reboots == 0,
            f"master draait nog: {'ja' if still_running else 'nee'}, workers herstart: {reboots}",
        )
    )
    checks.append(
        (
            "elke bevestigde schrijfactie staat in de database",
            not writes["missing"],
            f"{writes['acknowledged'] - len(writes['missing'])} van {writes['acknowledged']}",
        )
    )
    checks.append(
        (
            "niets half opgeslagen",
            not writes["incomplete"] and not stored_anyway["incomplete"],
            f"onvolledig: {len(writes['incomplete']) + len(stored_anyway['incomplete'])}; "
            f"zonder bevestiging toch (volledig) opgeslagen: {stored_anyway['found']} van "
            f"{stored_anyway['acknowledged']}",
        )
    )

    print()
    print(
        f"Storingstest {time.strftime('%d-%m-%Y %H:%M')}: {len(threads) - 1} gebruikers, "
        f"schaal {args.scale}, {args.before:.0f} s normaal, {args.outage:.0f} s PostgreSQL "
        f"gestopt (-m {args.mode}), {args.after:.0f} s na herstart."
    )
    for phase, rows in by_phase.items():
        print(
            f"- {phase}: {len(rows)} antwoorden, statussen {dict(sorted(Counter(r.status for r in rows).items()))}"
        )
    print()
    print("| controle | uitkomst | |")
    print("| --- | --- | --- |")
    for name, ok, detail in checks:
        print(f"| {name} | {'geslaagd' if ok else 'MISLUKT'} | {detail} |")
    passed = all(ok for _, ok, _ in checks)
    log("geslaagd" if passed else "NIET geslaagd")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
