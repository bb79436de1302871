"""One direction of dependencies, enforced by import-linter (contracts in pyproject.toml)."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own tool on our own copy
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project_copy(tmp_path):
    """The packages and the contracts, copied, so a planted import never touches the tree."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def plant(project: Path, module: str, line: str) -> None:
    path = project / Path(*module.split(".")).with_suffix(".py")
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_layers_hold_as_the_code_is(project_copy):
    result = lint_imports(project_copy)

    assert result.returncode == 0, result.stdout
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("core.formats", "import agreements.models  # noqa", "core is not allowed to import"),
        ("agreements.models", "import projects.models  # noqa", "agreements is not allowed"),
        ("projects.models", "import sustainability.models  # noqa", "projects is not allowed"),
        ("accounts.models", "import agreements.choices  # noqa", "accounts is not allowed"),
        ("projects.services", "import overview.views  # noqa", "projects is not allowed"),
        ("heerlen.settings", "import agreements  # noqa", "heerlen.settings is not allowed"),
        ("overview.views", "import api.views  # noqa", "overview is not allowed"),
    ],
)
def test_a_planted_reverse_import_breaks_a_contract(project_copy, module, line, broken):
    plant(project_copy, module, line)

    result = lint_imports(project_copy)

    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert broken in result.stdout
