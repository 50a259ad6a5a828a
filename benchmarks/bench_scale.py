"""Scale benchmark (issue 12, goal 5): do page and save costs stay flat as the data grows?

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1000,10000] [--repeat 30]
        [--export-repeat 2] [--explain] [--database-url URL] [--keep]

For each size N (articles) it builds a fresh database from the app's own migrations and
fills it with bulk inserts (SQLAlchemy Core ``insert()``, executemany in chunks):

- N articles of 10 claims (1% hidden; one article in 500 archived) with their hints;
- 21 accounts: an admin and 20 reviewers;
- one verdict per claim with its VerdictRevision: the busy reviewer (``reviewer00``)
  wrote the verdicts on the first 10% of the claims (so their queue has to look past
  them), the other 19 share the rest; a second verdict on every tenth claim (60% agree,
  40% disagree: unanimous and split claims for the desk); moderation 55% pending, 35%
  approved, 10% rejected (none of the busy reviewer's rejected, so the queue measure
  is the normal queue, not the rejected run); 0.5% marked to re-check;
- a final verdict (with its revision) on 20% of the claims.

So 100,000 articles hold a million claims, 1.1 million verdicts and as many revisions.
Building takes about 2 s at 1,000 articles, 15 s at 10,000 and 3 minutes at 100,000 on
SQLite (a busy 2-core machine); the measures take a minute or two per size, most of it
the CSV export.

Then, through Flask's test client, with CSRF on and logged in as a browser would be, it
times each measure ``--repeat`` times (median and p95, milliseconds) and counts the SQL
statements one request runs (an N+1 shows as a count that grows with the data):

- the claim page, GET /claims/<id>, claims spread over the whole range;
- the queue's next claim, GET /queue, as the busy reviewer;
- the Articles page, GET /: first page, a page in the middle, sorted by article date,
  and an admin's first page (the team's progress);
- the desk, GET /admin/desk: first page and filtered by state;
- the Progress page, GET /progress, as an admin (every reviewer's row);
- one save, POST /claims/<id> with the form's csrf_token and version, on claims spread
  over the range (the GET that fetches the form is not timed);
- the verdict CSV export, GET /export/verdicts.csv read to its end: seconds, rows, and
  the peak Python memory while streaming it (tracemalloc, in a separate untimed run).

It prints one markdown table: a row per figure, a column per size, and the ratio of the
largest size to the smallest. Flat means a ratio near 1 for pages and saves; the export
should grow with the rows while its peak memory stays put.

``--explain`` prints, at the largest size, the query plan of every statement behind one
request of each measure (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL), marking
full scans: a "SCAN claim" is what an index should remove.

``--database-url`` runs on another database (e.g. PostgreSQL): give a throwaway one, as
everything in it is dropped before each size is built. Without it each size gets a
SQLite file in a temporary folder, removed at the end unless ``--keep``. SQLite is not
ANALYZEd (a real installation is not); PostgreSQL is, as its autovacuum would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
# The test support package reads forms out of a page as a browser does; reuse it.
sys.path.insert(0, str(ROOT / "tests"))

from annotator_testkit.forms import hidden_inputs  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from annotator import create_app  # noqa: E402
from annotator.extensions import db  # noqa: E402
from annotator.models import (  # noqa: E402
    Article,
    Claim,
    FinalVerdict,
    FinalVerdictRevision,
    SiteState,
    User,
    Verdict,
    VerdictRevision,
)
from annotator.services import desk_ranks, progress_tallies, queue_frontier  # noqa: E402

PASSWORD = "benchmark-password"
REVIEWERS = 20
CLAIMS_PER_ARTICLE = 10
CHUNK = 20_000
LABELS = ("supported", "disputed", "unclear")
BASE_TIME = dt.datetime(2026, 1, 1, 8, 0, 0)
SAVER, READER, BUSY = "reviewer05", "reviewer03", "reviewer00"


# --- the data --------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """Who wrote what, as a pure function of the claim's index: the fill and the choice of
    claims to measure on agree without asking the database."""

    articles: int

    @property
    def claims(self) -> int:
        return self.articles * CLAIMS_PER_ARTICLE

    def first_author(self, c: int) -> int:
        """Index of the reviewer of claim ``c``'s first verdict (0 is the busy one)."""
        return 0 if c < self.claims // 10 else 1 + c % (REVIEWERS - 1)

    @staticmethod
    def second_author(c: int) -> int | None:
        return 1 + (c + 7) % (REVIEWERS - 1) if c % 10 == 3 else None

    @staticmethod
    def hidden(c: int) -> bool:
        return c % 100 == 99

    @staticmethod
    def archived(a: int) -> bool:
        return a % 500 == 250

    @staticmethod
    def decided(c: int) -> bool:
        return c % 5 == 0

    def spread(self, count: int, usable: Callable[[int], bool]) -> list[int]:
        """About ``count`` claim indexes spread evenly over the whole range."""
        step = max(1, self.claims // count)
        picked = []
        for start in range(0, self.claims, step):
            c = next((c for c in range(start, min(start + step, self.claims)) if usable(c)),
                     None)
            if c is not None:
                picked.append(c)
        return picked[:count]

    def live(self, c: int) -> bool:
        return not self.hidden(c) and not self.archived(c // CLAIMS_PER_ARTICLE)


def sentences(a: int) -> list[str]:
    """The 10 sentences of article ``a``: varied numbers, a quotation, a speaker."""
    return [
        f"The ministry said spending in region {a % 97} rose by {p * 3 + a % 11}% in "
        f"{1990 + (a + p) % 30}." if p % 3 == 0 else
        f"\u201cWe will build {p + a % 50} schools,\u201d the mayor of town {a} told reporters."
        if p % 3 == 1 else
        f"Prices for item {a}-{p} fell to ${(a * 7 + p) % 900 + 10} last March, the agency said."
        for p in range(CLAIMS_PER_ARTICLE)
    ]


def _insert(connection, model, rows: Iterator[dict]) -> int:
    """Insert ``rows`` into ``model``'s table in chunks; the number inserted."""
    table, batch, count = model.__table__, [], 0
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            connection.execute(table.insert(), batch)
            count, batch = count + len(batch), []
    if batch:
        connection.execute(table.insert(), batch)
    return count + len(batch)


def _accounts() -> Iterator[dict]:
    hashed = generate_password_hash(PASSWORD)  # one hash for all: scrypt is slow on purpose
    names = ["admin"] + [f"reviewer{i:02d}" for i in range(REVIEWERS)]
    for i, name in enumerate(names, start=1):
        yield {"id": i, "username": name, "username_key": name, "password_hash": hashed,
               "role": "admin" if i == 1 else "reviewer", "is_active": True,
               "session_token": f"{i:032x}", "must_change_password": False,
               "created_at": BASE_TIME}


def reviewer_id(index: int) -> int:
    return index + 2  # account 1 is the admin


def _articles(layout: Layout) -> Iterator[dict]:
    for a in range(layout.articles):
        yield {"id": a + 1, "title": f"Synthetic article {a}: spending, schools and prices",
               "source": f"synthetic-{a}.txt",
               "published_on": None if a % 7 == 0 else dt.date(2020, 1, 1)
               + dt.timedelta(days=(a * 37) % 2000),
               "body": " ".join(sentences(a)), "checksum": f"{a:064x}",
               "meta": {"source": f"Wire {a % 13}"}, "imported_by_id": 1,
               "created_at": BASE_TIME + dt.timedelta(seconds=a), "boundary_version": 1,
               "archived_at": BASE_TIME if layout.archived(a) else None}


def _claims(layout: Layout) -> Iterator[dict]:
    for a in range(layout.articles):
        offset = 0
        for p, text in enumerate(sentences(a)):
            c = a * CLAIMS_PER_ARTICLE + p
            yield {"id": c + 1, "article_id": a + 1, "position": p + 1,
                   "start_offset": offset, "end_offset": offset + len(text), "text": text,
                   "status": "hidden" if layout.hidden(c) else "open", "retired_at": None,
                   "is_quote": p % 3 == 1, "speaker": "the mayor" if p % 3 == 1 else None,
                   "has_number": True, "has_percent": p % 3 == 0, "has_money": p % 3 == 2,
                   "has_date": p % 3 != 1}
            offset += len(text) + 1


@dataclass
class _VerdictRows:
    """Each verdict and its one revision, from the same numbers."""

    layout: Layout
    rng: random.Random = field(default_factory=lambda: random.Random(12))
    revisions: list[dict] = field(default_factory=list)

    def all(self) -> Iterator[tuple[dict, dict]]:
        vid = 0
        for c in range(self.layout.claims):
            first = self.layout.first_author(c)
            label = LABELS[c % 3]
            vid += 1
            yield self._pair(vid, c, first, label, busy=first == 0)
            second = self.layout.second_author(c)
            if second is not None:
                vid += 1
                other = label if self.rng.random() < 0.6 else LABELS[(c + 1) % 3]
                yield self._pair(vid, c, second, other, busy=False)

    def _pair(self, vid: int, c: int, author: int, label: str, busy: bool):
        roll = self.rng.random()
        state = ("pending" if roll < 0.55 or (busy and roll >= 0.9) else
                 "approved" if roll < 0.9 else "rejected")
        when = BASE_TIME + dt.timedelta(seconds=vid)
        moderated = state != "pending"
        common = {"label": label, "source_note": f"Annual report {c}, table {vid % 40}.",
                  "source_url": f"https://stats.example.org/report/{c}" if vid % 3 else None,
                  "moderation_state": state, "moderated_by_id": 1 if moderated else None,
                  "moderated_at": when if moderated else None,
                  "moderation_reason": "Cite the table." if state == "rejected" else None}
        verdict = {"id": vid, "claim_id": c + 1, "reviewer_id": reviewer_id(author),
                   "version": 1, "needs_recheck": not busy and c % 200 == 7,
                   "moved_from_claim_id": None, "independent_version": 1,
                   "created_at": when, "updated_at": when, **common}
        revision = {"id": vid, "verdict_id": vid, "version": 1, "created_at": when,
                    "independent": True, **common}
        return verdict, revision


def _finals(layout: Layout) -> Iterator[dict]:
    fid = 0
    for c in range(layout.claims):
        if layout.decided(c):
            fid += 1
            yield {"id": fid, "claim_id": c + 1, "label": LABELS[c % 3],
                   "rationale": f"The report's table {c % 40} says so.",
                   "sources": [f"https://stats.example.org/report/{c}"],
                   "decided_by_id": 1, "decided_at": BASE_TIME + dt.timedelta(seconds=c),
                   "needs_recheck": c % 1000 == 5, "version": 1}


def _final_revisions(finals: Iterator[dict]) -> Iterator[dict]:
    for final in finals:
        yield {"id": final["id"], "final_verdict_id": final["id"], "version": 1,
               **{k: final[k] for k in ("label", "rationale", "sources", "decided_by_id",
                                        "decided_at")}}


def fill(app, layout: Layout) -> dict[str, int]:
    """Fill the empty, migrated database; the number of rows of each kind."""
    counts = {}
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(SiteState.__table__.insert(), [{"key": "setup",
                                                           "created_at": BASE_TIME}])
        counts["accounts"] = _insert(connection, User, _accounts())
        counts["articles"] = _insert(connection, Article, _articles(layout))
        counts["claims"] = _insert(connection, Claim, _claims(layout))
        pairs = _VerdictRows(layout)
        revisions: list[dict] = []

        def verdicts() -> Iterator[dict]:
            for verdict, revision in pairs.all():
                revisions.append(revision)
                yield verdict
                if len(revisions) >= CHUNK:
                    _insert(connection, VerdictRevision, iter(revisions))
                    revisions.clear()

        counts["verdicts"] = _insert(connection, Verdict, verdicts())
        _insert(connection, VerdictRevision, iter(revisions))
        counts["final verdicts"] = _insert(connection, FinalVerdict, _finals(layout))
        _insert(connection, FinalVerdictRevision, _final_revisions(_finals(layout)))
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("ANALYZE"))
    return counts


# --- the app and its clients -----------------------------------------------------------

def reset_database(url: str) -> None:
    """Drop everything in the throwaway database ``url`` (PostgreSQL: its public schema)."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("DROP SCHEMA public CASCADE"))
                connection.execute(sa.text("CREATE SCHEMA public"))
            else:
                meta = sa.MetaData()
                meta.reflect(connection)
                meta.drop_all(connection)
    finally:
        engine.dispose()


def make_app(url: str, folder: Path):
    """The app as it runs in production (CSRF on), on a schema built by its migrations."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SEED_ON_START": False,
                       "AUTO_MIGRATE": True, "RATELIMIT_ENABLED": False},
                      instance_path=str(folder))


def logged_in(app, username: str):
    """A test client logged in through the login form, its CSRF token included."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    data = {**hidden_inputs(page, "/login"), "username": username, "password": PASSWORD}
    response = client.post("/login", data=data)
    assert response.status_code == 302, (username, response.status_code)
    return client


class StatementLog:
    """Counts (and, when asked, keeps) the SQL statements the app's engine runs."""

    def __init__(self, engine):
        self.count = 0
        self.kept: list[tuple[str, object]] | None = None
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, executemany):
        self.count += 1
        if self.kept is not None and not executemany:
            self.kept.append((statement, parameters))

    @contextmanager
    def keeping(self) -> Iterator[list]:
        self.kept = []
        try:
            yield self.kept
        finally:
            self.kept = None


# --- the measures ----------------------------------------------------------------------

@dataclass
class Measure:
    """One request to time: ``request(i)`` sends the i-th (and returns the response);
    ``prepare(i)``, untimed, runs before it (fetching a form)."""

    name: str
    request: Callable[[int], object]
    expect: int = 200
    prepare: Callable[[int], object] | None = None


def measures(app, layout: Layout) -> list[Measure]:
    reader, busy, saver = (logged_in(app, name) for name in (READER, BUSY, SAVER))
    admin = logged_in(app, "admin")
    shown = [c + 1 for c in layout.spread(200, lambda c: True)]
    saver_index = int(SAVER[-2:])
    savable = [c + 1 for c in layout.spread(200, lambda c: layout.live(c) and saver_index
                                            not in (layout.first_author(c),
                                                    layout.second_author(c)))]
    middle = layout.articles // 2
    forms: dict[int, dict] = {}

    def fetch_form(i: int) -> None:
        claim_id = savable[i % len(savable)]
        page = saver.get(f"/claims/{claim_id}").get_data(as_text=True)
        forms[i] = hidden_inputs(page, f"/claims/{claim_id}")

    def save(i: int):
        data = {**forms.pop(i), "verdict": LABELS[i % 3],
                "source_note": f"Benchmark note {i}.", "source_url": ""}
        return saver.post(f"/claims/{savable[i % len(savable)]}", data=data)

    def change_at(place: queue_frontier.Frontier) -> Callable[[int], None]:
        """A committed change of the queue's epoch naming ``place``, as a split there
        writes it (the split's own work is not what is measured)."""
        def change(_i: int) -> None:
            with app.app_context():
                queue_frontier.new_epoch(db.session.connection(), place)
                db.session.commit()
        return change

    return [
        Measure("claim page", lambda i: reader.get(f"/claims/{shown[i % len(shown)]}")),
        Measure("queue: next claim", lambda i: busy.get("/queue"), expect=302),
        # The first look after a change that may put claims back in the queues: a split
        # in the newest article leaves the reviewer's frontier where it was; a restore
        # sends it to the first claim, and the look walks past every claim judged.
        Measure("queue: next claim, first look after a split in the newest article",
                lambda i: busy.get("/queue"), expect=302,
                prepare=change_at(queue_frontier.Frontier(layout.articles, 0))),
        Measure("queue: next claim, first look after a restore", lambda i: busy.get("/queue"),
                expect=302, prepare=change_at(queue_frontier.START)),
        Measure("Articles, first page", lambda i: reader.get("/")),
        Measure("Articles, middle page", lambda i: reader.get(f"/?after={middle}")),
        Measure("Articles, by article date", lambda i: reader.get("/?sort=published")),
        Measure("Articles, admin", lambda i: admin.get("/")),
        Measure("desk, first page", lambda i: admin.get("/admin/desk")),
        Measure("desk, split claims", lambda i: admin.get("/admin/desk?state=split")),
        Measure("Progress page, admin", lambda i: admin.get("/progress")),
        Measure("save (POST)", save, expect=302, prepare=fetch_form),
    ]


def timed(measure: Measure, repeat: int, log: StatementLog) -> tuple[list[float], int]:
    """Seconds per request, and the statements of the last one."""
    times, statements = [], 0
    for i in range(repeat):
        if measure.prepare:
            measure.prepare(i)
        before = log.count
        start = time.perf_counter()
        response = measure.request(i)
        times.append(time.perf_counter() - start)
        statements = log.count - before
        assert response.status_code == measure.expect, (measure.name, response.status_code)
    return times, statements


def export_run(client) -> tuple[float, int]:
    """Seconds to read the verdict export to its end, and the rows it announced."""
    start = time.perf_counter()
    response = client.get("/export/verdicts.csv", buffered=False)
    assert response.status_code == 200
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    assert size > 0
    return time.perf_counter() - start, int(response.headers["X-Export-Rows"])


def export_figures(app, repeat: int) -> dict[str, float]:
    admin = logged_in(app, "admin")
    runs = [export_run(admin) for _ in range(repeat)]
    tracemalloc.start()
    export_run(admin)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"CSV export, s": statistics.median(t for t, _ in runs),
            "CSV export, rows": runs[0][1], "CSV export, peak MiB": peak / 2**20}


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_size(app, layout: Layout, args, log: StatementLog) -> dict[str, float]:
    figures: dict[str, float] = {}
    for measure in measures(app, layout):
        times, statements = timed(measure, args.repeat, log)
        figures[f"{measure.name}, median ms"] = statistics.median(times) * 1000
        figures[f"{measure.name}, p95 ms"] = p95(times) * 1000
        figures[f"{measure.name}, statements"] = statements
        print(f"  {measure.name}: {statistics.median(times) * 1000:.1f} ms median, "
              f"{statements} statements", file=sys.stderr)
    figures.update(export_figures(app, args.export_repeat))
    return figures


# --- query plans -----------------------------------------------------------------------

def _plan(connection, statement: str, parameters) -> list[str]:
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return [row[-1] for row in rows]
    rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
    return [row[0] for row in rows]


def _full_scan(line: str) -> bool:
    text = line.strip(" -|`")
    return (text.startswith("SCAN ") and "CONSTANT ROW" not in text
            and not text.startswith("SCAN anon") and "SUBQUERY" not in text
            ) or "Seq Scan" in line


def explain(app, layout: Layout, log: StatementLog) -> None:
    """Print the plan of every statement behind one request of each measure."""
    print("\n## Query plans at", f"{layout.articles:,} articles\n")
    admin = logged_in(app, "admin")
    export = Measure("CSV export", lambda i: admin.get("/export/verdicts.csv"))
    for measure in [*measures(app, layout), export]:
        if measure.prepare:
            measure.prepare(0)
        with log.keeping() as kept:
            measure.request(0)
        print(f"### {measure.name}: {len(kept)} statements\n")
        seen = set()
        with app.app_context(), db.engine.connect() as connection:
            for statement, parameters in kept:
                verb = statement.lstrip().split(None, 1)[0].upper()
                if statement in seen or verb not in ("SELECT", "UPDATE", "DELETE", "WITH"):
                    continue
                seen.add(statement)
                print(_explained(connection, statement, parameters, verb))


def _explained(connection, statement: str, parameters, verb: str) -> str:
    """The statement, its plan, full scans marked, and (a SELECT) the time it takes
    alone, rows fetched; what a request spends is then read statement by statement."""
    plan = _plan(connection, statement, parameters)
    notes = [" **full scan**"] if any(_full_scan(line) for line in plan) else []
    if verb == "SELECT":
        start = time.perf_counter()
        rows = len(connection.exec_driver_sql(statement, parameters).all())
        notes.append(f" {(time.perf_counter() - start) * 1000:.1f} ms alone, {rows} rows")
    return (f"```sql\n{' '.join(statement.split())[:600]}\n```{''.join(notes)}\n\n"
            "```\n" + "\n".join(plan) + "\n```\n")


# --- the run ---------------------------------------------------------------------------

def build(size: int, args, folder: Path):
    url = args.database_url or f"sqlite:///{folder / f'scale-{size}.sqlite'}"
    if args.database_url:
        reset_database(url)
    started = time.perf_counter()
    app = make_app(url, folder)
    counts = fill(app, Layout(size))
    took = time.perf_counter() - started
    print(f"{size:,} articles: built in {took:.1f} s "
          + ", ".join(f"{n:,} {kind}" for kind, n in counts.items()), file=sys.stderr)
    started = time.perf_counter()
    with app.app_context():
        # Bulk inserts bypass the session that keeps the desk ranks; this is what the
        # first start after the migration that added them does, timed.
        for _done in desk_ranks.refresh_all_in_batches():
            db.session.commit()
        db.session.commit()
    print(f"{size:,} articles: desk ranks computed in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    started = time.perf_counter()
    with app.app_context():
        # Likewise the Progress page's tallies, as that start counts them.
        progress_tallies.recount()
        db.session.commit()
    print(f"{size:,} articles: progress tallies counted in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return app, took


def table(results: dict[int, dict[str, float]], built: dict[int, float]) -> str:
    sizes = sorted(results)
    head = "| figure | " + " | ".join(f"{s:,} articles" for s in sizes) + " | ratio |"
    lines = [head, "|---" * (len(sizes) + 2) + "|"]
    rows = {"build, s": built} | {name: {s: results[s][name] for s in sizes}
                                  for name in results[sizes[0]]}
    for name, by_size in rows.items():
        values = [by_size[s] for s in sizes]
        ratio = f"{values[-1] / values[0]:.2f}" if values[0] else "-"
        cells = " | ".join(f"{v:,.0f}" if v >= 100 else f"{v:.2f}" if isinstance(v, float)
                           else f"{v}" for v in values)
        lines.append(f"| {name} | {cells} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="articles per database, comma-separated (10 claims each)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per measure")
    parser.add_argument("--export-repeat", type=int, default=2, help="timed CSV exports")
    parser.add_argument("--database-url", help="a throwaway database (emptied first)")
    parser.add_argument("--explain", action="store_true",
                        help="print the query plans at the largest size")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files")
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    results, built = {}, {}
    for size in sizes:
        app, built[size] = build(size, args, folder)
        with app.app_context():
            log = StatementLog(db.engine)
        results[size] = run_size(app, Layout(size), args, log)
        if args.explain and size == sizes[-1]:
            explain(app, Layout(size), log)
        with app.app_context():
            db.engine.dispose()
    print("\n" + table(results, built))
    if args.keep:
        print(f"\nDatabases kept in {folder}", file=sys.stderr)
    else:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
