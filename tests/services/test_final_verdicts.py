"""The final verdict service: one decision per claim, its rules, its history, its audit,
and the re-check a boundary change asks for."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit.rows import audit_events, snapshot
from annotator_testkit.team import decide

from annotator.extensions import db
from annotator.models import Article, Claim, FinalVerdict, FinalVerdictRevision, User
from annotator.services import boundaries, final_verdicts


def _decide_now(app, claim_id, user_id, **fields):
    values = {"label": "supported", "rationale": "Because.",
              "sources": "https://example.org/a", "expected_version": None, **fields}
    with app.app_context():
        try:
            return final_verdicts.decide(db.session.get(Claim, claim_id),
                                         db.session.get(User, user_id), **values)
        finally:
            db.session.rollback()


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"label": "true"}, "final_verdict", "supported, disputed or unclear"),
    ({"rationale": "  \n "}, "rationale", "public rationale"),
    ({"rationale": "x" * 5001}, "rationale", "limit is 5,000"),
    ({"sources": ""}, "sources", "at least one source"),
    ({"sources": "javascript:alert(1)"}, "sources", "Source 1"),
    ({"sources": "https://ok.example/\nftp://files.example/x"}, "sources", "Source 2"),
    ({"sources": "\n".join(f"https://e.example/{n}" for n in range(21))}, "sources",
     "limit is 20"),
])
def test_a_broken_rule_names_its_field_and_decides_nothing(app, claims, admin_id, fields,
                                                            field, words):
    before = snapshot(app)
    with pytest.raises(final_verdicts.DecisionError, match=words) as raised:
        _decide_now(app, claims[0], admin_id, **fields)
    assert raised.value.field == field
    assert snapshot(app) == before


def test_only_admins_decide(app, claims, reviewer_id):
    with pytest.raises(final_verdicts.DecisionError, match="Only an admin"):
        _decide_now(app, claims[0], reviewer_id)


def test_a_hidden_claim_takes_no_decision(app, claims, admin_id, hide_claim):
    hide_claim(claims[0])
    with pytest.raises(final_verdicts.DecisionError, match="takes no decision"):
        _decide_now(app, claims[0], admin_id)


def test_sources_are_trimmed_and_kept_once_in_order(app, claims, admin_id):
    final = decide(app, claims[0], admin_id, sources=[
        " https://b.example/ ", "", "https://a.example/", "https://b.example/"])
    assert final.sources == ["https://b.example/", "https://a.example/"]


def test_changing_a_decision_keeps_every_version_and_audits_each(app, claims, admin_id):
    first = decide(app, claims[0], admin_id, "supported", rationale="First look.")
    second = decide(app, claims[0], admin_id, "disputed", rationale="A better source.")
    assert (first.id, first.version, second.version) == (second.id, 1, 2)
    with app.app_context():
        history = db.session.scalars(
            sa.select(FinalVerdictRevision).order_by(FinalVerdictRevision.version)).all()
        assert [(r.version, r.label, r.rationale) for r in history] == [
            (1, "supported", "First look."), (2, "disputed", "A better source.")]
    events = audit_events(app, "final_verdict.decide")
    assert len(events) == 2
    details = events[-1][-1]
    assert (details["before"]["label"], details["after"]["label"]) == ("supported", "disputed")
    assert events[0][-1]["before"] is None


def test_a_form_loaded_before_anothers_decision_is_refused(app, claims, admin_id, make_user):
    other = make_user("editor2", role="admin")
    decide(app, claims[0], other, "disputed")
    before = snapshot(app)
    with pytest.raises(final_verdicts.StaleDecision, match="editor2 decided"):
        _decide_now(app, claims[0], admin_id, expected_version=None)
    with pytest.raises(final_verdicts.StaleDecision):
        _decide_now(app, claims[0], admin_id, expected_version=7)
    assert snapshot(app) == before


def test_a_boundary_change_marks_the_decision_and_deciding_again_clears_it(
        app, article, claims, admin_id):
    decide(app, claims[0], admin_id, "supported")
    with app.app_context():
        claim = db.session.get(Claim, claims[0])
        version = db.session.get(Article, article).boundary_version
        boundaries.merge_with_next(claim, db.session.get(User, admin_id), version)
        db.session.commit()
        final = db.session.scalar(sa.select(FinalVerdict))
        assert (final.needs_recheck, final.version) == (True, 2)
    [event] = audit_events(app, "claim.merge")
    assert event[-1]["recheck_final_verdicts"] == [final.id]
    again = decide(app, claims[0], admin_id, "supported")
    assert (again.needs_recheck, again.version) == (False, 3)


def test_a_split_marks_both_parts_decisions(app, article, claims, admin_id):
    decide(app, claims[1], admin_id, "unclear")
    with app.app_context():
        claim = db.session.get(Claim, claims[1])
        version = db.session.get(Article, article).boundary_version
        boundaries.split_claim(claim, 5, db.session.get(User, admin_id), version)
        db.session.commit()
        assert db.session.scalar(sa.select(FinalVerdict.needs_recheck)) is True
