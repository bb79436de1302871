"""Time of the evaluation report as PDF, next to rendering the same report as an HTML page.

Both start from the same context (``evaluation.report.report_context``) and the same body
template; the page adds the site's layout, the PDF WeasyPrint's layout and PDF/UA tagging.
Printed in one run: the median of each and the PDF as a multiple of the page.

    source scripts/pg.sh; pg_start
    export DATABASE_URL="postgresql://postgres@/prestatieafspraken?host=$PGSOCKETDIR&port=$PGPORT"
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py loaddata jaarschijf-2024
    .venv/bin/python benchmarks/report.py [--year 2024] [--repeat 3]

Without DATABASE_URL it uses the SQLite database of scripts/start.sh.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heerlen.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from agreements.models import Jaarschijf  # noqa: E402
from evaluation.report import render_pdf, report_context  # noqa: E402


def nl(value: float, decimals: int = 2) -> str:
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    jaarschijf = Jaarschijf.objects.select_related("municipality").get(year=args.year)
    request = RequestFactory().get(f"/evaluatie/{args.year}/rapport/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()

    def page() -> str:
        context = report_context(jaarschijf)
        return render_to_string("evaluation/report/page.html", context, request=request)

    def pdf() -> bytes:
        return render_pdf(jaarschijf)

    page()  # warm up templates and caches
    page_time, html = timed(page, args.repeat)
    pdf_time, content = timed(pdf, args.repeat)
    print(f"Evaluatierapport jaarschijf {args.year}, mediaan van {args.repeat} keer:")
    print(f"  HTML-pagina renderen: {nl(page_time * 1000, 0)} ms ({nl(len(html) / 1024, 0)} kB)")
    print(
        f"  PDF maken (WeasyPrint, PDF/UA-1): {nl(pdf_time * 1000, 0)} ms ({nl(len(content) / 1024, 0)} kB)"
    )
    print(f"  Verhouding PDF / HTML-pagina: {nl(pdf_time / page_time, 1)}×")


if __name__ == "__main__":
    main()
