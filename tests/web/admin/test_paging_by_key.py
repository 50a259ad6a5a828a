"""The moderation queue and the audit log are paged by key: every item once, in order,
forwards and backwards; an action keeps the editor on their page; an edited cursor shows
the first page; and no page reads article bodies or skips rows with OFFSET."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import AuditEvent, Verdict

PER_PAGE = 5


@pytest.fixture
def small_pages(app):
    app.config["PAGE_SIZE"] = PER_PAGE


@pytest.fixture
def pending(app, make_article, claim_ids, make_user, make_verdict, small_pages):
    """23 pending verdicts by 23 reviewers on one claim each, oldest first."""
    text = "".join(f"Figure {i} rose by {i}% in May.\n" for i in range(23))
    claims = claim_ids(make_article(text, "many.txt"))
    ids = [make_verdict(claim, make_user(f"r{n}")) for n, claim in enumerate(claims)]
    with app.app_context():
        return [v.id for v in db.session.scalars(
            sa.select(Verdict).where(Verdict.id.in_(ids))
            .order_by(Verdict.updated_at, Verdict.id))]


def cards(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'action="/admin/verdicts/(\d+)/approve', html)]


def link(html: str, words: str) -> str | None:
    found = re.search(r'<a href="([^"]+)">' + re.escape(words), html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_paging_forwards_and_back_shows_every_verdict_once_in_order(admin_client, pending):
    url, seen, pages = "/admin/moderation", [], []
    while url:
        html = admin_client.get(url).get_data(as_text=True)
        assert "(23 waiting)" in html
        pages.append(cards(html))
        seen += pages[-1]
        url = link(html, "Newer")
    assert seen == pending and [len(p) for p in pages] == [5, 5, 5, 5, 3]
    back = []
    html = admin_client.get(f"/admin/moderation?after={_cursor_of(admin_client, 3)}")\
        .get_data(as_text=True)
    while True:
        back.insert(0, cards(html))
        previous = link(html, "&larr; Older")
        if previous is None:
            break
        html = admin_client.get(previous).get_data(as_text=True)
    assert [v for page in back for v in page] == pending


def _cursor_of(client, pages_forward: int) -> str:
    html = client.get("/admin/moderation").get_data(as_text=True)
    for _ in range(pages_forward):
        url = link(html, "Newer")
        html = client.get(url).get_data(as_text=True)
    return link(html, "Newer").split("after=", 1)[1]


def test_an_action_keeps_the_editor_on_their_page(admin_client, pending):
    cursor = _cursor_of(admin_client, 1)  # the start of page 3
    html = admin_client.get(f"/admin/moderation?after={cursor}").get_data(as_text=True)
    first = cards(html)[0]
    assert f'action="/admin/verdicts/{first}/approve?after=' in html
    response = admin_client.post(f"/admin/verdicts/{first}/approve?after={cursor}",
                                 data={"version": "1"})
    assert response.status_code == 302
    assert response.location.startswith("/admin/moderation?after=")
    assert cards(admin_client.get(response.location).get_data(as_text=True)) == pending[11:16]


@pytest.mark.parametrize("cursor", [
    "x", "1", "2026-13-01T00:00:00_4", "2026-01-01T00:00:00_x", "2026-01-01T00:00:00_-4",
    f"2026-01-01T00:00:00_{10**30}", "_", "2026-01-01T00:00:00_1_2",
])
def test_an_edited_cursor_shows_the_first_page(admin_client, pending, cursor):
    for name in ("after", "before"):
        response = admin_client.get(f"/admin/moderation?{name}={cursor}")
        assert response.status_code == 200
        assert cards(response.get_data(as_text=True)) == pending[:PER_PAGE]


def test_the_moderation_page_reads_no_article_body_and_starts_at_its_key(
        admin_client, pending, count_queries):
    """A deep page costs what the first does: its rows start at the key in the cursor
    (read from the index), and no statement selects an article's body."""
    cursor = _cursor_of(admin_client, 2)
    with count_queries() as queries:
        assert admin_client.get(f"/admin/moderation?after={cursor}").status_code == 200
    sql = [" ".join(statement.lower().split()) for statement in queries.statements]
    assert not any("article.body" in s or "article_1.body" in s for s in sql), sql
    assert any("(verdict.updated_at, verdict.id) > (" in s for s in sql), sql


def test_the_audit_log_pages_newest_first(app, admin_client, admin_id, make_user,
                                          small_pages):
    for n in range(12):
        make_user(f"user{n}")
    with app.app_context():
        created = [event.details["username"] for event in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "user.create")
            .order_by(AuditEvent.id.desc()))]
    assert len(created) >= 13
    url, seen = "/admin/audit", []
    while url:
        html = admin_client.get(url).get_data(as_text=True)
        seen += re.findall(r"<dt>username</dt><dd>([^<]+)</dd>", html)
        url = link(html, "Older")
    assert seen == created


def test_the_article_list_pages_newest_import_first_by_key(app, reviewer_client, make_article,
                                                           small_pages, count_queries):
    """By default every article once, newest import first, forwards and back; no page
    reads a body, and a later page starts at the key in its cursor."""
    from annotator.models import Article

    for n in range(12):
        make_article(f"Report {n} says prices rose by {n}% in May.\n", f"r{n}.txt")
    with app.app_context():
        newest_first = list(db.session.scalars(sa.select(Article.title)
                                               .order_by(Article.id.desc())))
    url, pages = "/", []
    while url:
        with count_queries() as queries:
            html = reviewer_client.get(url).get_data(as_text=True)
        assert not [s for s in queries.statements if ".body" in s.lower()], queries.statements
        if "after=" in url:  # a later page starts at its key, read from the index
            # "article.id < ?" on SQLite, "(article.id) < (%(param_1)s" on PostgreSQL.
            starts_at_key = r"article\.id\)? < \(?(\?|%\()"
            assert [s for s in queries.statements if re.search(starts_at_key, s)], \
                queries.statements
        pages.append(re.findall(r'<a href="/articles/\d+">([^<]+)</a>', html))
        url = link(html, "Next")
    assert [title for page in pages for title in page] == newest_first
    assert [len(page) for page in pages] == [5, 5, 2]
    previous = link(html, "&larr; Previous")
    assert re.findall(r'<a href="/articles/\d+">([^<]+)</a>',
                      reviewer_client.get(previous).get_data(as_text=True)) == pages[1]
