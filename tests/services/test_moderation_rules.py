"""The moderation service called directly: the rejection reason is checked by the service
(the form asks it too), and a retired claim cannot be unhidden."""

from __future__ import annotations

import pytest

from annotator.extensions import db
from annotator.models import Claim, User, Verdict
from annotator.services import moderation


@pytest.mark.parametrize(("reason", "words"), [
    ("   ", "Give the reviewer a reason"),
    ("r" * 2001, "the limit is 2,000"),
])
def test_a_rejection_needs_a_reason_within_the_limit(app, claims, reviewer_id, admin_id,
                                                     make_verdict, reason, words):
    verdict_id = make_verdict(claims[0], reviewer_id)
    with app.app_context():
        verdict = db.session.get(Verdict, verdict_id)
        with pytest.raises(moderation.ModerationError, match=words) as raised:
            moderation.reject(verdict, db.session.get(User, admin_id), reason, 1)
        assert raised.value.field == "reason"
        db.session.rollback()
        assert db.session.get(Verdict, verdict_id).moderation_state == "pending"


def test_a_reason_is_trimmed(app):
    with app.app_context():
        assert moderation.check_reason("  Cite the source.\n") == "Cite the source."


def test_a_retired_claim_cannot_be_unhidden(app, claims, admin_id):
    with app.app_context():
        claim = db.session.get(Claim, claims[2])
        claim.status, claim.retired_at = "hidden", claim.article.created_at
        db.session.commit()
        with pytest.raises(moderation.ModerationError, match="retired by a boundary change"):
            moderation.set_hidden(claim, False, db.session.get(User, admin_id))


def test_a_reason_is_measured_as_the_browser_counts_it(app):
    limit = 2000
    with app.app_context():
        assert app.config["MODERATION_REASON_MAX_LENGTH"] == limit
        reason = "\r\n".join(["y" * 39] * 50)  # 1,999 as typed, 2,048 as sent
        assert moderation.check_reason(reason) == reason.replace("\r\n", "\n")
