"""The desk rank stored on each claim follows every change that moves the claim on the
desk, whichever service makes it; a start with another REVIEWS_PER_CLAIM ranks every
claim again; the migration that added the column leaves the ranks to the first start.

(Beside these, every test's database is checked for stale ranks when the test ends:
``annotator_testkit.apps.assert_derived_data_current``.)"""

from __future__ import annotations

import contextlib
import threading

import pytest
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
        # One note of the setting: the one for 2 is gone.
        assert len(db.session.scalars(sa.select(SiteState.key).where(
            SiteState.key.like("desk-ranks-%"))).all()) == 1


def test_a_save_ranks_by_the_apps_own_reviews_setting(
        make_app, claims, reviewer_id, reviewer2_id):
    """The statement a save ranks with is built once per setting: two apps of one process
    with different settings each rank by their own."""
    three = make_app(REVIEWS_PER_CLAIM=3)
    two = make_app()  # its start ranks for 2: the last app started says what is stored
    judge(three, claims[0], reviewer_id, "unclear")
    judge(three, claims[0], reviewer2_id, "unclear")
    judge(two, claims[1], reviewer_id, "unclear")
    judge(two, claims[1], reviewer2_id, "unclear")
    with two.app_context():
        ranks = db.session.scalars(sa.select(Claim.desk_rank).where(Claim.id.in_(claims[:2]))
                                   .order_by(Claim.position)).all()
        db.session.remove()
    assert [CLAIM_STATES[rank] for rank in ranks] == ["waiting", "unanimous"]


def test_refresh_ranks_the_claims_named_and_every_claim_of_the_articles_named(
        app, article, claims, reviewer_id, reviewer2_id):
    for claim_id in claims[:2]:
        judge(app, claim_id, reviewer_id, "supported")
        judge(app, claim_id, reviewer2_id, "supported")
    with app.app_context():
        def forget_ranks() -> None:
            db.session.execute(sa.update(Claim).values(desk_rank=None))
            assert len(desk_ranks.stale_ranks()) == 2

        forget_ranks()
        desk_ranks.refresh([claims[0]])
        assert len(desk_ranks.stale_ranks()) == 1
        desk_ranks.refresh([], [article])
        assert desk_ranks.stale_ranks() == []
        forget_ranks()
        desk_ranks.refresh([claims[1], None], [])
        assert len(desk_ranks.stale_ranks()) == 1
        db.session.rollback()


def _down_before_the_ranks_and_up(app, while_down=lambda: None) -> None:
    """Migrate back to the revision before the desk ranks, run ``while_down`` there (in
    the app context), then upgrade again, without starting an app."""
    from flask_migrate import downgrade, upgrade

    attach_migrations(app)
    with app.app_context():
        db.session.remove()
        downgrade(revision=BEFORE)
        while_down()
        upgrade()
        db.session.remove()


def test_the_migration_leaves_the_ranks_to_the_first_start(
        app, make_app, claims, reviewer_id, reviewer2_id, admin_id):
    judge(app, claims[0], reviewer_id, "supported")
    judge(app, claims[0], reviewer2_id, "disputed")
    decide(app, claims[1], admin_id, "supported")

    def without_ranks():
        schema = sa.inspect(db.engine)
        assert "desk_rank" not in {c["name"] for c in schema.get_columns("claim")}
        assert "ix_claim_desk" not in {i["name"] for i in schema.get_indexes("claim")}

    _down_before_the_ranks_and_up(app, without_ranks)
    with app.app_context():
        assert db.session.scalars(sa.select(Claim.desk_rank)).all() == [None] * 3
        assert desk_ranks.computed_for() is None
        db.session.remove()
    started = make_app()  # the first start after the upgrade
    assert _states(started, claims) == ["split", "decided", None]


def test_archiving_takes_the_claims_off_the_desk_and_restoring_brings_them_back(
        app, claims, reviewer_id, admin_id):
    from annotator.services import archive
    from annotator.services.desk import DeskFilters, desk_page

    judge(app, claims[0], reviewer_id, "supported")
    with app.test_request_context():
        editor = db.session.get(User, admin_id)
        archive.archive(db.session.get(Claim, claims[0]).article, editor)
        db.session.commit()
        on_desk = desk_page(editor, DeskFilters(), after=None, before=None, size=50)
        assert on_desk.claims == [] and on_desk.counts["waiting"] == 0
    assert _states(app, claims[:1]) == [None]
    with app.app_context():
        archive.restore(db.session.get(Claim, claims[0]).article,
                        db.session.get(User, admin_id))
        db.session.commit()
    assert _states(app, claims[:1]) == ["waiting"]


def test_a_start_without_auto_migrate_ranks_the_claims_after_a_manual_upgrade(
        app, make_app, claims, reviewer_id, reviewer2_id):
    judge(app, claims[0], reviewer_id, "supported")
    judge(app, claims[0], reviewer2_id, "disputed")
    _down_before_the_ranks_and_up(app)  # as `flask db upgrade` does: no ranks yet
    assert _states(make_app(AUTO_MIGRATE=False), claims[:1]) == ["split"]


def test_ranking_every_claim_goes_in_batches(app, make_article, claim_ids, reviewer_id,
                                             admin_id):
    claims = claim_ids(make_article()) + claim_ids(make_article("One. Two. Three.", "b.txt"))
    for claim in claims[::2]:
        judge(app, claim, reviewer_id, "unclear")
    decide(app, claims[1], admin_id, "supported")
    with app.app_context():
        db.session.execute(sa.update(Claim).values(desk_rank=None))  # as after the migration
        db.session.commit()
        done = []
        for count in desk_ranks.refresh_all_in_batches(batch_size=2):
            done.append(count)
            db.session.commit()
        db.session.commit()
        assert done == list(range(2, len(claims), 2)) + [len(claims)]
        db.session.remove()
    expected = ["waiting" if i % 2 == 0 else None for i in range(len(claims))]
    expected[1] = "decided"
    assert _states(app, claims) == expected


def test_a_verdict_moved_without_its_claim_loaded_still_ranks_both_claims(
        app, claims, reviewer_id):
    """A flush that moves a verdict whose claim_id was never loaded (expired) still
    knows the claim it left."""
    from annotator.models import Verdict

    verdict = judge(app, claims[0], reviewer_id, "supported")
    with app.app_context():
        moved = db.session.get(Verdict, verdict.id)
        db.session.expire(moved)
        moved.claim_id = claims[1]
        db.session.commit()
    assert _states(app, claims[:2]) == [None, "waiting"]


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


def test_two_editors_deciding_the_same_unanimous_claims_at_once(
        app, claims, reviewer_id, reviewer2_id, admin_id, make_user, monkeypatch):
    """Both read the claims as unanimous and undecided before either decides; the one
    that comes second finds them decided and leaves them, instead of failing."""
    from annotator_testkit.concurrency import run_together

    from annotator.services import desk

    for claim in claims[:2]:
        for reviewer in (reviewer_id, reviewer2_id):
            judge(app, claim, reviewer, "disputed", url="https://example.org/table")
    second_editor = make_user("eve", role="admin")
    barrier = threading.Barrier(2, timeout=10)
    unanimous_in = desk.unanimous_in

    def read_then_meet(claim_ids):
        found = unanimous_in(claim_ids)
        barrier.wait()
        return found

    monkeypatch.setattr(desk, "unanimous_in", read_then_meet)

    def bulk(editor_id):
        with app.app_context():
            outcome = desk.decide_unanimous(claims[:2], db.session.get(User, editor_id))
            db.session.commit()
            return outcome

    outcomes = run_together([lambda: bulk(admin_id), lambda: bulk(second_editor)])
    assert sorted(len(outcome.decided) for outcome in outcomes) == [0, 2]
    [late] = [outcome for outcome in outcomes if not outcome.decided]
    assert set(late.skipped) == set(claims[:2])
    assert all("decided this claim since you loaded" in why for why in late.skipped.values())
    assert _states(app, claims[:2]) == ["decided", "decided"]


@pytest.mark.backend("postgresql")
def test_ranking_every_claim_waits_for_a_save_in_progress_and_counts_it(
        app, make_app, claims, reviewer_id, reviewer2_id):
    """Another server's save holds its claim while this start ranks every claim: the
    start waits for it and counts its verdict, instead of writing the rank it read
    before that save committed."""
    from annotator.services import verdicts

    judge(app, claims[0], reviewer_id, "supported")  # waiting, one review of two
    with app.app_context():  # as the migration leaves them: not ranked yet
        db.session.execute(sa.update(Claim).values(desk_rank=None))
        db.session.commit()
    serving = make_app()
    flushed, commit_now = threading.Event(), threading.Event()

    def save_and_hold():
        with serving.app_context():
            verdicts.save_verdict(db.session.get(Claim, claims[0]),
                                  db.session.get(User, reviewer2_id), label="supported",
                                  source_note="Checked.", source_url=None,
                                  expected_version=None)
            flushed.set()
            commit_now.wait(10)
            db.session.commit()

    def rank_everything():
        flushed.wait(10)
        with app.app_context():
            for _done in desk_ranks.refresh_all_in_batches():
                commit_now.set()  # the batch has read its claims: let the save commit
                db.session.commit()
            db.session.commit()

    saving = threading.Thread(target=save_and_hold)
    saving.start()
    threading.Timer(1.0, commit_now.set).start()  # the ranking is blocked on the lock by now
    rank_everything()
    saving.join(10)
    assert _states(app, claims[:1]) == ["unanimous"]
