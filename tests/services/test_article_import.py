"""The import service called directly: the hints it stores on each claim, and its retry
when a concurrent import wins the race.
"""

from __future__ import annotations

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


    calls = []
    real = article_import.import_blobs

    def flaky(blobs, actor):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return real(blobs, actor)

    monkeypatch.setattr(article_import, "import_blobs", flaky)
    with app.app_context():
        report = article_import.import_and_commit([("a.txt", b"The river rose by 2 m.")], None)
        assert len(report.imported) == 1 and len(calls) == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Article)) == 1
