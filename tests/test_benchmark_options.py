"""The benchmark scripts pass their options on to the processes that use them."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import load  # noqa: E402

ACCOUNTS = json.dumps({"year": 2024, "site": "", "password": "x", "accounts": []})


def wait_times(env: dict) -> list[float]:
    """Think times drawn by the locust users as locust would import them with ``env``."""
    code = (
        # As locust itself does, before anything else is imported.
        "from gevent import monkey; monkey.patch_all()\n"
        "import json, sys; sys.path.insert(0, 'benchmarks')\n"
        "import locust_users as m\n"
        "print(json.dumps([m.Browsing.wait_time(None) for _ in range(200)]))"
    )
    result = subprocess.run(  # noqa: S603 - the test's own code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_load_think_time_reaches_locust(tmp_path):
    (tmp_path / "accounts.json").write_text(ACCOUNTS)
    args = load.parse_args(["--think", "0", "0"])
    env = load.locust_env({}, args, tmp_path)
    assert wait_times(env) == [0.0] * 200


def test_load_default_think_time_reaches_locust_too(tmp_path):
    (tmp_path / "accounts.json").write_text(ACCOUNTS)
    env = load.locust_env({}, load.parse_args([]), tmp_path)
    times = wait_times(env)
    assert min(times) >= 0.3
    assert max(times) <= 1.5


def export_benchmark(*args: str) -> subprocess.CompletedProcess:
    """benchmarks/export.py as someone runs it from a fresh clone: no DATABASE_URL."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(  # noqa: S603 - the project's own script
        [sys.executable, "benchmarks/export.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_export_benchmark_reads_its_options_before_it_starts_a_database_of_its_own():
    help_text = export_benchmark("--help")
    wrong = export_benchmark("--scale", "veel")

    assert help_text.returncode == 0
    assert "--scale" in help_text.stdout
    assert wrong.returncode == 2
    for result in (help_text, wrong):
        assert "PostgreSQL draait" not in result.stdout + result.stderr


def _pages_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("pages", ROOT / "benchmarks" / "pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_benchmark_that_starts_its_own_database_runs_itself_again_not_pages_py(monkeypatch):
    """cpu.py and admin.py borrow pages.with_own_postgres(): it must start them again inside
    the shell with the throwaway PostgreSQL (it used to start pages.py with their options)."""
    pages = _pages_module()
    started = []

    class Done:
        returncode = 0

    def run(command, **kwargs):
        started.append(command)
        return Done()

    monkeypatch.setattr(pages.subprocess, "run", run)
    for script in ("benchmarks/admin.py", "benchmarks/cpu.py"):
        monkeypatch.setattr(sys, "argv", [str(ROOT / script), "--scales", "1", "10"])
        try:
            pages.with_own_postgres()
        except SystemExit as stop:
            assert stop.code == 0
        command = started[-1]
        assert command[4] == str((ROOT / script).resolve())
        assert command[5:] == ["--scales", "1", "10"]
