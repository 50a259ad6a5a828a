"""What a reviewer reads: the article list with their progress, the article page with
each claim in their state, the claim page in its context, an article's header metadata,
and the reason an admin gave for rejecting their verdict.
"""

from __future__ import annotations

import re

from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import SECOND_ARTICLE
from annotator_testkit.forms import form_version
from annotator_testkit.rows import the_verdict, verdict_rows
from annotator_testkit.web import moderate, save

from annotator.extensions import db
from annotator.models import Article


def progress(html: str, title: str) -> str:
    """The "judged / claims" figure on the index row of the article titled ``title``."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if f">{title}</a>" in row:
            match = re.search(r'<span class="count">(\d+ / \d+)</span>', row)
            assert match, row
            return match.group(1)
    raise AssertionError(f"no row for {title!r}")


def claim_states(html: str) -> dict[int, str]:
    """{claim id: state class} of the highlighted claims on an article page."""
    return {
        int(claim): state
        for state, claim in re.findall(r'<a class="claim state-(\w+)" href="/claims/(\d+)"', html)
    }


def test_index_shows_my_progress_per_article(
    app, make_article, claim_ids, reviewer_client, reviewer2_client, admin_client
):
    first = make_article()
    second = make_article(SECOND_ARTICLE, "budget.txt")
    a = claim_ids(first)
    assert len(a) == 3 and len(claim_ids(second)) == 2

    page = reviewer_client.get("/").get_data(as_text=True)
    assert progress(page, "The U.S. economy grew by 2.5% last year.") == "0 / 3"
    assert progress(page, "Budget report") == "0 / 2"
    assert "Continue my queue (5 claims left)" in page

    assert save(reviewer_client, a[0]).status_code == 302
    assert save(reviewer_client, a[1]).status_code == 302
    page = reviewer_client.get("/").get_data(as_text=True)
    assert progress(page, "The U.S. economy grew by 2.5% last year.") == "2 / 3"
    assert progress(page, "Budget report") == "0 / 2"
    assert "Continue my queue (3 claims left)" in page
    # Progress is per reviewer.
    other = reviewer2_client.get("/").get_data(as_text=True)
    assert progress(other, "The U.S. economy grew by 2.5% last year.") == "0 / 3"

    # A hidden claim leaves the count, on both sides of the fraction.
    admin_client.post(f"/admin/claims/{a[0]}/hide", data=confirmed())
    page = reviewer_client.get("/").get_data(as_text=True)
    assert progress(page, "The U.S. economy grew by 2.5% last year.") == "1 / 2"
    article_page = reviewer_client.get(f"/articles/{first}").get_data(as_text=True)
    assert "I have judged 1 of 2 claims" in article_page


def test_article_page_highlights_every_claim_in_my_state(
    app, article, claims, reviewer_client, reviewer2_client, admin_client
):
    page = reviewer_client.get(f"/articles/{article}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert claim_states(html) == {c: "todo" for c in claims}
    assert "I have judged 0 of 3 claims" in html
    # The state is spelled out for screen readers, not only shown by colour.
    assert "The U.S. economy grew by 2.5% last year.<span class=\"sr-only\"> (" in html

    save(reviewer_client, claims[0], "supported")
    save(reviewer_client, claims[1], "disputed")
    save(reviewer2_client, claims[2], "unclear")  # bob's verdict does not colour alice's page
    verdict_on_second = [r.id for r in verdict_rows(app) if r.claim_id == claims[1]][0]
    moderate(admin_client, app, verdict_on_second, "reject", "Wrong source.")
    html = reviewer_client.get(f"/articles/{article}").get_data(as_text=True)
    assert claim_states(html) == {claims[0]: "supported", claims[1]: "rejected",
                                  claims[2]: "todo"}
    assert "I have judged 2 of 3 claims" in html

    admin_client.post(f"/admin/claims/{claims[2]}/hide", data=confirmed())
    html = reviewer_client.get(f"/articles/{article}").get_data(as_text=True)
    assert claim_states(html)[claims[2]] == "hidden"
    assert "I have judged 2 of 2 claims" in html


def test_claim_page_shows_the_claim_in_context(article, claims, reviewer_client):
    response = reviewer_client.get(f"/claims/{claims[1]}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<blockquote class="current-claim">Officials praised the result.</blockquote>' in html
    assert '<mark id="current" class="claim">Officials praised the result.</mark>' in html
    assert "The U.S. economy grew by 2.5% last year." in html  # the rest of the article
    assert "claim 2 of 3" in html
    assert form_version(html) == ""


def test_rejected_verdict_shows_its_reason_to_its_reviewer(
    app, claims, reviewer_client, reviewer2_client, admin_client
):
    save(reviewer_client, claims[0], "supported", "Press release.")
    moderate(admin_client, app, the_verdict(app).id, "reject",
             "A press release is not evidence; cite the data.")
    html = reviewer_client.get(f"/claims/{claims[0]}").get_data(as_text=True)
    assert "Rejected by editor" in html
    assert "A press release is not evidence; cite the data." in html
    assert "Revise your verdict below" in html
    assert '<span class="badge mod-rejected">rejected</span>' in html


def test_header_metadata_is_stored_and_only_http_urls_are_linked(
    app, make_article, reviewer_client
):
    safe = make_article("source: Kyiv Post\nurl: https://kyivpost.com/a\nThe talks ended.", "a.txt")
    unsafe = make_article("url: javascript:alert(1)\nThe talks resumed.", "b.txt")
    with app.app_context():
        assert db.session.get(Article, safe).meta == {
            "source": "Kyiv Post", "url": "https://kyivpost.com/a"}
    page = reviewer_client.get(f"/articles/{safe}").get_data(as_text=True)
    assert 'href="https://kyivpost.com/a"' in page and "Kyiv Post" in page
    page = reviewer_client.get(f"/articles/{unsafe}").get_data(as_text=True)
    assert "javascript:" not in page


def test_a_long_queue_is_counted_up_to_a_bound(make_article, reviewer_client, monkeypatch):
    """Counting every waiting claim of a large desk took seconds: beyond the bound the
    page says so instead of counting on."""
    from annotator.services import review_queue

    make_article()
    make_article(SECOND_ARTICLE, "budget.txt")
    monkeypatch.setattr(review_queue, "QUEUE_SIZE_SHOWN_MAX", 4)
    assert "Continue my queue (4+ claims left)" in reviewer_client.get("/").get_data(
        as_text=True)
    monkeypatch.setattr(review_queue, "QUEUE_SIZE_SHOWN_MAX", 5)
    assert "Continue my queue (5 claims left)" in reviewer_client.get("/").get_data(
        as_text=True)


def test_a_long_article_list_is_counted_up_to_a_bound(app, make_article, reviewer_client,
                                                      monkeypatch):
    """Counting 100,000 articles cost more than the page: beyond the bound the list says
    "N+", in both of its pagings (by import and by article date) and filtered."""
    from annotator.services import article_list

    for n in range(3):
        make_article(f"Report {n} was published.\nIts figures rose by {n}%.", f"r{n}.txt")
    app.config["PAGE_SIZE"] = 2
    monkeypatch.setattr(article_list, "ARTICLES_COUNT_SHOWN_MAX", 2)
    for url in ("/", "/?sort=published", "/?state=not_started"):
        page = reviewer_client.get(url).get_data(as_text=True)
        assert "2+ articles" in page and "2 of 2+" in page, url
    monkeypatch.setattr(article_list, "ARTICLES_COUNT_SHOWN_MAX", 3)
    for url in ("/", "/?sort=published"):
        page = reviewer_client.get(url).get_data(as_text=True)
        assert "3 articles" in page and "2 of 3" in page, url


def test_many_rejected_verdicts_are_counted_up_to_a_bound(
    app, make_article, claim_ids, reviewer_client, admin_client, monkeypatch
):
    from annotator.services import review_queue

    claims = claim_ids(make_article())
    for claim_id in claims:
        assert save(reviewer_client, claim_id, "supported", "Checked.").status_code == 302
        moderate(admin_client, app, the_verdict(app, claim_id).id, "reject", "Cite the table.")
    monkeypatch.setattr(review_queue, "QUEUE_SIZE_SHOWN_MAX", len(claims) - 1)
    page = reviewer_client.get("/").get_data(as_text=True)
    assert f"{len(claims) - 1}+ rejected verdicts to revise" in page
    monkeypatch.setattr(review_queue, "QUEUE_SIZE_SHOWN_MAX", len(claims))
    page = reviewer_client.get("/").get_data(as_text=True)
    assert f"{len(claims)} rejected verdicts to revise" in page
