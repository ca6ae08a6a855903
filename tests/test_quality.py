"""Lint, types and the layer contracts of ARCHITECTURE.md "Layers", run as tests."""

from __future__ import annotations

import ast
import gc
import os
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


def _check(*command: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False,
                            env=None if env is None else os.environ | env)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"


def test_ruff() -> None:
    _check(_tool("ruff"), "check", "allegro_desktop", "tests", "scripts", "benchmarks")


def test_mypy() -> None:
    _check(_tool("mypy"))


def test_mypy_benchmarks() -> None:
    """The benchmarks drive the app's own API (the window, the queries, the sync): a rename
    that breaks one is found here, not by the next person who measures. Scripts run as
    `python benchmarks/x.py` import their neighbours by name, the `-m benchmarks.x` ones as a
    package: two runs, each seeing only its own way (and a cache of their own: `test_mypy`
    may run at the same time on another worker)."""
    scripts = sorted(ROOT / "benchmarks" / name for name in os.listdir(ROOT / "benchmarks")
                     if name.endswith(".py"))
    as_package = [str(p) for p in scripts if "from benchmarks." in p.read_text()]
    by_name = [str(p) for p in scripts if str(p) not in as_package]
    cache = ("--cache-dir", str(ROOT / ".mypy_cache" / "benchmarks"))
    _check(_tool("mypy"), *cache, "--follow-imports=silent", *by_name,
           env={"MYPYPATH": str(ROOT / "benchmarks")})
    _check(_tool("mypy"), *cache, "--follow-imports=silent", *as_package)


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
    return _parse_source(path.read_text(encoding="utf-8"))


def _parse_source(source: str) -> ast.Module:
    """`ast.parse` with the garbage collector paused: on CPython 3.11.7 a finalizer running in
    the middle of AST construction makes it fail with "SystemError: AST constructor recursion
    depth mismatch" (fixed in later 3.11 releases), and by now the test process holds plenty of
    garbage with finalizers (event loops, HTTP clients)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(source)
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


def _is_module(name: str) -> bool:
    where = ROOT.joinpath(*name.split("."))
    return where.with_suffix(".py").exists() or (where / "__init__.py").exists()


def _modules_imported(tree: ast.Module, package: str) -> set[str]:
    """Every module of the repository the code (of a module in `package`) imports: relative
    imports resolved, and `from package import module` counted as that module."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: to `package`, or to a package above it
                anchor = package.rsplit(".", node.level - 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names
                      if _is_module(f"{base}.{alias.name}")}
    return names


def _shares_a_test_module(name: str) -> bool:
    return name.startswith("tests.") and not (
        name == "tests.helpers" or name.startswith("tests.helpers."))


def test_tests_share_helpers_not_each_other() -> None:
    """What test modules share lives in tests/helpers/: a test module never imports from
    another test module or from a conftest.py (pytest finds the fixtures there itself)."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        package = ".".join(path.parent.relative_to(ROOT).parts)
        shared = {n for n in _modules_imported(_parse(path), package) if _shares_a_test_module(n)}
        if shared:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(shared)}")
    assert offenders == []


@pytest.mark.parametrize(("source", "shared"), [
    ("from tests.gui.test_tabs import window", True),
    ("import tests.gui.test_tabs", True),
    ("from tests.gui import test_tabs", True),
    ("from tests import conftest", True),
    ("from . import test_tabs", True),
    ("from .test_tabs import window", True),
    ("from ..conftest import emu", True),
    ("from tests.helpers.wired_window import window_with_tabs", False),
    ("from tests.helpers import wired_window", False),
    ("from tests import helpers", False),
    ("from .. import helpers", False),
])
def test_the_check_sees_every_way_of_importing_a_test_module(source: str, shared: bool) -> None:
    """As if written in tests/gui/: relative imports and `from a.package import module` count."""
    imported = _modules_imported(_parse_source(source), "tests.gui")
    assert any(_shares_a_test_module(n) for n in imported) is shared, sorted(imported)
