"""A temporary directory per process, and the clean-up of those of processes that died.

openpyxl's write-only workbooks stream every sheet to a named temporary file and remove it
when the workbook is saved (or at a normal exit). A worker killed during an export (the
gunicorn timeout, the OOM killer, ``kill -9``) leaves those files behind, in the shared
temporary directory, for ever. Each process therefore writes its temporary files into its own
directory ``<tmp>/prestatieafspraken/pid-<pid>``; every process that starts removes the
directories of processes that no longer exist, and empties its own (a reused process id).
Called by ``heerlen/wsgi.py`` and by gunicorn's ``post_fork`` (deploy/gunicorn.conf.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PREFIX = "pid-"


def _root() -> Path:
    base = Path(os.environ.get("TMPDIR") or "/tmp")  # noqa: S108 - the system default
    return base / "prestatieafspraken"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def use_private_tempdir() -> Path:
    """Point ``tempfile`` at this process's own directory; remove those of dead processes."""
    root = _root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    for directory in root.glob(PREFIX + "*"):
        pid = directory.name.removeprefix(PREFIX)
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(directory, ignore_errors=True)
    mine = root / f"{PREFIX}{os.getpid()}"
    shutil.rmtree(mine, ignore_errors=True)
    mine.mkdir(mode=0o700)
    tempfile.tempdir = str(mine)
    return mine
