"""The production topology on one machine: PostgreSQL, two gunicorn instances, nginx in front.

    .venv/bin/python benchmarks/topology.py [--seconds 40] [--readers 8] [--writers 3]
                                            [--report FILE]

Everything on 127.0.0.1: a PostgreSQL cluster, two gunicorn instances started with
deploy/gunicorn.conf.py, nginx rendered from deploy/nginx.conf.template with a self-signed
certificate (TLS, X-Forwarded-For/-Proto, TRUSTED_PROXIES=127.0.0.1). Logged-in readers
browse and writers (with their TOTP code) post progress updates, all through nginx over
https. Halfway one gunicorn instance is killed (SIGKILL to its whole process group).

Passes when: every read after the kill still succeeds (nginx sends GETs that hit the dead
instance to the other one), every write that was acknowledged (302 to the action) is in the
database exactly once, and the lockout works per client through the proxy (five wrong
passwords from 127.0.0.2 lock that client; 127.0.0.3 logs in with the same account).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from binascii import unhexlify
from pathlib import Path

import requests
from django_otp.oath import TOTP
from requests.adapters import HTTPAdapter

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploy"))

import render_nginx  # noqa: E402
from _harness import (  # noqa: E402
    BIN,
    ROOT,
    free_port,
    log,
    manage,
    postgres,
    prepare_database,
    wait_for,
)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEEN = re.compile(r'name="seen_latest_id"(?: value="(\d*)")?')


class SourceAdapter(HTTPAdapter):
    """Connect from a given loopback address (a different client for nginx)."""

    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(source: str, cafile: Path) -> requests.Session:
    session = requests.Session()
    session.mount("https://", SourceAdapter(source))
    session.verify = str(cafile)
    session.trust_env = False  # REQUESTS_CA_BUNDLE would replace our certificate
    return session


def csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def login(session, base, username, password, totp_key=None) -> requests.Response:
    page = session.get(base + "/inloggen/", timeout=30)
    response = session.post(
        base + "/inloggen/",
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf(page.text)},
        headers={"Referer": base + "/inloggen/"},
        timeout=30,
        allow_redirects=False,
    )
    if totp_key and response.status_code == 302:
        code_page = session.get(base + response.headers["Location"], timeout=30)
        response = session.post(
            code_page.url,
            {
                "token": f"{TOTP(unhexlify(totp_key)).token():06d}",
                "csrfmiddlewaretoken": csrf(code_page.text),
            },
            headers={"Referer": code_page.url},
            timeout=30,
            allow_redirects=False,
        )
    return response


def start_gunicorn(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    logfile = open(Path("/tmp") / f"pa-topology-gunicorn-{port}.log", "w")  # noqa: S108, SIM115
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "heerlen.wsgi"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
        },
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killed as a whole
    )
    wait_for(f"http://127.0.0.1:{port}/healthz", timeout=60)
    return process


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reads = {"before": [0, 0], "after": [0, 0]}  # [ok, failed]
        self.read_failures: list[str] = []
        self.latencies: list[float] = []
        self.acknowledged: list[str] = []
        self.write_outcomes = {"opgeslagen": 0, "conflict": 0, "fout": 0}
        self.killed = threading.Event()

    def read(self, ok: bool, seconds: float, what: str):
        with self.lock:
            phase = "after" if self.killed.is_set() else "before"
            self.reads[phase][0 if ok else 1] += 1
            self.latencies.append(seconds)
            if not ok:
                self.read_failures.append(f"{phase}: {what}")


def reader(base, cafile, account, password, site, year, stats, stop):
    session = session_from("127.0.0.1", cafile)
    login(session, base, account["username"], password)
    pages = ["/", "/afspraken/", "/projecten/", "/duurzaamheid/", "/partijen/"]
    while not stop.is_set():
        path = random.choice([*pages, f"/afspraken/{year}/{random.choice(site['actions'])}/"])
        started = time.monotonic()
        try:
            response = session.get(base + path, timeout=30)
            ok = response.status_code == 200 and "Ingelogd als" in response.text
            what = f"{path} {response.status_code}"
        except requests.RequestException as error:
            ok, what = False, f"{path} {type(error).__name__}"
        stats.read(ok, time.monotonic() - started, what)


def writer(base, cafile, account, password, year, stats, stop):
    session = session_from("127.0.0.1", cafile)
    login(session, base, account["username"], password, account["totp_key"])
    while not stop.is_set():
        number = random.choice(account["actions"])
        url = f"{base}/afspraken/{year}/{number}/"
        marker = uuid.uuid4().hex
        try:
            page = session.get(url, timeout=30)
            seen = SEEN.search(page.text)
            response = session.post(
                url + "voortgang/",
                {
                    "csrfmiddlewaretoken": csrf(page.text),
                    "status": "op_schema",
                    "percent_done": str(random.randint(1, 99)),
                    "explanation": f"Belastingtest {marker} – via nginx.",
                    "evidence_url": "",
                    "seen_latest_id": (seen.group(1) or "") if seen else "",
                },
                headers={"Referer": url},
                timeout=30,
                allow_redirects=False,
            )
            if response.status_code == 302 and "#voortgang" in response.headers["Location"]:
                outcome = "opgeslagen"
            elif response.status_code == 200 and "Niet opgeslagen" in response.text:
                outcome = "conflict"
            else:
                outcome = "fout"
        except requests.RequestException:
            outcome = "fout"
        with stats.lock:
            stats.write_outcomes[outcome] += 1
            if outcome == "opgeslagen":
                stats.acknowledged.append(marker)
        time.sleep(0.2)


COUNT_SCRIPT = r"""
import json, sys
from collections import Counter
from agreements.models import ProgressUpdate
markers = json.load(open(sys.argv[-1]))
counts = Counter(
    u.split()[1] for u in ProgressUpdate.objects.filter(
        explanation__startswith="Belastingtest ").values_list("explanation", flat=True)
)
print(json.dumps({
    "acknowledged": len(markers),
    "missing": [m for m in markers if counts[m] == 0],
    "duplicated": [m for m in markers if counts[m] > 1],
    "stored": sum(counts.values()),
}))
"""


def count_writes(env, markers) -> dict:
    path = Path("/tmp") / f"pa-topology-{uuid.uuid4().hex}.json"  # noqa: S108
    path.write_text(json.dumps(markers))
    try:
        output = manage(env, "shell", "-c", COUNT_SCRIPT.replace("sys.argv[-1]", repr(str(path))))
    finally:
        path.unlink()
    return json.loads(output.strip().splitlines()[-1])


def lockout_through_proxy(base, cafile, username, password) -> dict:
    attacker = session_from("127.0.0.2", cafile)
    for _ in range(5):
        login(attacker, base, username, "geraden-wachtwoord")
    attacker_status = login(attacker, base, username, password).status_code
    colleague_status = login(session_from("127.0.0.3", cafile), base, username, password)
    return {"attacker": attacker_status, "colleague": colleague_status.status_code}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()

    run_dir = Path("/tmp") / f"pa-topology-nginx-{os.getpid()}"  # noqa: S108
    with postgres() as cluster:
        env, accounts = prepare_database(cluster, scale=0, copies=1)
        env.update(
            TRUSTED_PROXIES="127.0.0.1",
            AXES_FAILURE_LIMIT="5",
            SECURE="true",
            SECURE_SSL_REDIRECT="true",
        )
        ports = [free_port(), free_port()]
        instances = [start_gunicorn(env, p, args.workers, args.threads) for p in ports]
        https_port = free_port()
        config = render_nginx.render(
            run_dir,
            upstreams=[f"127.0.0.1:{p}" for p in ports],
            https_port=https_port,
            http_port=free_port(),
            static_root=ROOT / "staticfiles",
        )
        nginx = render_nginx.start(config)
        base, cafile = f"https://127.0.0.1:{https_port}", run_dir / "cert.pem"
        try:
            time.sleep(1)
            log(f"nginx op {base} voor gunicorn {ports[0]} en {ports[1]}")
            stats, stop = Stats(), threading.Event()
            password, year, site = accounts["password"], accounts["year"], accounts["site"]
            readers = [a for a in accounts["accounts"] if not a["writer"]]
            writers = [a for a in accounts["accounts"] if a["writer"] and a["actions"]]
            threads = [
                threading.Thread(
                    target=reader,
                    args=(
                        base,
                        cafile,
                        readers[n % len(readers)],
                        password,
                        site,
                        year,
                        stats,
                        stop,
                    ),
                )
                for n in range(args.readers)
            ] + [
                threading.Thread(
                    target=writer,
                    args=(base, cafile, writers[n % len(writers)], password, year, stats, stop),
                )
                for n in range(args.writers)
            ]
            for thread in threads:
                thread.start()
            time.sleep(args.seconds / 2)
            log(f"gunicorn op poort {ports[0]} wordt gedood (SIGKILL, hele procesgroep)")
            stats.killed.set()
            os.killpg(instances[0].pid, signal.SIGKILL)
            time.sleep(args.seconds / 2)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            writes = count_writes(env, stats.acknowledged)
            reader_account = readers[0]["username"]
            lockout = lockout_through_proxy(base, cafile, reader_account, password)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
            for instance in instances:
                try:
                    os.killpg(instance.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                instance.wait(timeout=30)

    latencies = sorted(stats.latencies)
    p50 = statistics.median(latencies) if latencies else 0
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0
    ok = (
        stats.reads["after"][1] == 0
        and stats.reads["after"][0] > 0
        and not writes["missing"]
        and not writes["duplicated"]
        and lockout == {"attacker": 429, "colleague": 302}
    )
    lines = [
        f"nginx (TLS) voor 2 × gunicorn ({args.workers} workers × {args.threads} threads), "
        f"{args.readers} lezers en {args.writers} schrijvers, {args.seconds} s; na "
        f"{args.seconds // 2} s wordt één gunicorn gedood (SIGKILL).",
        "",
        "| meting | uitkomst |",
        "| --- | --- |",
        f"| lezen vóór het doden (gelukt / mislukt) | {stats.reads['before'][0]} / "
        f"{stats.reads['before'][1]} |",
        f"| lezen ná het doden (gelukt / mislukt) | {stats.reads['after'][0]} / "
        f"{stats.reads['after'][1]} |",
        f"| leestijd p50 / p95 | {p50 * 1000:.0f} ms / {p95 * 1000:.0f} ms |",
        f"| schrijven: bevestigd / conflict / fout | {stats.write_outcomes['opgeslagen']} / "
        f"{stats.write_outcomes['conflict']} / {stats.write_outcomes['fout']} |",
        f"| bevestigd en in de database: precies één keer | "
        f"{writes['acknowledged'] - len(writes['missing']) - len(writes['duplicated'])} van "
        f"{writes['acknowledged']} (ontbreekt {len(writes['missing'])}, dubbel "
        f"{len(writes['duplicated'])}) |",
        f"| blokkade via de proxy: 5× fout vanaf 127.0.0.2, daarna goed | {lockout['attacker']} "
        f"(geblokkeerd = 429) |",
        f"| zelfde account vanaf 127.0.0.3 | {lockout['colleague']} (ingelogd = 302) |",
    ]
    if stats.read_failures:
        lines += ["", "Mislukte leesverzoeken: " + ", ".join(stats.read_failures[:10])]
    text = "\n".join(lines)
    print()
    print(text)
    if args.report:
        args.report.write_text(text + "\n")
    log("geslaagd" if ok else "NIET geslaagd")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
