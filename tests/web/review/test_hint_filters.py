"""Hints for reviewers on the pages: badges on claims, and the queue filtered by hint.
How hints are stored: ``services/test_article_import.py``, ``web/admin/test_boundaries.py``,
``app/test_database.py`` (the backfill migration).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit.constants import ARTICLE_TEXT
from annotator_testkit.forms import forms_in
from annotator_testkit.hints import NEWS
from annotator_testkit.web import save

from annotator.extensions import db
from annotator.models import Claim, Verdict


def set_hints(app, claim_id, **flags):
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        for name, value in flags.items():
            setattr(claim, name, value)
        db.session.commit()


@pytest.fixture
def tagged(app, make_article, claim_ids):
    """Two articles (the older first in the default queue order) with known hints on some
    claims."""
    older = claim_ids(make_article(ARTICLE_TEXT, "older.txt"))
    newer = claim_ids(make_article(NEWS, "newer.txt"))
    with app.app_context():  # forget what the real rules found: these tests set their own
        db.session.execute(sa.update(Claim).values(
            is_quote=False, speaker=None, has_number=False, has_percent=False,
            has_money=False, has_date=False))
        db.session.commit()
    set_hints(app, older[0], has_number=True, has_percent=True)
    set_hints(app, older[2], is_quote=True, speaker="Critics")
    set_hints(app, newer[1], has_percent=True, has_number=True)
    set_hints(app, newer[2], has_money=True, has_number=True)
    return {"older": older, "newer": newer}


def test_queue_filter_keeps_to_claims_with_any_chosen_hint(tagged, reviewer_client):
    older, newer = tagged["older"], tagged["newer"]
    assert reviewer_client.get("/queue").location == f"/claims/{older[0]}"
    assert reviewer_client.get("/queue?hint=money").location == f"/claims/{newer[2]}?hint=money"
    assert reviewer_client.get("/queue?hint=quote").location == f"/claims/{older[2]}?hint=quote"
    # Any of the chosen hints; the order of the query string does not matter.
    assert reviewer_client.get("/queue?hint=quote&hint=money").location == \
        f"/claims/{older[2]}?hint=quote&hint=money"
    assert reviewer_client.get("/queue?hint=money&hint=quote").location == \
        f"/claims/{older[2]}?hint=quote&hint=money"


def test_saving_keeps_the_filter_for_the_next_claim(tagged, reviewer_client):
    older, newer = tagged["older"], tagged["newer"]
    url = reviewer_client.get("/queue?hint=percent").location
    page = reviewer_client.get(url).get_data(as_text=True)
    assert "My queue, claims with: percent" in page
    [form] = [f for f in forms_in(page) if f.action == f"/claims/{older[0]}?hint=percent"]
    response = reviewer_client.post(form.action, data={
        "verdict": "supported", "source_note": "Statistics office", "version": ""})
    assert response.location == f"/claims/{newer[1]}?hint=percent"
    response = save(reviewer_client, f"{newer[1]}?hint=percent")
    # Nothing with that hint is left: back to the article, saying so.
    assert response.location == "/articles/2"
    assert "No other claim with these hints waits for you (percent)." in \
        reviewer_client.get(response.location).get_data(as_text=True)
    response = reviewer_client.get("/queue?hint=percent")
    assert response.location == "/"
    assert "No claim with these hints waits for you (percent)." in \
        reviewer_client.get("/").get_data(as_text=True)
    # The unfiltered queue still has everything else, going on from my last verdict.
    assert reviewer_client.get("/queue").location == f"/claims/{newer[2]}"


@pytest.mark.parametrize("query", [
    # A NUL character is refused before any view (tests/functional/test_input_guards.py).
    "hint=bogus", "hint=", "hint=QUOTE", "hint=<script>", "hint=quote%27--",
    "hint=" + "x" * 5000,
])
def test_unknown_filter_values_are_ignored(tagged, reviewer_client, query):
    response = reviewer_client.get(f"/queue?{query}")
    assert (response.status_code, response.location) == (302, f"/claims/{tagged['older'][0]}")
    page = reviewer_client.get(f"/claims/{tagged['older'][0]}?{query}")
    assert page.status_code == 200
    assert "My queue, claims with" not in page.get_data(as_text=True)


def test_index_offers_the_filter_form(tagged, reviewer_client):
    html = reviewer_client.get("/").get_data(as_text=True)
    [form] = [f for f in forms_in(html) if f.action == "/queue"]
    assert form.method == "get"
    for name in ("quote", "number", "percent", "money", "date"):
        assert f'name="hint" value="{name}"' in html


def test_rejected_and_recheck_verdicts_follow_the_filter(app, tagged, reviewer_client,
                                                         admin_client):
    newer = tagged["newer"]
    save(reviewer_client, newer[0])
    save(reviewer_client, newer[2])
    with app.app_context():
        first, money = (db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == c))
                        for c in (newer[0], newer[2]))
        money.needs_recheck = True
        first_id = first.id
        db.session.commit()
    admin_client.post(f"/admin/verdicts/{first_id}/reject",
                      data={"version": "1", "reason": "No."})
    # Rejected first, then re-check, then the unjudged claims: each within the filter (my
    # place, newer[2], has no percent claim after it: the desk's order, oldest first).
    assert reviewer_client.get("/queue").location == f"/claims/{newer[0]}"
    assert reviewer_client.get("/queue?hint=money").location == f"/claims/{newer[2]}?hint=money"
    assert reviewer_client.get("/queue?hint=percent").location == \
        f"/claims/{tagged['older'][0]}?hint=percent"
    index = reviewer_client.get("/").get_data(as_text=True)
    assert "1 rejected verdict to revise" in index and "1 verdict to re-check" in index


def test_badges_on_the_claim_and_article_pages(app, tagged, reviewer_client):
    older = tagged["older"]
    page = reviewer_client.get(f"/claims/{older[2]}").get_data(as_text=True)
    assert '<span class="badge hint hint-quote">quote — Critics</span>' in page
    page = reviewer_client.get(f"/claims/{older[0]}").get_data(as_text=True)
    assert 'hint-number">number</span>' in page
    assert '%<span class="sr-only"> (percentage)</span>' in page
    assert "hint-quote" not in page
    article = reviewer_client.get("/articles/1").get_data(as_text=True)
    assert article.count('class="badge hint ') == 3
    set_hints(app, older[2], speaker="<b>Critics</b>")
    page = reviewer_client.get(f"/claims/{older[2]}").get_data(as_text=True)
    assert "quote — &lt;b&gt;Critics&lt;/b&gt;" in page
