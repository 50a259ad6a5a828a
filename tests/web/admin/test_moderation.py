"""Moderation by admins: the queue of pending verdicts, approving and rejecting with a
reason, never one's own verdict, the history of earlier decisions, hiding and unhiding
claims. A decision on a verdict that changed meanwhile: ``web/test_stale_edits.py``.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from annotator_testkit.apps import dispose
from annotator_testkit.confirm import confirmed
from annotator_testkit.rows import (
    audit_events,
    new_audit_events,
    the_verdict,
    verdict_id_of,
    verdict_moderation,
)
from annotator_testkit.web import login, save

from annotator.extensions import db
from annotator.models import Claim, Verdict, VerdictRevision


def csv_claim_ids(response) -> list[int]:
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    return [int(row["claim_id"]) for row in table]


def test_moderation_queue_lists_pending_verdicts_oldest_first(
    app, claims, reviewer_client, reviewer2_client, admin_client, reviewer_id
):
    save(reviewer_client, claims[0], note="ALICE-C1-PENDING", expect=302)
    save(reviewer2_client, claims[1], note="BOB-C2-PENDING", expect=302)
    save(reviewer_client, claims[1], note="ALICE-C2-APPROVED", expect=302)
    save(reviewer2_client, claims[2], note="BOB-C3-ON-HIDDEN-CLAIM", expect=302)
    approved = verdict_id_of(app, claims[1], reviewer_id)
    admin_client.post(f"/admin/verdicts/{approved}/approve", data={"version": "1"})
    admin_client.post(f"/admin/claims/{claims[2]}/hide", data=confirmed())

    page = admin_client.get("/admin/moderation")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "(2 waiting)" in html
    assert "ALICE-C1-PENDING" in html and "BOB-C2-PENDING" in html
    assert "ALICE-C2-APPROVED" not in html
    assert "BOB-C3-ON-HIDDEN-CLAIM" not in html
    assert html.index("ALICE-C1-PENDING") < html.index("BOB-C2-PENDING")
    assert len(re.findall(r'name="version" value="1"', html)) == 4  # approve + reject, twice


def test_empty_moderation_queue(admin_client):
    html = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert "Nothing waits for moderation." in html
    assert "(0 waiting)" in html
    assert admin_client.get("/admin/").location == "/admin/desk"


def test_approve(app, alice_verdict, admin_client, admin_id, reviewer_id):
    before = audit_events(app)
    response = admin_client.post(f"/admin/verdicts/{alice_verdict}/approve",
                                 data={"version": "1"})
    assert (response.status_code, response.location) == (302, "/admin/moderation")
    state, version, moderator, moderated_at, reason = verdict_moderation(app, alice_verdict)
    assert (state, version, moderator, reason) == ("approved", 2, admin_id, None)
    assert moderated_at is not None
    [event] = new_audit_events(app, before)
    assert event[:4] == ("verdict.approve", admin_id, "verdict", alice_verdict)
    assert event[4]["before"] == "pending" and event[4]["after"] == "approved"
    assert event[4]["reviewer_id"] == reviewer_id
    html = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert "alice&#39;s verdict on claim 1 approved." in html
    assert "Nothing waits for moderation." in html


def test_moderating_from_the_claim_page_returns_there(app, claims, alice_verdict, admin_client):
    response = admin_client.post(f"/admin/verdicts/{alice_verdict}/approve",
                                 data={"version": "1", "back": "claim"})
    assert response.location == f"/claims/{claims[0]}"
    assert verdict_moderation(app, alice_verdict)[0] == "approved"


@pytest.mark.parametrize(
    "data",
    [
        {"version": "1", "reason": ""},
        {"version": "1", "reason": "   \n "},
        {"version": "1"},
        {"version": "1", "reason": "x" * 2001},
    ],
    ids=["empty", "blank", "missing", "too-long"],
)
def test_reject_without_a_valid_reason_changes_nothing(app, alice_verdict, admin_client, data):
    before_events, before = audit_events(app), verdict_moderation(app, alice_verdict)
    response = admin_client.post(f"/admin/verdicts/{alice_verdict}/reject", data=data)
    assert response.status_code == 422  # the verdict again, with what was typed kept
    assert verdict_moderation(app, alice_verdict) == before
    assert before[0] == "pending"
    assert audit_events(app) == before_events
    html = response.get_data(as_text=True)
    assert "Nothing was changed." in html
    if data.get("reason", "").strip():
        assert f'required>{data["reason"]}</textarea>' in html


def test_reject_with_reason(app, alice_verdict, admin_client, admin_id):
    before = audit_events(app)
    response = admin_client.post(
        f"/admin/verdicts/{alice_verdict}/reject",
        data={"version": "1", "reason": "  Cite the data, not the press release.  "},
    )
    assert response.status_code == 302
    state, version, moderator, moderated_at, reason = verdict_moderation(app, alice_verdict)
    assert (state, version, moderator) == ("rejected", 2, admin_id)
    assert reason == "Cite the data, not the press release."
    [event] = new_audit_events(app, before)
    assert event[:4] == ("verdict.reject", admin_id, "verdict", alice_verdict)
    assert event[4]["reason"] == "Cite the data, not the press release."
    assert event[4]["after"] == "rejected"


def test_reject_reason_limit_follows_the_configuration(make_app, alice_verdict, admin_id):
    """MODERATION_REASON_MAX_LENGTH is a documented setting; a longer reason is refused."""
    small = make_app(MODERATION_REASON_MAX_LENGTH=50)
    try:
        client = small.test_client()
        assert login(client, "editor").status_code == 302
        client.post(f"/admin/verdicts/{alice_verdict}/reject",
                    data={"version": "1", "reason": "r" * 51})
        assert verdict_moderation(small, alice_verdict)[0] == "pending"
    finally:
        dispose(small)


def test_admin_cannot_moderate_own_verdict(app, claims, admin_client, admin_id, make_user):
    save(admin_client, claims[0], note="EDITOR-NOTE", expect=302)
    own = verdict_id_of(app, claims[0], admin_id)
    before_events, before = audit_events(app), verdict_moderation(app, own)
    # Not offered in the queue, and refused when posted anyway.
    assert "EDITOR-NOTE" not in admin_client.get("/admin/moderation").get_data(as_text=True)
    admin_client.post(f"/admin/verdicts/{own}/approve", data={"version": "1"})
    response = admin_client.post(f"/admin/verdicts/{own}/reject",
                                 data={"version": "1", "reason": "Mine."})
    assert verdict_moderation(app, own) == before
    assert audit_events(app) == before_events
    assert response.status_code == 409
    assert "You cannot moderate your own verdict" in response.get_data(as_text=True)

    # Another admin can.
    chief_id = make_user("chief", "admin")
    chief = app.test_client()
    assert login(chief, "chief").status_code == 302
    chief.post(f"/admin/verdicts/{own}/approve", data={"version": "1"})
    assert verdict_moderation(app, own)[:3] == ("approved", 2, chief_id)


REJECTION = "Cite the table."


@pytest.fixture
def revised_after_rejection(app, make_article, claim_ids, reviewer_client, admin_client):
    """Alice saves "first note", the editor rejects it for ``REJECTION``, then Alice saves
    "second note" over the rejected version; the claim's id."""
    claim = claim_ids(make_article())[0]
    save(reviewer_client, claim, note="first note")
    verdict = the_verdict(app)
    admin_client.post(f"/admin/verdicts/{verdict.id}/reject",
                      data={"version": str(verdict.version), "reason": REJECTION})
    save(reviewer_client, claim, note="second note", version=str(the_verdict(app).version))
    return claim


def test_each_revision_keeps_what_moderation_decided_about_it(
    app, reviewer_client, revised_after_rejection
):
    with app.app_context():
        first, second = db.session.scalars(
            sa.select(VerdictRevision).order_by(VerdictRevision.version)
        ).all()
        assert (first.source_note, first.moderation_state, first.moderation_reason) == (
            "first note", "rejected", REJECTION)
        assert first.moderated_by.username == "editor"
        assert (second.source_note, second.moderation_state) == ("second note", "pending")
    history = reviewer_client.get(f"/claims/{revised_after_rejection}").get_data(as_text=True)
    assert f"Reason: {REJECTION}" in history


def test_moderation_queue_shows_why_the_earlier_version_was_rejected(
    admin_client, revised_after_rejection
):
    page = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert "second note" in page
    assert f"rejected by editor: {REJECTION}" in page
    assert "first note" in page


def test_hide_and_unhide_claim(
    app, claims, reviewer_client, reviewer2_client, admin_client, admin_id
):
    save(reviewer_client, claims[0], note="ALICE-C1", expect=302)
    save(reviewer2_client, claims[0], note="BOB-C1", expect=302)
    save(reviewer_client, claims[1], note="ALICE-C2", expect=302)
    before = audit_events(app)

    response = admin_client.post(f"/admin/claims/{claims[0]}/hide", data=confirmed())
    assert (response.status_code, response.location) == (302, f"/claims/{claims[0]}")
    with app.app_context():
        assert db.session.get(Claim, claims[0]).status == "hidden"
        kept = db.session.scalar(
            sa.select(sa.func.count(Verdict.id)).where(Verdict.claim_id == claims[0]))
    assert kept == 2
    [event] = new_audit_events(app, before)
    assert event[:4] == ("claim.hide", admin_id, "claim", claims[0])
    assert (event[4]["before"], event[4]["after"]) == ("open", "hidden")
    assert "Claim hidden" in admin_client.get(f"/claims/{claims[0]}").get_data(as_text=True)

    assert csv_claim_ids(admin_client.get("/export/verdicts.csv")) == [claims[1]]
    assert csv_claim_ids(reviewer_client.get("/export/verdicts.csv")) == [claims[1]]
    assert csv_claim_ids(reviewer2_client.get("/export/verdicts.csv")) == []
    moderation = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert "ALICE-C1" not in moderation and "ALICE-C2" in moderation
    # Hidden claims[0] is out of the queue; bob reads on in order from claims[1], which
    # still needs an independent verdict besides alice's (the default queue order).
    assert reviewer2_client.get("/queue").location == f"/claims/{claims[1]}"

    before = audit_events(app)
    response = admin_client.post(f"/admin/claims/{claims[0]}/unhide", data=confirmed())
    assert (response.status_code, response.location) == (302, f"/claims/{claims[0]}")
    with app.app_context():
        assert db.session.get(Claim, claims[0]).status == "open"
    [event] = new_audit_events(app, before)
    assert event[:4] == ("claim.unhide", admin_id, "claim", claims[0])
    assert (event[4]["before"], event[4]["after"]) == ("hidden", "open")
    assert csv_claim_ids(admin_client.get("/export/verdicts.csv")) == [
        claims[0], claims[0], claims[1]]
    assert "ALICE-C1" in admin_client.get("/admin/moderation").get_data(as_text=True)
