"""The request benchmark (benchmarks/bench_requests.py) runs end to end at a tiny size:
it builds the three apps, gets the answers it expects from each (it stops on any other),
prints both tables and writes its figures as JSON. Nothing here is timed: the figures only
have to exist and add up. Bad options are refused with a message before anything is built."""

from __future__ import annotations

import pytest
from annotator_testkit.benchmarks import figures_of_a_run, run_benchmark, table_rows

REQUESTS = ("GET claim page", "POST save", "GET /queue", "GET / (Articles)")


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[str, dict]:
    return figures_of_a_run(tmp_path_factory.mktemp("bench"), "bench_requests.py",
                            "--n", "3", "--articles", "1")


def test_prints_the_times_table_with_every_request(tiny_run):
    out, _ = tiny_run
    assert ("| request | bare Flask ms | the stack alone ms | annotator ms "
            "| annotator ÷ stack | annotator ÷ bare |") in out
    rows = table_rows(out)
    for name in REQUESTS:
        assert name in rows, name
    # The two requests every app answers carry both ratios; annotator's own only its time.
    assert rows["GET claim page"].count("x |") == 2
    assert rows["POST save"].count("x |") == 2
    assert rows["GET /queue"].count("p90") == 1


def test_json_holds_each_apps_times(tiny_run):
    _, figures = tiny_run
    assert figures["n"] == 3 and figures["claims"] == 50 and figures["page_bytes"] > 1000
    assert set(figures["requests"]) == set(REQUESTS)
    for name in ("GET claim page", "POST save"):
        assert set(figures["requests"][name]) == {"bare", "stack", "annotator"}
    for by_app in figures["requests"].values():
        for times in by_app.values():
            assert 0 < times["median_ms"] <= times["p90_ms"]


def test_where_the_time_goes_adds_up_to_the_whole_request(tiny_run):
    out, figures = tiny_run
    assert "| group | GET claim page | POST save |" in out
    for request_name, groups in figures["profile"].items():
        whole = [value["share"] for name, value in groups.items() if not name.startswith("…")]
        assert sum(whole) == pytest.approx(1.0), request_name
        assert all(share >= 0 for share in whole), (request_name, groups)
    # The page renders a template, the save redirects without one; both write or read SQL.
    assert figures["profile"]["GET claim page"]["Jinja templates"]["share"] > 0
    assert figures["profile"]["POST save"]["Jinja templates"]["share"] == 0
    assert figures["profile"]["POST save"]["SQLAlchemy (annotator's statements)"]["share"] > 0


@pytest.mark.parametrize(("options", "message"), [
    (("--n", "1"), "--n must be at least 2"),
    (("--n", "40", "--articles", "1"), "50 claims are too few for --n 40"),
])
def test_refuses_sizes_it_cannot_measure(options, message, tmp_path):
    figures = tmp_path / "figures.json"
    done = run_benchmark("bench_requests.py", *options, "--json", str(figures))
    assert done.returncode != 0
    assert message in done.stderr
    assert not figures.exists()
