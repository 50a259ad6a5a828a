"""A reviewer's day at the queue, through the pages: going on where I left off across an
import, each queue order an admin sets, skipping for the day (undo, the next day), runs
of rejected verdicts then re-checks, archived articles left out, and bad input refused
with nothing changed. The service-level rules: ``services/test_queue_order.py``."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from annotator_testkit.constants import PASSWORD, SECOND_ARTICLE
from annotator_testkit.forms import form_for, post_form
from annotator_testkit.queue_day import archive, next_in_queue, pin_today, set_queue_order
from annotator_testkit.rows import audit_events, snapshot
from annotator_testkit.web import moderate, save

from annotator.extensions import db
from annotator.models import Claim, ClaimSkip, User, Verdict
from annotator.services import boundaries, moderation, review_queue

IMPORTED_LATER = "title: Harbour\n\nThe port handled 4 million containers. Traffic grew.\n"
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def desk(make_article, claim_ids):
    """Two articles imported before the day starts: a (3 claims), then b (2)."""
    a = claim_ids(make_article())
    b = claim_ids(make_article(SECOND_ARTICLE, "budget.txt"))
    return a, b


def _as_admin(app, admin_id: int, action) -> None:
    """Run an admin's service call and commit (the admin pages' confirmation steps are
    tested with those pages)."""
    with app.app_context():
        action(db.session.get(User, admin_id))
        db.session.commit()


def _page(client, url: str) -> str:
    return client.get(url).get_data(as_text=True)


def _skip(client, claim_id: int, query: str = ""):
    return client.post(f"/claims/{claim_id}/skip{query}")


def _skip_rows(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            sa.select(ClaimSkip.claim_id, ClaimSkip.skipped_on, ClaimSkip.undone_at.is_(None))
            .order_by(ClaimSkip.id)).all()


# --- where I left off -------------------------------------------------------------------

@pytest.mark.parametrize("order", ["oldest", "newest", "fewest"])
def test_an_import_never_moves_my_place(app, desk, make_article, claim_ids, admin_id,
                                        reviewer_client, order):
    a, b = desk
    set_queue_order(app, order, admin_id)
    save(reviewer_client, a[0])
    save(reviewer_client, a[1])
    new = claim_ids(make_article(IMPORTED_LATER, "harbour.txt"))
    # Whatever the order, opening My queue goes on in the article I was working in.
    assert next_in_queue(reviewer_client) == f"/claims/{a[2]}"
    response = save(reviewer_client, a[2])
    # Then the rest in the desk's order: the new import comes first only when the desk
    # chose newest first (fewest first: b and the import have no review, b is older).
    assert response.location == f"/claims/{new[0] if order == 'newest' else b[0]}"


def test_my_place_is_my_latest_verdict_even_in_an_earlier_article(
    app, desk, reviewer_client
):
    a, b = desk
    save(reviewer_client, b[0])
    save(reviewer_client, a[0])  # opened from the article list, out of order
    assert next_in_queue(reviewer_client) == f"/claims/{a[1]}"
    # Another reviewer's work does not move my place.
    assert next_in_queue(reviewer_client) == f"/claims/{a[1]}"


# --- the order an admin chooses --------------------------------------------------------

def test_each_order_setting_through_the_settings_page(app, desk, make_article, claim_ids,
                                                      admin_client, admin_id, reviewer2_id,
                                                      reviewer_client, client_for):
    a, b = desk
    new = claim_ids(make_article(IMPORTED_LATER, "harbour.txt"))
    assert "/admin/settings" in _page(admin_client, "/admin/desk")
    checked = re.findall(r'<input[^>]*\bchecked\b[^>]*>', _page(admin_client, "/admin/settings"))
    assert len(checked) == 1 and 'value="oldest"' in checked[0]
    assert next_in_queue(reviewer_client) == f"/claims/{a[0]}"

    response = admin_client.post("/admin/settings", data={"queue_order": "newest"})
    assert (response.status_code, response.location) == (302, "/admin/settings")
    assert "The review queue now serves: Newest article first" in _page(
        admin_client, "/admin/settings")
    assert next_in_queue(reviewer_client) == f"/claims/{new[0]}"

    # Fewest first: bob reads on in his article among the claims with no review yet;
    # new[0] now has one, so alice starts at the oldest article again.
    save(client_for("bob"), new[0])
    admin_client.post("/admin/settings", data={"queue_order": "fewest"})
    assert next_in_queue(client_for("bob")) == f"/claims/{new[1]}"
    assert next_in_queue(reviewer_client) == f"/claims/{a[0]}"
    save(reviewer_client, a[0])
    save(reviewer_client, a[1])
    save(reviewer_client, a[2])
    # a, b and new[1] have no review from anyone else; new[0] (bob's) waits its turn.
    assert next_in_queue(reviewer_client) == f"/claims/{b[0]}"
    events = audit_events(app, "setting.change")
    assert [(e[4]["before"], e[4]["after"]) for e in events] == [
        ("oldest", "newest"), ("newest", "fewest")]
    assert all(e[1] == admin_id for e in events)

    # Saving the same order again says so and audits nothing.
    admin_client.post("/admin/settings", data={"queue_order": "fewest"})
    assert "already served" in _page(admin_client, "/admin/settings")
    assert len(audit_events(app, "setting.change")) == 2


@pytest.mark.parametrize("value", ["random", "", "fewest; DROP TABLE setting", "x" * 500])
def test_a_bad_order_value_is_refused_and_changes_nothing(app, desk, admin_client, value):
    before = snapshot(app)
    response = admin_client.post("/admin/settings", data={"queue_order": value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Unknown queue order" in page and 'aria-invalid="true"' in page
    assert snapshot(app) == before


def test_reviewers_cannot_change_the_order(app, desk, reviewer_client):
    before = snapshot(app)
    assert reviewer_client.post("/admin/settings",
                                data={"queue_order": "newest"}).status_code == 403
    assert snapshot(app) == before


# --- skipping for the day --------------------------------------------------------------

def test_skip_goes_on_and_the_skipped_claim_comes_last_today(app, desk, reviewer_client,
                                                             reviewer_id, monkeypatch):
    a, b = desk
    pin_today(monkeypatch, DAY)
    page = _page(reviewer_client, f"/claims/{a[0]}")
    form = form_for(page, f"/claims/{a[0]}/skip")
    assert form.method == "post"
    # Beside the previous/next links, not in the verdict form.
    assert page.index('rel="next"') < page.index(f'action="/claims/{a[0]}/skip"') \
        < page.index('name="verdict"')

    response = _skip(reviewer_client, a[0])
    assert response.location == f"/claims/{a[1]}"
    page = _page(reviewer_client, response.location)
    assert ("Skipped for today: the claim waits at the end of your queue (1 claim skipped "
            "today; undo on the Skipped today page).") in page
    assert 'href="/skips">skipped today</a>' in page
    with app.app_context():
        assert review_queue.waiting_verdicts(db.session.get(User, reviewer_id)).skipped == 1
    # Not a verdict: nothing saved, the article still counts the claim as waiting.
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Verdict.id))) == 0
    assert "(3 left)" in _page(reviewer_client, f"/articles/{a[0] and 1}")

    served = []
    while (location := next_in_queue(reviewer_client)) != "/" and len(served) < 8:
        served.append(location)
        save(reviewer_client, int(location.rsplit("/", 1)[1]))
    assert served == [f"/claims/{c}" for c in (a[1], a[2], *b, a[0])]


def test_skip_list_undo_and_the_next_day(app, desk, reviewer_client, monkeypatch):
    a, b = desk
    pin_today(monkeypatch, DAY)
    _skip(reviewer_client, a[0])
    _skip(reviewer_client, a[1])
    page = _page(reviewer_client, "/skips")
    assert "claim 1" in page and "claim 2" in page
    form_for(page, f"/claims/{a[0]}/skip/undo")

    # Skipping again the same day changes nothing.
    before = _skip_rows(app)
    response = _skip(reviewer_client, a[0])
    assert "You had already skipped this claim today; nothing changed." in _page(
        reviewer_client, response.location)
    assert _skip_rows(app) == before

    response = reviewer_client.post(f"/claims/{a[0]}/skip/undo")
    assert response.location == "/skips"
    page = _page(reviewer_client, "/skips")
    assert "is back in its place in your queue" in page and "claim 1</a>" not in page
    assert _skip_rows(app) == [(a[0], DAY, False), (a[1], DAY, True)]  # kept, marked undone
    # An undo with nothing to undo changes nothing.
    reviewer_client.post(f"/claims/{a[0]}/skip/undo")
    assert "This claim was not skipped today; nothing changed." in _page(reviewer_client,
                                                                        "/skips")
    assert len(_skip_rows(app)) == 2
    # Reversible: skipping it again records a new skip.
    _skip(reviewer_client, a[0])
    assert _skip_rows(app)[-1] == (a[0], DAY, True)

    pin_today(monkeypatch, DAY + dt.timedelta(days=1))
    assert "You have not skipped any claim today." in _page(reviewer_client, "/skips")
    # The skips are still my place (claim a[0] last): on from there, back in order.
    assert next_in_queue(reviewer_client) == f"/claims/{a[1]}"


def test_skips_are_mine_alone(app, desk, reviewer_client, reviewer2_client, monkeypatch):
    a, _ = desk
    pin_today(monkeypatch, DAY)
    _skip(reviewer_client, a[0])
    assert next_in_queue(reviewer2_client) == f"/claims/{a[0]}"
    assert "You have not skipped any claim today." in _page(reviewer2_client, "/skips")
    before = _skip_rows(app)
    reviewer2_client.post(f"/claims/{a[0]}/skip/undo")  # bob cannot undo alice's skip
    assert _skip_rows(app) == before


def test_skipping_what_cannot_be_skipped_says_why_and_changes_nothing(
    app, desk, reviewer_client, admin_id, monkeypatch
):
    a, b = desk
    pin_today(monkeypatch, DAY)
    save(reviewer_client, a[0])
    assert f'action="/claims/{a[0]}/skip"' not in _page(reviewer_client, f"/claims/{a[0]}")
    _as_admin(app, admin_id, lambda admin: moderation.set_hidden(
        db.session.get(Claim, b[0]), True, admin))
    archive(app, b[0] and 2)
    cases = [(a[0], "You have already judged this claim"),
             (b[0], "not in any queue (hidden or retired)"),
             (b[1], "article is archived")]
    for claim_id, message in cases:
        before = snapshot(app)
        response = _skip(reviewer_client, claim_id)
        assert response.location == f"/claims/{claim_id}"
        assert message in _page(reviewer_client, response.location)
        assert snapshot(app) == before
    for url in ("/claims/999999/skip", "/claims/999999/skip/undo"):
        assert reviewer_client.post(url).status_code == 404


def test_a_forged_skip_is_refused_and_a_real_one_works(app, csrf_app, desk, reviewer_id,
                                                       monkeypatch):
    a, _ = desk
    pin_today(monkeypatch, DAY)
    client = csrf_app.test_client()
    assert post_form(client, "/login", {"username": "alice",
                                        "password": PASSWORD}).status_code == 302
    before = snapshot(app)
    for data in ({}, {"csrf_token": "forged"}):
        assert client.post(f"/claims/{a[0]}/skip", data=data).status_code == 400
        assert client.post(f"/claims/{a[0]}/skip/undo", data=data).status_code == 400
    assert snapshot(app) == before
    response = post_form(client, f"/claims/{a[0]}/skip", {}, page=f"/claims/{a[0]}")
    assert response.location == f"/claims/{a[1]}"
    response = post_form(client, f"/claims/{a[0]}/skip/undo", {}, page="/skips")
    assert response.location == "/skips"
    assert _skip_rows(app) == [(a[0], DAY, False)]


def test_skip_keeps_the_hint_filter(app, desk, reviewer_client, monkeypatch):
    a, _ = desk
    pin_today(monkeypatch, DAY)
    location = next_in_queue(reviewer_client, "?hint=number")
    claim_id = int(location.split("?")[0].rsplit("/", 1)[1])
    page = _page(reviewer_client, location)
    form = form_for(page, f"/claims/{claim_id}/skip?hint=number")
    response = reviewer_client.post(form.action)
    assert response.status_code == 302 and response.location.endswith("?hint=number")


# --- rejected verdicts and re-checks as a run ------------------------------------------

def test_rejections_then_rechecks_come_as_a_run(app, desk, claim_ids, reviewer_client,
                                                admin_client, admin_id):
    a, b = desk
    for claim_id in a:
        save(reviewer_client, claim_id)
    mine = {}
    with app.app_context():
        for verdict in db.session.scalars(sa.select(Verdict)):
            mine[verdict.claim_id] = verdict.id
    moderate(admin_client, app, mine[a[0]], "reject", "Which source?")
    moderate(admin_client, app, mine[a[2]], "reject", "Check the date.")
    # Splitting a[1] ("Officials| praised the result.") sends its verdict to re-check.
    _as_admin(app, admin_id, lambda admin: boundaries.split_claim(
        db.session.get(Claim, a[1]), 9, admin, 1))
    second_half = claim_ids(1)[2]
    index = _page(reviewer_client, "/")
    assert "2 rejected verdicts to revise" in index and "1 verdict to re-check" in index

    assert next_in_queue(reviewer_client) == f"/claims/{a[0]}"
    version = lambda claim_id: str(_version(app, mine[claim_id]))  # noqa: E731
    # Each save goes on to the next of the run: the other rejection, then the re-check...
    assert save(reviewer_client, a[0], version=version(a[0])).location == f"/claims/{a[2]}"
    assert save(reviewer_client, a[2], version=version(a[2])).location == f"/claims/{a[1]}"
    # ...then back to the normal queue: on from my place, in its article.
    assert save(reviewer_client, a[1], version=version(a[1])).location == \
        f"/claims/{second_half}"
    index = _page(reviewer_client, "/")
    assert "rejected verdict" not in index and "to re-check" not in index


def _version(app, verdict_id: int) -> int:
    with app.app_context():
        return db.session.get(Verdict, verdict_id).version


# --- archived articles -----------------------------------------------------------------

def test_an_archived_article_leaves_my_queue(app, desk, reviewer_client, monkeypatch):
    a, b = desk
    pin_today(monkeypatch, DAY)
    save(reviewer_client, a[0])
    _skip(reviewer_client, a[1])
    archive(app, 1)
    assert next_in_queue(reviewer_client) == f"/claims/{b[0]}"
    assert next_in_queue(reviewer_client, "?article=1") == "/articles/1"
    assert "You have not skipped any claim today." in _page(reviewer_client, "/skips")


# --- cost ------------------------------------------------------------------------------

def test_opening_the_queue_costs_the_same_however_much_work_is_done(
    app, make_article, claim_ids, reviewer_client, count_queries, monkeypatch
):
    """The statements /queue sends do not grow with the articles, my verdicts or my
    skips: the place, the order and the skips are each one query."""
    pin_today(monkeypatch, DAY)

    def cost() -> int:
        with count_queries() as queries:
            assert reviewer_client.get("/queue").status_code == 302
        return queries.count

    first = claim_ids(make_article(
        "".join(f"Figure {i} rose by {i + 1}% in May.\n" for i in range(4)), "small.txt"))
    save(reviewer_client, first[0])
    small = cost()
    for n in range(6):
        ids = claim_ids(make_article(
            "".join(f"Item {i} of batch {n} fell by {i + 2}%.\n" for i in range(4)),
            f"batch{n}.txt"))
        save(reviewer_client, ids[0])
        _skip(reviewer_client, ids[1])
    save(reviewer_client, first[1])
    assert cost() == small
