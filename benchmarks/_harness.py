"""Shared by benchmarks/load.py and benchmarks/fault.py: a throwaway PostgreSQL cluster, a
prepared database with accounts, and gunicorn in production settings.

Everything listens on 127.0.0.1 only and is stopped again when the ``with`` block ends.
The cluster keeps PostgreSQL's durable defaults (fsync, synchronous commit), unlike the fast
test cluster of scripts/pg.sh: the benchmarks check that every acknowledged write survives.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if not found:
        sys.exit("PostgreSQL-serverprogramma's niet gevonden (Debian-pakket postgresql-15).")
    return Path(found[-1])


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster then belongs to the "postgres" user.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PostgresCluster:
    def __init__(self, max_connections: int = 200):
        self.max_connections = max_connections
        self.dir = Path(tempfile.mkdtemp(prefix="pa-bench-pg."))
        self.data = self.dir / "data"
        self.socket = self.dir / "socket"
        self.logfile = self.dir / "log"
        self.port = free_port()
        self.socket.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.socket, "postgres", "postgres")
        self._run(
            [
                str(pg_bin() / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )

    def _run(self, args, check=True, timeout=120):
        return subprocess.run(
            _as_postgres(args),
            check=check,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start(self) -> None:
        options = (
            f"-k {self.socket} -p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c max_connections={self.max_connections} -c shared_buffers=256MB"
        )
        self._run(
            [
                str(pg_bin() / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.logfile),
                "-w",
                "-o",
                options,
                "start",
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(
            [str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"], check=False
        )

    def createdb(self, name: str) -> None:
        self._run(
            [
                str(pg_bin() / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                name,
            ]
        )

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def postgres(max_connections: int = 200):
    cluster = PostgresCluster(max_connections)
    try:
        cluster.start()
        log(f"PostgreSQL draait op 127.0.0.1:{cluster.port} ({cluster.dir})")
        yield cluster
    finally:
        cluster.remove()


def app_env(database_url: str) -> dict[str, str]:
    """Production settings (DEBUG off, OTP on), but plain http on the loopback address."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE="false",
        DATABASE_URL=database_url,
        LOG_LEVEL="ERROR",
        # The simulated users share one address: the lockout must not hit a typo in a script.
        AXES_FAILURE_LIMIT="1000",
    )
    return env


def manage(env: dict, *args: str, timeout: int = 600) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} mislukt:\n{result.stdout}\n{result.stderr}")
    return result.stdout


ACCOUNTS_SCRIPT = r"""
import json, sys
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import User, UserRole
from agreements.models import Action, Jaarschijf, Party

password = sys.argv[-1]
year = Jaarschijf.objects.exclude(status="concept").order_by("-year").first().year
accounts = []
with transaction.atomic():
    writers = [("kernteam", UserRole.KERNTEAMLID, Party.objects.filter(kind="gemeente").first())]
    writers += [(f"medewerker-{p.slug}", UserRole.MEDEWERKER, p)
                for p in Party.objects.filter(kind="corporatie").order_by("name")]
    readers = [(f"huurders-{p.slug}", UserRole.HUURDERSORGANISATIE, p)
               for p in Party.objects.filter(kind="huurdersorganisatie").order_by("name")]
    for copy in range(int(sys.argv[-2])):
        for base, role, party in writers + readers:
            user = User(username=f"{base}-{copy}", role=role, party=party,
                        first_name="Belasting", last_name=f"{base} {copy}")
            user.set_password(password)
            user.full_clean()
            user.save()
            entry = {"username": user.username, "role": role, "writer": user.can_write}
            if user.can_write:
                device = TOTPDevice.objects.create(user=user, name="Belasting", confirmed=True)
                entry["totp_key"] = device.key
                entry["actions"] = list(
                    Action.objects.filter(jaarschijf__year=year).editable_by(user)
                    .values_list("number", flat=True)
                )
            accounts.append(entry)
from projects.models import Project
site = {
    "actions": list(Action.objects.filter(jaarschijf__year=year).values_list("number", flat=True)),
    "projects": list(Project.objects.filter(jaarschijf__year=year).values_list("pk", flat=True)),
    "parties": list(Party.objects.values_list("slug", flat=True)),
    "corporations": list(Party.objects.filter(kind="corporatie").values_list("slug", flat=True)),
}
print(json.dumps({"year": year, "password": password, "accounts": accounts, "site": site}))
"""


def prepare_database(cluster: PostgresCluster, *, scale: int, copies: int) -> tuple[dict, dict]:
    """Migrate, load jaarschijf 2024, add ``scale`` synthetic jaarschijven and accounts."""
    cluster.createdb("prestatieafspraken")
    env = app_env(cluster.url("prestatieafspraken"))
    started = time.monotonic()
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "loaddata", "-v0", "jaarschijf-2024")
    if scale:
        manage(env, "generate_data", "--scale", str(scale))
    password = "belasting-" + secrets.token_hex(8)
    output = manage(
        env,
        "shell",
        "-c",
        ACCOUNTS_SCRIPT.replace("sys.argv[-2]", str(copies)).replace(
            "sys.argv[-1]", repr(password)
        ),
    )
    accounts = json.loads(output.strip().splitlines()[-1])
    manage(env, "collectstatic", "--no-input", "-v0")
    log(
        f"database klaar in {time.monotonic() - started:.0f} s: schaal {scale}, "
        f"{len(accounts['accounts'])} accounts"
    )
    return env, accounts


def wait_for(url: str, want: int = 200, timeout: float = 60.0) -> float:
    """Seconds until ``url`` answers ``want``; raises TimeoutError after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == want:
                    return time.monotonic() - started
        except urllib.error.HTTPError as error:
            if error.code == want:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} gaf binnen {timeout:.0f} s geen {want}")


@contextmanager
def gunicorn(env: dict, *, workers: int, threads: int, port: int | None = None):
    port = port or free_port()
    logfile = open(Path(tempfile.gettempdir()) / f"pa-bench-gunicorn-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "heerlen.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            # Longer than the think time, so a client rarely reuses a connection at the very
            # moment gunicorn closes it (a reset that says nothing about the application).
            "--keep-alive",
            "10",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz", timeout=60)
        log(f"gunicorn draait op {base} ({workers} workers × {threads} threads, pid {process.pid})")
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        logfile.close()


def check_writes(env: dict, markers: list[str]) -> dict:
    """Which acknowledged writes are in the database, and is every stored write complete?"""
    script = r"""
import json, sys
from agreements.models import ProgressUpdate
markers = json.load(open(sys.argv[-1]))
stored = set()
incomplete = []
for update in ProgressUpdate.objects.filter(explanation__startswith="Belastingtest "):
    marker = update.explanation.split()[1]
    stored.add(marker)
    # A complete write has its history record and its party next to the row itself.
    if not update.history.exists() or update.author_id is None or update.party_id is None:
        incomplete.append(marker)
print(json.dumps({
    "acknowledged": len(markers),
    "missing": sorted(set(markers) - stored),
    "stored": len(stored),
    "found": len(set(markers) & stored),
    "incomplete": incomplete,
}))
"""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(markers, handle)
    try:
        output = manage(env, "shell", "-c", script.replace("sys.argv[-1]", repr(handle.name)))
    finally:
        os.unlink(handle.name)
    return json.loads(output.strip().splitlines()[-1])
