"""Which verdicts are independent (their authors had seen no one else's), and how many
independent verdicts a claim needs before the queue stops serving it."""

from __future__ import annotations

import sqlalchemy as sa
from annotator_testkit.queue_day import set_queue_order
from annotator_testkit.team import decide, judge
from annotator_testkit.web import save

from annotator.extensions import db
from annotator.models import VerdictRevision


def _flags(app, verdict_id):
    with app.app_context():
        return [row.independent for row in db.session.scalars(
            sa.select(VerdictRevision).where(VerdictRevision.verdict_id == verdict_id)
            .order_by(VerdictRevision.version))]


def test_a_reviewers_first_verdict_is_independent_even_after_others(
        app, claims, reviewer_id, reviewer2_id):
    first = judge(app, claims[0], reviewer_id, "supported")
    second = judge(app, claims[0], reviewer2_id, "disputed")
    assert (first.independent_version, second.independent_version) == (1, 1)
    assert _flags(app, second.id) == [True]


def test_a_revision_after_seeing_others_is_not_independent(app, claims, reviewer_id,
                                                            reviewer2_id):
    judge(app, claims[0], reviewer_id, "supported")
    judge(app, claims[0], reviewer2_id, "disputed")
    revised = judge(app, claims[0], reviewer_id, "disputed")
    # Agreement keeps counting the first, blind version.
    assert revised.independent_version == 1
    assert _flags(app, revised.id) == [True, False]


def test_a_revision_with_nothing_else_to_see_stays_independent(app, claims, reviewer_id):
    judge(app, claims[0], reviewer_id, "supported")
    revised = judge(app, claims[0], reviewer_id, "unclear")
    assert _flags(app, revised.id) == [True, True]
    assert revised.independent_version == 1


def test_an_admin_who_saw_others_is_not_independent(app, claims, reviewer_id, admin_id):
    judge(app, claims[0], reviewer_id)
    seen = judge(app, claims[0], admin_id, "disputed")
    assert seen.independent_version is None and _flags(app, seen.id) == [False]
    alone = judge(app, claims[1], admin_id, "disputed")  # nobody else had judged it
    assert alone.independent_version == 1


def test_a_final_verdict_counts_as_seen(app, claims, reviewer_id, admin_id):
    decide(app, claims[0], admin_id, "supported")
    # The reviewer cannot see the decision before saving...
    assert judge(app, claims[0], reviewer_id).independent_version == 1
    # ...the admin who made it can.
    assert judge(app, claims[0], admin_id).independent_version is None


def _next(client) -> str:
    return client.get("/queue").location


def test_a_claim_with_its_reviews_leaves_other_queues(app, claims, reviewer_id,
                                                       reviewer2_id, make_user, client_for):
    make_user("carol")
    carol = client_for("carol")
    for reviewer in (reviewer_id, reviewer2_id):
        judge(app, claims[0], reviewer)
    assert _next(carol) == f"/claims/{claims[1]}"
    # Opened directly, it still takes her verdict: nobody is turned away mid-claim.
    assert save(carol, claims[0]).status_code == 302
    assert judge(app, claims[1], reviewer_id).independent_version == 1


def test_the_setting_raises_the_reviews_needed(make_app, make_user, make_article, claim_ids,
                                               client_for):
    two, three = make_app(), make_app(REVIEWS_PER_CLAIM=3)
    ids = [make_user(name) for name in ("ann", "ben", "cal")]
    claims = claim_ids(make_article())
    for claim in claims:
        for reviewer in ids[:2]:
            judge(two, claim, reviewer)
    assert _next(client_for("cal", on=two)) == "/"  # every claim has its two
    assert _next(client_for("cal", on=three)) == f"/claims/{claims[0]}"


def test_fewest_reviews_come_first_when_the_desk_chooses_it(app, claims, reviewer_id,
                                                            client_for, make_user, admin_id):
    judge(app, claims[0], reviewer_id)
    make_user("carol")
    carol = client_for("carol")
    # By default the queue reads on: claims[0] still needs a review, so it comes first.
    assert _next(carol) == f"/claims/{claims[0]}"
    set_queue_order(app, "fewest", admin_id)
    # claims[0] has one review, claims[1] and [2] none: the team spreads out.
    assert _next(carol) == f"/claims/{claims[1]}"
    assert save(carol, claims[1]).location == f"/claims/{claims[2]}"
    assert save(carol, claims[2]).location == f"/claims/{claims[0]}"


def test_admins_unindependent_verdicts_do_not_fill_a_claim(app, claims, reviewer_id,
                                                           admin_id, reviewer2_client):
    judge(app, claims[0], reviewer_id)
    judge(app, claims[0], admin_id)  # saw the reviewer's: not independent
    # claims[0] has one independent review of two: still served, after the untouched ones
    # only if they have fewer; here claims[1] and [2] have none.
    for claim in claims[1:]:
        save(reviewer2_client, claim)
    assert _next(reviewer2_client) == f"/claims/{claims[0]}"
