"""The desk sorts and filters by a claim's state in SQL; that SQL must say exactly what
``claim_state`` says, on every combination of the facts it reads."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from annotator.extensions import db
from annotator.services.desk import state_rank
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
