"""Archiving an article: it leaves the desk, the moderation list, the exports, the
agreement and progress figures and takes no verdicts; restoring gives everything back
exactly as it was; a second archive or a restore of a live article is refused and changes
nothing."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from annotator_testkit.constants import SECOND_ARTICLE
from annotator_testkit.rows import audit_events, snapshot
from annotator_testkit.team import decide, judge

from annotator.extensions import db
from annotator.models import Article, Claim, User
from annotator.services import (
    agreement,
    archive,
    desk,
    export,
    final_verdicts,
    moderation,
    progress,
    verdicts,
)

# What archiving must leave untouched, and restoring give back.
KEPT_TABLES = ("claim", "verdict", "verdict_revision", "final_verdict",
               "final_verdict_revision")


@pytest.fixture
def desk_with_two_articles(app, make_article, claim_ids, reviewer_id, reviewer2_id, admin_id):
    """Two articles; on each, alice and bob judge the first claim (alike on the first
    article, differently on the second) and the desk decides the first article's first
    claim. Returns (first article id, second article id)."""
    first, second = make_article(), make_article(SECOND_ARTICLE, "second.txt")
    one, two = claim_ids(first)[0], claim_ids(second)[0]
    for claim_id, bob_says in ((one, "supported"), (two, "disputed")):
        judge(app, claim_id, reviewer_id, "supported")
        judge(app, claim_id, reviewer2_id, bob_says)
    decide(app, one, admin_id, "supported")
    return first, second


def _archive(app, article_id, admin_id, change=archive.archive):
    with app.app_context():
        change(db.session.get(Article, article_id), db.session.get(User, admin_id))
        db.session.commit()


def _csv_articles(exported: export.CsvExport) -> list[str]:
    try:
        rows = list(csv.DictReader(io.StringIO("".join(exported.chunks), newline="")))
    finally:
        exported.close()
    assert exported.rows == len(rows)
    return sorted({row["article_id"] for row in rows})


def _everything_counted(app, admin_id) -> dict:
    """Which articles the desk, the exports and the figures count, and their totals."""
    with app.app_context():
        editor = db.session.get(User, admin_id)
        on_desk = desk.desk_page(editor, desk.DeskFilters(), after=None, before=None, size=50)
        page = progress.progress_page(editor, after=None, before=None, size=50)
        return {
            "desk": sorted({item.claim.article_id for item in on_desk.claims}),
            "moderation": sorted({v.claim.article_id for v in moderation.pending_page(
                editor, after=None, before=None, size=50).items}),
            "desk_choices": [a for a, _ in desk.filter_choices().articles],
            "verdict_csv": _csv_articles(export.verdicts_export()),
            "claim_csv": _csv_articles(export.claims_export()),
            "agreement": sorted({r.article_id for r in agreement.counted_ratings()}),
            "progress_articles": sorted(item.article.id for item in page.articles),
            "progress_claims": page.totals.claims,
            "reviewer_verdicts": {r.reviewer.username: r.verdicts for r in page.reviewers},
        }


def test_archived_article_leaves_desk_exports_and_figures(app, desk_with_two_articles,
                                                          admin_id):
    first, second = desk_with_two_articles
    before = _everything_counted(app, admin_id)
    assert before["moderation"] == [first, second]
    assert before["desk"] == before["agreement"] == before["progress_articles"] == [first,
                                                                                    second]
    assert before["verdict_csv"] == before["claim_csv"] == [str(first), str(second)]
    assert before["reviewer_verdicts"] == {"alice": 2, "bob": 2}

    _archive(app, second, admin_id)
    after = _everything_counted(app, admin_id)
    assert after == {
        "desk": [first], "desk_choices": [first], "moderation": [first],
        "verdict_csv": [str(first)], "claim_csv": [str(first)],
        "agreement": [first], "progress_articles": [first],
        "progress_claims": before["progress_claims"] - 2,
        "reviewer_verdicts": {"alice": 1, "bob": 1},
    }

    _archive(app, second, admin_id, archive.restore)
    assert _everything_counted(app, admin_id) == before


def test_restore_gives_back_every_claim_verdict_revision_and_decision_unchanged(
    app, desk_with_two_articles, admin_id
):
    first, _ = desk_with_two_articles
    kept = {name: rows for name, rows in snapshot(app).items() if name in KEPT_TABLES}
    kept_data = {name: rows for name, rows in snapshot(app, derived=False).items()
                 if name in KEPT_TABLES}
    assert kept["verdict_revision"] and kept["final_verdict"]

    _archive(app, first, admin_id)
    # The data stays as it was; only the claims' desk ranks (derived) take them off the desk.
    while_archived = snapshot(app, derived=False)
    assert {name: while_archived[name] for name in KEPT_TABLES} == kept_data
    assert snapshot(app)["claim"] != kept["claim"]
    _archive(app, first, admin_id, archive.restore)
    restored = snapshot(app)
    assert {name: restored[name] for name in KEPT_TABLES} == kept
    with app.app_context():
        assert db.session.get(Article, first).archived_at is None


def test_both_changes_are_audited_with_who_and_when(app, article, admin_id):
    _archive(app, article, admin_id)
    with app.app_context():
        archived_at = db.session.get(Article, article).archived_at
    assert archived_at is not None
    _archive(app, article, admin_id, archive.restore)
    events = audit_events(app)
    stamp = archived_at.replace(microsecond=0).isoformat() + "Z"
    assert [e[:4] for e in events[-2:]] == [("article.archive", admin_id, "article", article),
                                            ("article.restore", admin_id, "article", article)]
    assert events[-2][4] == {"title": "The U.S. economy grew by 2.5% last year.",
                             "before": None, "after": stamp}
    assert events[-1][4] == {"title": "The U.S. economy grew by 2.5% last year.",
                             "before": stamp, "after": None}


@pytest.mark.parametrize("change, words", [
    ("archive_twice", "already archived"),
    ("restore_live", "not archived"),
])
def test_archiving_twice_or_restoring_a_live_article_is_refused(app, article, admin_id,
                                                                change, words):
    if change == "archive_twice":
        _archive(app, article, admin_id)
    before = snapshot(app)
    with app.app_context():
        target = db.session.get(Article, article)
        editor = db.session.get(User, admin_id)
        action = archive.archive if change == "archive_twice" else archive.restore
        with pytest.raises(archive.ArchiveError, match=words):
            action(target, editor)
        db.session.rollback()
    assert snapshot(app) == before


def test_an_archived_articles_claims_take_no_verdicts_nor_decisions(
    app, article, claims, reviewer_id, admin_id
):
    judge(app, claims[0], reviewer_id, "supported")
    _archive(app, article, admin_id)
    before = snapshot(app)
    with app.app_context():
        claim = db.session.get(Claim, claims[1])
        with pytest.raises(verdicts.ClaimClosed, match="article is archived"):
            verdicts.save_verdict(claim, db.session.get(User, reviewer_id), label="unclear",
                                  source_note="Looked it up.", source_url=None,
                                  expected_version=None)
        db.session.rollback()
        with pytest.raises(final_verdicts.DecisionError, match="archived.*takes no decision"):
            final_verdicts.decide(db.session.get(Claim, claims[0]),
                                  db.session.get(User, admin_id), label="supported",
                                  rationale="Confirmed.", sources=["https://example.org/a"],
                                  expected_version=None)
        db.session.rollback()
    assert snapshot(app) == before
    _archive(app, article, admin_id, archive.restore)
    assert judge(app, claims[1], reviewer_id, "unclear").label == "unclear"


def test_the_rule_reads_archived_articles_only(app, desk_with_two_articles, admin_id):
    first, second = desk_with_two_articles
    _archive(app, first, admin_id)
    with app.app_context():
        live = db.session.scalars(sa.select(Claim.article_id).where(archive.in_live_article())
                                  .distinct()).all()
        articles = db.session.scalars(sa.select(Article.id).where(archive.live_article())).all()
    assert live == [second] and articles == [second]
