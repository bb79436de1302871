"""One direction of dependencies, enforced by import-linter (contracts in pyproject.toml)."""

import ast
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


#: Imports that stay inside a function, each for a reason that is not a cycle: signal wiring
#: in ``AppConfig.ready`` (models load only then) and the heavy, optional PDF engine.
LAZY_IMPORTS_ALLOWED = {
    ("accounts/apps.py", "accounts.middleware"),
    ("api/apps.py", "tokens"),
    ("core/apps.py", "history"),
    ("evaluation/report.py", "weasyprint"),
}


def imports_inside_functions(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts or "__pycache__" in relative.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    found |= {(relative.as_posix(), alias.name) for alias in node.names}
                elif isinstance(node, ast.ImportFrom):
                    module = node.module or ", ".join(alias.name for alias in node.names)
                    found.add((relative.as_posix(), module))
    return found


def test_no_app_imports_inside_a_function_to_dodge_a_cycle():
    found = set().union(*(imports_inside_functions(package) for package in PACKAGES))

    assert found - LAZY_IMPORTS_ALLOWED == set()
