"""The desk's article filter: the articles with verdicts in the desk's order, at most
``ARTICLE_CHOICES_MAX`` of them (a menu of 100,000 articles helps nobody and costs a scan
of them all), plus the article chosen, wherever it is."""

from __future__ import annotations

import pytest
from annotator_testkit.team import judge

from annotator.extensions import db
from annotator.models import Article
from annotator.services import desk
from annotator.services.archive import archive


@pytest.fixture
def articles(app, make_article, claim_ids, reviewer_id, admin_id):
    """Five articles in import order: four with a verdict (the third of them archived
    later), the last without."""
    ids = [make_article(f"Report {n} says exports rose by {n}% in May.\n", f"r{n}.txt")
           for n in range(5)]
    for article_id in ids[:4]:
        judge(app, claim_ids(article_id)[0], reviewer_id)
    with app.app_context():
        from annotator.models import User
        archive(db.session.get(Article, ids[2]), db.session.get(User, admin_id))
        db.session.commit()
    return ids


def _listed(app, chosen=None) -> list[int]:
    with app.app_context():
        return [article_id for article_id, _title in desk.filter_choices(chosen).articles]


def test_the_menu_stops_at_the_cap_in_the_desks_order(app, articles, monkeypatch):
    assert _listed(app) == [articles[0], articles[1], articles[3]]
    monkeypatch.setattr(desk, "ARTICLE_CHOICES_MAX", 2)
    assert _listed(app) == [articles[0], articles[1]]


def test_the_chosen_article_is_offered_beyond_the_cap(app, articles, monkeypatch):
    monkeypatch.setattr(desk, "ARTICLE_CHOICES_MAX", 1)
    assert _listed(app, articles[3]) == [articles[0], articles[3]]
    assert _listed(app, articles[0]) == [articles[0]]


@pytest.mark.parametrize("which", ["archived", "without verdicts", "unknown"])
def test_a_chosen_article_not_on_the_desk_is_not_offered(app, articles, monkeypatch, which):
    monkeypatch.setattr(desk, "ARTICLE_CHOICES_MAX", 1)
    chosen = {"archived": articles[2], "without verdicts": articles[4],
              "unknown": 999_999}[which]
    assert _listed(app, chosen) == [articles[0]]
