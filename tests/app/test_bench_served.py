"""The served benchmark (benchmarks/bench_served.py) runs end to end at a tiny size: it
serves the three apps under gunicorn, judges every claim it was given through each app's
page and form (it stops on any answer but the page and the redirect), prints its table and
writes its figures as JSON. Nothing here is timed: the figures only have to exist and agree
with each other. Bad options are refused before anything is built."""

from __future__ import annotations

import pytest
from annotator_testkit.benchmarks import figures_of_a_run, run_benchmark, table_rows

APPS = ("bare", "stack", "annotator")
ROWS = ("claim page, median ms (1 client)", "save (POST), median ms (1 client)",
        "server CPU per verdict (page and save), ms (1 client)",
        "verdicts saved/s, 1 client", "verdicts saved/s, 2 clients at once")


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[str, dict]:
    return figures_of_a_run(tmp_path_factory.mktemp("bench"), "bench_served.py",
                            "--claims", "6", "--workers", "1", "--clients", "2")


def test_prints_each_figure_for_every_app_with_its_ratios(tiny_run):
    out, _ = tiny_run
    assert ("| figure | bare Flask | the stack alone | annotator | stack ÷ bare "
            "| annotator ÷ bare | annotator ÷ stack |") in out
    rows = table_rows(out)
    for name in ROWS:
        assert rows[name].count("x |") == 3, rows[name]


def test_the_printed_ratios_are_the_figures_of_each_app(tiny_run):
    """The columns are not swapped: each ratio printed is the one the figures give."""
    out, figures = tiny_run
    served = figures["served"]
    cells = table_rows(out)["verdicts saved/s, 1 client"].strip("| ").split(" | ")
    rate = {app: served[app]["saves_per_s_one_client"] for app in APPS}
    assert cells[1:4] == [f"{rate[app]:.1f}" for app in APPS]
    assert cells[4:] == [f"{rate['stack'] / rate['bare']:.2f}x",
                         f"{rate['annotator'] / rate['bare']:.2f}x",
                         f"{rate['annotator'] / rate['stack']:.2f}x"]


def test_every_claim_given_was_saved_by_every_app(tiny_run):
    """One client saved the first 6 claims and two clients the next 6, in each app: a
    refused form or a lost login would have stopped the run instead."""
    _, figures = tiny_run
    assert (figures["claims"], figures["workers"], figures["clients"]) == (6, 1, 2)
    assert set(figures["served"]) == set(APPS)
    for served in figures["served"].values():
        assert served["saved_by_one_client"] == 6
        assert served["saved_by_all_clients"] == 6
        assert served["page_ms"] > 0 and served["save_ms"] > 0
        assert served["server_cpu_ms_per_verdict"] > 0
        assert served["saves_per_s_one_client"] > 0 and served["saves_per_s_all_clients"] > 0


@pytest.mark.parametrize("options", [("--claims", "1"), ("--clients", "1"), ("--workers", "0")])
def test_refuses_options_it_cannot_run(options):
    done = run_benchmark("bench_served.py", *options)
    assert done.returncode == 2
    assert "must be at least" in done.stderr
