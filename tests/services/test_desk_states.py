"""The desk sorts and filters by a claim's state in SQL; that SQL must say exactly what
``claim_state`` says, on every combination of the facts it reads."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from annotator.extensions import db
from annotator.services.desk_ranks import state_rank
from annotator.text.claim_states import CLAIM_STATES, claim_state

LABEL_SETS = [(), ("supported",), ("supported", "supported"), ("supported", "disputed"),
              ("unclear", "unclear", "unclear"), ("supported", "disputed", "unclear")]


def test_the_sql_rule_matches_claim_state_everywhere(app):
    cases = []
    for labels, needed, decided, recheck in itertools.product(
            LABEL_SETS, (1, 2, 3), (False, True), (False, True)):
        for independent in range(len(labels) + 1):
            cases.append((labels, independent, needed, decided, decided and recheck))
    expressions = [
        state_rank(sa.literal(len(labels)), sa.literal(len(set(labels))),
                   sa.literal(independent), sa.literal(needed), sa.literal(decided),
                   sa.literal(recheck))
        for labels, independent, needed, decided, recheck in cases
    ]
    with app.app_context():
        ranks = db.session.execute(sa.select(*expressions)).one()
    assert len(cases) > 100
    for case, rank in zip(cases, ranks, strict=True):
        assert CLAIM_STATES[rank] == claim_state(*case), case


def test_the_states_words():
    assert claim_state([], 0, 2) == "waiting"
    assert claim_state(["supported"], 1, 2) == "waiting"
    assert claim_state(["supported", "disputed"], 1, 3) == "split"  # before waiting
    assert claim_state(["disputed", "disputed"], 2, 2) == "unanimous"
    assert claim_state(["disputed", "disputed"], 1, 2) == "waiting"  # one not independent
    assert claim_state(["supported", "disputed"], 2, 2, decided=True) == "decided"
    assert claim_state(["supported"], 1, 2, True, decision_needs_recheck=True) == "recheck"


def test_the_desk_filters_real_claims_by_the_state_claim_state_gives(
        app, make_article, claim_ids, make_user, admin_id):
    """On stored verdicts (agreeing, split two and three ways, not independent, decided),
    each state's filter lists exactly the claims whose cards ``claim_state`` puts in it."""
    from annotator_testkit.team import decide, judge

    from annotator.models import User
    from annotator.services.desk import DeskFilters, desk_page

    text = "".join(f"Figure {i} rose by {i + 1}% in May.\n" for i in range(7))
    claims = claim_ids(make_article(text, "figures.txt"))
    a, b, c = (make_user(name) for name in ("ann", "ben", "cat"))
    for claim, labels in zip(claims, [("supported", "supported"), ("supported", "disputed"),
                                      ("unclear", "disputed", "supported"),
                                      ("disputed", "disputed", "disputed"), ("unclear",),
                                      ("supported", "disputed")], strict=False):
        for reviewer, label in zip((a, b, c), labels, strict=False):
            judge(app, claim, reviewer, label)
    decide(app, claims[5], admin_id, "supported")
    judge(app, claims[6], admin_id, "unclear")  # seen by nobody else, still independent
    with app.test_request_context():
        editor = db.session.get(User, admin_id)
        everything = desk_page(editor, DeskFilters(), after=None, before=None, size=50)
        by_state = {item.claim.id: item.state for item in everything.claims}
        assert set(by_state) == set(claims)
        assert {"unanimous", "split", "waiting", "decided"} <= set(by_state.values())
        for state in CLAIM_STATES:
            page = desk_page(editor, DeskFilters(state=state), after=None, before=None,
                             size=50)
            listed = [item.claim.id for item in page.claims]
            assert listed == [claim for claim in claims if by_state[claim] == state], state
            assert everything.counts.get(state, 0) == len(listed), state
            assert page.page.total == len(listed), state  # the total the heading shows
        assert everything.page.total == len(claims)
        # Across pages, the total is still every claim the filters keep.
        first = desk_page(editor, DeskFilters(), after=None, before=None, size=3)
        assert first.page.total == len(claims) and len(first.claims) == 3
