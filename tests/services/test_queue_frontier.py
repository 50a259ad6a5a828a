"""The queue's frontier (``services.queue_frontier``): each process remembers where each
reviewer's queue starts, trusts it while the queue's epoch is unchanged, and moves it back
only as far as the changes since then name.

Every change that can put a claim back in a queue, or a new one before the others, writes
a new epoch in its transaction, with the first place it may have put a claim at; the
changes that only take claims out (saves, skips, moderation, decisions, archiving,
hiding) leave it, so the memory is used. And where a claim comes back before a
remembered frontier, the queue serves it.

Every test of the suite also checks each queue look against a look from the first claim
(``annotator_testkit.apps.check_queue_frontiers``).
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from annotator_testkit.constants import SECOND_ARTICLE
from annotator_testkit.queue_day import archive as archive_article
from annotator_testkit.team import decide, judge

from annotator.extensions import db
from annotator.models import (
    Article,
    Claim,
    QueueChange,
    SiteState,
    User,
    Verdict,
    VerdictRevision,
)
from annotator.services import (
    archive,
    article_import,
    boundaries,
    moderation,
    queue_frontier,
    review_queue,
    skips,
)


@pytest.fixture
def five_claims(make_article, claim_ids):
    """Two articles: a0, a1, a2 and b0, b1, in reading order."""
    return claim_ids(make_article()) + claim_ids(make_article(SECOND_ARTICLE, "budget.txt"))


def epoch(app) -> str:
    with app.app_context():
        return queue_frontier.current_epoch()


def as_admin(app, admin_id: int, change) -> None:
    """Run ``change(admin)`` through the services and commit, as a request would."""
    with app.app_context():
        change(db.session.get(User, admin_id))
        db.session.commit()


def claim(claim_id: int) -> Claim:
    return db.session.get(Claim, claim_id)


def next_for(app, reviewer_id: int) -> int | None:
    with app.test_request_context():
        found = review_queue.next_claim_for(db.session.get(User, reviewer_id))
        return None if found is None else found.id


def test_a_start_gives_the_queue_an_epoch_once(app, make_app):
    first = epoch(app)
    assert len(first) == 32
    assert epoch(make_app()) == first  # a second start keeps it
    with app.app_context():
        db.session.execute(sa.delete(SiteState).where(SiteState.key == SiteState.QUEUE_EPOCH))
        db.session.commit()
        assert queue_frontier.current_epoch() is None
    restarted = epoch(make_app())
    assert restarted is not None and restarted != first


def test_without_an_epoch_nothing_is_remembered(app, five_claims, reviewer_id):
    with app.app_context():
        db.session.execute(sa.delete(SiteState).where(SiteState.key == SiteState.QUEUE_EPOCH))
        db.session.commit()
    judge(app, five_claims[0], reviewer_id)
    assert next_for(app, reviewer_id) == five_claims[1]
    with app.app_context():
        assert app.extensions.get("annotator.queue_frontiers", {}) == {}


def _split(claims, admin):
    target = claim(claims[0])
    boundaries.split_claim(target, len(target.text) // 2, admin, target.article.boundary_version)


def _merge(claims, admin):
    target = claim(claims[0])
    boundaries.merge_with_next(target, admin, target.article.boundary_version)


def _unhide(claims, admin):
    moderation.set_hidden(claim(claims[1]), False, admin)


def _restore_article(claims, admin):
    archive.restore(db.session.get(Article, claim(claims[3]).article_id), admin)


def _import(claims, admin):
    article_import.import_blobs([("third.txt", b"A new article arrives. It has claims.")],
                                admin)


def _move_a_verdict(claims, admin):
    verdict = db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claims[2]))
    verdict.claim_id = claims[4]


GROWING = {"split": _split, "merge": _merge, "unhide": _unhide,
           "restore an archived article": _restore_article, "import": _import,
           "a verdict moved": _move_a_verdict}


@pytest.mark.parametrize("change", GROWING)
def test_a_change_that_can_put_a_claim_back_writes_a_new_epoch(
    app, five_claims, admin_id, reviewer_id, hide_claim, change
):
    judge(app, five_claims[2], reviewer_id)
    hide_claim(five_claims[1])
    archive_article(app, _article_of(app, five_claims[3]))
    before = epoch(app)
    a0, a1, a2, b0, b1 = (_place(app, claim_id) for claim_id in five_claims)
    as_admin(app, admin_id, lambda admin: GROWING[change](five_claims, admin))
    after = epoch(app)
    assert after != before
    # The first place the change may have put a claim at: no later than the claim that
    # came back, and no earlier than its article (not the first claim of all).
    named = _change_named(app, after)
    first_back = {"split": a0, "merge": a0, "unhide": a1,
                  "restore an archived article": b0, "a verdict moved": a2}
    if change == "import":
        assert named.article_id > b0.article_id
    else:
        assert (first_back[change].article_id, 0) <= named <= first_back[change]


def test_a_re_split_that_brings_claims_back_writes_a_new_epoch(app, five_claims, admin_id):
    as_admin(app, admin_id, lambda admin: _merge(five_claims, admin))
    before = epoch(app)
    as_admin(app, admin_id, lambda admin: boundaries.resplit_article(
        claim(five_claims[0]).article, admin, claim(five_claims[0]).article.boundary_version))
    assert epoch(app) != before


def test_a_merge_moves_the_claims_after_it_forward_and_the_queue_follows(
    app, five_claims, admin_id, reviewer_id, reviewer2_id, make_user
):
    """a2 moves from position 3 to 2, before carol's frontier remembered at position 3
    (a0 and a1 have their two reviews: out of her queue)."""
    a0, a1, a2, b0, b1 = five_claims
    carol = make_user("carol")
    for claim_id in (a0, a1):
        judge(app, claim_id, reviewer_id)
        judge(app, claim_id, reviewer2_id)
    assert next_for(app, carol) == a2
    as_admin(app, admin_id, lambda admin: _merge(five_claims, admin))
    with app.app_context():
        assert claim(a2).position == 2
    assert next_for(app, carol) == a2


def _place(app, claim_id: int) -> queue_frontier.Frontier:
    with app.app_context():
        found = claim(claim_id)
        return queue_frontier.Frontier(found.article_id, found.position)


def _change_named(app, epoch_token: str) -> queue_frontier.Frontier:
    """The place the change that wrote ``epoch_token`` named."""
    with app.app_context():
        row = db.session.scalars(sa.select(QueueChange)
                                 .where(QueueChange.epoch == epoch_token)).one()
        return queue_frontier.Frontier(row.article_id, row.position)


def _look(app, reviewer_id: int) -> queue_frontier.Frontier:
    """Count the reviewer's queue (which always looks for the frontier, and remembers
    it); the frontier found."""
    with app.test_request_context():
        review_queue.queue_size(db.session.get(User, reviewer_id))
    return _remembered(app, reviewer_id)


def _remembered(app, reviewer_id: int) -> queue_frontier.Frontier:
    """Where this app's queue for the reviewer would start now."""
    with app.app_context():
        key = (reviewer_id, app.config["REVIEWS_PER_CLAIM"])
        return queue_frontier.remembered(queue_frontier.current_epoch(), key)


def _article_of(app, claim_id: int) -> int:
    with app.app_context():
        return claim(claim_id).article_id


def test_work_that_only_takes_claims_out_keeps_the_epoch(
    app, five_claims, admin_id, reviewer_id, reviewer2_id
):
    a0, a1, a2, b0, b1 = five_claims
    before = epoch(app)
    judge(app, a0, reviewer_id)
    judge(app, a0, reviewer_id, "disputed")  # a revision
    judge(app, a0, reviewer2_id)
    with app.app_context():
        skips.skip_claim(claim(a1), db.session.get(User, reviewer_id))
        db.session.commit()
    decide(app, a0, admin_id)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        verdict = db.session.scalar(sa.select(Verdict).where(Verdict.reviewer_id == reviewer_id))
        moderation.reject(verdict, admin, "Cite the table.", verdict.version)
        db.session.commit()
    as_admin(app, admin_id, lambda admin: moderation.set_hidden(claim(a2), True, admin))
    as_admin(app, admin_id, lambda admin: archive.archive(claim(b0).article, admin))
    assert epoch(app) == before


def test_a_rolled_back_change_keeps_the_epoch(app, five_claims, admin_id):
    before = epoch(app)
    with app.app_context():
        _split(five_claims, db.session.get(User, admin_id))
        db.session.flush()
        db.session.rollback()
        db.session.commit()
    assert epoch(app) == before


def test_a_claim_brought_back_before_the_remembered_frontier_is_served(
    app, five_claims, admin_id, reviewer_id, hide_claim
):
    a0, a1, a2, b0, b1 = five_claims
    hide_claim(a0)
    for claim_id in (a1, a2):
        judge(app, claim_id, reviewer_id)
    assert next_for(app, reviewer_id) == b0  # remembered: the queue starts at b0
    as_admin(app, admin_id, lambda admin: moderation.set_hidden(claim(a0), False, admin))
    assert next_for(app, reviewer_id) == a0


def test_an_article_restored_before_the_frontier_is_served(
    app, five_claims, admin_id, reviewer_id
):
    a0, a1, a2, b0, b1 = five_claims
    archive_article(app, _article_of(app, a0))
    assert next_for(app, reviewer_id) == b0
    judge(app, b0, reviewer_id)
    as_admin(app, admin_id, lambda admin: archive.restore(
        db.session.get(Article, claim(a0).article_id), admin))
    with app.test_request_context():
        reviewer = db.session.get(User, reviewer_id)
        # Reading on in b's article first (the place is b0), then the restored article.
        assert review_queue.next_claim_for(reviewer).id == b1
        assert review_queue.queue_size(reviewer) == 4


def test_the_memory_is_per_app(make_app, app, five_claims, reviewer_id):
    """Two apps (two processes' worth) on one database keep their own frontiers; one
    that has never looked starts from the first claim."""
    other = make_app()
    judge(app, five_claims[0], reviewer_id)
    key = (reviewer_id, app.config["REVIEWS_PER_CLAIM"])
    with app.test_request_context():
        assert review_queue.queue_size(db.session.get(User, reviewer_id)) == 4
        assert queue_frontier.remembered(queue_frontier.current_epoch(), key) == (
            claim(five_claims[1]).article_id, claim(five_claims[1]).position)
    with other.test_request_context():
        assert queue_frontier.remembered(queue_frontier.current_epoch(), key) \
            == queue_frontier.START
        assert review_queue.queue_size(db.session.get(User, reviewer_id)) == 4


def test_a_savepoint_rolled_back_keeps_what_came_before_it(
    app, five_claims, admin_id, hide_claim
):
    hide_claim(five_claims[1])
    before = epoch(app)
    with app.app_context():
        moderation.set_hidden(claim(five_claims[1]), False, db.session.get(User, admin_id))
        db.session.flush()
        db.session.begin_nested().rollback()
        db.session.commit()
    assert epoch(app) != before


def test_an_empty_queue_is_remembered_until_a_claim_comes_back(
    app, five_claims, admin_id, reviewer_id
):
    for claim_id in five_claims:
        judge(app, claim_id, reviewer_id)
    assert next_for(app, reviewer_id) is None
    with app.app_context():
        key = (reviewer_id, app.config["REVIEWS_PER_CLAIM"])
        assert queue_frontier.remembered(queue_frontier.current_epoch(), key) \
            == queue_frontier.PAST_EVERY_CLAIM
    as_admin(app, admin_id, lambda admin: _import(five_claims, admin))
    found = next_for(app, reviewer_id)
    assert found is not None and found not in five_claims


@pytest.mark.backend("sqlite")
def test_a_backup_restore_writes_a_new_epoch(app, runner, five_claims, reviewer_id, tmp_path):
    """The restored data may hold claims the running app remembers as judged."""
    target = tmp_path / "desk.backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    for claim_id in five_claims[:3]:
        judge(app, claim_id, reviewer_id)
    assert next_for(app, reviewer_id) == five_claims[3]
    backed_up = _stored_epoch(target)
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert epoch(app) not in (backed_up, None)
    assert next_for(app, reviewer_id) == five_claims[0]


def _stored_epoch(database) -> str:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("SELECT value FROM site_state WHERE key = ?",
                                  (SiteState.QUEUE_EPOCH,)).fetchone()[0]
    finally:
        connection.close()



def test_a_change_after_the_frontier_leaves_it_where_it_was(
    app, five_claims, admin_id, reviewer_id, hide_claim
):
    a0, a1, a2, b0, b1 = five_claims
    hide_claim(b1)
    for claim_id in (a0, a1):
        judge(app, claim_id, reviewer_id)
    assert _look(app, reviewer_id) == _place(app, a2)
    before = epoch(app)
    as_admin(app, admin_id, lambda admin: moderation.set_hidden(claim(b1), False, admin))
    as_admin(app, admin_id, lambda admin: _import(five_claims, admin))
    assert epoch(app) != before
    assert _remembered(app, reviewer_id) == _place(app, a2)  # not the first claim
    assert next_for(app, reviewer_id) == a2


def test_a_change_before_the_frontier_moves_it_back_to_that_place_only(
    app, five_claims, admin_id, reviewer_id, hide_claim
):
    a0, a1, a2, b0, b1 = five_claims
    hide_claim(a1)
    for claim_id in (a0, a2, b0):
        judge(app, claim_id, reviewer_id)
    assert _look(app, reviewer_id) == _place(app, b1)
    as_admin(app, admin_id, lambda admin: moderation.set_hidden(claim(a1), False, admin))
    assert _remembered(app, reviewer_id) == _place(app, a1)
    assert _look(app, reviewer_id) == _place(app, a1)  # a1 is served again


def test_after_several_changes_the_frontier_goes_back_to_the_first_place_named(
    app, five_claims, admin_id, reviewer_id, hide_claim
):
    a0, a1, a2, b0, b1 = five_claims
    hide_claim(a1)
    hide_claim(b1)
    for claim_id in (a0, a2, b0):
        judge(app, claim_id, reviewer_id)
    assert _look(app, reviewer_id) == queue_frontier.PAST_EVERY_CLAIM
    as_admin(app, admin_id, lambda admin: moderation.set_hidden(claim(a1), False, admin))
    as_admin(app, admin_id, lambda admin: moderation.set_hidden(claim(b1), False, admin))
    assert _remembered(app, reviewer_id) == _place(app, a1)
    assert _look(app, reviewer_id) == _place(app, a1)  # a1 is served again


def test_a_restore_or_a_bare_token_sends_the_queue_to_the_first_claim(
    app, five_claims, reviewer_id
):
    """An epoch naming the first claim (what a restore writes), and a token written with
    no row at all (by an older version, or by hand): neither says what changed."""
    judge(app, five_claims[0], reviewer_id)
    assert _look(app, reviewer_id) == _place(app, five_claims[1])
    with app.app_context():
        queue_frontier.new_epoch(db.session.connection())
        db.session.commit()
    assert _remembered(app, reviewer_id) == queue_frontier.START
    assert _look(app, reviewer_id) == _place(app, five_claims[1])
    with app.app_context():
        db.session.execute(sa.update(SiteState).where(SiteState.key == SiteState.QUEUE_EPOCH)
                           .values(value="a-token-without-a-row"))
        db.session.commit()
    assert _remembered(app, reviewer_id) == queue_frontier.START
    assert _look(app, reviewer_id) == _place(app, five_claims[1])


def test_a_split_in_a_later_article_leaves_the_frontier_where_it_was(
    app, five_claims, admin_id, reviewer_id
):
    a0, a1, a2, b0, b1 = five_claims
    judge(app, a0, reviewer_id)
    assert _look(app, reviewer_id) == _place(app, a1)
    before = epoch(app)
    as_admin(app, admin_id, lambda admin: _split([b0], admin))
    assert epoch(app) != before
    assert _remembered(app, reviewer_id) == _place(app, a1)


def test_a_verdict_removed_names_its_claims_place(app, five_claims, reviewer_id):
    """Nothing removes a verdict today; should anything, even with the verdict's claim
    expired from the session, the change names that claim's place (the claim is
    servable to the reviewer again)."""
    b0 = five_claims[3]
    verdict_id = judge(app, b0, reviewer_id).id
    with app.app_context():
        db.session.execute(sa.delete(VerdictRevision)
                           .where(VerdictRevision.verdict_id == verdict_id))
        verdict = db.session.get(Verdict, verdict_id)
        db.session.expire(verdict, ["claim_id"])
        db.session.delete(verdict)
        db.session.commit()
        assert _change_named(app, queue_frontier.current_epoch()) == _place(app, b0)


def test_a_frontier_older_than_the_changes_kept_starts_from_the_first_claim(
    app, five_claims, admin_id, reviewer_id, hide_claim, monkeypatch
):
    monkeypatch.setattr(queue_frontier, "CHANGES_KEPT", 2)
    a0, a1, a2, b0, b1 = five_claims
    hide_claim(b1)
    judge(app, a0, reviewer_id)
    assert _look(app, reviewer_id) == _place(app, a1)
    for hidden in (False, True, False):
        as_admin(app, admin_id,
                 lambda admin, hidden=hidden: moderation.set_hidden(claim(b1), hidden, admin))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QueueChange)) == 2
    assert _remembered(app, reviewer_id) == queue_frontier.START
    assert _look(app, reviewer_id) == _place(app, a1)
    as_admin(app, admin_id, lambda admin: moderation.set_hidden(claim(b1), True, admin))
    as_admin(app, admin_id, lambda admin: moderation.set_hidden(claim(b1), False, admin))
    assert _remembered(app, reviewer_id) == _place(app, a1)  # one change back: still known
