"""Nothing lost under load and faults: 8 reviewers against 4 gunicorn workers.

Each reviewer works like a browser would: open a claim page, read the form (CSRF token,
version), save a verdict whose note carries a token of its own, go on. Afterwards the
database is read directly: every save the server acknowledged must be there.

ANNOTATOR_LOAD_SECONDS sets the length of the main run (60 s unless set); the run with a
killed worker lasts a third of it, at most 20 s.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa
from annotator_testkit.apps import app_settings, dispose
from annotator_testkit.forms import form_for, form_inputs
from load_desk import REVIEWER_NAMES, TIMEOUT, TWO_TAB_REVIEWER, WORKERS, log_in

from annotator import create_app
from annotator.extensions import db
from annotator.services import progress_tallies

LOAD_SECONDS = float(os.environ.get("ANNOTATOR_LOAD_SECONDS", "60"))
KILL_RUN_SECONDS = min(20.0, LOAD_SECONDS)
LABELS = ("supported", "disputed", "unclear")
STALE_MESSAGE = "changed since you opened this page"
RESPAWN_SECONDS = 60


@dataclass
class Attempt:
    """One verdict POST and what became of it."""

    reviewer: str
    claim_id: int
    label: str
    note: str
    url: str
    sent: float
    outcome: str = "pending"  # ack, stale, error, interrupted


@dataclass
class ReviewerLog:
    """What one reviewer thread did; each thread writes only its own."""

    reviewer: str
    requests: int = 0
    attempts: list[Attempt] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)


def _review(server, session: requests.Session, reviewer: str, start_at: int, deadline: float,
            prefix: str, log: ReviewerLog) -> None:
    """Save verdicts until ``deadline``: first verdicts, then revisions once round the list."""
    claims = server.claim_ids[start_at:] + server.claim_ids[:start_at]
    n = 0
    while time.monotonic() < deadline:
        claim_id = claims[n % len(claims)]
        n += 1
        path = f"/claims/{claim_id}"
        try:
            page = session.get(server.url(path), timeout=TIMEOUT, allow_redirects=False)
        except requests.RequestException as error:
            log.interrupted.append(f"GET {path}: {type(error).__name__}: {error}")
            continue
        with page:
            log.requests += 1
            if page.status_code != 200:
                log.errors.append(f"GET {path}: {page.status_code} {_location(page)}")
                continue
            try:
                hidden = form_for(page.text, path).hidden()
            except AssertionError as error:
                log.errors.append(f"GET {path}: no usable verdict form: {error}")
                continue
        attempt = Attempt(
            reviewer=reviewer, claim_id=claim_id, label=LABELS[n % len(LABELS)],
            note=f"{prefix} {reviewer} #{n}: checked against the inspection register",
            url=f"https://example.org/register/{n}" if n % 4 == 0 else "",
            sent=time.monotonic(),
        )
        log.attempts.append(attempt)
        data = {**hidden, "verdict": attempt.label, "source_note": attempt.note,
                "source_url": attempt.url}
        try:
            answer = session.post(server.url(path), data=data, timeout=TIMEOUT,
                                  allow_redirects=False)
        except requests.RequestException as error:
            # Never answered: not acknowledged, so the reviewer cannot count on it.
            attempt.outcome = "interrupted"
            log.interrupted.append(f"POST {path}: {type(error).__name__}: {error}")
            continue
        with answer:
            log.requests += 1
            attempt.outcome = _judge(answer, path, log)


def _location(answer: requests.Response) -> str:
    return f"-> {answer.headers['Location']}" if "Location" in answer.headers else ""


def _judge(answer: requests.Response, path: str, log: ReviewerLog) -> str:
    """Classify the answer to a verdict POST."""
    if answer.status_code in (302, 303):
        # A save goes on to the next claim, or to the article when the queue is empty; a
        # redirect anywhere else (the login page: a lost session) saved nothing.
        target = urlsplit(answer.headers.get("Location", "")).path
        if target.startswith(("/claims/", "/articles/")):
            return "ack"
        log.errors.append(f"POST {path}: {answer.status_code} {_location(answer)}")
        return "error"
    if answer.status_code == 409 and STALE_MESSAGE in answer.text:
        return "stale"
    log.errors.append(f"POST {path}: {answer.status_code}: {_excerpt(answer.text)}")
    return "error"


def _excerpt(text: str) -> str:
    return " ".join(text.split())[:300]


@dataclass
class LoadRun:
    seconds: float
    logs: list[ReviewerLog]
    killed_pid: int | None = None
    killed_at: float | None = None
    killed_busy: bool = False
    started: float = 0.0
    server_cpu: float = 0.0

    @property
    def attempts(self) -> list[Attempt]:
        return [a for log in self.logs for a in log.attempts]

    def count(self, outcome: str) -> int:
        return sum(1 for a in self.attempts if a.outcome == outcome)

    @property
    def errors(self) -> list[str]:
        return [e for log in self.logs for e in log.errors]

    @property
    def interrupted(self) -> list[str]:
        return [e for log in self.logs for e in log.interrupted]

    @property
    def requests(self) -> int:
        return sum(log.requests for log in self.logs)


def run_load(server, seconds: float, prefix: str, kill_after: float | None = None) -> LoadRun:
    """8 reviewer threads for ``seconds``; optionally SIGKILL one worker ``kill_after`` in."""
    with contextlib.ExitStack() as stack:
        # Everyone logs in before the clock starts: a login costs a deliberately slow
        # password check, which is not what this run measures.
        sessions = [stack.enter_context(requests.Session()) for _ in REVIEWER_NAMES]
        for session, reviewer in zip(sessions, REVIEWER_NAMES, strict=True):
            log_in(session, server, reviewer)
        return _run_logged_in(server, sessions, seconds, prefix, kill_after)


def _run_logged_in(server, sessions, seconds: float, prefix: str,
                   kill_after: float | None) -> LoadRun:
    logs = [ReviewerLog(name) for name in REVIEWER_NAMES]
    spacing = len(server.claim_ids) // len(logs)
    start = time.monotonic()
    deadline = start + seconds
    failures: list[BaseException] = []

    def work(i: int) -> None:
        try:
            _review(server, sessions[i], logs[i].reviewer, i * spacing, deadline, prefix, logs[i])
        except BaseException as error:  # reported by the main thread; a thread cannot fail a test
            failures.append(error)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(logs))]
    run = LoadRun(seconds=seconds, logs=logs, started=start)
    cpu_before = server.cpu_seconds()
    for thread in threads:
        thread.start()
    try:
        if kill_after is not None:
            time.sleep(max(0.0, start + kill_after - time.monotonic()))
            _kill_a_worker(server, run)
    finally:
        # Each thread stops at the deadline after its current request, which times out.
        give_up = deadline + 2 * sum(TIMEOUT)
        for thread in threads:
            thread.join(max(0.0, give_up - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "a reviewer thread did not stop"
    run.seconds = time.monotonic() - start
    run.server_cpu = server.cpu_seconds() - cpu_before
    if failures:
        raise failures[0]
    return run


def _kill_a_worker(server, run: LoadRun) -> None:
    workers = sorted(server.worker_pids())
    assert len(workers) == WORKERS, f"expected {WORKERS} workers, found {workers}"
    # A worker killed while serving a request is the case that can lose a save; an idle
    # one is the fallback when none is caught busy in a few tries.
    busy: list[int] = []
    for _ in range(50):
        busy = sorted(server.busy_workers())
        if busy:
            break
        time.sleep(0.02)
    run.killed_pid = random.choice(busy or workers)
    run.killed_busy = bool(busy)
    run.killed_at = time.monotonic()
    os.kill(run.killed_pid, signal.SIGKILL)


@dataclass
class Stored:
    """What the database holds for one run's notes, compared with what was acknowledged."""

    found: int
    lost: list[str]
    wrong: list[str]
    duplicated: list[str]
    unacknowledged_stored: int
    current_mismatch: list[str]
    version_gaps: list[str]


def check_stored(server, run: LoadRun, prefix: str) -> Stored:
    """Read every revision carrying this run's prefix and every current verdict it touched."""
    with server.database() as conn:
        revisions = conn.execute(sa.text(
            "SELECT r.source_note, r.label, r.source_url, v.claim_id, a.username "
            "FROM verdict_revision r JOIN verdict v ON v.id = r.verdict_id "
            "JOIN account a ON a.id = v.reviewer_id WHERE r.source_note LIKE :prefix"
        ), {"prefix": prefix + " %"}).all()
        current = conn.execute(sa.text(
            "SELECT v.claim_id, a.username, v.source_note, v.version, "
            "COUNT(r.id), MAX(r.version) "
            "FROM verdict v JOIN account a ON a.id = v.reviewer_id "
            "LEFT JOIN verdict_revision r ON r.verdict_id = v.id "
            "WHERE a.username IN :names "
            "GROUP BY v.id, v.claim_id, a.username, v.source_note, v.version"
        ).bindparams(sa.bindparam("names", expanding=True)), {"names": list(REVIEWER_NAMES)}).all()

    stored = defaultdict(list)
    for note, label, url, claim_id, username in revisions:
        stored[note].append((label, url or "", claim_id, username))
    acked = [a for a in run.attempts if a.outcome == "ack"]
    lost, wrong = [], []
    for a in acked:
        rows = stored.get(a.note)
        if not rows:
            lost.append(f"{a.reviewer} claim {a.claim_id}: {a.note!r}")
        elif rows[0] != (a.label, a.url, a.claim_id, a.reviewer):
            wrong.append(f"{a.note!r}: sent {(a.label, a.url, a.claim_id)}, stored {rows[0]}")
    duplicated = [note for note, rows in stored.items() if len(rows) > 1]
    acked_notes = {a.note for a in acked}
    sent_notes = {a.note for a in run.attempts}
    unacknowledged = [note for note in stored if note not in acked_notes]
    # Only notes this run sent can carry its prefix.
    assert set(stored) <= sent_notes, f"unknown notes stored: {set(stored) - sent_notes}"

    # The current verdict is the last acknowledged save, or a later save whose answer never
    # came (a killed worker may have committed it before dying). A pair with no
    # acknowledged save in this run may still hold an earlier run's verdict.
    expected: dict[tuple[int, str], set[str]] = {}
    for a in run.attempts:  # in each reviewer's order, and a pair belongs to one reviewer
        key = (a.claim_id, a.reviewer)
        if a.outcome == "ack":
            expected[key] = {a.note}
        elif a.outcome == "interrupted" and key in expected:
            expected[key].add(a.note)
    mismatch, gaps = [], []
    for claim_id, username, note, version, revision_count, newest in current:
        wanted = expected.get((claim_id, username))
        if wanted is not None and note not in wanted:
            mismatch.append(f"{username} claim {claim_id}: current {note!r}, "
                            f"expected one of {sorted(wanted)}")
        # Nobody moderates during the load, so each version is one save, kept as a revision.
        if not (version == revision_count == newest):
            gaps.append(f"{username} claim {claim_id}: version {version}, "
                        f"{revision_count} revisions, newest {newest}")
    return Stored(
        found=len(acked) - len(lost), lost=lost, wrong=wrong, duplicated=duplicated,
        unacknowledged_stored=len(unacknowledged), current_mismatch=mismatch, version_gaps=gaps,
    )


def figures(server, title: str, run: LoadRun, stored: Stored) -> dict:
    acked = run.count("ack")
    result = {
        "test": title,
        "backend": server.backend,
        "seconds": round(run.seconds, 1),
        "reviewers": len(run.logs),
        "workers": WORKERS,
        "requests": run.requests,
        "saves_acknowledged": acked,
        "saves_found": stored.found,
        "saves_lost": len(stored.lost),
        "stale_refusals": run.count("stale"),
        "errors": len(run.errors),
        "interrupted_requests": len(run.interrupted),
        "interrupted_saves": run.count("interrupted"),
        "unacknowledged_but_stored": stored.unacknowledged_stored,
        "requests_per_second": round(run.requests / run.seconds, 1),
        "saves_per_second": round(acked / run.seconds, 1),
        # The machine may be shared: CPU per request and the load average tell how far
        # the figures above were held back by other work.
        "server_cpu_ms_per_request": round(1000 * run.server_cpu / max(run.requests, 1), 1),
        "load_average": round(os.getloadavg()[0], 1),
    }
    if run.killed_pid is not None:
        result["killed_worker"] = run.killed_pid
        result["acks_sent_after_kill"] = sum(
            1 for a in run.attempts if a.outcome == "ack" and a.sent > run.killed_at
        )
    summary = (
        f"{title} [{server.backend}]: {result['seconds']} s, {len(run.logs)} reviewers, "
        f"{WORKERS} workers: {acked} saves acknowledged, {stored.found} found, "
        f"{len(stored.lost)} lost, {result['stale_refusals']} stale refusals, "
        f"{result['errors']} errors, {result['interrupted_requests']} requests interrupted "
        f"({result['interrupted_saves']} saves, {stored.unacknowledged_stored} of them stored); "
        f"{result['requests_per_second']} requests/s, {result['saves_per_second']} saves/s "
        f"({result['server_cpu_ms_per_request']} ms server CPU a request, "
        f"load average {result['load_average']})"
    )
    if run.killed_pid is not None:
        result["killed_while_serving"] = run.killed_busy
        summary += (f"; {'busy' if run.killed_busy else 'idle'} worker killed at "
                    f"{run.killed_at - run.started:.1f} s, "
                    f"{result['acks_sent_after_kill']} saves acknowledged after it")
    result["summary"] = summary
    return result


def assert_nothing_lost(server, run: LoadRun, stored: Stored) -> None:
    def listed(items: list[str]) -> str:
        return "\n  ".join(items[:20]) + (f"\n  ... {len(items) - 20} more" if len(items) > 20
                                         else "")

    assert run.count("ack") > 0, f"no save was acknowledged\n{listed(run.errors)}"
    assert not run.errors, (
        f"{len(run.errors)} requests failed:\n  {listed(run.errors)}\n"
        f"server log:\n{server.log_tail()}"
    )
    assert not stored.lost, f"{len(stored.lost)} acknowledged saves lost:\n  {listed(stored.lost)}"
    assert not stored.wrong, f"saves stored differently:\n  {listed(stored.wrong)}"
    assert not stored.duplicated, f"saves stored twice:\n  {listed(stored.duplicated)}"
    assert not stored.current_mismatch, (
        f"current verdicts are not the last save:\n  {listed(stored.current_mismatch)}"
    )
    assert not stored.version_gaps, f"versions without revisions:\n  {listed(stored.version_gaps)}"


def assert_progress_counted(server) -> None:
    """The Progress page's tallies, kept by every save of the run in whichever worker
    made it, are what a count from scratch says (``services.progress_tallies``). Read
    for the setting the servers counted them for, by an app that finds nothing to prepare:
    a recount at its start would make the comparison empty."""
    with server.database() as connection:
        keys = connection.execute(sa.text(
            "SELECT key FROM site_state WHERE key LIKE 'progress-tallies-%'")).scalars().all()
    assert len(keys) == 1, f"the tallies are not counted for one setting: {keys}"
    needed = int(keys[0].rsplit("-", 1)[1])
    instance = server.log_path.parent / "check-instance"
    instance.mkdir(exist_ok=True)
    app = create_app(app_settings(server.database_url, AUTO_MIGRATE=False,
                                  REVIEWS_PER_CLAIM=needed), instance_path=str(instance))
    try:
        with app.app_context():
            stored, counted = progress_tallies.stored(), progress_tallies.from_scratch()
            db.session.remove()
    finally:
        dispose(app)
    assert stored == counted, f"progress tallies {stored}, counted from scratch {counted}"


def _prefix(name: str) -> str:
    return f"load-{name}-{uuid.uuid4().hex[:8]}"


def test_concurrent_reviewers(load_server, load_report):
    prefix = _prefix("concurrent")
    run = run_load(load_server, LOAD_SECONDS, prefix)
    stored = check_stored(load_server, run, prefix)
    load_report(figures(load_server, "concurrent reviewers", run, stored))

    assert_nothing_lost(load_server, run, stored)
    assert_progress_counted(load_server)
    assert not run.interrupted, f"requests without an answer: {run.interrupted[:20]}"
    # One session per reviewer, each saving the version it has just loaded: nobody else
    # writes that reviewer's verdicts, so a refusal would mean the server mixed sessions
    # or versions up.
    assert run.count("stale") == 0, "stale refusals with one session per reviewer"


def test_worker_killed_mid_load(load_server, load_report):
    prefix = _prefix("kill")
    run = run_load(load_server, KILL_RUN_SECONDS, prefix, kill_after=KILL_RUN_SECONDS / 3)
    stored = check_stored(load_server, run, prefix)
    load_report(figures(load_server, "worker killed mid-load", run, stored))

    assert_nothing_lost(load_server, run, stored)
    assert_progress_counted(load_server)
    assert run.count("stale") == 0, "stale refusals with one session per reviewer"
    assert any(a.outcome == "ack" and a.sent > run.killed_at for a in run.attempts), (
        "no save was acknowledged after the worker was killed"
    )
    # gunicorn replaces the killed worker; wait for it (bounded), so later tests get 4.
    deadline = time.monotonic() + RESPAWN_SECONDS
    workers = load_server.worker_pids()
    while len(workers) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.5)
        workers = load_server.worker_pids()
    assert run.killed_pid not in workers
    assert len(workers) == WORKERS, f"workers after the kill: {sorted(workers)}"
    if load_server.backend == "sqlite":
        # A process killed while writing must not leave the file damaged for the others.
        with load_server.database() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def _current(server, claim_id: int, username: str):
    with server.database() as conn:
        verdict = conn.execute(sa.text(
            "SELECT v.id, v.source_note, v.version FROM verdict v "
            "JOIN account a ON a.id = v.reviewer_id "
            "WHERE v.claim_id = :claim AND a.username = :name"
        ), {"claim": claim_id, "name": username}).one_or_none()
        notes = [] if verdict is None else list(conn.scalars(sa.text(
            "SELECT source_note FROM verdict_revision WHERE verdict_id = :id ORDER BY version"
        ), {"id": verdict.id}))
    return verdict, notes


def _save(session, server, path: str, html: str, note: str) -> requests.Response:
    values = form_inputs(html, path)
    values.update(verdict="disputed", source_note=note, source_url="")
    return session.post(server.url(path), data=values, timeout=TIMEOUT, allow_redirects=False)


def _open(session, server, path: str) -> str:
    with session.get(server.url(path), timeout=TIMEOUT) as page:
        assert page.status_code == 200, f"GET {path}: {page.status_code}"
        return page.text


@pytest.mark.parametrize("existing", [False, True], ids=["first-verdict", "revision"])
def test_two_sessions_same_verdict(load_server, existing):
    """Two tabs of one reviewer: the older form is refused, never saved over the newer one."""
    server = load_server
    claim_id = server.claim_ids[1 if existing else 0]
    path = f"/claims/{claim_id}"
    earlier = []
    with requests.Session() as first, requests.Session() as second:
        log_in(first, server, TWO_TAB_REVIEWER)
        log_in(second, server, TWO_TAB_REVIEWER)
        if existing:
            earlier = ["The original note from the first tab."]
            with _save(first, server, path, _open(first, server, path), earlier[0]) as done:
                assert done.status_code == 302
        first_page = _open(first, server, path)
        second_page = _open(second, server, path)

        with _save(first, server, path, first_page, "Saved first: the ministry figures.") as done:
            assert done.status_code == 302, f"first save: {done.status_code}"
        stale_note = "Saved second from an older page: the union figures."
        with _save(second, server, path, second_page, stale_note) as refused:
            assert refused.status_code == 409, f"older form: {refused.status_code}"
            assert STALE_MESSAGE in refused.text and "Nothing was saved" in refused.text
            # What the second tab typed is still in its form, next to the saved version.
            kept = form_inputs(refused.text, path)
            assert kept["source_note"] == stale_note
            assert "Saved first: the ministry figures." in refused.text

        verdict, notes = _current(server, claim_id, TWO_TAB_REVIEWER)
        assert verdict.source_note == "Saved first: the ministry figures."
        assert notes == [*earlier, "Saved first: the ministry figures."]

        # Reloaded, the second tab shows the saved version and can now replace it.
        reloaded = _open(second, server, path)
        assert form_inputs(reloaded, path)["source_note"] == "Saved first: the ministry figures."
        with _save(second, server, path, reloaded, stale_note) as done:
            assert done.status_code == 302, f"after reloading: {done.status_code}"
        verdict, notes = _current(server, claim_id, TWO_TAB_REVIEWER)
        assert verdict.source_note == stale_note
        assert verdict.version == len(notes)
        assert notes == [*earlier, "Saved first: the ministry figures.", stale_note]
