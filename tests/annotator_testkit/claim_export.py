"""A desk with a claim in every state, built through the real services, for the tests of
the per-claim export (the web download and ``export-csv --per-claim`` read the same data).

    desk = claims_in_every_state(app, make_article, editor_id, alice_id, bob_id)
    desk.expected  # the rows the per-claim CSV must hold, in order
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import Article, Claim, User
from annotator.services import boundaries, moderation
from annotator_testkit.constants import ARTICLE_TEXT, PLAN_TEXT
from annotator_testkit.team import decide, judge

# Formula starts in what the desk writes: the export must neutralise them.
RATIONALE = "-2% was the real figure, says the statistics office."
SOURCES = ("https://stats.example/release", "https://archive.example/2025/report")


@dataclass
class ClaimDesk:
    """The ids of what was built, and the expected cells of each exported claim (by column,
    only those a test checks), in export order."""

    plan: int = 0
    budget: int = 0
    hidden_claim: int = 0
    retired_claim: int = 0
    expected: list[dict[str, str]] = field(default_factory=list)


def _claim_ids(article_id: int) -> list[int]:
    return list(db.session.scalars(
        sa.select(Claim.id).where(Claim.article_id == article_id, Claim.retired_at.is_(None))
        .order_by(Claim.position)
    ))


def _change_boundaries(app, claim_id: int, editor_id: int, change: str, **args) -> None:
    """Split or merge a claim through ``services.boundaries``, as the admin page does."""
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        editor = db.session.get(User, editor_id)
        version = db.session.get(Article, claim.article_id).boundary_version
        if change == "split":
            boundaries.split_claim(claim, args["at"], editor, version)
        else:
            boundaries.merge_with_next(claim, editor, version)
        db.session.commit()


def _hide(app, claim_id: int, editor_id: int) -> None:
    with app.app_context():
        moderation.set_hidden(db.session.get(Claim, claim_id), True,
                              db.session.get(User, editor_id))
        db.session.commit()


def claims_in_every_state(app, make_article, editor_id: int, alice_id: int,
                          bob_id: int) -> ClaimDesk:
    """Two articles. ``PLAN_TEXT``: a split claim (alice supported, bob disputed), a
    unanimous one (both supported), a decided one (both unclear, decided unclear), and a
    decided one merged with the next claim afterwards (to re-check; the next claim is
    retired). ``ARTICLE_TEXT``: a claim without verdicts, a claim split after alice's
    verdict (her verdict to re-check, no decision) and a hidden claim with bob's verdict.
    """
    desk = ClaimDesk(plan=make_article(PLAN_TEXT, "plan.txt"),
                     budget=make_article(ARTICLE_TEXT, "budget.txt"))
    with app.app_context():
        split, unanimous, decided, merged, retired = _claim_ids(desk.plan)
        untouched, resplit, hidden = _claim_ids(desk.budget)
    desk.hidden_claim, desk.retired_claim = hidden, retired
    judge(app, split, alice_id, "supported")
    judge(app, split, bob_id, "disputed")
    judge(app, unanimous, alice_id, "supported")
    judge(app, unanimous, bob_id, "supported")
    judge(app, decided, alice_id, "unclear")
    judge(app, decided, bob_id, "unclear")
    decide(app, decided, editor_id, "unclear", RATIONALE, SOURCES)
    judge(app, merged, alice_id, "disputed")
    decide(app, merged, editor_id, "disputed")
    _change_boundaries(app, merged, editor_id, "merge")
    judge(app, resplit, alice_id, "supported")
    _change_boundaries(app, resplit, editor_id, "split", at=9)  # "Officials| praised ..."
    judge(app, hidden, bob_id, "disputed")
    _hide(app, hidden, editor_id)

    def row(claim_id, verdicts, counts, state, final="", recheck="false", **cells):
        supported, disputed, unclear = counts
        return {"claim_id": str(claim_id), "verdicts": str(verdicts),
                "supported": str(supported), "disputed": str(disputed),
                "unclear": str(unclear), "agreement_state": state, "final_verdict": final,
                "needs_recheck": recheck, **cells}

    with app.app_context():
        untouched, resplit, resplit_second, still_hidden = _claim_ids(desk.budget)
    assert still_hidden == hidden
    desk.expected = [
        row(split, 2, (1, 1, 0), "split", final_sources="", decided_by="", decided_at=""),
        row(unanimous, 2, (2, 0, 0), "unanimous"),
        row(decided, 2, (0, 0, 2), "decided", "unclear", rationale="'" + RATIONALE,
            final_sources=" ".join(SOURCES), decided_by="editor"),
        row(merged, 1, (0, 1, 0), "recheck", "disputed", "true",
            claim_text="Opposition leaders asked for a vote. The vote is set for June."),
        row(untouched, 0, (0, 0, 0), "waiting", article_date="2025-04-03"),
        row(resplit, 1, (1, 0, 0), "waiting", recheck="true", claim_text="Officials"),
        row(resplit_second, 0, (0, 0, 0), "waiting", claim_text="praised the result."),
    ]
    return desk
