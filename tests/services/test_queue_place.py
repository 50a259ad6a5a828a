"""The queue's place: the claim of the reviewer's latest saved verdict or skip (an undone
skip not counted), whichever is later.

``review_queue.place_of`` reads it by key, from the reviewer's verdicts changed last,
instead of sorting every revision and skip of the reviewer. Here it must agree with that
sort, done by brute force, however saves, re-saves, moderation and skips interleave,
including when the walk needs several batches. The walk relies on a rule of the writers,
also checked at every step: a save sets its verdict's ``updated_at`` to the revision's
time, and moderation only moves it later."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit.constants import SECOND_ARTICLE
from annotator_testkit.team import judge

from annotator.extensions import db
from annotator.models import Claim, ClaimSkip, User, Verdict, VerdictRevision
from annotator.services import moderation, review_queue, skips


def _sorted_place(reviewer_id: int) -> int | None:
    """The rule as it reads, by brute force: every revision and skip of the reviewer
    sorted, newest first (the verdict wins a tie with a skip)."""
    latest = [
        db.session.execute(
            sa.select(VerdictRevision.created_at, Verdict.claim_id)
            .join(Verdict, VerdictRevision.verdict_id == Verdict.id)
            .where(Verdict.reviewer_id == reviewer_id)
            .order_by(VerdictRevision.created_at.desc(), VerdictRevision.id.desc()).limit(1)
        ).first(),
        db.session.execute(
            sa.select(ClaimSkip.created_at, ClaimSkip.claim_id)
            .where(ClaimSkip.reviewer_id == reviewer_id, ClaimSkip.undone_at.is_(None))
            .order_by(ClaimSkip.created_at.desc(), ClaimSkip.id.desc()).limit(1)
        ).first(),
    ]
    found = max((row for row in latest if row is not None), key=lambda row: row.created_at,
                default=None)
    return None if found is None else found.claim_id


def _changes_never_before_their_saves(reviewer_id: int) -> bool:
    """Every verdict of the reviewer was last changed at or after its latest save."""
    latest_save = (sa.select(sa.func.max(VerdictRevision.created_at))
                   .where(VerdictRevision.verdict_id == Verdict.id).scalar_subquery())
    return not db.session.scalar(
        sa.select(sa.func.count()).select_from(Verdict)
        .where(Verdict.reviewer_id == reviewer_id, Verdict.updated_at < latest_save))


@pytest.fixture
def five_claims(make_article, claim_ids):
    return claim_ids(make_article()) + claim_ids(make_article(SECOND_ARTICLE, "budget.txt"))


@pytest.mark.parametrize("batch", [1, 2, 20])
def test_the_place_read_by_key_is_the_latest_save_or_skip(
    app, five_claims, reviewer_id, reviewer2_id, admin_id, monkeypatch, batch,
):
    """With batches of one or two verdicts the moderations after the latest save send
    the walk through several batches; with twenty it reads one."""
    monkeypatch.setattr(review_queue, "_PLACE_BATCH", batch)
    a0, a1, a2, b0, b1 = five_claims

    def check(expected: int | None) -> None:
        with app.app_context():
            reviewer = db.session.get(User, reviewer_id)
            place = review_queue.place_of(reviewer)
            assert (None if place is None else place.id) == _sorted_place(reviewer_id)
            assert _sorted_place(reviewer_id) == expected
            assert _changes_never_before_their_saves(reviewer_id)

    def moderate(claim_id: int, action) -> None:
        with app.app_context():
            verdict = db.session.scalar(sa.select(Verdict).where(
                Verdict.claim_id == claim_id, Verdict.reviewer_id == reviewer_id))
            action(verdict, db.session.get(User, admin_id))
            db.session.commit()

    def approve(verdict, admin):
        moderation.approve(verdict, admin, verdict.version)

    def reject(verdict, admin):
        moderation.reject(verdict, admin, "Cite the table.", verdict.version)

    def skip(claim_id: int, undo: bool = False) -> None:
        with app.app_context():
            claim, reviewer = db.session.get(Claim, claim_id), db.session.get(User, reviewer_id)
            (skips.undo_skip if undo else skips.skip_claim)(claim, reviewer)
            db.session.commit()

    check(None)  # a newcomer has no place
    for claim_id in (a0, a2, b0, a1):
        judge(app, claim_id, reviewer_id)
    check(a1)
    for claim_id in (b0, a0, a2):  # all moderated after the latest save
        moderate(claim_id, approve)
    check(a1)
    judge(app, b0, reviewer_id, "disputed")  # a re-save moves the place back to b0
    check(b0)
    moderate(a1, reject)
    check(b0)
    skip(b1)
    check(b1)
    judge(app, a0, reviewer2_id)  # another reviewer's work moves nothing
    check(b1)
    skip(b1, undo=True)
    check(b0)
    judge(app, a2, reviewer_id, "unclear")
    check(a2)
