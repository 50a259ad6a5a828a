"""Where the CPU time of annotator's hottest requests goes, against what its libraries cost.

    .venv/bin/python benchmarks/bench_requests.py [--n 300] [--articles 30] [--json PATH]

One process, Flask's test client, three apps on their own temporary SQLite databases with
the same synthetic articles (``--articles`` of 50 sentences, imported by annotator's service):
the two reference apps of ``reference_apps.py``, bare Flask (one row read rendered into a
page padded to annotator's claim page's size; a POST inserts one row) and the stack alone
(Flask-SQLAlchemy, Flask-Login and CSRF doing the least a logged-in page and save can do:
the floor of annotator's libraries before any of its own work), and annotator, logged in
through its login form.

First table: CPU per request (``time.process_time``, median and p90 of ``--n`` after a
warm-up) of the claim page (a claim the reviewer has not judged), a save (a POST as a
browser sends it, csrf_token and version from the page's form, each on another unjudged
claim; the GET for the form untimed), and annotator's GET /queue and GET / (Articles),
with annotator's times as multiples of both floors.

Second table: where annotator's page and save spend it, from cProfile over ``--n`` more
requests, each group at its entry point so nothing counts twice: SQLAlchemy (Session
execute/scalar/scalars/get/flush/commit called from annotator's code, the user loader's
excepted), Jinja (``render_template``), Flask-Login (``_load_user``), CSRF (``protect``,
``generate_csrf`` outside templates), the session cookie (``open_session``,
``save_session``) and the rest; then, overlapping those, the time inside SQLite, in
WTForms and in annotator's own functions. cProfile inflates Python-heavy parts (its cost
per call outweighs many calls) and times by the wall clock (SQLite's share holds the
commit's wait for the disk): the shares are indicative, the first table's times are the
figures.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from reference_apps import bare_app, build_bare
from reference_stack import build_stack, stack_app

ROOT = Path(__file__).resolve().parent.parent
# The test support package reads forms out of a page as a browser does; reuse it.
sys.path.insert(0, str(ROOT / "tests"))

from annotator_testkit.forms import hidden_inputs  # noqa: E402

from annotator import create_app  # noqa: E402
from annotator.extensions import db  # noqa: E402
from annotator.models import Article, Claim  # noqa: E402
from annotator.services.accounts import create_user  # noqa: E402
from annotator.services.article_import import import_blobs  # noqa: E402

PASSWORD = "benchmark-password"
WARM_UP = 20
SENTENCES = 50
SAVE = {"verdict": "supported", "source_note": "Annual report of the ministry, page 12."}
APPS = ("bare", "stack", "annotator")
# Where the imported package lives (an installed checkout may be another folder than this).
ANNOTATOR_DIR = str(Path(create_app.__code__.co_filename).parent)

# --- annotator ---------------------------------------------------------------------------

def article_file(number: int) -> tuple[str, bytes]:
    """A synthetic article: a title line, then sentences a splitter cuts one per claim."""
    lines = [f"title: Synthetic article {number}", ""]
    lines += [f"The ministry said spending on roads rose by {i % 97}% in {1990 + i % 30}, "
              f"according to report {number}-{i}." for i in range(SENTENCES)]
    return f"synthetic-{number}.txt", "\n".join(lines).encode()


def build_annotator(folder: Path, articles: int) -> Flask:
    """annotator as it runs (CSRF on), with one reviewer and the articles imported by its
    own service, so the claims are cut, hinted and stored as in production."""
    instance = folder / "annotator"
    # The database named here, not one a DATABASE_URL in the shell would name.
    app = create_app({"SEED_ON_START": False, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'annotator.sqlite'}"},
                     instance_path=str(instance))
    with app.app_context():
        create_user("reviewer", PASSWORD, "reviewer", None)
        report = import_blobs((article_file(a) for a in range(articles)), None)
        if report.refused:
            raise SystemExit(f"the synthetic articles were refused: {report.refused}")
        db.session.commit()
    return app


def claim_rows(app: Flask) -> list[tuple[int, str, str, str]]:
    """Every claim as (id, article title, article body, claim text), for the reference apps."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            sa.select(Claim.id, Article.title, Article.body, Claim.text)
            .join(Claim.article).order_by(Claim.id))]


def logged_in(app: Flask, username: str = "reviewer"):
    """A test client logged in through the app's login form, its CSRF token included."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    data = {**hidden_inputs(page, "/login"), "username": username, "password": PASSWORD}
    expect(client.post("/login", data=data), 302, "/login")
    return client


def expect(response, status: int, what: str) -> None:
    """A benchmark of error pages measures nothing: stop at the first unexpected answer."""
    response.close()
    if response.status_code != status:
        raise SystemExit(f"{what} answered {response.status_code}, expected {status}")


# --- measuring ---------------------------------------------------------------------------

Sends = dict[str, tuple[Callable[[object], None], list, Callable[[], None] | None]]


def cpu_ms(sends: Sends) -> dict[str, dict]:
    """Median and p90 CPU milliseconds of each app's ``send(item)`` over its items (then
    its untimed ``after()``, if any), the first WARM_UP untimed. The apps take turns request
    by request, so a burst of load from elsewhere on the machine falls on all alike."""
    times: dict[str, list[float]] = {name: [] for name in sends}
    for i in range(min(len(items) for _, items, _ in sends.values())):
        for name, (send, items, after) in sends.items():
            start = time.process_time()
            send(items[i])
            if i >= WARM_UP:
                times[name].append((time.process_time() - start) * 1000)
            if after:
                after()
    return {name: {"median_ms": statistics.median(values),
                   "p90_ms": statistics.quantiles(values, n=10)[-1]}
            for name, values in times.items()}


def getter(client, status: int, path: str | None = None) -> Callable[[object], None]:
    """Send GET ``path`` (or /claims/<item>); the answer must have ``status``."""
    def send(claim_id) -> None:
        url = path or f"/claims/{claim_id}"
        expect(client.get(url), status, f"GET {url}")
    return send


def prepared_saves(client, claim_ids: Iterable[int], needs_form: bool) -> list:
    """(url, form data) for each claim: the page's hidden inputs (csrf_token, version) as a
    browser would post them, read by an untimed GET."""
    saves = []
    for claim_id in claim_ids:
        url = f"/claims/{claim_id}"
        hidden = (hidden_inputs(client.get(url).get_data(as_text=True), url)
                  if needs_form else {})
        saves.append((url, {**hidden, **SAVE}))
    return saves


def read_flashes(client) -> Callable[[], None]:
    """What the page after a save does in a browser: show, and so remove, the flashed
    messages. The test client follows no redirect, and unread messages would pile up in
    the session cookie, so that every later request reads and signs a bigger one."""
    def read() -> None:
        with client.session_transaction() as session:
            session.pop("_flashes", None)
    return read


def poster(client) -> Callable[[object], None]:
    """Send a prepared save; it must redirect (a refused form would be a 200 page)."""
    def send(save) -> None:
        url, data = save
        expect(client.post(url, data=data), 302, f"POST {url}")
    return send


# --- where the time goes -----------------------------------------------------------------

SESSION_METHODS = {"execute", "scalar", "scalars", "get", "flush", "commit"}
SESSION_FILES = ("sqlalchemy/orm/session.py", "sqlalchemy/orm/scoping.py")
# Callers whose Session calls count: annotator's code, and Flask-SQLAlchemy's get_or_404.
SQL_CALLERS = (ANNOTATOR_DIR, "flask_sqlalchemy/extension.py")
REST = "the rest (Flask, Werkzeug, the test client, annotator's Python)"


def profiled(send: Callable[[object], None], items: Iterable,
             after: Callable[[], None] | None = None) -> pstats.Stats:
    """cProfile over the requests only (their preparation and ``after()`` left out)."""
    profiler = cProfile.Profile()
    for item in items:
        profiler.enable()
        send(item)
        profiler.disable()
        if after:
            after()
    return pstats.Stats(profiler)


class Calls:
    """The profile's call graph: cumulative seconds of chosen functions, summed over the
    calls into them from chosen callers."""

    def __init__(self, stats: pstats.Stats):
        self.entries = stats.stats  # (file, line, name) -> (cc, nc, tt, ct, {caller: edge})
        self.total = stats.total_tt

    def find(self, files: tuple[str, ...], names: set[str]) -> list[tuple]:
        return [key for key in self.entries if key[0].endswith(files) and key[2] in names]

    def seconds(self, keys: list[tuple], counts: Callable[[tuple], bool] = bool) -> float:
        return sum(edge[3] for key in keys for caller, edge in self.entries[key][4].items()
                   if counts(caller))


def where_time_goes(calls: Calls) -> dict[str, float]:
    """Seconds per group, each summed over the calls into its entry points."""
    load_user = calls.find(("flask_login/login_manager.py",), {"_load_user"})
    # The user loader's own statements count as Flask-Login's.
    loaders = {key for key, entry in calls.entries.items() if set(entry[4]) & set(load_user)}
    return {
        "SQLAlchemy (annotator's statements)": calls.seconds(
            calls.find(SESSION_FILES, SESSION_METHODS),
            lambda caller: caller[0].startswith(SQL_CALLERS) and caller not in loaders),
        "Jinja templates": calls.seconds(calls.find(("flask/templating.py",),
                                                    {"render_template"})),
        "Flask-Login user loading": calls.seconds(load_user),
        "CSRF": calls.seconds(calls.find(("flask_wtf/csrf.py",), {"protect"})) + calls.seconds(
            calls.find(("flask_wtf/csrf.py",), {"generate_csrf"}),
            lambda caller: not caller[0].endswith(".html") and caller[0] != "<template>"),
        "session cookie": calls.seconds(calls.find(("flask/sessions.py",),
                                                   {"open_session", "save_session"})),
    }


def breakdown(stats: pstats.Stats, requests: int) -> dict[str, dict[str, float]]:
    """Each group's share of the profiled request and its profiled milliseconds per request;
    then three "of all" lines, which overlap the groups (they are not part of the sum)."""
    calls = Calls(stats)
    groups = where_time_goes(calls)
    groups[REST] = calls.total - sum(groups.values())
    groups["… of all: inside SQLite (statements, commits)"] = sum(
        entry[3] for key, entry in calls.entries.items() if key[0] == "~" and "sqlite3." in key[2])
    groups["… of all: WTForms, building and validating the form"] = calls.seconds(
        calls.find(("wtforms/form.py",), {"__call__", "validate"}),
        lambda caller: not caller[0].endswith("wtforms/form.py"))
    groups["… of all: annotator's own functions (their own time)"] = sum(
        entry[2] for key, entry in calls.entries.items() if key[0].startswith(ANNOTATOR_DIR)
        and key[0].endswith(".py"))
    return {group: {"share": value / calls.total, "ms": value / requests * 1000}
            for group, value in groups.items()}


# --- the run -----------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="timed requests per figure (>= 2)")
    parser.add_argument("--articles", type=int, default=30, help="articles of 50 claims")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.n < 2:
        parser.error("--n must be at least 2 (a p90 needs two times)")
    return args


def measure(clients: dict, page_ids: list[int], save_ids: list[int]) -> dict[str, dict]:
    """The first table: CPU per request for each app."""
    annotator, calls = clients["annotator"], range(len(page_ids))
    return {
        "GET claim page": cpu_ms({name: (getter(client, 200), page_ids, None)
                                  for name, client in clients.items()}),
        "POST save": cpu_ms({name: (poster(client), prepared_saves(
            client, save_ids, needs_form=name != "bare"), read_flashes(client))
            for name, client in clients.items()}),
        "GET /queue": cpu_ms({"annotator": (getter(annotator, 302, "/queue"), calls, None)}),
        "GET / (Articles)": cpu_ms({"annotator": (getter(annotator, 200, "/"), calls, None)}),
    }


def print_times(results: dict[str, dict]) -> None:
    print("| request | bare Flask ms | the stack alone ms | annotator ms "
          "| annotator ÷ stack | annotator ÷ bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for request_name, by_app in results.items():
        cells = [f"{by_app[name]['median_ms']:.2f} (p90 {by_app[name]['p90_ms']:.2f})"
                 if name in by_app else "" for name in APPS]
        ours = by_app["annotator"]["median_ms"]
        ratios = [f"{ours / by_app[name]['median_ms']:.1f}x" if name in by_app else ""
                  for name in ("stack", "bare")]
        print(f"| {request_name} | " + " | ".join(cells + ratios) + " |")


def print_profile(profile: dict[str, dict]) -> None:
    names = list(profile)
    print("| group | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for group in next(iter(profile.values())):
        cells = [f"{profile[name][group]['share']:.0%} ({profile[name][group]['ms']:.2f})"
                 for name in names]
        print(f"| {group} | " + " | ".join(cells) + " |")


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        app = build_annotator(folder, args.articles)
        rows = claim_rows(app)
        ids, timed = [row[0] for row in rows], WARM_UP + args.n
        if len(ids) <= timed + args.n:
            raise SystemExit(f"{len(ids)} claims are too few for --n {args.n}: "
                             "give more --articles")
        # Saves take the first claims, one each; the claim pages are the others, never judged.
        save_ids, profile_ids = ids[:timed], ids[timed:timed + args.n]
        page_ids = list(itertools.islice(itertools.cycle(ids[timed + args.n:]), timed))
        client = logged_in(app)
        page_bytes = len(client.get(f"/claims/{page_ids[0]}").get_data())
        build_bare(folder / "bare.db", rows)
        build_stack(folder / "stack.db", rows)
        clients = {"bare": bare_app(folder / "bare.db", page_bytes).test_client(),
                   "stack": logged_in(stack_app(folder / "stack.db", page_bytes)),
                   "annotator": client}
        results = measure(clients, page_ids, save_ids)
        saves = prepared_saves(client, profile_ids, needs_form=True)
        profile = {"GET claim page": breakdown(
                       profiled(getter(client, 200), page_ids[WARM_UP:]), args.n),
                   "POST save": breakdown(
                       profiled(poster(client), saves, read_flashes(client)), args.n)}
        with app.app_context():
            db.engine.dispose()
    print(f"CPU per request, ms: median (p90) of {args.n} after {WARM_UP} warm-up requests; "
          f"{len(ids)} claims in {args.articles} articles; claim page {page_bytes} bytes\n")
    print_times(results)
    print(f"\nWhere annotator's time goes: cProfile over {args.n} requests each; share of the "
          "profiled request (profiled ms per request), indicative only\n")
    print_profile(profile)
    if args.json:
        args.json.write_text(json.dumps({
            "n": args.n, "articles": args.articles, "claims": len(ids),
            "page_bytes": page_bytes, "requests": results, "profile": profile}, indent=2))


if __name__ == "__main__":
    main()
