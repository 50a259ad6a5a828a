"""The desk rank stored on each claim follows every change that moves the claim on the
desk, whichever service makes it; a start with another REVIEWS_PER_CLAIM ranks every
claim again; the migration that added the column leaves the ranks to the first start.

(Beside these, every test's database is checked for stale ranks when the test ends:
``annotator_testkit.apps.assert_desk_ranks_current``.)"""

from __future__ import annotations

import contextlib
import threading

import sqlalchemy as sa
from annotator_testkit.team import decide, judge

from annotator.database import attach_migrations
from annotator.extensions import db
from annotator.models import Claim, SiteState, User
from annotator.services import boundaries, desk_ranks, moderation
from annotator.text.claim_states import CLAIM_STATES

BEFORE = "64edee5b748f"  # the revision before the desk ranks


def _states(app, claim_ids) -> list[str | None]:
    """Each claim's stored rank as its state's name, None when it is off the desk."""
    with app.app_context():
        ranks = dict(db.session.execute(
            sa.select(Claim.id, Claim.desk_rank).where(Claim.id.in_(claim_ids))).all())
        assert desk_ranks.stale_ranks() == []
        db.session.remove()
    return [None if ranks[c] is None else CLAIM_STATES[ranks[c]] for c in claim_ids]


def test_verdicts_and_decisions_move_a_claim_through_the_states(
        app, claims, reviewer_id, reviewer2_id, admin_id):
    assert _states(app, claims) == [None, None, None]  # nothing on the desk yet
    judge(app, claims[0], reviewer_id, "supported")
    judge(app, claims[1], reviewer_id, "supported")
    assert _states(app, claims) == ["waiting", "waiting", None]
    judge(app, claims[0], reviewer2_id, "supported")
    judge(app, claims[1], reviewer2_id, "disputed")
    assert _states(app, claims) == ["unanimous", "split", None]
    judge(app, claims[1], reviewer2_id, "supported")  # a changed label mends the split
    assert _states(app, claims[1:2]) == ["unanimous"]
    decide(app, claims[2], admin_id, "unclear")  # decided without any verdict
    assert _states(app, claims) == ["unanimous", "unanimous", "decided"]


def test_moderation_that_leaves_the_labels_alone_writes_no_rank(
        app, claims, reviewer_id, admin_id):
    verdict = judge(app, claims[0], reviewer_id, "supported")
    updates = []

    def keep(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE CLAIM"):
            updates.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", keep)
        try:
            moderation.approve(db.session.merge(verdict), db.session.get(User, admin_id),
                               expected_version=verdict.version)
            db.session.commit()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", keep)
    assert updates == []
    assert _states(app, claims[:1]) == ["waiting"]


def test_hiding_takes_a_claim_off_the_desk_and_unhiding_brings_it_back(
        app, claims, reviewer_id, admin_id):
    judge(app, claims[0], reviewer_id, "disputed")

    def hidden(value):
        with app.app_context():
            moderation.set_hidden(db.session.get(Claim, claims[0]), value,
                                  db.session.get(User, admin_id))
            db.session.commit()

    hidden(True)
    assert _states(app, claims[:1]) == [None]
    hidden(False)
    assert _states(app, claims[:1]) == ["waiting"]


def test_boundary_changes_rank_the_claims_they_touch(
        app, claims, reviewer_id, reviewer2_id, admin_id):
    judge(app, claims[0], reviewer_id, "supported")
    judge(app, claims[0], reviewer2_id, "supported")
    judge(app, claims[1], reviewer_id, "disputed")
    decide(app, claims[0], admin_id, "supported")
    with app.app_context():
        first = db.session.get(Claim, claims[0])
        version = first.article.boundary_version
        # The merge retires claims[1] and marks claims[0]'s decision to re-check.
        boundaries.merge_with_next(first, db.session.get(User, admin_id), version)
        db.session.commit()
    assert _states(app, claims[:2]) == ["recheck", None]
    decide(app, claims[0], admin_id, "disputed")
    assert _states(app, claims[:1]) == ["decided"]


def test_a_start_with_another_reviews_setting_ranks_every_claim_again(
        make_app, claims, reviewer_id, reviewer2_id):
    two = make_app()
    judge(two, claims[0], reviewer_id, "unclear")
    judge(two, claims[0], reviewer2_id, "unclear")
    assert _states(two, claims[:1]) == ["unanimous"]
    three = make_app(REVIEWS_PER_CLAIM=3)
    assert _states(three, claims[:1]) == ["waiting"]
    with three.app_context():
        assert desk_ranks.computed_for() == 3
        assert db.session.scalars(sa.select(SiteState.key).where(
            SiteState.key.like("desk-ranks-%"))).all() == ["desk-ranks-for-3"]


def test_the_migration_leaves_the_ranks_to_the_first_start(
        app, make_app, claims, reviewer_id, reviewer2_id, admin_id):
    from flask_migrate import downgrade, upgrade

    judge(app, claims[0], reviewer_id, "supported")
    judge(app, claims[0], reviewer2_id, "disputed")
    decide(app, claims[1], admin_id, "supported")
    attach_migrations(app)
    with app.app_context():
        db.session.remove()
        downgrade(revision=BEFORE)
        schema = sa.inspect(db.engine)
        assert "desk_rank" not in {c["name"] for c in schema.get_columns("claim")}
        assert "ix_claim_desk" not in {i["name"] for i in schema.get_indexes("claim")}
        upgrade()
        assert db.session.scalars(sa.select(Claim.desk_rank)).all() == [None] * 3
        assert desk_ranks.computed_for() is None
        db.session.remove()
    started = make_app()  # the first start after the upgrade
    assert _states(started, claims) == ["split", "decided", None]


def test_an_archived_article_keeps_its_ranks_off_the_desk(app, claims, reviewer_id, admin_id):
    from annotator.services import archive
    from annotator.services.desk import DeskFilters, desk_page

    judge(app, claims[0], reviewer_id, "supported")
    with app.test_request_context():
        editor = db.session.get(User, admin_id)
        archive.archive(db.session.get(Claim, claims[0]).article, editor)
        db.session.commit()
        on_desk = desk_page(editor, DeskFilters(), after=None, before=None, size=50)
        assert on_desk.claims == [] and on_desk.counts["waiting"] == 0
    # Archiving is one column of the article, so restoring is exact: the rank stayed.
    assert _states(app, claims[:1]) == ["waiting"]


def test_two_saves_on_one_claim_at_once_both_land_and_rank_it(
        app, claims, reviewer_id, reviewer2_id, monkeypatch):
    """Both saves reach the claim's lock together and both then rewrite its rank. Had
    they both held a share lock, PostgreSQL would abort one as a deadlock; they take
    turns instead (the first waits at the barrier for a second that is waiting for its
    lock, gives up after a moment and commits), and the second counts the first's
    verdict."""
    from annotator_testkit.concurrency import run_together

    from annotator.services import verdicts

    barrier = threading.Barrier(2, timeout=2)
    lock_open_claim = verdicts._lock_open_claim

    def lock_then_meet(claim, reviewer):
        verdict = lock_open_claim(claim, reviewer)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return verdict

    monkeypatch.setattr(verdicts, "_lock_open_claim", lock_then_meet)
    saved = run_together([lambda: judge(app, claims[0], reviewer_id, "supported"),
                          lambda: judge(app, claims[0], reviewer2_id, "disputed")])
    assert sorted(verdict.label for verdict in saved) == ["disputed", "supported"]
    assert _states(app, claims[:1]) == ["split"]
