"""The reviewer's queue: claims in reading order (oldest article first by default), hidden
claims left out, rejected verdicts first, the next claim after a save (with "fewest reviews
first"), one article's queue and the neighbour links. Place, order settings, skips and
runs: ``test_queue_day.py``.
"""

from __future__ import annotations

from annotator_testkit.confirm import confirmed
from annotator_testkit.constants import SECOND_ARTICLE
from annotator_testkit.queue_day import set_queue_order
from annotator_testkit.rows import the_verdict
from annotator_testkit.web import save


def test_queue_walks_claims_in_reading_order_then_reports_empty(
    app, make_article, claim_ids, reviewer_client
):
    first, second = make_article(), make_article(SECOND_ARTICLE, "budget.txt")
    # The default order: the oldest article first, each from its first claim.
    expected = claim_ids(first) + claim_ids(second)
    visited = []
    for _ in range(len(expected)):
        response = reviewer_client.get("/queue")
        assert response.status_code == 302
        claim_id = int(response.location.rsplit("/", 1)[1])
        assert response.location == f"/claims/{claim_id}"
        visited.append(claim_id)
        assert save(reviewer_client, claim_id).status_code == 302
    assert visited == expected

    response = reviewer_client.get("/queue")
    assert (response.status_code, response.location) == (302, "/")
    page = reviewer_client.get("/").get_data(as_text=True)
    assert ("Your queue is empty: every open claim has your verdict or all the independent "
            "reviews it needs.") in page


def test_queue_skips_hidden_claims(app, claims, reviewer_client, admin_client):
    admin_client.post(f"/admin/claims/{claims[0]}/hide", data=confirmed())
    assert reviewer_client.get("/queue").location == f"/claims/{claims[1]}"


def test_saving_goes_to_the_claim_needing_reviews_most(
    app, make_article, claim_ids, reviewer_client, reviewer2_client, admin_id
):
    set_queue_order(app, "fewest", admin_id)
    first, second = make_article(), make_article(SECOND_ARTICLE, "budget.txt")
    a, b = claim_ids(first), claim_ids(second)
    save(reviewer2_client, a[2])  # a[2] has one of its two reviews: it waits its turn

    # Within the claims with fewest reviews, reading order, the oldest article first; on in
    # my article only among the fewest (a[2] has more), so back to a[0].
    assert save(reviewer_client, a[1]).location == f"/claims/{a[0]}"
    assert save(reviewer_client, a[0]).location == f"/claims/{b[0]}"  # then into b
    assert save(reviewer_client, b[0]).location == f"/claims/{b[1]}"  # reads on in b
    assert save(reviewer_client, b[1]).location == f"/claims/{a[2]}"  # now the one left
    response = save(reviewer_client, a[2])
    assert (response.status_code, response.location) == (302, f"/articles/{first}")
    page = reviewer_client.get(response.location).get_data(as_text=True)
    assert "Saved: supported. It now waits for moderation." in page
    assert "Your queue is empty" in page


def test_article_queue_and_neighbour_links(app, make_article, claim_ids, reviewer_client):
    first = make_article()
    make_article(SECOND_ARTICLE, "budget.txt")
    a = claim_ids(first)
    assert reviewer_client.get(f"/queue?article={first}").location == f"/claims/{a[0]}"
    save(reviewer_client, a[0])
    assert reviewer_client.get(f"/queue?article={first}").location == f"/claims/{a[1]}"
    article_page = reviewer_client.get(f"/articles/{first}").get_data(as_text=True)
    assert f"/queue?article={first}" in article_page and "(2 left)" in article_page
    for claim in a[1:]:
        save(reviewer_client, claim)
    done = reviewer_client.get(f"/queue?article={first}")
    assert done.location == f"/articles/{first}"
    assert "No claim of this article waits for you" in reviewer_client.get(done.location).get_data(
        as_text=True)
    assert reviewer_client.get("/queue?article=999999").status_code == 404

    middle = reviewer_client.get(f"/claims/{a[1]}").get_data(as_text=True)
    assert f'href="/claims/{a[0]}" rel="prev"' in middle
    assert f'href="/claims/{a[2]}" rel="next"' in middle
    edge = reviewer_client.get(f"/claims/{a[0]}").get_data(as_text=True)
    assert 'rel="prev"' not in edge


def test_rejected_verdicts_come_first_in_the_queue(
    app, make_article, claim_ids, reviewer_client, admin_client
):
    claims = claim_ids(make_article())
    save(reviewer_client, claims[0])
    verdict = the_verdict(app)
    admin_client.post(f"/admin/verdicts/{verdict.id}/reject",
                      data={"version": str(verdict.version), "reason": "Check again."})
    index = reviewer_client.get("/").get_data(as_text=True)
    assert "1 rejected verdict to revise" in index
    assert reviewer_client.get("/queue").location == f"/claims/{claims[0]}"


def test_a_rejected_verdict_does_not_trap_the_queue(
    app, make_article, claim_ids, reviewer_client, admin_client
):
    claims = claim_ids(make_article())
    save(reviewer_client, claims[0], note="my note")
    verdict = the_verdict(app)
    admin_client.post(f"/admin/verdicts/{verdict.id}/reject",
                      data={"version": str(verdict.version), "reason": "Check again."})
    # Saving another claim goes on through the article, not back to the rejection...
    assert save(reviewer_client, claims[1]).location == f"/claims/{claims[2]}"
    # ...while opening the queue offers the rejection first.
    assert reviewer_client.get("/queue").location == f"/claims/{claims[0]}"
    # Standing by the rejected text sends it back to moderation.
    rejected = the_verdict(app, claims[0])
    save(reviewer_client, claims[0], note="my note", version=str(rejected.version))
    assert the_verdict(app, claims[0]).moderation_state == "pending"
    assert reviewer_client.get("/queue").location == f"/claims/{claims[2]}"
