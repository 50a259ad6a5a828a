"""The house rules of the package, checked rather than hoped for: the three rooms
(text, services, web) import only downwards, and modules and functions stay short."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "annotator"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """Run the contracts of pyproject.toml on the ``annotator`` package in ``package_parent``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=package_parent, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(package_parent)},
    )


def test_the_package_keeps_its_layering_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "bad_import", "contract"), [
    ("text/highlighting.py", "from annotator.web import guards", "annotator.text is pure"),
    ("text/highlighting.py", "import sqlalchemy", "annotator.text is pure"),
    ("text/csv_rows.py", "from annotator.services import audit", "never upwards"),
    ("services/audit.py", "from annotator.web import guards", "annotator.services works"),
    ("services/export.py", "from flask_login import current_user",
     "annotator.services works"),
])
def test_a_forbidden_import_breaks_the_contract(tmp_path, module, bad_import, contract):
    """A copy of the package with one deliberate bad import fails the check, naming it."""
    shutil.copytree(PACKAGE, tmp_path / "annotator",
                    ignore=shutil.ignore_patterns("__pycache__", "templates", "static"))
    with (tmp_path / "annotator" / module).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{bad_import}  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert contract in result.stdout and "BROKEN" in result.stdout


def _source_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_no_module_is_longer_than_a_reader_can_hold():
    """Non-blank lines per module (data tables are small enough to count in)."""
    long = {str(p.relative_to(ROOT)): n for p in _source_files()
            if (n := sum(1 for line in p.read_text().splitlines() if line.strip()))
            > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_does_too_many_things():
    long = []
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({size})")
    assert long == []
