"""Connection exhaustion: PostgreSQL with few connections, more gunicorn threads, load, then quiet.

    .venv/bin/python benchmarks/exhaustion.py [--max-connections 8] [--workers 2] [--threads 8]
                                              [--load-seconds 15] [--report FILE]

Runs the same scenario twice, with CONN_MAX_AGE=60 (persistent connections, the old default)
as the baseline and with CONN_MAX_AGE=0 (the default now): 40 clients request pages through
gunicorn (workers × threads above max_connections) for ``--load-seconds``; then the load
stops and rounds of 16 requests, 4 at a time (fewer than max_connections; ``/healthz`` and
pages), are sent every half second until a round is answered 200 throughout (at most 60 s). Reports the share of 503 answers
under load and the seconds until recovery. Exit code 0 only when CONN_MAX_AGE=0 recovers
within 5 s and answers no 500.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import app_env as base_env  # noqa: E402
from _harness import gunicorn, log, manage, postgres  # noqa: E402

PAGES = ["/healthz", "/", "/afspraken/", "/projecten/", "/partijen/", "/duurzaamheid/"]
RECOVERY_LIMIT = 60.0
PROBE_PARALLEL = 4
PROBE_REQUESTS = 16


def status_of(url: str, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def load(base: str, seconds: float, clients: int = 40) -> Counter:
    counts: Counter = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int):
        index = number
        while time.monotonic() < stop:
            # A long timeout: no request is abandoned in gunicorn's queue, so "after the load"
            # really means nothing of the load is left to answer.
            status = status_of(base + PAGES[index % len(PAGES)], timeout=120)
            index += 1
            with lock:
                counts[status] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts


def recovery(base: str) -> tuple[float | None, list[Counter]]:
    """Seconds until a round of parallel requests is all 200 (None: not within the limit)."""
    started = time.monotonic()
    rounds = []
    # Fewer at a time than max_connections: the probe itself must not exhaust the database.
    with ThreadPoolExecutor(PROBE_PARALLEL) as pool:
        while time.monotonic() - started < RECOVERY_LIMIT:
            urls = [base + PAGES[n % len(PAGES)] for n in range(PROBE_REQUESTS)]
            statuses = Counter(pool.map(status_of, urls))
            rounds.append(statuses)
            if set(statuses) == {200}:
                return time.monotonic() - started, rounds
            time.sleep(0.5)
    return None, rounds


def scenario(cluster, conn_max_age: str, args) -> dict:
    env = {**base_env(cluster.url("prestatieafspraken")), "CONN_MAX_AGE": conn_max_age}
    env["PUBLIC_DASHBOARD"] = "1"  # pages without logging in: the load is only page views
    with gunicorn(env, workers=args.workers, threads=args.threads) as (base, _process):
        log(f"CONN_MAX_AGE={conn_max_age}: last {args.load_seconds} s")
        counts = load(base, args.load_seconds)
        log(f"CONN_MAX_AGE={conn_max_age}: last gestopt, herstel meten")
        seconds, rounds = recovery(base)
    total = sum(counts.values())
    return {
        "conn_max_age": conn_max_age,
        "requests": total,
        "ok": counts[200],
        "unavailable": counts[503],
        "errors": sum(n for s, n in counts.items() if s not in (200, 503)),
        "recovery": seconds,
        "last_round": dict(rounds[-1]) if rounds else {},
    }


def report(results: list[dict], args) -> str:
    lines = [
        f"max_connections {args.max_connections}, gunicorn {args.workers} workers × "
        f"{args.threads} threads, {args.load_seconds} s last met 40 clients:",
        "",
        "| CONN_MAX_AGE | verzoeken | 200 | 503 | andere | herstel na de last |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        share = r["unavailable"] / max(r["requests"], 1)
        recovered = (
            f"{r['recovery']:.1f} s".replace(".", ",")
            if r["recovery"] is not None
            else f"niet binnen {RECOVERY_LIMIT:.0f} s (laatste ronde {r['last_round']})"
        )
        lines.append(
            f"| {r['conn_max_age']} | {r['requests']} | {r['ok']} | "
            f"{r['unavailable']} ({share:.0%}) | {r['errors']} | {recovered} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--load-seconds", type=float, default=15)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    with postgres(max_connections=args.max_connections) as cluster:
        cluster.createdb("prestatieafspraken")
        env = base_env(cluster.url("prestatieafspraken"))
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "loaddata", "-v0", "jaarschijf-2024")
        manage(env, "collectstatic", "--no-input", "-v0")
        results = [scenario(cluster, age, args) for age in ("60", "0")]
    text = report(results, args)
    print()
    print(text)
    if args.report:
        args.report.write_text(text + "\n")
    new = results[-1]
    ok = new["recovery"] is not None and new["recovery"] <= 5 and new["errors"] == 0
    log("geslaagd" if ok else "NIET geslaagd")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
