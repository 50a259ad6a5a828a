"""The Progress page: an admin sees every reviewer's figures, a reviewer only their own and
the per-article counts (never anyone's labels); paged by key like the Articles list; a
fixed number of queries whatever the number of articles on the page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from annotator_testkit.constants import SECOND_ARTICLE
from annotator_testkit.pages import html_of
from annotator_testkit.rows import verdict_id_of
from annotator_testkit.web import moderate, save

from annotator.extensions import db
from annotator.models import LABELS, Claim, User
from annotator.services import final_verdicts


def decide(app, claim_id: int, label: str) -> None:
    """The admin "editor" sets the claim's final verdict (the desk's decision)."""
    with app.app_context():
        editor = db.session.scalar(sa.select(User).where(User.username == "editor"))
        final_verdicts.decide(db.session.get(Claim, claim_id), editor, label=label,
                              rationale="The report says so.",
                              sources=["https://example.org/report"], expected_version=None)
        db.session.commit()


def reviewer_rows(html: str) -> dict[str, list[str]]:
    """{username: [verdicts, approved, rejected, pending, agreement]} of the reviewers'
    table, tags stripped."""
    found = {}
    for row in re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</tr>", html, re.S):
        name = re.match(r"\s*([^<\s]+)", row).group(1)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        found[name] = [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells]
    return found


def article_rows(html: str) -> list[tuple[int, list[str]]]:
    """(article id, [claims, still needed, decided]) of the articles' table, in order."""
    found = []
    for article_id, row in re.findall(r'<tr>\s*<td><a href="/articles/(\d+)">(.*?)</tr>',
                                      html, re.S):
        cells = re.findall(r'<td class="number">(.*?)</td>', row, re.S)
        found.append((int(article_id),
                      [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells]))
    return found


@pytest.fixture
def team(app, make_user, make_article, claim_ids, reviewer_client, reviewer2_client,
         admin_client, reviewer_id, reviewer2_id):
    """alice and bob judge the first article's claims 1 and 2, agreeing on claim 1
    (supported, decided supported) and not on claim 2 (alice disputed, bob unclear;
    decided disputed); alice's claim-1 verdict is approved, bob's claim-2 one rejected.
    carol (deactivated) never judged. Returns the two articles' ids."""
    make_user("carol", active=False)
    first = make_article()
    second = make_article(SECOND_ARTICLE, "second.txt")
    c1, c2, _ = claim_ids(first)
    save(reviewer_client, c1, "supported", expect=302)
    save(reviewer_client, c2, "disputed", expect=302)
    save(reviewer2_client, c1, "supported", expect=302)
    save(reviewer2_client, c2, "unclear", expect=302)
    moderate(admin_client, app, verdict_id_of(app, c1, reviewer_id), "approve")
    moderate(admin_client, app, verdict_id_of(app, c2, reviewer2_id), "reject",
             reason="Cite the report.")
    decide(app, c1, "supported")
    decide(app, c2, "disputed")
    for client in (reviewer_client, reviewer2_client, admin_client):
        client.get("/")  # shows (and so clears) the saves' and moderations' messages
    return first, second


def test_an_admin_sees_every_reviewer(admin_client, team):
    first, second = team
    html = html_of(admin_client.get("/progress"))
    assert reviewer_rows(html) == {
        # verdicts, approved, rejected, pending, agreement with the final verdicts
        "alice": ["2", "1", "0", "1", "100% (2 of 2 decided claims)"],
        "bob": ["2", "0", "1", "1", "50% (1 of 2 decided claims)"],
        "carol": ["0", "0", "0", "0", "no decided claims yet"],
    }
    assert re.search(r'<tr class="inactive">\s*<th scope="row">carol\s*<span class="badge">'
                     r"deactivated</span>", html)
    # Two verdicts each on claims 1 and 2 of the first article: only claim 3 needs two.
    assert article_rows(html) == [(second, ["2", "4", "0"]), (first, ["3", "2", "2"])]
    assert re.search(r"<dt>Claims</dt><dd>5</dd>", html)
    assert re.search(r"<dt>Verdicts still needed</dt><dd>6</dd>", html)
    assert re.search(r"<dt>Decided</dt><dd>2</dd>", html)


def test_a_reviewer_sees_only_their_own_row(reviewer2_client, team):
    first, second = team
    html = html_of(reviewer2_client.get("/progress"))
    assert reviewer_rows(html) == {
        "bob": ["2", "0", "1", "1", "50% (1 of 2 decided claims)"],
    }
    assert "My figures" in html
    for other in ("alice", "carol", "editor"):
        assert other not in html
    # The article figures are counts, not opinions: no label of anyone's is on the page.
    for label in LABELS:
        assert label not in html
    assert article_rows(html) == [(second, ["2", "4", "0"]), (first, ["3", "2", "2"])]


def test_a_reviewer_without_verdicts_sees_their_empty_row(client_for, make_user, team):
    make_user("dora")
    html = html_of(client_for("dora").get("/progress"))
    assert reviewer_rows(html) == {"dora": ["0", "0", "0", "0", "no decided claims yet"]}


def test_anonymous_visitors_are_sent_to_login(client, admin_id):
    response = client.get("/progress")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert "progress" in response.location


def test_the_page_is_linked_from_the_nav_and_the_articles_page(reviewer_client, article):
    html = html_of(reviewer_client.get("/progress"))
    assert '<a href="/progress" aria-current="page">Progress</a>' in html
    articles = html_of(reviewer_client.get("/"))
    assert '<a href="/progress">Progress</a>' in articles  # the nav, not current
    assert '<a href="/progress">Team progress</a>' in articles


def test_reviews_per_claim_sets_the_verdicts_still_needed(make_app, client_for, admin_id,
                                                          article):
    client = client_for("editor", on=make_app(REVIEWS_PER_CLAIM=3))
    html = html_of(client.get("/progress"))
    assert "Each claim needs 3 independent verdicts" in html
    assert article_rows(html) == [(article, ["3", "9", "0"])]


PER_PAGE = 2


def next_link(html: str, words: str) -> str | None:
    found = re.search(r'<a href="([^"]+)">' + re.escape(words), html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_articles_are_counted_only_up_to_the_shown_maximum(
        app, reviewer_client, make_article, monkeypatch):
    """Counting every live article grew with the data: past the maximum the pager says
    "3+", and still pages through them all."""
    from annotator.services import progress

    monkeypatch.setattr(progress, "COUNT_SHOWN_MAX", 3)
    app.config["PAGE_SIZE"] = PER_PAGE
    for n in range(5):
        make_article(f"Report {n} says exports rose by {n}% in May.\n", f"r{n}.txt")
    html = html_of(reviewer_client.get("/progress"))
    assert "<span>2 of 3+</span>" in html
    seen = len(article_rows(html))
    while (url := next_link(html, "Older")):
        html = html_of(reviewer_client.get(url))
        seen += len(article_rows(html))
    assert seen == 5


def test_articles_are_paged_by_key_newest_first(app, reviewer_client, make_article):
    app.config["PAGE_SIZE"] = PER_PAGE
    ids = [make_article(f"Report {n} says exports rose by {n}% in May.\n", f"r{n}.txt")
           for n in range(5)]
    newest_first = ids[::-1]
    url, pages = "/progress", []
    while url:
        html = html_of(reviewer_client.get(url))
        assert "<span>" in html and f"of {len(ids)}</span>" in html
        pages.append([article_id for article_id, _ in article_rows(html)])
        url = next_link(html, "Older")
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:]]
    back = next_link(html, "&larr; Newer")
    assert [a for a, _ in article_rows(html_of(reviewer_client.get(back)))] \
        == newest_first[2:4]
    # An edited cursor shows the first page rather than an error.
    html = html_of(reviewer_client.get("/progress?after=nonsense"))
    assert [a for a, _ in article_rows(html)] == newest_first[:2]


def test_the_query_count_does_not_grow_with_the_articles_on_the_page(
    app, admin_client, reviewer_id, reviewer2_id, reviewer_client, reviewer2_client,
    make_article, claim_ids, count_queries,
):
    def add_judged_articles(numbers):
        for n in numbers:
            first, second = claim_ids(make_article(
                f"Report {n} says exports rose by {n}% in May. Imports fell by {n}%.\n",
                f"q{n}.txt"))
            save(reviewer_client, first, "supported", expect=302)
            save(reviewer2_client, first, "disputed", expect=302)
            save(reviewer_client, second, "unclear", expect=302)
            decide(app, first, "supported")

    def measure():
        assert admin_client.get("/progress").status_code == 200  # warm up
        with count_queries() as queries:
            html = html_of(admin_client.get("/progress"))
        return queries, html

    add_judged_articles([0])
    small, _ = measure()
    add_judged_articles(range(1, 20))
    large, html = measure()
    assert len(article_rows(html)) == 20  # every article on the one page measured
    assert reviewer_rows(html)["bob"][-1] == "0% (0 of 20 decided claims)"
    assert large.count == small.count, (small.statements, large.statements)
    # The session's account, the articles, their count, their figures, the setting the
    # tallies were counted for, the tallies, the accounts.
    assert large.count <= 7, large.statements
