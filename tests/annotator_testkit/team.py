"""A team at work, through the real services: verdicts saved as the review page saves
them (so independence is recorded) and final verdicts decided as the desk decides them.

    judge(app, claim_id, reviewer_id, "disputed")
    decide(app, claim_id, admin_id, "supported")
"""

from __future__ import annotations

from annotator.extensions import db
from annotator.models import Claim, FinalVerdict, User, Verdict
from annotator.services import final_verdicts, verdicts

DEFAULT_RATIONALE = "Two independent sources confirm it."
DEFAULT_SOURCES = ("https://example.org/source",)


def judge(app, claim_id: int, reviewer_id: int, label: str = "supported",
          note: str = "Checked against the source.", url: str | None = None) -> Verdict:
    """Save (or revise) a verdict through ``services.verdicts.save_verdict`` and commit."""
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        reviewer = db.session.get(User, reviewer_id)
        current = verdicts.verdict_of(claim, reviewer)
        outcome = verdicts.save_verdict(
            claim, reviewer, label=label, source_note=note, source_url=url,
            expected_version=None if current is None else current.version,
        )
        db.session.commit()
        db.session.refresh(outcome.verdict)
        db.session.expunge(outcome.verdict)
        return outcome.verdict


def decide(app, claim_id: int, admin_id: int, label: str = "supported",
           rationale: str = DEFAULT_RATIONALE,
           sources=DEFAULT_SOURCES) -> FinalVerdict:
    """Set (or change) the claim's final verdict through ``services.final_verdicts.decide``
    and commit."""
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        current = final_verdicts.final_verdict_of(claim)
        final = final_verdicts.decide(
            claim, db.session.get(User, admin_id), label=label, rationale=rationale,
            sources=list(sources), expected_version=None if current is None else current.version,
        )
        db.session.commit()
        db.session.refresh(final)
        db.session.expunge(final)
        return final
