"""Response times of the admin (beheer) pages against a trivial logged-in page, at two scales.

    .venv/bin/python benchmarks/admin.py [--scales 100 1000] [--repeat 7] [--write]

The beheerder's admin lists and change forms read tables that grow with the data (actions,
progress updates, milestones, projects …). This script serves every admin list, the change form
of the busiest objects and a search through Django's test client in one process, with
production settings (DEBUG off, a beheerder with a verified second factor), each request
alternating with ``/ping/``. Per page it prints the median wall time (database included) and
its ratio to the median of ``/ping/`` at each scale, and marks a page whose ratio grows from the
smaller to the larger scale (by the same rule as benchmarks/pages.py). A search over every
action (``?q=``) is a request for all of the data and is expected to grow; it is listed to show
by how much.

Without DATABASE_URL it starts a throwaway PostgreSQL (scripts/pg.sh); with one it reuses that
database and tops it up to each scale (``generate_data``, then ``VACUUM ANALYZE``).
``--write`` puts the table in docs/benchmarks.md.
"""

import argparse
import datetime
import importlib.util
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The data, settings and growth rule of pages.py (loaded by path: benchmarks/api.py would
# shadow the api app if benchmarks/ were on the import path).
_spec = importlib.util.spec_from_file_location("pages", ROOT / "benchmarks" / "pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)

BEGIN, END = "<!-- beheer -->", "<!-- /beheer -->"
SEARCH = "woning"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=7, help="requests per page")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    args.scales = sorted(set(args.scales))
    args.repeat = max(3, min(args.repeat, 100))
    return args


def beheerder_session() -> str:
    """A beheerder with a verified second factor, logged in through a session in the database."""
    from accounts.models import User

    user = User.objects.filter(username="meting-beheer").first() or User(username="meting-beheer")
    user.role, user.first_name = User.Role.BEHEERDER, "Meting"
    user.is_staff = user.is_superuser = True  # as the demo beheerder: the whole admin
    user.save()
    return pages.logged_in_session(user)


def targets() -> list[tuple[str, str]]:
    """Every admin list, the change forms of the busiest objects, and a search."""
    from django.contrib import admin
    from django.urls import reverse

    from agreements.models import Action, Indicator
    from cycle.models import Milestone
    from overview.management.commands.generate_data import HIGHEST_YEAR
    from projects.models import Project

    def change(model, obj):
        meta = model._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])

    found = [("Ping (triviaal, ingelogd)", "/ping/")]
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        meta = model._meta
        found.append(
            (
                f"lijst {meta.verbose_name_plural}",
                reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            )
        )
    busy = Action.objects.get(jaarschijf__year=HIGHEST_YEAR, number=pages.BUSY_ACTION)
    found += [
        (f"afspraak {pages.BUSY_ACTION} (3 × schaal updates)", change(Action, busy)),
        (
            "eerste afspraak van 2024",
            change(
                Action,
                Action.objects.filter(jaarschijf__year=2024)
                .order_by("number_major", "number_minor")
                .first(),
            ),
        ),
        (
            "kengetal",
            change(Indicator, Indicator.objects.order_by("-jaarschijf__year", "pk").first()),
        ),
        ("project", change(Project, Project.objects.order_by("-jaarschijf__year", "pk").first())),
        (
            "mijlpaal",
            change(Milestone, Milestone.objects.order_by("-jaarschijf__year", "pk").first()),
        ),
        (
            f"zoeken in afspraken (“{SEARCH}”, over alle jaarschijven)",
            reverse("admin:agreements_action_changelist") + f"?q={SEARCH}",
        ),
    ]
    return found


def measure(client, found, repeat):
    """Wall time (ms) per page; every request follows a request of ping."""
    ping_path = found[0][1]
    timings = {name: [] for name, _path in found}
    for name, path in found:
        for _ in range(2):
            response = client.get(path)
        if response.status_code != 200:
            print(f"  {path} antwoordt {response.status_code}; niet gemeten.", flush=True)
            timings.pop(name)
            continue
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(ping_path)
            timings[found[0][0]].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            client.get(path)
            timings[name].append((time.perf_counter() - started) * 1000)
    ping = statistics.median(timings[found[0][0]])
    return {
        name: {"median": statistics.median(values), "ratio": statistics.median(values) / ping}
        for name, values in timings.items()
    }


def report(results, args) -> str:
    nl = pages.nl
    scales = [scale for scale, _counts, _figures in results]
    head = "| Pagina |" + "".join(f" schaal {s}: mediaan (ms) | × ping |" for s in scales)
    head += " groeit |"
    rule = "|---|" + "---:|---:|" * len(scales) + ":---:|"
    lines = [head, rule]
    growing = []
    first, last = results[0][2], results[-1][2]
    for name in first:
        if not all(name in figures for _s, _c, figures in results):
            continue
        row = f"| {name} |"
        for _scale, _counts, figures in results:
            row += f" {nl(figures[name]['median'])} | {nl(figures[name]['ratio'])} |"
        grew = len(results) > 1 and pages.grows(first[name], last[name])
        row += f" {'**ja**' if grew else 'nee'} |"
        lines.append(row)
        if grew:
            growing.append(name)
    data = [
        f"- schaal {scale}: "
        + ", ".join(f"{nl(v, 0)} {k}" for k, v in counts.items() if not k.startswith("_"))
        for scale, counts, _figures in results
    ]
    return (
        f"Gemeten {datetime.datetime.now(tz=pages.AMSTERDAM):%d-%m-%Y %H:%M} met "
        f"`benchmarks/admin.py --scales {' '.join(map(str, scales))} --repeat {args.repeat}`: "
        f"Django-testclient in één proces, productie-instellingen (DEBUG uit), een beheerder "
        f"met tweede factor, elk verzoek na een verzoek van /ping/; load average (1 min) "
        f"{nl(os.getloadavg()[0])} op {os.cpu_count()} kernen. Python "
        f"{platform.python_version()}.\n\n"
        + "\n".join(data)
        + "\n\n"
        + "\n".join(lines)
        + "\n\nGroeiend tussen de schalen: "
        + (", ".join(growing) + "." if growing else "geen.")
        + "\n"
    )


def main():
    args = parse_args()
    pages.in_process()
    session_key = beheerder_session()
    from django.test import Client

    results = []
    for scale in args.scales:
        print(f"Gegevens klaarzetten (schaal {scale})…", flush=True)
        counts = pages.grow_to(scale)
        client = Client()
        client.cookies["sessionid"] = session_key
        found = targets()
        print(f"Meten (schaal {scale}): {len(found) - 1} pagina's × {args.repeat}…", flush=True)
        figures = measure(client, found, args.repeat)
        results.append((scale, counts, figures))
    pages.publish(
        report(results, args), args.write, markers=(BEGIN, END), heading="Beheer: laatste meting"
    )


if __name__ == "__main__":
    main()
