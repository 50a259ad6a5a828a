"""The claim page and the save over HTTP, as the peer harness drives them, for annotator
beside bare Flask and beside its libraries alone, served the same way in one run.

    .venv/bin/python benchmarks/bench_served.py [--claims 1000] [--workers 5] [--clients 8]
                                                [--json PATH]

Each app runs under gunicorn with ``--workers`` sync workers on 127.0.0.1 (``bench_start``'s
way of serving them), on a database of its own holding the same claims: annotator's
imported by its own service (articles of 50 sentences), the reference apps'
(``reference_apps.py``) with the same ids, articles and texts, their pages padded to
annotator's claim page's size. Once every worker has booted, a few verdicts are saved
untimed (each worker's first requests build its statements and compile its templates).
Then, as ``../shared/peers`` does (``requests``, a new TCP connection per request): one
client judges ``--claims`` claims one after the other (GET the claim page, POST its form
with the hidden inputs the page holds, csrf_token and version; a redirect to a claim or an
article counts as saved, any other answer stops the run); then ``--clients`` clients, each
logged in as a reviewer of its own, judge ``--claims`` more at once. The apps take their
turns in one run.

The table: with one client, the median page (the GET alone) and save (the POST alone) and
the server's CPU per verdict (its master's and workers' CPU over the run, from
``/proc/<pid>/schedstat``, divided by the verdicts: it moves less with the machine's other
load than the times the client sees); verdicts saved per second with one client and with
all; for bare Flask (one SQLite read per page, one insert per save), the stack alone
(Flask-SQLAlchemy, Flask-Login and CSRF doing the least a logged-in page and save can do)
and annotator; then the stack's and annotator's figures as multiples of bare Flask's, and
annotator's as multiples of the stack's (a time: times as long; a rate: that share of the
rate).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from bench_requests import PASSWORD, SENTENCES, build_annotator, claim_rows, logged_in
from bench_start import (
    Served,
    annotator_served,
    process_tree,
    reference_apps_served,
    serving,
    settled_memory,
)

from annotator.extensions import db
from annotator.services.accounts import create_user

ROOT = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(ROOT / "tests"))
from annotator_testkit.forms import forms_in  # noqa: E402

APPS = ("bare", "stack", "annotator")
VERDICT = {"verdict": "supported", "source_note": "Annual report of the ministry, page 12.",
           "source_url": ""}
TIMEOUT_SECONDS = 60
WARM_UP_PER_WORKER = 4  # untimed verdicts per worker before the timed ones


@dataclass
class Judged:
    """What one phase of judging measured."""

    seconds: float = 0.0
    saved: int = 0
    server_cpu_s: float = 0.0
    page_s: list[float] = field(default_factory=list)
    save_s: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Claims:
    """The claim ids of each phase: the untimed warm-up, one client, all clients."""

    warm_up: list[int]
    alone: list[int]
    together: list[int]


def served_apps(folder: Path, claims: int, clients: int,
                warm_up: int) -> tuple[list[Served], Claims]:
    """Every app's database, built before any timing, how gunicorn serves each, and the
    claims of each phase (the same ids in every app)."""
    needed = warm_up + 2 * claims
    annotator = build_annotator(folder, math.ceil(needed / SENTENCES))
    with annotator.app_context():
        for number in range(1, clients + 1):
            create_user(f"reviewer{number}", PASSWORD, "reviewer", None)
        db.session.commit()
    rows = claim_rows(annotator)
    if len(rows) < needed:
        raise SystemExit(f"the articles gave {len(rows)} claims, {needed} are needed")
    first = logged_in(annotator).get(f"/claims/{rows[0][0]}")
    page_bytes = len(first.get_data())
    with annotator.app_context():
        db.engine.dispose()
    apps = reference_apps_served(folder, rows, page_bytes)
    apps.append(annotator_served(
        "annotator", folder / "annotator", [], FLASK_SEED_ON_START="false",
        DATABASE_URL=annotator.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="bench-served"))
    ids = [row[0] for row in rows]
    return apps, Claims(ids[:warm_up], ids[warm_up:warm_up + claims],
                        ids[warm_up + claims:needed])


def browser(base: str, app: str, username: str) -> requests.Session:
    """A client of ``app`` that opens a new connection for every request, logged in as
    ``username`` (the stack's one user, whatever the name; bare Flask has no login)."""
    session = requests.Session()
    session.headers["Connection"] = "close"
    if app != "bare":
        page = checked(session.get(base + "/login", timeout=TIMEOUT_SECONDS), 200, "/login")
        form = {**hidden_fields(page.text, "/login"), "username": username,
                "password": PASSWORD}
        checked(session.post(base + "/login", data=form, allow_redirects=False,
                             timeout=TIMEOUT_SECONDS), 302, "POST /login")
    return session


def checked(response: requests.Response, status: int, what: str) -> requests.Response:
    """A benchmark of error pages measures nothing: stop at the first unexpected answer
    (``serving`` then shows the end of the server's log)."""
    if response.status_code != status:
        raise RuntimeError(f"{what} answered {response.status_code}, expected {status}")
    return response


def hidden_fields(page: str, path: str) -> dict[str, str]:
    """The hidden inputs of the page's form posting to ``path``, parsed alike for every app
    (bare Flask's form has none)."""
    for form in forms_in(page):
        if form.method == "post" and urlsplit(form.action).path == path:
            return form.hidden()
    raise RuntimeError(f"no form posting to {path} in the page")


def judge(session: requests.Session, base: str, claim_id: int, judged: Judged) -> None:
    """GET the claim page, POST its form as a browser would; time each request alone."""
    path = f"/claims/{claim_id}"
    started = time.perf_counter()
    page = session.get(base + path, timeout=TIMEOUT_SECONDS)
    judged.page_s.append(time.perf_counter() - started)
    form = {**hidden_fields(checked(page, 200, f"GET {path}").text, path), **VERDICT}
    started = time.perf_counter()
    answer = session.post(base + path, data=form, allow_redirects=False,
                          timeout=TIMEOUT_SECONDS)
    judged.save_s.append(time.perf_counter() - started)
    # Saved: the redirect to the next claim (or to the article when none is left). A form
    # sent back, the login page or a claim closed meanwhile saved nothing.
    target = urlsplit(checked(answer, 302, f"POST {path}").headers.get("Location", "")).path
    if not target.startswith(("/claims/", "/articles/")):
        raise RuntimeError(f"POST {path} sent the client to {target!r}")
    judged.saved += 1


def cpu_seconds(server_pid: int) -> float:
    """The CPU the server's master and workers have used so far, to the nanosecond
    (Linux's scheduler statistics; the clock ticks of /proc/<pid>/stat are 10 ms)."""
    return sum(int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
               for pid in process_tree(server_pid)) / 1e9


def judged_by_one(base: str, app: str, claim_ids: list[int], server_pid: int) -> Judged:
    """One client, claim after claim, with the server's CPU over the run."""
    session, judged = browser(base, app, "reviewer"), Judged()
    cpu_before, started = cpu_seconds(server_pid), time.perf_counter()
    for claim_id in claim_ids:
        judge(session, base, claim_id, judged)
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
            judge(session, base, claim_id, mine)
        with lock:
            judged.saved += mine.saved

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(work, sessions))
    judged.seconds = time.perf_counter() - started
    return judged


def measured(app: Served, claims: Claims, workers: int, clients: int) -> dict[str, float]:
    """Serve ``app``, let every worker boot and warm up, then time both phases."""
    with serving(app, workers) as (base, _cold_start, server_pid):
        settled_memory(server_pid)  # returns once every worker has booted
        judged_by_one(base, app.name, claims.warm_up, server_pid)
        one = judged_by_one(base, app.name, claims.alone, server_pid)
        many = judged_by_many(base, app.name, claims.together, clients)
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


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "n/a"


def print_table(results: dict[str, dict[str, float]], clients: int) -> None:
    print("| figure | bare Flask | the stack alone | annotator | stack ÷ bare "
          "| annotator ÷ bare | annotator ÷ stack |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, key, shown in ROWS:
        bare, stack, ours = (results[app][key] for app in APPS)
        print(f"| {label.format(clients=clients)} | {shown(bare)} | {shown(stack)} "
              f"| {shown(ours)} | {ratio(stack, bare)} | {ratio(ours, bare)} "
              f"| {ratio(ours, stack)} |")


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
        apps, claims = served_apps(Path(name), args.claims, args.clients,
                                   WARM_UP_PER_WORKER * args.workers)
        results = {app.name: measured(app, claims, args.workers, args.clients)
                   for app in apps}
    print(f"Served by gunicorn, {args.workers} sync workers; {args.claims} claims judged by "
          f"one client, then {args.claims} by {args.clients} at once (a new connection per "
          "request)\n")
    print_table(results, args.clients)
    if args.json:
        args.json.write_text(json.dumps({"claims": args.claims, "workers": args.workers,
                                         "clients": args.clients, "served": results}, indent=2))


if __name__ == "__main__":
    main()
