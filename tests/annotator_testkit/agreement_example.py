"""The agreement tests' worked example: a small team whose figures were computed by hand,
saved through the real services (``team.judge``), with the verdicts the rule must leave out.

The verdicts (S supported, D disputed, U unclear):

    claim            alice  bob  carol
    A1 (article 1)     S     S     S
    A2 (article 1)     S     D          (alice later changes to D: not counted)
    A3 (article 1)     D     D     U
    B1 (article 2)     U     U
    B2 (article 2)     S                (a single verdict: left out of the figures)

Krippendorff's alpha, nominal: the coincidences are o(S,S)=3, o(S,D)=o(D,S)=1, o(D,D)=1,
o(D,U)=o(U,D)=1, o(U,U)=2, so n=10, n_S=4, n_D=3, n_U=3; D_o = 4/10 and
D_e = (100 - 16 - 9 - 9) / (10 * 9) = 66/90; alpha = 1 - (4/10) / (66/90) = 5/11.
Percent agreement: per claim, the share of agreeing pairs, A1 1, A2 0, A3 1/3, B1 1;
mean 7/12 = 58.33%.
Fleiss' kappa on the claims with the most common number of verdicts (2 and 3 tie: 3),
A1 and A3: P_A1 = 1, P_A3 = (4 + 1 - 3) / 6 = 1/3, P-bar = 2/3; p_S = 1/2, p_D = 1/3,
p_U = 1/6, P_e = 14/36; kappa = (2/3 - 7/18) / (11/18) = 5/11.
Cohen's kappa, alice & bob on A1, A2, A3, B1: p_o = 3/4, p_e = (2*1 + 1*2 + 1*1) / 16 = 5/16,
kappa = 7/11; alice & carol (A1, A3): p_o = 1/2, p_e = 1/4, kappa = 1/3; bob & carol the same.

Left out on purpose: alice's later revision of A2, the editor's verdict on A1 (saved after
seeing the others: not independent), and alice's and bob's verdicts on a hidden and on a
retired claim of a third article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from annotator.extensions import db
from annotator.models import Claim
from annotator_testkit.constants import ARTICLE_TEXT, PLAN_TEXT, SECOND_ARTICLE
from annotator_testkit.team import judge

# The figures computed by hand (see the module docstring).
ALPHA = 5 / 11
FLEISS = 5 / 11
PERCENT = 700 / 12
KAPPA_ALICE_BOB = 7 / 11
KAPPA_WITH_CAROL = 1 / 3


@dataclass(frozen=True)
class Team:
    alice: int
    bob: int
    carol: int
    editor: int
    first: int          # article 1: claims A1, A2, A3
    second: int         # article 2: claims B1, B2
    a: list[int]
    b: list[int]
    hidden: int         # a claim alice and bob judged, then hidden
    retired: int        # a claim alice and bob judged, then retired


def _judge_all(app, claim_id: int, labels: dict[int, str]) -> None:
    for reviewer, label in labels.items():
        judge(app, claim_id, reviewer, label)


def build_team(app, make_user, make_article, claim_ids, hide_claim, admin_id) -> Team:
    """Save the worked example; ``make_user`` etc. are the conftest fixtures."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    first = make_article(ARTICLE_TEXT, "first.txt")
    second = make_article(SECOND_ARTICLE, "second.txt")
    third = make_article(PLAN_TEXT, "third.txt")
    a, b, plan = claim_ids(first), claim_ids(second), claim_ids(third)
    S, D, U = "supported", "disputed", "unclear"
    _judge_all(app, a[0], {alice: S, bob: S, carol: S})
    _judge_all(app, a[1], {alice: S, bob: D})
    _judge_all(app, a[2], {alice: D, bob: D, carol: U})
    _judge_all(app, b[0], {alice: U, bob: U})
    _judge_all(app, b[1], {alice: S})
    # alice, having seen bob's verdict on A2, changes her mind: a later revision.
    judge(app, a[1], alice, D)
    # The editor judges A1 after three reviewers: not independent.
    judge(app, a[0], admin_id, D)
    # Claims taken out of review keep their verdicts but leave the figures.
    _judge_all(app, plan[0], {alice: S, bob: D})
    _judge_all(app, plan[1], {alice: U, bob: D})
    hide_claim(plan[0])
    with app.app_context():
        db.session.get(Claim, plan[1]).retired_at = dt.datetime(2026, 1, 1)
        db.session.commit()
    return Team(alice, bob, carol, admin_id, first, second, a, b, plan[0], plan[1])
