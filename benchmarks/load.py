"""Load test: gunicorn + PostgreSQL at scale 100, 20+ simulated users for 60 seconds.

    .venv/bin/python benchmarks/load.py [--users 20] [--duration 60] [--scale 100]
                                        [--workers 3] [--threads 4] [--report FILE]

Starts its own PostgreSQL cluster (durable settings) and gunicorn with production settings
(DEBUG off, two-factor on) on 127.0.0.1, prepares the database (jaarschijf 2024, ``scale``
synthetic jaarschijven via generate_data, accounts with TOTP devices) and runs locust headless
(benchmarks/locust_users.py): readers browse the dashboard, filtered lists and detail pages,
writers post progress updates. Reports requests/s, p50/p95/p99 per page and the errors, then
proves that every write that got a success response is in the database, complete.

Everything is stopped and removed afterwards; nothing but 127.0.0.1 is contacted. Exit code 0
only without errors and without a missing or incomplete write.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import BIN, ROOT, check_writes, gunicorn, log, postgres, prepare_database  # noqa: E402


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def ms(value: str) -> str:
    return f"{float(value):.0f}" if value not in ("", "N/A") else "–"


def report_markdown(
    args, rows: list[dict], writes: dict, outcomes: dict, logins: list[float], elapsed: float
) -> str:
    total = next(row for row in rows if row["Name"] == "Aggregated")
    lines = [
        f"Gemeten op {time.strftime('%d-%m-%Y %H:%M')} — {args.users} gelijktijdige gebruikers, "
        f"{args.duration} s, bedenktijd {args.think[0]:g}–{args.think[1]:g} s, schaal {args.scale}, "
        f"gunicorn {args.workers} workers × "
        f"{args.threads} threads, PostgreSQL 15 op dezelfde machine (2 cores). "
        "Het inloggen (wachtwoord, bij schrijvers ook de code) is apart gemeten.",
        "",
        f"- Verzoeken per seconde: **{float(total['Requests/s']):.1f}** "
        f"({total['Request Count']} verzoeken in {elapsed:.0f} s)",
        f"- Responstijd p50 / p95 / p99: **{ms(total['50%'])} / {ms(total['95%'])} / "
        f"{ms(total['99%'])} ms**",
        f"- Fouten: **{total['Failure Count']}**",
        f"- Inloggen tijdens het opstarten ({len(logins)} gebruikers tegelijk): mediaan "
        f"{statistics.median(logins):.1f} s, langste {max(logins):.1f} s "
        "(PBKDF2 met 1 miljoen rondes: bewust traag)",
        f"- Voortgang gemeld: {outcomes.get('opgeslagen', 0)} opgeslagen, "
        f"{outcomes.get('conflict', 0)} keer een conflictmelding (iemand was net eerder), "
        f"{outcomes.get('geweigerd', 0)} geweigerd, {outcomes.get('fout', 0)} fout",
        f"- Bevestigde schrijfacties terug in de database: {writes['acknowledged'] - len(writes['missing'])}"
        f" van {writes['acknowledged']}; onvolledig opgeslagen: {len(writes['incomplete'])}",
        "",
        "| pagina | verzoeken | fouten | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if row["Name"] != "Aggregated":
            lines.append(
                f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
                f"| {ms(row['50%'])} | {ms(row['95%'])} | {ms(row['99%'])} |"
            )
    return "\n".join(lines)


def locust_env(env: dict, args, work: Path) -> dict:
    """The environment of the locust process: accounts, results and the think time.

    locust_users.py reads the think time from LOAD_THINK_MIN/MAX when it is imported; without
    them every run used its default, whatever --think said.
    """
    return {
        **env,
        "LOAD_ACCOUNTS": str(work / "accounts.json"),
        "LOAD_RESULTS": str(work),
        "LOAD_THINK_MIN": repr(args.think[0]),
        "LOAD_THINK_MAX": repr(args.think[1]),
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(0.3, 1.5),
        metavar=("MIN", "MAX"),
        help="bedenktijd tussen twee handelingen van één gebruiker, in seconden",
    )
    parser.add_argument("--report", type=Path, help="schrijf het verslag (Markdown) hierheen")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 5 <= args.duration <= 600:
        parser.error("--users 1–200 en --duration 5–600 seconden")
    if not 0 <= args.think[0] <= args.think[1]:
        parser.error("--think MIN MAX met 0 ≤ MIN ≤ MAX")
    return args


def main() -> int:
    args = parse_args()

    work = Path(tempfile.mkdtemp(prefix="pa-load."))
    with postgres() as cluster:
        copies = max(1, -(-args.users // 10))  # enough distinct accounts for every user
        env, accounts = prepare_database(cluster, scale=args.scale, copies=copies)
        (work / "accounts.json").write_text(json.dumps(accounts))
        with gunicorn(env, workers=args.workers, threads=args.threads) as (base, _process):
            log(f"locust: {args.users} gebruikers, {args.duration} s")
            started = time.monotonic()
            locust = subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "benchmarks" / "locust_users.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(max(1, args.users // 5)),
                    "--run-time",
                    f"{args.duration}s",
                    "--host",
                    base,
                    "--csv",
                    str(work / "locust"),
                    "--only-summary",
                    "--stop-timeout",
                    "10",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=locust_env(env, args, work),
                timeout=args.duration + 180,
                capture_output=True,
                text=True,
            )
            elapsed = time.monotonic() - started
            if not (work / "writes.json").exists():
                print(locust.stdout[-4000:], locust.stderr[-4000:], sep="\n")
                log("locust schreef geen resultaten")
                return 2
        results = json.loads((work / "writes.json").read_text())
        writes = check_writes(env, results["acknowledged"])
        rows = read_stats(work / "locust")

    text = report_markdown(
        args, rows, writes, results["outcomes"], results["logins"] or [0.0], elapsed
    )
    print()
    print(text)
    if args.report:
        args.report.write_text(text + "\n")
    failures = int(next(r for r in rows if r["Name"] == "Aggregated")["Failure Count"])
    ok = failures == 0 and not writes["missing"] and not writes["incomplete"]
    if locust.stderr.strip() and not ok:
        print(locust.stderr[-4000:])
    log("geslaagd" if ok else "NIET geslaagd")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
