"""The indexes the scale benchmark (benchmarks/bench_scale.py) asked for: the migration
adds them and its downgrade gives back the ones they replaced; on SQLite the statements
they were made for read them instead of scanning a table (the plans are what the
benchmark's ``--explain`` shows at a million claims)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit.query_plans import (
    next_claim_with_plans,
    plans_of,
    query_plans,
    select_statements,
)
from annotator_testkit.team import judge

from annotator.database import attach_migrations
from annotator.extensions import db
from annotator.models import User
from annotator.services import article_list, desk
from annotator.text.claim_states import CLAIM_STATES

NEW = {"article": {"ix_article_archived_at": ["archived_at"],
                   "ix_article_by_date": ["archived_at", "published_on", "id"]},
       "verdict": {"ix_verdict_claim_reviews": ["claim_id", "independent_version", "label"],
                   "ix_verdict_reviewer_state": ["reviewer_id", "moderation_state",
                                                 "needs_recheck", "claim_id", "label"]}}
REPLACED = {"verdict": {"ix_verdict_claim_id": ["claim_id"],
                        "ix_verdict_reviewer_id": ["reviewer_id"]}}
BEFORE = "c7d2e5a9f013"  # the revision before the indexes


def _indexes(table: str) -> dict[str, list[str]]:
    return {index["name"]: index["column_names"]
            for index in sa.inspect(db.engine).get_indexes(table)}


def _has(expected: dict[str, dict[str, list[str]]]) -> bool:
    return all(_indexes(table).get(name) == columns
               for table, indexes in expected.items() for name, columns in indexes.items())


def _has_none(expected: dict[str, dict[str, list[str]]]) -> bool:
    return all(name not in _indexes(table)
               for table, indexes in expected.items() for name in indexes)


def test_the_migration_adds_the_indexes_and_its_downgrade_restores_the_old_ones(app):
    from flask_migrate import downgrade, upgrade

    attach_migrations(app)
    with app.app_context():
        assert _has(NEW) and _has_none(REPLACED)
        db.session.remove()
        downgrade(revision=BEFORE)
        assert _has(REPLACED) and _has_none(NEW)
        upgrade()
        assert _has(NEW) and _has_none(REPLACED)


@pytest.fixture
def judged(app, claims, reviewer_id, reviewer2_id, admin_id):
    """A split claim, a unanimous one, and a rejected verdict of alice's."""
    judge(app, claims[0], reviewer_id, "supported")
    judge(app, claims[0], reviewer2_id, "disputed")
    judge(app, claims[1], reviewer_id, "unclear")
    rejected = judge(app, claims[1], reviewer2_id, "unclear")
    with app.app_context():
        from annotator.models import Verdict
        db.session.get(Verdict, rejected.id).moderation_state = "rejected"
        db.session.commit()
    return claims


@pytest.mark.backend("sqlite")
def test_the_desk_reads_the_stored_ranks_by_key_and_never_scans(app, judged, admin_id):
    with app.test_request_context(), select_statements() as seen:
        page = desk.desk_page(db.session.get(User, admin_id), desk.DeskFilters(),
                              after=None, before=None, size=50)
        assert [item.state for item in page.claims] == ["split", "unanimous"]
        plans = query_plans(seen)
    by_rank = "SEARCH claim USING COVERING INDEX ix_claim_desk (desk_rank=?)"
    [counts] = [plan for plan in plans if by_rank in plan]
    assert counts.count(by_rank) == len(CLAIM_STATES)  # one bounded count per state
    [listed] = [plan for plan in plans if "SEARCH claim USING INDEX ix_claim_desk" in plan]
    assert "TEMP B-TREE" not in listed  # read in the desk's order: no sort
    for plan in plans:
        for table in ("claim", "verdict", "article"):
            assert f"SCAN {table}" not in plan, plan


@pytest.mark.backend("sqlite")
def test_the_articles_page_counts_live_articles_from_the_index(app, judged, reviewer_id):
    with app.test_request_context(), select_statements() as seen:
        article_list.article_list(db.session.get(User, reviewer_id),
                                  article_list.ArticleQuery(), after=None, before=None,
                                  size=50)
        plans = query_plans(seen)
    # Counted up to ARTICLES_COUNT_SHOWN_MAX + 1.
    counts = plans_of(seen, plans, "FROM article WHERE article.archived_at IS NULL LIMIT ?")
    assert all("COVERING INDEX ix_article_archived_at" in plan for plan in counts), counts


@pytest.mark.backend("sqlite")
def test_rejected_verdicts_are_found_by_reviewer_and_state(app, judged, reviewer2_id):
    found, _, plans = next_claim_with_plans(app, reviewer2_id)
    assert found == judged[1]
    assert any("ix_verdict_reviewer_state (reviewer_id=? AND moderation_state=?)" in plan
               for plan in plans), plans


@pytest.mark.backend("sqlite")
@pytest.mark.parametrize("direction", ["desc", "asc"])
def test_the_articles_page_by_date_reads_pages_by_key(app, judged, reviewer_id, direction):
    """By article date the page is read from the index, dated and undated articles each
    by key, and never sorted whole ("TEMP B-TREE FOR ORDER BY")."""
    with app.test_request_context(), select_statements() as seen:
        article_list.article_list(
            db.session.get(User, reviewer_id),
            article_list.ArticleQuery(sort="published", direction=direction),
            after=(20250403, 1), before=None, size=50)
        plans = query_plans(seen)
    pages = plans_of(seen, plans, "ORDER BY article.published_on")
    for plan in pages:
        assert "USING INDEX ix_article_by_date (archived_at=? AND published_on" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


@pytest.mark.backend("sqlite")
def test_a_save_counts_its_progress_by_index_and_never_scans(app, judged, reviewer_id):
    """A save reads its claim's contribution to the Progress tallies before and after its
    flush (services/progress_tallies): by the claim's key and the verdicts' claim index,
    never a scan of the claims or the verdicts."""
    from annotator.models import Claim
    from annotator.services import verdicts

    with app.test_request_context(), select_statements() as seen:
        verdicts.save_verdict(db.session.get(Claim, judged[2]),
                              db.session.get(User, reviewer_id), label="disputed",
                              source_note="Checked.", source_url=None, expected_version=None)
        db.session.commit()
        plans = query_plans(seen)
    counts = plans_of(seen, plans, "UNION ALL")
    assert len(counts) == 2, counts  # before the flush, and after it
    for plan in counts:
        assert "SEARCH claim USING INTEGER PRIMARY KEY" in plan, plan
        assert "verdict USING" in plan and "INDEX ix_verdict_claim_reviews" in plan, plan
        assert "SCAN claim" not in plan and "SCAN verdict" not in plan, plan
