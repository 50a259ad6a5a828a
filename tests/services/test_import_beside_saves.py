"""A reviewer's save during a large import succeeds (SQLite): the import reads and splits
every file before it writes, and writes each article in its own short transaction that
takes its turn as a writer like a save, so the database's write lock is never held while
text is split, and a save waits for one article at most.

The import is real (50 articles of 1 MiB stored with their claims, from a thread), and so
are the saves (the claim page's POST, from another thread's test client). Splitting is
replaced by a stand-in that returns one real parse of a 1 MiB article after a pause, so
the test does not spend minutes splitting; while it "splits", it checks that the importing
thread is not inside a write transaction. The busy timeout is lowered to 1.5 s, so a
save that spent it behind the import, instead of queueing, fails quickly.
"""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
import sqlalchemy as sa
from annotator_testkit.web import save

from annotator.extensions import db
from annotator.models import Article, Verdict
from annotator.services import article_import, claim_hints
from annotator.text.article_file import parse_article

ARTICLES = 50
SENTENCE = ("The regional council said on Tuesday that the new bridge over the river, which "
            "was promised in the last three budgets, will cost more than planned ")
PAUSE_PER_FILE_S = 0.08
BUSY_TIMEOUT_MS = 1500


def one_mib_article() -> bytes:
    """A 1 MiB article of long sentences (about 500 claims, under MAX_CLAIMS_PER_ARTICLE)."""
    sentence = (SENTENCE * 14).strip() + ".\n"
    text = sentence * (1024 * 1024 // len(sentence))
    return text.encode()[: 1024 * 1024 - 100]


@pytest.mark.backend("sqlite")
def test_saves_during_an_import_of_50_articles_of_1_mib_succeed(
    app, make_article, claim_ids, reviewer_client, monkeypatch
):
    claim = claim_ids(make_article())[0]
    raw = one_mib_article()
    template = parse_article(raw, "big.txt")
    spans = [(span.start, span.end) for span in template.claims]
    hints = claim_hints.hints_for_claims(template.body, spans)
    parsed_count = []
    held_while_splitting = []

    def slow_parse(data, name, **_limits):
        time.sleep(PAUSE_PER_FILE_S)  # splitting takes time, and must not hold the lock
        held_while_splitting.append(_importer_writing())
        parsed_count.append(name)
        return dataclasses.replace(template, source=name, checksum=f"{name:0>64}")

    monkeypatch.setattr(article_import, "parse_article", slow_parse)
    monkeypatch.setattr(claim_hints, "hints_for_claims", lambda body, spans: hints)
    with app.app_context():
        sa.event.listen(db.engine, "connect", lambda connection, _record: connection.execute(
            f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"))
        db.engine.dispose()

    files = [(f"{n:02}.txt", raw) for n in range(ARTICLES)]
    outcome = {}

    def run_import():
        with app.app_context():
            try:
                outcome["report"] = article_import.import_and_commit(files, None)
            except Exception as error:  # noqa: BLE001 (reported by the assertion below)
                outcome["error"] = error

    importer = threading.Thread(target=run_import)
    importer.start()
    statuses = []
    try:
        while len(parsed_count) < 3 and importer.is_alive():
            time.sleep(0.01)
        labels = ["supported", "disputed"]
        while importer.is_alive() or not statuses:
            version = _version(app, claim)
            response = save(reviewer_client, claim, labels[len(statuses) % 2],
                            f"Checked during the import, save {len(statuses)}.", version=version)
            statuses.append(response.status_code)
    finally:
        importer.join(timeout=300)
    assert "error" not in outcome, outcome.get("error")
    assert held_while_splitting == [False] * ARTICLES
    assert len(outcome["report"].imported) == ARTICLES
    assert len(statuses) >= 2 and set(statuses) == {302}, statuses
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Article)) == ARTICLES + 1
        note = db.session.scalar(sa.select(Verdict.source_note).where(Verdict.claim_id == claim))
    assert note == f"Checked during the import, save {len(statuses) - 1}."


def _version(app, claim_id) -> str:
    with app.app_context():
        version = db.session.scalar(sa.select(Verdict.version).where(Verdict.claim_id == claim_id))
        db.session.rollback()
    return "" if version is None else str(version)


def _importer_writing() -> bool:
    """Whether the importing thread's session is inside a write transaction now: SQLite's
    driver begins one only for a write or ``BEGIN IMMEDIATE``, and a writer's turn is held
    exactly as long as that transaction."""
    session = db.session()
    if not session.in_transaction():
        return False
    return session.connection().connection.driver_connection.in_transaction
