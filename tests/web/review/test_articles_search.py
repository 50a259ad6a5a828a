"""The Articles page through the client: an article on page 3 found by searching, every
choice kept in the address and by the pager, titles first with the file name as secondary
text, the team's progress for admins, and any input shown safely."""

from __future__ import annotations

import re

import pytest
from annotator_testkit.lists import article_titles, pager_link
from annotator_testkit.pages import assert_escaped

PER_PAGE = 5


@pytest.fixture
def many(app, make_article):
    """13 articles, "Report 0" .. "Report 12", stored under hash-like file names."""
    app.config["PAGE_SIZE"] = PER_PAGE
    for n in range(13):
        make_article(f"title: Report {n} on prices\nsource: Kyiv Post\n\n"
                     f"Prices rose by {n}% in May.\n", f"{n:02d}c0ffee{n}e5f1d.txt")


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_an_article_on_page_3_is_found_by_searching(reviewer_client, many):
    first = article_titles(page(reviewer_client, "/"))
    assert "Report 1 on prices" not in first and len(first) == PER_PAGE
    html = page(reviewer_client, "/?q=report+1+ON")  # on page 3 of the plain list
    assert article_titles(html) == ["Report 1 on prices"]
    assert 'value="report 1 ON"' in html  # the box keeps what was typed
    assert "1 article matching" in html
    assert article_titles(page(reviewer_client, "/?q=report+1")) == [
        "Report 12 on prices", "Report 11 on prices", "Report 10 on prices",
        "Report 1 on prices"]


def test_titles_lead_and_file_names_are_secondary(reviewer_client, many):
    html = page(reviewer_client, "/?q=Report+3+")
    assert article_titles(html) == ["Report 3 on prices"]
    assert re.search(r'<span class="secondary muted">Kyiv Post &middot; '
                     r'file <span class="file-name">03c0ffee3e5f1d.txt</span>', html)
    assert ">03c0ffee3e5f1d.txt</a>" not in html


def test_the_pager_keeps_search_sort_and_filter(reviewer_client, many):
    url = "/?q=report&sort=published&dir=asc&state=not_started"
    seen = []
    while url:
        html = page(reviewer_client, url)
        seen += article_titles(html)
        url = pager_link(html, "Next")
        if url:
            assert all(part in url for part in
                       ("q=report", "sort=published", "dir=asc", "state=not_started"))
    assert len(seen) == 13 and len(set(seen)) == 13
    back = pager_link(html, "&larr; Previous")
    assert back and "sort=published" in back and "before=" in back
    first = pager_link(html, "First page")
    assert first == "/?q=report&sort=published&dir=asc&state=not_started"


def test_the_form_shows_the_view_in_the_address(reviewer_client, many):
    html = page(reviewer_client, "/?sort=progress&dir=asc&state=in_progress")
    assert '<option value="progress" selected>' in html
    assert '<option value="asc" selected>' in html
    assert '<option value="in_progress" selected>' in html
    assert "No article matches this view." in html  # alice has judged nothing yet
    assert '<option value="archived"' not in html  # reviewers have no archived filter


def test_admins_see_the_teams_progress_and_an_archived_filter(admin_client, reviewer_client,
                                                              many):
    html = page(admin_client, "/?q=Report+12")
    assert "Team progress" in html and "verdicts still needed" in html
    assert '<option value="archived"' in html
    mine = page(reviewer_client, "/?q=Report+12")
    assert "My progress" in mine and "verdicts still needed" not in mine


@pytest.mark.parametrize("search", [
    "<script>alert(1)</script>", "%", "_", "\\", "' OR '1'='1", "x" * 5000, "\u202eevil",
])
def test_any_search_is_safe(reviewer_client, many, search):
    response = reviewer_client.get("/", query_string={"q": search})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert article_titles(html) == []
    if search.startswith("<"):
        assert_escaped(html, search)


@pytest.mark.parametrize("query", [
    "sort=nonsense&dir=up&state=%25", "after=garbage&sort=progress", "before=1_2_3",
    "after=99999999999999999999999_1&sort=published",
])
def test_edited_addresses_show_a_sensible_first_page(reviewer_client, many, query):
    assert len(article_titles(page(reviewer_client, f"/?{query}"))) == PER_PAGE
