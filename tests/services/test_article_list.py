"""The Articles page's data: search by title and sources (wildcards literal, any input
safe), sort by article date, import date and progress both ways, filter by progress
state, the team's figures for admins, archived articles apart; every page read by key."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from annotator_testkit.team import decide, judge

from annotator.extensions import db
from annotator.models import Article, Claim, User
from annotator.services.article_list import (
    SEARCH_MAX_CHARS,
    ArticleQuery,
    article_list,
    like_pattern,
)
from annotator.services.keyset import decode_cursor

# title, header source, file name, date, claims
ARTICLES = [
    ("Budget deficit falls", "Kyiv Post", "a91f0c3e.txt", "2025-04-03", 2),
    ("Unemployment at 50% in the region", "The Herald", "jobs_report.txt", None, 3),
    ("Ministers meet in Brussels", "Reuters", "5b2e77aa.txt", "2024-11-30", 2),
    ("Prices rose 5 points", "Kyiv Independent", "prices.txt", "2025-01-15", 1),
]


def article_file(title, source, date, claims) -> str:
    header = f"title: {title}\nsource: {source}\n" + (f"date: {date}\n" if date else "")
    body = "".join(f"Sentence {n} of {title} rose by {n}%.\n" for n in range(claims))
    return header + "\n" + body


@pytest.fixture
def desk(app, make_article, claim_ids, admin_id, reviewer_id, reviewer2_id):
    """The four articles imported in order; alice judged all of article 0 and one claim of
    article 1; bob judged article 2 whole and the desk decided it; nobody touched 3."""
    ids = [make_article(article_file(t, s, d, c), f) for t, s, f, d, c in ARTICLES]
    claims = [claim_ids(i) for i in ids]
    for claim in claims[0] + claims[1][:1]:
        judge(app, claim, reviewer_id)
    for claim in claims[2]:
        judge(app, claim, reviewer2_id)
        decide(app, claim, admin_id)
    return ids


def listed(app, user_id: int, size: int = 50, **args) -> list[str]:
    """Every title the list shows, walking the pages forward by their cursors."""
    titles, after = [], None
    with app.app_context():
        user = db.session.get(User, user_id)
        query = ArticleQuery.from_args(args, is_admin=user.is_admin)
        for _ in range(len(ARTICLES) + 1):  # a cursor that did not advance fails, not hangs
            listing = article_list(user, query, after=after, before=None, size=size)
            titles += [row.article.title for row in listing.rows]
            if not listing.page.after:
                return titles
            after = decode_cursor(listing.page.after, query.cursor_kinds)
            assert after is not None, listing.page.after
    raise AssertionError(f"the pages never ended: {titles}")


def rows(app, user_id: int, **args):
    with app.app_context():
        user = db.session.get(User, user_id)
        listing = article_list(user, ArticleQuery.from_args(args, is_admin=user.is_admin),
                               after=None, before=None, size=50)
        return {row.article.title: row for row in listing.rows}


T = [title for title, *_ in ARTICLES]


def test_query_defaults_and_unknown_values_fall_back():
    assert ArticleQuery.from_args({}, is_admin=False) == ArticleQuery()
    odd = {"sort": "title; drop", "dir": "sideways", "state": "finished", "q": "  a \t b  "}
    assert ArticleQuery.from_args(odd, is_admin=True) == ArticleQuery(search="a b")
    assert ArticleQuery.from_args({"state": "archived"}, is_admin=False).state == ""
    assert ArticleQuery.from_args({"state": "archived"}, is_admin=True).state == "archived"
    long = ArticleQuery.from_args({"q": "x" * 10_000}, is_admin=False)
    assert len(long.search) == SEARCH_MAX_CHARS


def test_a_query_round_trips_through_its_arguments():
    query = ArticleQuery(search="post", sort="progress", direction="asc", state="done")
    assert query.as_args() == {"q": "post", "sort": "progress", "dir": "asc", "state": "done"}
    assert ArticleQuery.from_args(query.as_args(), is_admin=False) == query
    assert ArticleQuery().as_args() == {}


def test_like_pattern_escapes_wildcards_and_the_escape():
    assert like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"


@pytest.mark.parametrize(("search", "expected"), [
    ("budget", [T[0]]),  # title, any case
    ("KYIV", [T[3], T[0]]),  # the source named in the file's header
    ("a91f0c3e", [T[0]]),  # the file name
    ("%", [T[1]]),  # a literal percent sign, not "anything"
    ("_", [T[1]]),  # a literal underscore: only jobs_report.txt
    ("5_", []),
    ("\\", []),
    ("' OR 1=1 --", []),
    ("nothing like this", []),
])
def test_search_by_title_and_sources(app, desk, reviewer_id, search, expected):
    assert listed(app, reviewer_id, q=search) == expected


def test_hostile_and_long_searches_never_error(app, desk, reviewer_id):
    for search in ("x" * 100_000, "%%%%", "____", "[a-z]*", "\u202e\u0000", "ü" * 400):
        assert listed(app, reviewer_id, q=search) == []


@pytest.mark.parametrize(("args", "expected"), [
    ({}, [T[3], T[2], T[1], T[0]]),  # newest import first
    ({"dir": "asc"}, T),
    # The article's own date; an article without one counts as the oldest.
    ({"sort": "published"}, [T[0], T[3], T[2], T[1]]),
    ({"sort": "published", "dir": "asc"}, [T[1], T[2], T[3], T[0]]),
    # Alice's progress: 2/2, 1/3, 0/2, 0/1 (ties by id, in the same direction).
    ({"sort": "progress"}, [T[0], T[1], T[3], T[2]]),
    ({"sort": "progress", "dir": "asc"}, [T[2], T[3], T[1], T[0]]),
])
def test_sorts_both_ways_on_every_page(app, desk, reviewer_id, args, expected):
    assert listed(app, reviewer_id, **args) == expected
    assert listed(app, reviewer_id, size=1, **args) == expected  # paged by key, one a page


def test_a_reviewer_filters_by_their_own_progress(app, desk, reviewer_id):
    assert listed(app, reviewer_id, state="done") == [T[0]]
    assert listed(app, reviewer_id, state="in_progress") == [T[1]]
    assert listed(app, reviewer_id, state="not_started") == [T[3], T[2]]
    mine = rows(app, reviewer_id)
    assert (mine[T[1]].claims, mine[T[1]].done, mine[T[1]].team) == (3, 1, None)


def test_an_admin_sees_and_filters_by_the_teams_progress(app, desk, admin_id):
    assert listed(app, admin_id, state="done") == [T[2]]  # decided by the desk
    assert listed(app, admin_id, state="not_started") == [T[3], T[1], T[0]]
    assert listed(app, admin_id, sort="progress") == [T[2], T[3], T[1], T[0]]
    team = rows(app, admin_id)
    needed = 2  # REVIEWS_PER_CLAIM in the tests
    assert (team[T[2]].done, team[T[2]].team.decided) == (2, 2)
    # Article 0: alice judged both claims, each still needs one more independent verdict.
    assert team[T[0]].team.verdicts_needed == 2 * needed - 2
    assert team[T[3]].team.verdicts_needed == needed


def test_archived_articles_only_under_the_admins_archived_filter(app, desk, admin_id,
                                                                 reviewer_id):
    with app.app_context():
        db.session.get(Article, desk[1]).archived_at = dt.datetime(2026, 1, 1)
        db.session.commit()
    assert T[1] not in listed(app, reviewer_id)
    assert T[1] not in listed(app, admin_id)
    assert listed(app, admin_id, state="archived") == [T[1]]
    assert listed(app, reviewer_id, state="archived") == [T[3], T[2], T[0]]  # ignored
    assert listed(app, admin_id, state="archived", q="nothing") == []


def test_hidden_and_retired_claims_do_not_count(app, desk, reviewer_id):
    with app.app_context():
        claim = db.session.scalars(sa.select(Claim).where(Claim.article_id == desk[1])
                                   .order_by(Claim.position.desc())).first()
        claim.status = "hidden"
        db.session.commit()
    assert (rows(app, reviewer_id)[T[1]].claims, rows(app, reviewer_id)[T[1]].done) == (2, 1)


def test_the_list_carries_what_waits_for_the_reviewer(app, desk, reviewer_id):
    with app.app_context():
        user = db.session.get(User, reviewer_id)
        listing = article_list(user, ArticleQuery(), after=None, before=None, size=50)
        assert listing.queue_size > 0 and listing.waiting.rejected == 0
        assert listing.page.total == 4 and not listing.team


@pytest.mark.parametrize("direction", ["desc", "asc"])
@pytest.mark.parametrize("state", ["", "not_started"])
def test_by_article_date_pages_walk_back_the_way_they_came(app, desk, reviewer_id, direction,
                                                           state):
    """By article date the dated and the undated articles are read as two runs: walking
    back from the last page by the ``before`` cursors gives every page again, the runs'
    seam (the oldest dated article, the undated one) included."""
    with app.app_context():
        user = db.session.get(User, reviewer_id)
        query = ArticleQuery(sort="published", direction=direction, state=state)
        forward, after = [], None
        while True:
            listing = article_list(user, query, after=after, before=None, size=1)
            forward.append([row.article.title for row in listing.rows])
            if not listing.page.after:
                break
            after = decode_cursor(listing.page.after, query.cursor_kinds)
        backward, before = [], decode_cursor(listing.page.before, query.cursor_kinds)
        while before is not None:
            listing = article_list(user, query, after=None, before=before, size=1)
            backward.append([row.article.title for row in listing.rows])
            assert listing.page.total == len(forward)
            before = decode_cursor(listing.page.before, query.cursor_kinds)
    everything = [T[0], T[3], T[2], T[1]]  # newest date first; T[1] has none
    if state:  # alice has judged all of T[0] and one claim of T[1]
        everything = [T[3], T[2]]
    assert sum(forward, []) == (everything if direction == "desc" else everything[::-1])
    assert backward == forward[-2::-1]


@pytest.mark.parametrize("cursor", [(20251399, 1), (5, 1), (99991231, 0)])
def test_a_cursor_naming_no_date_shows_a_page(app, desk, reviewer_id, cursor):
    """A hand-edited date in the cursor (the 99th day, a year 0) shows the first page;
    a real date far ahead shows what comes after it (everything, newest first)."""
    with app.app_context():
        user = db.session.get(User, reviewer_id)
        for after, before in ((cursor, None), (None, cursor)):
            listing = article_list(user, ArticleQuery(sort="published"), after=after,
                                   before=before, size=50)
            titles = [row.article.title for row in listing.rows]
            assert titles == ([] if before and cursor[0] == 99991231
                              else [T[0], T[3], T[2], T[1]]), (after, before)
