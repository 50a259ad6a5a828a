"""The indexes opening the queue reads (migration cb5ea55611db): the migration adds them
and its downgrade drops them; on SQLite the reviewer's place and their verdicts to
re-check are read from an index by key, never by sorting or reading all of the
reviewer's verdicts (the plans ``benchmarks/bench_scale.py --explain`` shows)."""

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
from annotator.models import Claim, User, Verdict
from annotator.services import review_queue, skips

NEW = {"verdict": ("ix_verdict_reviewer_changed", ["reviewer_id", "updated_at", "id"]),
       "claim_skip": ("ix_claim_skip_reviewer_latest", ["reviewer_id", "created_at", "id"])}
BEFORE = "9e3b7c1d5a28"  # the revision before these indexes


def _indexes(table: str) -> dict[str, list[str]]:
    return {index["name"]: index["column_names"]
            for index in sa.inspect(db.engine).get_indexes(table)}


def test_the_migration_adds_the_indexes_and_its_downgrade_drops_them(app):
    from flask_migrate import downgrade, upgrade

    attach_migrations(app)
    with app.app_context():
        assert all(_indexes(table).get(name) == columns for table, (name, columns) in NEW.items())
        db.session.remove()
        downgrade(revision=BEFORE)
        assert all(name not in _indexes(table) for table, (name, _) in NEW.items())
        upgrade()
        assert all(_indexes(table).get(name) == columns for table, (name, columns) in NEW.items())


@pytest.fixture
def working(app, claims, reviewer_id):
    """alice judged the first claim (its verdict now to re-check) and skipped the last."""
    judge(app, claims[0], reviewer_id)
    with app.app_context():
        verdict = db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claims[0]))
        verdict.needs_recheck = True
        skips.skip_claim(db.session.get(Claim, claims[2]), db.session.get(User, reviewer_id))
        db.session.commit()
    return claims


@pytest.mark.backend("sqlite")
def test_the_place_is_read_by_key(app, working, reviewer_id):
    with app.test_request_context(), select_statements() as seen:
        assert review_queue.place_of(db.session.get(User, reviewer_id)).id == working[2]
        plans = query_plans(seen)
    [saves] = plans_of(seen, plans, "FROM verdict WHERE verdict.reviewer_id = ?")
    assert "SEARCH verdict USING INDEX ix_verdict_reviewer_changed (reviewer_id=?)" in saves
    [skipped] = plans_of(seen, plans, "FROM claim_skip WHERE claim_skip.reviewer_id = ?")
    assert "SEARCH claim_skip USING INDEX ix_claim_skip_reviewer_latest (reviewer_id=?)" \
        in skipped
    for plan in (saves, skipped):
        assert "TEMP B-TREE" not in plan, plan  # read newest first: no sort of them all


@pytest.mark.backend("sqlite")
def test_the_verdicts_to_recheck_are_searched_by_state(app, working, reviewer_id):
    found, seen, plans = next_claim_with_plans(app, reviewer_id)
    assert found == working[0]
    [recheck] = plans_of(seen, plans, "verdict.needs_recheck IS 1")
    assert ("ix_verdict_reviewer_state (reviewer_id=? AND moderation_state=? AND "
            "needs_recheck=?)") in recheck, recheck


@pytest.mark.backend("sqlite")
def test_the_queue_looks_on_from_the_remembered_frontier(app, claims, reviewer_id):
    """Once a reviewer's frontier is remembered, the first claim of their queue is
    searched from it in the claims' (article, position) key, not from the first claim;
    the queue's size counts from there too."""
    judge(app, claims[0], reviewer_id)
    with app.test_request_context():
        reviewer = db.session.get(User, reviewer_id)
        assert review_queue.queue_size(reviewer) == 2
        judge(app, claims[1], reviewer_id)
        with select_statements() as seen:
            assert review_queue.queue_size(reviewer) == 1
            plans = query_plans(seen)
    looks = plans_of(seen, plans, "(claim.article_id, claim.position) >=")
    assert len(looks) >= 2, looks  # the look, the count
    for plan in looks:  # a range of article ids from the frontier's (with its position)
        assert ("USING INDEX sqlite_autoindex_claim_1 ((article_id,position)>(?,?))" in plan
                or "USING INDEX ix_claim_article_id (article_id>?)" in plan), plan
        assert "SCAN claim" not in plan, plan
