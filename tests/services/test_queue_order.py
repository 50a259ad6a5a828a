"""The queue's order, place and skips at the service level: the desk's order setting
(validated, audited), where each order starts, reading on from a reviewer's place, "fewest
reviews first" against the place, and archived articles left out of the queue, the skips
and the counts."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from annotator_testkit.constants import ARTICLE_TEXT, SECOND_ARTICLE
from annotator_testkit.queue_day import archive, pin_today, set_queue_order
from annotator_testkit.rows import audit_events, snapshot
from annotator_testkit.team import judge

from annotator.extensions import db
from annotator.models import Claim, ClaimSkip, Setting, User, Verdict
from annotator.services import moderation, queue_order, review_queue, skips

THIRD_ARTICLE = "title: Harbour\n\nThe port handled 4 million containers. Traffic grew.\n"


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def next_for(app, user_id: int, after: int | None = None) -> int | None:
    with app.app_context():
        claim = review_queue.next_claim_for(
            _user(user_id), after=None if after is None else db.session.get(Claim, after))
        return None if claim is None else claim.id


def skip(app, claim_id: int, user_id: int) -> None:
    with app.app_context():
        skips.skip_claim(db.session.get(Claim, claim_id), _user(user_id))
        db.session.commit()


@pytest.fixture
def three(make_article, claim_ids):
    """Three articles imported in this order: a (3 claims), b (2), c (2)."""
    return [claim_ids(make_article(text, name)) for text, name in (
        (ARTICLE_TEXT, "a.txt"), (SECOND_ARTICLE, "b.txt"), (THIRD_ARTICLE, "c.txt"))]


def test_the_default_order_is_oldest_first_and_changing_it_is_audited(app, admin_id):
    with app.app_context():
        assert queue_order.current_queue_order() == "oldest"
    set_queue_order(app, "fewest", admin_id)
    with app.app_context():
        assert queue_order.current_queue_order() == "fewest"
        row = db.session.get(Setting, "queue_order")
        assert (row.value, row.updated_by_id) == ("fewest", admin_id)
        # Choosing the same order again changes nothing and audits nothing.
        assert queue_order.set_queue_order("fewest", _user(admin_id)) is False
    [event] = audit_events(app, "setting.change")
    assert event[1] == admin_id and event[2] == "setting"
    assert event[4] == {"key": "queue_order", "before": "oldest", "after": "fewest"}


@pytest.mark.parametrize("value", ["random", "", None, "OLDEST", "oldest "])
def test_an_unknown_order_is_refused_and_nothing_changes(app, admin_id, value):
    before = snapshot(app)
    with app.app_context(), pytest.raises(queue_order.UnknownQueueOrder) as refused:
        queue_order.set_queue_order(value, _user(admin_id))
    assert refused.value.field == "queue_order"
    assert "oldest, newest, fewest" in str(refused.value)
    assert snapshot(app) == before


def test_a_stored_value_no_longer_known_falls_back_to_the_default(app):
    with app.app_context():
        db.session.add(Setting(key="queue_order", value="retired-order"))
        db.session.commit()
        assert queue_order.current_queue_order() == "oldest"


@pytest.mark.parametrize(("order", "start"), [("oldest", (0, 0)), ("newest", (2, 0))])
def test_each_order_starts_where_it_says(app, admin_id, reviewer_id, three, order, start):
    set_queue_order(app, order, admin_id)
    article, index = start
    assert next_for(app, reviewer_id) == three[article][index]


def test_fewest_reviews_first_spreads_the_team_before_the_place(
    app, admin_id, reviewer_id, reviewer2_id, three
):
    a, b, c = three
    judge(app, a[0], reviewer2_id)
    judge(app, a[1], reviewer2_id)
    # By default the first claims still needing reviews, in reading order.
    assert next_for(app, reviewer_id) == a[0]
    set_queue_order(app, "fewest", admin_id)
    assert next_for(app, reviewer_id) == a[2]  # no review yet, oldest article first
    judge(app, a[2], reviewer_id)
    # My place is a[2]; nothing with no review is left after it in a: the oldest next.
    assert next_for(app, reviewer_id) == b[0]
    judge(app, b[0], reviewer_id)
    assert next_for(app, reviewer_id) == b[1]  # reads on among the fewest


def test_the_place_is_the_latest_verdict_or_skip_and_an_undone_skip_is_none(
    app, reviewer_id, three, monkeypatch
):
    a, b, _ = three
    pin_today(monkeypatch, dt.date(2026, 3, 2))
    with app.app_context():
        assert review_queue.place_of(_user(reviewer_id)) is None
    judge(app, b[0], reviewer_id)
    assert next_for(app, reviewer_id) == b[1]  # reads on in b, not back to a
    skip(app, a[1], reviewer_id)
    with app.app_context():
        assert review_queue.place_of(_user(reviewer_id)).id == a[1]
    assert next_for(app, reviewer_id) == a[2]
    with app.app_context():
        assert skips.undo_skip(db.session.get(Claim, a[1]), _user(reviewer_id)) is True
        db.session.commit()
        assert review_queue.place_of(_user(reviewer_id)).id == b[0]


def test_skipped_claims_come_last_for_the_day_only(app, reviewer_id, three, monkeypatch):
    a, b, c = three
    pin_today(monkeypatch, dt.date(2026, 3, 2))
    skip(app, a[0], reviewer_id)
    served = []
    while (claim := next_for(app, reviewer_id)) is not None and len(served) < 10:
        served.append(claim)
        judge(app, claim, reviewer_id)
    assert served == [a[1], a[2], *b, *c, a[0]]


def test_skips_do_not_outlive_their_day(app, reviewer_id, three, monkeypatch):
    a = three[0]
    pin_today(monkeypatch, dt.date(2026, 3, 2))
    skip(app, a[0], reviewer_id)
    with app.app_context():
        assert skips.count_skipped_today(_user(reviewer_id)) == 1
        assert review_queue.first_unjudged_in(db.session.get(Claim, a[0]).article,
                                              _user(reviewer_id)).id == a[1]
    pin_today(monkeypatch, dt.date(2026, 3, 3))
    with app.app_context():
        assert skips.count_skipped_today(_user(reviewer_id)) == 0
        assert skips.skipped_today(_user(reviewer_id)) == []
        assert db.session.scalar(sa.select(sa.func.count(ClaimSkip.id))) == 1  # on record
    with app.app_context():
        user = _user(reviewer_id)
        assert review_queue.first_unjudged_in(db.session.get(Claim, a[0]).article,
                                              user).id == a[0]
    # Yesterday's skip is still my place, so I read on after it; a[0] is back in its place
    # in the desk's order, before the next article rather than at the very end.
    assert next_for(app, reviewer_id) == a[1]
    judge(app, a[1], reviewer_id)
    judge(app, a[2], reviewer_id)
    assert next_for(app, reviewer_id) == a[0]


def test_a_skip_counts_nowhere_but_in_my_queue(app, reviewer_id, reviewer2_id, three,
                                                monkeypatch):
    a = three[0]
    pin_today(monkeypatch, dt.date(2026, 3, 2))
    with app.app_context():
        size = review_queue.queue_size(_user(reviewer_id))
    skip(app, a[0], reviewer_id)
    with app.app_context():
        # Still in my queue (at its end), untouched for everyone else.
        assert review_queue.queue_size(_user(reviewer_id)) == size
        assert skips.count_skipped_today(_user(reviewer2_id)) == 0
    assert next_for(app, reviewer2_id) == a[0]


def test_archived_articles_leave_the_queue_the_skips_and_the_counts(
    app, admin_id, reviewer_id, three, monkeypatch, make_user
):
    a, b, c = three
    pin_today(monkeypatch, dt.date(2026, 3, 2))
    judged = judge(app, a[0], reviewer_id)
    with app.app_context():
        moderation.reject(db.session.get(Verdict, judged.id), _user(admin_id), "Source?",
                          judged.version)
        db.session.commit()
    skip(app, a[1], reviewer_id)
    with app.app_context():
        user = _user(reviewer_id)
        assert review_queue.waiting_verdicts(user) == (1, 0, 1)
        assert skips.count_skipped_today(user) == 1
        assert review_queue.queue_size(user) == 2 + 2 + 2
    archive(app, three_article_id(app, a[0]))
    with app.app_context():
        user = _user(reviewer_id)
        assert review_queue.waiting_verdicts(user) == (0, 0, 0)
        assert skips.count_skipped_today(user) == 0 and skips.skipped_today(user) == []
        assert review_queue.queue_size(user) == 4
        assert review_queue.first_unjudged_in(db.session.get(Claim, a[2]).article, user) is None
        with pytest.raises(skips.SkipRefused, match="archived"):
            skips.skip_claim(db.session.get(Claim, a[2]), user)
    # My place was in the archived article: the queue starts at the oldest live one.
    assert next_for(app, reviewer_id) == b[0]
    for article in (b, c):
        archive(app, three_article_id(app, article[0]))
    assert next_for(app, reviewer_id) is None
    with app.app_context():
        assert review_queue.any_open_claims() is False


def three_article_id(app, claim_id: int) -> int:
    with app.app_context():
        return db.session.get(Claim, claim_id).article_id
