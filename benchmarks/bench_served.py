"""The claim page and the save over HTTP, as the peer harness drives them, for annotator
beside bare Flask and beside its libraries alone, served the same way in one run.

    .venv/bin/python benchmarks/bench_served.py [--claims 1000] [--workers 5] [--clients 8]
                                                [--json PATH]

Each app runs under gunicorn with ``--workers`` sync workers on 127.0.0.1 (``bench_start``'s
way of serving them), on a database of its own holding the same claims: annotator's
imported by its own service (articles of 50 sentences), the reference apps'
(``reference_apps.py``) with the same ids, articles and texts, their pages padded to
annotator's claim page's size. Then, as ``../shared/peers`` does (``requests``, a new TCP
connection per request): one client judges ``--claims`` claims one after the other (GET the
claim page, POST its form with the csrf_token and version the page holds, a redirect
counting as saved); then ``--clients`` clients, each logged in as a reviewer of its own,
judge ``--claims`` more at once. The apps take their turns in one run.

The table: the median page and save with one client, and verdicts saved per second with
one client and with all, for bare Flask (one SQLite read per page, one insert per save),
the stack alone (Flask-SQLAlchemy, Flask-Login and CSRF doing the least a logged-in page
and save can do) and annotator; then annotator's and the stack's figures as multiples of
bare Flask's, and annotator's as multiples of the stack's (a time: times as long; a rate:
that share of the rate).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
from bench_requests import PASSWORD, SENTENCES, build_annotator, claim_rows, logged_in
from bench_start import (
    Served,
    clean_environment,
    process_tree,
    reference_apps_served,
    serving,
)

from annotator.extensions import db
from annotator.services.accounts import create_user

ROOT = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(ROOT / "tests"))
from annotator_testkit.forms import hidden_inputs  # noqa: E402

APPS = ("bare", "stack", "annotator")
NAMES = {"bare": "bare Flask", "stack": "the stack alone", "annotator": "annotator"}
VERDICT = {"verdict": "supported", "source_note": "Annual report of the ministry, page 12.",
           "source_url": ""}
TIMEOUT_SECONDS = 60


@dataclass
class Judged:
    """What one phase of judging measured."""

    seconds: float = 0.0
    saved: int = 0
    server_cpu_s: float = 0.0
    page_s: list[float] = field(default_factory=list)
    save_s: list[float] = field(default_factory=list)


def served_apps(folder: Path, claims: int, clients: int) -> tuple[list[Served], list[int]]:
    """Every app's database, built before any timing, how gunicorn serves each, and the
    claim ids they share."""
    articles = -(-2 * claims // SENTENCES)
    annotator = build_annotator(folder, articles)
    with annotator.app_context():
        for number in range(1, clients + 1):
            create_user(f"reviewer{number}", PASSWORD, "reviewer", None)
        db.session.commit()
    rows = claim_rows(annotator)
    first = logged_in(annotator).get(f"/claims/{rows[0][0]}")
    page_bytes = len(first.get_data())
    with annotator.app_context():
        db.engine.dispose()
    apps = reference_apps_served(folder, rows, page_bytes)
    database = annotator.config["SQLALCHEMY_DATABASE_URI"]
    apps.append(Served("annotator", ["--chdir", str(ROOT), "annotator:create_app()"],
                       clean_environment(DATABASE_URL=database, SECRET_KEY="bench-served"),
                       "/login"))
    return apps, [row[0] for row in rows]


def browser(base: str, app: str, username: str) -> requests.Session:
    """A client of ``app`` that opens a new connection for every request, logged in as
    ``username`` (the stack's one user, whatever the name; bare Flask has no login)."""
    session = requests.Session()
    session.headers["Connection"] = "close"
    if app != "bare":
        page = checked(session.get(base + "/login", timeout=TIMEOUT_SECONDS), 200, "/login")
        form = {**hidden_inputs(page.text, "/login"), "username": username,
                "password": PASSWORD}
        checked(session.post(base + "/login", data=form, allow_redirects=False,
                             timeout=TIMEOUT_SECONDS), 302, "POST /login")
    return session


def checked(response: requests.Response, status: int, what: str) -> requests.Response:
    """A benchmark of error pages measures nothing: stop at the first unexpected answer."""
    if response.status_code != status:
        raise SystemExit(f"{what} answered {response.status_code}, expected {status}:\n"
                         f"{response.text[:500]}")
    return response


def judge(session: requests.Session, base: str, claim_id: int, judged: Judged,
          app: str) -> None:
    """GET the claim page, POST its form as a browser would; time both. (Bare Flask's
    form has no CSRF token, nor anything else hidden.)"""
    path = f"/claims/{claim_id}"
    started = time.perf_counter()
    page = checked(session.get(base + path, timeout=TIMEOUT_SECONDS), 200, f"GET {path}")
    hidden = hidden_inputs(page.text, path) if app != "bare" else {}
    sent = time.perf_counter()
    answer = session.post(base + path, data={**hidden, **VERDICT},
                          allow_redirects=False, timeout=TIMEOUT_SECONDS)
    done = time.perf_counter()
    checked(answer, 302, f"POST {path}")
    judged.page_s.append(sent - started)
    judged.save_s.append(done - sent)
    judged.saved += 1


def cpu_seconds(server_pid: int) -> float:
    """User and system CPU the server's master and workers have used so far (Linux)."""
    ticks = 0
    for pid in process_tree(server_pid):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def judged_by_one(base: str, app: str, claim_ids: list[int], server_pid: int) -> Judged:
    """One client, claim after claim; with the server's CPU over the run, which varies
    less with the rest of the machine's load than the times the client sees."""
    session, judged = browser(base, app, "reviewer"), Judged()
    cpu_before, started = cpu_seconds(server_pid), time.perf_counter()
    for claim_id in claim_ids:
        judge(session, base, claim_id, judged, app)
    judged.seconds = time.perf_counter() - started
    judged.server_cpu_s = cpu_seconds(server_pid) - cpu_before
    return judged


def judged_by_many(base: str, app: str, claim_ids: list[int], clients: int) -> Judged:
    """``clients`` threads, each a reviewer of its own, taking the next claim in turn."""
    sessions = [browser(base, app, f"reviewer{number}") for number in range(1, clients + 1)]
    judged, lock = Judged(), threading.Lock()
    waiting: Iterator[int] = iter(claim_ids)

    def next_claim() -> int | None:
        with lock:
            return next(waiting, None)

    def work(session: requests.Session) -> None:
        mine = Judged()
        while (claim_id := next_claim()) is not None:
            judge(session, base, claim_id, mine, app)
        with lock:
            judged.saved += mine.saved

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(work, sessions))
    judged.seconds = time.perf_counter() - started
    return judged


def figures(one: Judged, many: Judged) -> dict[str, float]:
    return {"saved_by_one_client": one.saved, "saved_by_all_clients": many.saved,
            "page_ms": statistics.median(one.page_s) * 1000,
            "save_ms": statistics.median(one.save_s) * 1000,
            "server_cpu_ms_per_verdict": one.server_cpu_s / one.saved * 1000,
            "saves_per_s_one_client": one.saved / one.seconds,
            "saves_per_s_all_clients": many.saved / many.seconds}


ROWS: tuple[tuple[str, str, Callable[[float], str]], ...] = (
    ("claim page, median ms (1 client)", "page_ms", "{:.2f}".format),
    ("save (POST), median ms (1 client)", "save_ms", "{:.2f}".format),
    ("server CPU per verdict (page and save), ms (1 client)", "server_cpu_ms_per_verdict",
     "{:.2f}".format),
    ("verdicts saved/s, 1 client", "saves_per_s_one_client", "{:.1f}".format),
    ("verdicts saved/s, {clients} clients at once", "saves_per_s_all_clients", "{:.1f}".format),
)


def print_table(results: dict[str, dict[str, float]], clients: int) -> None:
    print("| figure | bare Flask | the stack alone | annotator | stack ÷ bare "
          "| annotator ÷ bare | annotator ÷ stack |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, key, shown in ROWS:
        bare, stack, ours = (results[app][key] for app in APPS)
        print(f"| {label.format(clients=clients)} | {shown(bare)} | {shown(stack)} "
              f"| {shown(ours)} | {stack / bare:.2f}x | {ours / bare:.2f}x "
              f"| {ours / stack:.2f}x |")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000,
                        help="claims judged by one client, and as many by all (>= 2)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (>= 1)")
    parser.add_argument("--clients", type=int, default=8, help="clients at once (>= 2)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.claims < 2 or args.workers < 1 or args.clients < 2:
        parser.error("--claims and --clients must be at least 2, --workers at least 1")
    return args


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as name:
        apps, claim_ids = served_apps(Path(name), args.claims, args.clients)
        alone, together = claim_ids[:args.claims], claim_ids[args.claims:2 * args.claims]
        results = {}
        for app in apps:
            with serving(app, args.workers) as (base, _cold_start, server_pid):
                one = judged_by_one(base, app.name, alone, server_pid)
                many = judged_by_many(base, app.name, together, args.clients)
            results[app.name] = figures(one, many)
    print(f"Served by gunicorn, {args.workers} sync workers; {args.claims} claims judged by "
          f"one client, then {args.claims} by {args.clients} at once (a new connection per "
          "request)\n")
    print_table(results, args.clients)
    if args.json:
        args.json.write_text(json.dumps({"claims": args.claims, "workers": args.workers,
                                         "clients": args.clients, "served": results}, indent=2))


if __name__ == "__main__":
    main()
