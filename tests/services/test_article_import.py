"""The import service called directly: the hints it stores on each claim, and its retry
when a concurrent import wins the race.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit.hints import NEWS, fake_hints, stored
from sqlalchemy.exc import IntegrityError

from annotator.extensions import db
from annotator.models import Article
from annotator.services import article_import, claim_hints


def test_import_stores_the_hints_of_every_claim(app, make_article, monkeypatch):
    monkeypatch.setattr(claim_hints, "hints_for_claims", fake_hints)
    article = make_article(NEWS, "news.txt")
    assert stored(app, article) == [
        (True, "Rubio", False, False, False, True),
        (False, None, True, True, False, False),
        (False, None, True, False, True, False),
        (False, None, False, False, False, False),
    ]


def test_import_retries_once_when_a_concurrent_import_wins(app, monkeypatch):
    """Another process storing the same text between our check and our commit: the
    article's own transaction runs once more and finds it."""
    calls = []
    real = article_import.store_article

    def flaky(prepared, actor):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return real(prepared, actor)

    monkeypatch.setattr(article_import, "store_article", flaky)
    with app.app_context():
        report = article_import.import_and_commit([("a.txt", b"The river rose by 2 m.")], None)
        assert len(report.imported) == 1 and len(calls) == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Article)) == 1


def test_each_article_is_committed_on_its_own(app, monkeypatch):
    """A failure storing the third file leaves the first two imported: each article is its
    own transaction, so none waits for a whole batch."""
    real = article_import.store_article
    stored = []

    def fail_on_third(prepared, actor):
        stored.append(prepared.parsed.source)
        if len(stored) == 3:
            raise RuntimeError("disk full")
        return real(prepared, actor)

    monkeypatch.setattr(article_import, "store_article", fail_on_third)
    files = [(f"{n}.txt", f"Article number {n} says the river rose.".encode()) for n in range(4)]
    with app.app_context():
        with pytest.raises(RuntimeError):
            article_import.import_and_commit(files, None)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Article)) == 2
