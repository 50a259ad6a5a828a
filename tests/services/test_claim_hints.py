"""Hints stored on claims: one loop stores them, and the note a migration leaves makes the
first start compute them once."""

from __future__ import annotations

from annotator_testkit.hints import NEWS, fake_hints, stored

from annotator.database import finish_migrations
from annotator.extensions import db
from annotator.models import SiteState
from annotator.services import claim_hints


def test_recomputing_in_batches_reaches_every_article(app, make_article, monkeypatch):
    articles = [make_article(NEWS.replace("Tariffs", f"Tariffs {n}") + f"Item {n}.\n",
                             f"news{n}.txt") for n in range(5)]
    monkeypatch.setattr(claim_hints, "hints_for_claims", fake_hints)
    with app.app_context():
        done = list(claim_hints.refresh_all_in_batches(2))
        db.session.commit()
    assert done == [2, 4, 5]
    for article in articles:
        assert stored(app, article)[0] == (True, "Rubio", False, False, False, True)


def test_the_first_start_computes_hints_once_when_a_migration_asked(app, make_article,
                                                                     monkeypatch):
    article = make_article(NEWS, "news.txt")
    monkeypatch.setattr(claim_hints, "hints_for_claims", fake_hints)
    with app.app_context():
        assert not claim_hints.backfill_pending()
        finish_migrations()  # nothing asked: the real hints stay
    assert stored(app, article)[1] != (False, None, True, True, False, False)
    with app.app_context():
        db.session.add(SiteState(key=claim_hints.BACKFILL_KEY))
        db.session.commit()
        assert claim_hints.backfill_pending()
        finish_migrations()
        assert not claim_hints.backfill_pending()
    assert stored(app, article)[1] == (False, None, True, True, False, False)
