"""Running a benchmark script as a user does, for the tests that check one end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def run_benchmark(script: str, *options: str) -> subprocess.CompletedProcess:
    """``script`` (a file of ``benchmarks/``) run with ``options`` by this interpreter."""
    return subprocess.run([sys.executable, str(BENCHMARKS / script), *options],
                          capture_output=True, text=True, timeout=600)


def figures_of_a_run(folder: Path, script: str, *options: str) -> tuple[str, dict]:
    """Run ``script`` with ``options`` and ``--json`` into ``folder``; it must succeed.
    Its printed tables, and the figures it wrote."""
    figures = folder / "figures.json"
    done = run_benchmark(script, *options, "--json", str(figures))
    assert done.returncode == 0, done.stderr
    return done.stdout, json.loads(figures.read_text())


def table_rows(printed: str) -> dict[str, str]:
    """The rows of the Markdown tables a benchmark printed, each by its first cell."""
    return {line.split(" | ")[0].lstrip("| "): line for line in printed.splitlines()
            if line.startswith("| ")}
