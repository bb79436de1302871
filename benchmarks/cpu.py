"""Processor time per page, in one process: where a page spends its Python, robust to load.

    .venv/bin/python benchmarks/cpu.py [--scale 100] [--repeat 8] [--profile Dashboard]

The wall-clock ratios of ``benchmarks/pages.py`` move with what else runs on the machine; the
processor time of the thread that serves the request (``time.thread_time()``) hardly does. This
script serves the same pages as ``pages.py`` through Django's test client with production
settings (DEBUG off, a writer with a verified second factor) and prints, per page, the lowest
and the median processor time of ``--repeat`` requests and their ratio to ``/ping/``. The
database time is in there only as the time the client library spends, not PostgreSQL's own.
``--profile NAME`` prints the 40 most expensive functions (cumulative) of that page.

Without DATABASE_URL it starts a throwaway PostgreSQL (scripts/pg.sh); with one it reuses that
database and only tops it up to ``--scale``.
"""

import argparse
import cProfile
import importlib.util
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The same pages, data and measuring user as pages.py (loaded by path: benchmarks/api.py would
# shadow the api app if benchmarks/ were on the import path).
_spec = importlib.util.spec_from_file_location("pages", ROOT / "benchmarks" / "pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--profile", action="append", default=[], help="page name to profile")
    parser.add_argument("--only", action="append", default=[], help="measure only these pages")
    return parser.parse_args()


def main():
    args = parse_args()
    session_key = pages.in_process()
    from agreements.models import Jaarschijf
    from overview.management.commands.generate_data import HIGHEST_YEAR

    if Jaarschijf.objects.count() < args.scale + 1:
        counts = pages.grow_to(args.scale)
        print("Gegevens:", counts, flush=True)
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = session_key
    year = HIGHEST_YEAR if args.scale >= 100 else 2024
    targets = [("Ping", "/ping/"), *pages.pages(year)]
    if args.only:
        targets = [t for t in targets if t[0] == "Ping" or t[0] in args.only]
    results = {}
    for name, path in targets:
        for _ in range(2):
            response = client.get(path)
        if response.status_code != 200:
            print(f"{path}: {response.status_code}")
            continue
        spent = []
        for _ in range(args.repeat):
            started = time.thread_time()
            client.get(path)
            spent.append((time.thread_time() - started) * 1000)
        results[name] = (min(spent), statistics.median(spent))
        if name in args.profile:
            profile = cProfile.Profile()
            profile.enable()
            client.get(path)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    ping = results["Ping"][1]
    print(f"{'pagina':40} {'min ms':>8} {'mediaan':>8} {'× ping':>7}")
    for name, (low, median) in results.items():
        print(f"{name:40} {low:8.1f} {median:8.1f} {median / ping:7.1f}")


if __name__ == "__main__":
    main()
