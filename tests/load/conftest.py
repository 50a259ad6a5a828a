"""Load tests: every test here is marked ``load``; their figures go to the terminal summary.

    .venv/bin/pytest tests/load                            # 60 s of load, on SQLite
    ANNOTATOR_LOAD_SECONDS=10 .venv/bin/pytest tests/load  # a short run while developing
    .venv/bin/pytest -m "not load"                         # everything else

With ``ANNOTATOR_TEST_DATABASE_URL`` set the same tests run on PostgreSQL. The figures are
also written to ``load-results.json`` in pytest's tmp folder. The server and its helpers
live in ``load_desk.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from annotator_testkit import databases
from load_desk import LOAD_DIR, running_server

RESULTS = pytest.StashKey[list]()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if LOAD_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.load)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Show every load run's figures in the summary, with or without ``-s``."""
    entries = config.stash.get(RESULTS, [])
    if entries:
        terminalreporter.section("load test figures")
        for entry in entries:
            terminalreporter.write_line(entry["summary"])


@pytest.fixture(scope="session")
def load_report(request, tmp_path_factory):
    """Record one run's figures: printed, kept for the terminal summary, written as JSON."""
    entries = request.config.stash.setdefault(RESULTS, [])
    path = tmp_path_factory.getbasetemp() / "load-results.json"

    def record(figures: dict) -> None:
        entries.append(figures)
        print(figures["summary"])
        path.write_text(json.dumps(entries, indent=2) + "\n")

    return record


@pytest.fixture(scope="module")
def load_server(tmp_path_factory):
    """gunicorn with 4 workers on a loopback port, with an admin, 9 reviewers and articles."""
    with running_server(tmp_path_factory.mktemp(f"load-{databases.backend()}")) as server:
        yield server
