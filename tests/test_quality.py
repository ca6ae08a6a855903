"""Lint, types and the layer contracts of ARCHITECTURE.md "Layers", run as tests."""

from __future__ import annotations

import ast
import gc
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def _check(*command: str) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"


def test_ruff() -> None:
    _check(_tool("ruff"), "check", "allegro_desktop", "tests", "scripts", "benchmarks")


def test_mypy() -> None:
    _check(_tool("mypy"))


def test_import_layers() -> None:
    _check(_tool("lint-imports"), "--no-cache")


def test_every_package_is_shipped() -> None:
    """pyproject lists packages explicitly (resources/ is mapped in): a new one must be added."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "allegro_desktop").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


QT_FREE_LAYERS = ("domain", "files", "api", "auth", "storage", "sync", "services", "emulator")


def _parse(path: Path) -> ast.Module:
    """`ast.parse` with the garbage collector paused: on CPython 3.11.7 a finalizer running in
    the middle of AST construction makes it fail with "SystemError: AST constructor recursion
    depth mismatch" (fixed in later 3.11 releases), and by now the test process holds plenty of
    garbage with finalizers (event loops, HTTP clients)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    finally:
        if enabled:
            gc.enable()


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_qt_free_layers_never_import_qt() -> None:
    """ARCHITECTURE.md "Layers": the layers below `config` never import Qt (but sync/worker.py)."""
    offenders = []
    for layer in QT_FREE_LAYERS:
        for path in (ROOT / "allegro_desktop" / layer).rglob("*.py"):
            if layer == "sync" and path.name == "worker.py":
                continue
            qt = {n for n in _imports(path) if n.split(".")[0] in ("PySide6", "qasync")}
            if qt:
                offenders.append(f"{path.relative_to(ROOT)}: {sorted(qt)}")
    assert offenders == []


def test_emulator_imports_nothing_of_the_app() -> None:
    offenders = []
    for path in (ROOT / "allegro_desktop" / "emulator").rglob("*.py"):
        ours = {n for n in _imports(path) if n.startswith("allegro_desktop")
                and not n.startswith("allegro_desktop.emulator")}
        if ours:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(ours)}")
    assert offenders == []


def test_only_the_composition_roots_use_the_emulator() -> None:
    """The app talks to the emulator over HTTP like to allegro.pl; only app.py (demo mode) and
    cli.py (the `emulator` command) may start one."""
    allowed = {"app.py", "cli.py"}
    offenders = []
    for path in (ROOT / "allegro_desktop").rglob("*.py"):
        relative = path.relative_to(ROOT / "allegro_desktop")
        if relative.parts[0] == "emulator" or str(relative) in allowed:
            continue
        if any(n.startswith("allegro_desktop.emulator") for n in _imports(path)):
            offenders.append(str(relative))
    assert offenders == []


def test_the_window_shows_errors_translated() -> None:
    """`AppError.user_message` is the English: in the UI an error's text goes through
    `ui.i18n.translated` (a Polish window showed English sentences otherwise)."""
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "allegro_desktop" / "ui").rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if ".user_message" in line]
    assert not offenders, "use translated(error) instead:\n  " + "\n  ".join(offenders)


#: Test modules still imported by others, until they move to tests/helpers/: the spec checker
#: (its own test module tests it), and two GUI tests' window builders (the sync lease's and the
#: tabs' tests build their windows the same way).
SHARED_TEST_MODULES = {
    "tests.openapi_validation",
    "tests.gui.test_sync_controller",
    "tests.gui.test_tabs",
}


def test_tests_share_helpers_not_each_other() -> None:
    """What test modules share lives in tests/helpers/: a test module never imports from
    another test module or from a conftest.py (pytest finds the fixtures there itself)."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        shared = {n for n in _imports(path) if n.startswith("tests.")
                  and not n.startswith("tests.helpers") and n not in SHARED_TEST_MODULES}
        if shared:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(shared)}")
    assert offenders == []
