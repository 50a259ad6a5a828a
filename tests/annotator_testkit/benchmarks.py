"""Running a benchmark script as a user does, for the tests that check one end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def run_benchmark(script: str, *options: str) -> subprocess.CompletedProcess:
    """``script`` (a file of ``benchmarks/``) run with ``options`` by this interpreter."""
    return subprocess.run([sys.executable, str(BENCHMARKS / script), *options],
                          capture_output=True, text=True, timeout=600)
