"""The start benchmark (benchmarks/bench_start.py) runs end to end at its smallest: it
serves each app under gunicorn, gets a first answer from each (it stops on a failure),
weighs every process, prints both tables and writes its figures as JSON. Nothing here is
timed: the figures only have to exist and agree with each other."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from annotator_testkit.benchmarks import BENCHMARKS, figures_of_a_run, run_benchmark, table_rows

APPS = ("bare", "stack", "annotator", "annotator, deploy/gunicorn.conf.py")
STEPS = ("interpreter", "Flask", "SQLAlchemy's ORM", "Flask-SQLAlchemy, Flask-Login, Flask-WTF",
         "annotator's package", "create_app()")


@pytest.fixture(scope="module")
def smallest_run(tmp_path_factory) -> tuple[str, dict]:
    return figures_of_a_run(tmp_path_factory.mktemp("bench"), "bench_start.py",
                            "--workers", "2", "--repeat", "1")


def test_prints_a_row_per_app_with_its_ratios(smallest_run):
    out, _ = smallest_run
    assert "| app | cold start s | ÷ bare | ÷ stack | PSS MiB, all |" in out
    rows = table_rows(out)
    for name in APPS:
        assert rows[name].count("x |") == 4, rows[name]
    assert rows["bare"].split(" | ")[2] == "1.00x"
    for name in STEPS:
        assert name in rows, name


def test_json_holds_every_apps_start_and_weight(smallest_run):
    _, figures = smallest_run
    assert figures["workers"] == 2 and figures["repeat"] == 1
    assert set(figures["served"]) == set(APPS)
    for served in figures["served"].values():
        assert 0 < served["cold_start_s"] < 120
        # Two workers and their master: the whole weighs more than one worker.
        assert 0 < served["pss_mib_per_worker"] < served["pss_mib"]
    assert list(figures["steps"]) == list(STEPS)
    assert all(step["cpu_s"] >= 0 for step in figures["steps"].values())
    assert isinstance(figures["compiled_source"], bool)


def test_the_bare_app_loads_flask_alone(tmp_path):
    """Else "bare" would weigh the stack's libraries and flatter every ratio."""
    probe = ("import sys; from pathlib import Path; import reference_apps as r; "
             "r.build_bare(Path(sys.argv[1]), [(1, 'A', 'B.', 'B.')]); r.served(); "
             "print(sorted(m for m in ('sqlalchemy', 'flask_login', 'flask_wtf', 'annotator') "
             "if m in sys.modules))")
    environment = {"REFERENCE_APP": "bare", "REFERENCE_DATABASE": str(tmp_path / "bare.db"),
                   "REFERENCE_PAGE_BYTES": "2000"}
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "bare.db")],
                          cwd=BENCHMARKS, env={**os.environ, **environment},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_bad_options_are_refused_before_anything_starts():
    done = run_benchmark("bench_start.py", "--workers", "0")
    assert done.returncode == 2
    assert "--workers and --repeat must be at least 1" in done.stderr
